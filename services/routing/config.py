"""Where the routing files are (settings), loading them together, and recording their versions.

``SYNCHUB_ROUTING_RULES_FILE`` and ``SYNCHUB_ROUTING_TERRITORIES_FILE`` name the files; the defaults
are the examples packaged in ``services/routing/defaults/``. A file's digest and content are stored in
``routing_rule_sets`` (audited: the ledger gets the content) the first time that version is used, and
every decision names the digests it was made with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models.routing import RoutingRuleSet
from core.secret_blocks import SynchubSettings
from services.routing.rules import RuleSet, load_rules
from services.routing.territories import Territories, load_territories

__all__ = ["RoutingConfig", "RoutingSettings", "load_routing", "record_versions"]

DEFAULTS = Path(__file__).resolve().parent / "defaults"


class RoutingSettings(SynchubSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_ROUTING_", extra="ignore")

    rules_file: Path = Field(DEFAULTS / "rules.toml", description="The ordered routing rules (TOML).")
    territories_file: Path = Field(DEFAULTS / "territories.toml", description="Territories and teams.")
    console_url: str = Field("http://127.0.0.1:8000", description="Base URL used in message links.")


@dataclass(frozen=True)
class RoutingConfig:
    rules: RuleSet
    territories: Territories

    @property
    def digests(self) -> dict[str, str]:
        return {"rules": self.rules.source.digest, "territories": self.territories.source.digest}


def load_routing(settings: RoutingSettings | None = None) -> RoutingConfig:
    """Both files, validated against each other (teams, people, product keys)."""
    from mapping.products import load_product_catalog

    settings = settings or RoutingSettings()
    territories = load_territories(settings.territories_file)
    products = {key for _, key in load_product_catalog().keywords}
    return RoutingConfig(load_rules(settings.rules_file, territories, products), territories)


def record_versions(session: Session, config: RoutingConfig) -> None:
    """Store each file's version once (an audited insert, so the ledger holds its content)."""
    for kind, source, version in (
        ("rules", config.rules.source, config.rules.version),
        ("territories", config.territories.source, config.territories.version),
    ):
        known = session.scalars(
            select(RoutingRuleSet.id).where(
                RoutingRuleSet.kind == kind, RoutingRuleSet.digest == source.digest
            )
        ).first()
        if known is None:
            session.add(RoutingRuleSet(kind=kind, digest=source.digest, version=version,
                                       path=source.path[-300:], content=source.text))  # fmt: skip
    session.flush()
