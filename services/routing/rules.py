"""The ordered routing rules file (see ``defaults/rules.toml``), validated on load.

Conditions (all given ones must hold): ``source``, ``channel``, ``campaign`` (regular expressions,
case-insensitive, searched), ``territory`` (team names or adcode prefixes), ``products_min`` (weighted
product interest), ``budget_min`` (yuan, against the top of the stated range), ``keywords`` (any in
remark, campaign or company), ``score_min``, ``health``. Actions: ``assign_team``, ``assign_owner``,
``assign_territory`` or ``assign_account_owner`` (the active owner of the lead's customer; a rule
above it overrides ownership, explicitly, by its place in the file), with ``strategy`` inside the
team; ``alert`` (``channel:who`` with channel dingtalk, wecom or sms and who team_lead, supervisor or
owner) with ``template``; ``sla_minutes``.
Every problem is reported with the file, the line and what is wrong.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.routing._toml import ConfigFile, Problems, read_config
from services.routing.territories import STRATEGIES, Territories

__all__ = ["ALERT_CHANNELS", "ALERT_ROLES", "Rule", "RuleSet", "Scoring", "load_rules"]

CONDITIONS = {"source", "channel", "campaign", "territory", "products_min", "budget_min", "keywords",
              "score_min", "health"}  # fmt: skip
ACTIONS = {"assign_team", "assign_owner", "assign_territory", "assign_account_owner", "strategy", "alert",
           "template", "sla_minutes"}  # fmt: skip
ASSIGNS = ("assign_team", "assign_owner", "assign_territory", "assign_account_owner")
ALERT_CHANNELS = ("dingtalk", "wecom", "sms")
ALERT_ROLES = ("team_lead", "supervisor", "owner")
_NUMBERS = {"products_min", "budget_min", "score_min", "sla_minutes"}
_LISTS = {"territory", "keywords", "health", "alert"}
_REGEXES = ("source", "channel", "campaign")


@dataclass(frozen=True)
class Rule:
    name: str
    line: int
    when: dict[str, Any]
    patterns: dict[str, re.Pattern[str]]
    assign_team: str | None = None
    assign_owner: str | None = None
    assign_territory: bool = False
    assign_account_owner: bool = False
    strategy: str | None = None
    alert: tuple[str, ...] = ()
    template: str = "new_lead"
    sla_minutes: int | None = None

    @property
    def assigns(self) -> bool:
        return any((self.assign_team, self.assign_owner, self.assign_territory, self.assign_account_owner))


@dataclass(frozen=True)
class Scoring:
    weights: dict[str, float]
    urgent_keywords: tuple[str, ...] = ("立即报价",)
    budget_full_at: float = 500_000
    products_full_at: float = 4
    red: float = 60
    yellow: float = 35


@dataclass
class RuleSet:
    source: ConfigFile
    rules: list[Rule] = field(default_factory=list)
    product_weights: dict[str, float] = field(default_factory=dict)
    scoring: Scoring = field(default_factory=lambda: Scoring({}))
    default_sla_minutes: int = 120

    @property
    def version(self) -> str | None:
        value = self.source.data.get("version")
        return str(value) if value is not None else None


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(key, sorted(CONDITIONS | ACTIONS | {"name"}), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_value(key: str, value: Any, territories: Territories) -> str | None:
    if key in _NUMBERS and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
        return f"{key} must be a number >= 0, not {value!r}"
    if key in _LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"{key} must be a list of strings, not {value!r}"
    if key in _REGEXES:
        if not isinstance(value, str):
            return f"{key} must be a regular expression in a string, not {value!r}"
        try:
            re.compile(value)
        except re.error as exc:
            return f"{key} is not a valid regular expression ({exc})"
    if key == "assign_team" and value not in territories.teams:
        return f"assign_team: unknown team {value!r}; known: {sorted(territories.teams)}"
    if key == "assign_owner" and value not in territories.people:
        return f"assign_owner: unknown person {value!r}"
    if key == "strategy" and value not in STRATEGIES:
        return f"strategy: unknown {value!r}; known: {list(STRATEGIES)}"
    if key == "alert" and isinstance(value, list):
        for item in value:
            channel, _, role = str(item).partition(":")
            if channel not in ALERT_CHANNELS or (role and role not in ALERT_ROLES):
                return (
                    f"alert {item!r}: give channel[:who], channel in {ALERT_CHANNELS}, who in {ALERT_ROLES}"
                )
    if key == "health" and isinstance(value, list) and set(value) - {"red", "yellow", "green"}:
        return f"health must list red, yellow or green, not {value!r}"
    return None


def _rule(bad: Problems, cfg: ConfigFile, index: int, raw: dict[str, Any], territories: Territories,
          products: set[str], seen: set[str]) -> Rule | None:  # fmt: skip
    name = str(raw.get("name") or f"rule {index + 1}")
    header = cfg.line_of("rule", index)
    ok = True

    def problem(key: str | None, message: str) -> None:
        nonlocal ok
        ok = False
        bad.add(cfg.line_of("rule", index, key) if key else header, f"rule {name!r}: {message}")

    if "name" not in raw:
        problem(None, "every rule needs a name")
    elif name in seen:
        problem("name", "another rule has the same name")
    seen.add(name)
    for key, value in raw.items():
        if key not in CONDITIONS | ACTIONS | {"name"}:
            problem(key, f"unknown key {key!r}{_suggest(key)}")
            continue
        message = _check_value(key, value, territories)
        if message:
            problem(key, message)
    if "products_min" in raw and not products:
        problem("products_min", "products_min needs a [product_weights] table")
    if sum(1 for k in ASSIGNS if raw.get(k)) > 1:
        problem(None, f"give at most one of {', '.join(ASSIGNS)}")
    if not any(raw.get(k) for k in (*ASSIGNS, "alert")):
        problem(None, f"a rule needs an action: {', '.join(ASSIGNS)} or alert")
    if not ok:
        return None
    when = {k: v for k, v in raw.items() if k in CONDITIONS}
    patterns = {k: re.compile(str(when[k]), re.IGNORECASE) for k in _REGEXES if k in when}
    return Rule(name, header, when, patterns, raw.get("assign_team"), raw.get("assign_owner"),
                bool(raw.get("assign_territory")), bool(raw.get("assign_account_owner")), raw.get("strategy"),
                tuple(raw.get("alert", ())), str(raw.get("template", "new_lead")),
                raw.get("sla_minutes"))  # fmt: skip


def _scoring(bad: Problems, cfg: ConfigFile) -> Scoring:
    raw = dict(cfg.data.get("scoring") or {})
    weights = raw.pop("weights", {})
    known = {"urgent_keywords", "budget_full_at", "products_full_at", "red", "yellow"}
    for key in sorted(set(raw) - known):
        bad.add(cfg.table_line("scoring", key), f"scoring: unknown key {key!r}; known: {sorted(known)}")
    signals = {"mobile", "company", "budget", "products", "urgent", "email", "located"}
    for key in sorted(set(weights) - signals):
        bad.add(cfg.table_line("scoring.weights", key), f"scoring.weights: unknown signal {key!r}; "
                f"known: {sorted(signals)}")  # fmt: skip
    return Scoring(
        {k: float(v) for k, v in weights.items() if k in signals},
        tuple(raw.get("urgent_keywords", ("立即报价",))),
        float(raw.get("budget_full_at", 500_000)),
        float(raw.get("products_full_at", 4)),
        float(raw.get("red", 60)),
        float(raw.get("yellow", 35)),
    )


def load_rules(path: Path, territories: Territories, product_keys: set[str] | None = None) -> RuleSet:
    """Parse and validate the rules file against the territories (teams, people) and product keys."""
    cfg = read_config(path)
    bad = Problems(cfg.path)
    known_top = {"version", "default_sla_minutes", "product_weights", "scoring", "rule"}
    for key in sorted(set(cfg.data) - known_top):
        bad.add(cfg.table_line("", key) or cfg.table_line(key), f"unknown top-level key {key!r}")
    weights = cfg.data.get("product_weights") or {}
    for key, value in weights.items():
        line = cfg.table_line("product_weights", key)
        if product_keys is not None and key not in product_keys:
            bad.add(line, f"product_weights: unknown product {key!r}; known: {sorted(product_keys)}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            bad.add(line, f"product_weights.{key} must be a number")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(cfg.data.get("rule") or []):
        rule = _rule(bad, cfg, index, raw, territories, set(weights), seen)
        if rule is not None:
            rules.append(rule)
    if not cfg.data.get("rule"):
        bad.add(0, "no [[rule]] entries")
    scoring = _scoring(bad, cfg)
    bad.raise_if_any()
    sla = int(cfg.data.get("default_sla_minutes", 120))
    return RuleSet(cfg, rules, {k: float(v) for k, v in weights.items()}, scoring, sla)
