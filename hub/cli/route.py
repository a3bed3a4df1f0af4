"""``synchub route …``: explain a decision, check the rule files, route waiting leads, watch SLAs.
The hub registers ``route_app`` under the name ``route``."""

from __future__ import annotations

from contextlib import ExitStack
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from hub.cli.common import BEIJING, beijing_text, friendly_errors, open_engine
from hub.cli.output import JSON_OPTION, print_json
from hub.web.clock import beijing_times

__all__ = ["route_app"]

console = Console(highlight=False)
route_app = typer.Typer(help="Territory routing, SLA escalation and alerts.", no_args_is_help=True)


@route_app.command("explain")
@friendly_errors
def explain_command(
    lead_id: int = typer.Argument(..., help="The lead's id."),
    as_json: Annotated[bool, JSON_OPTION] = False,  # the ledger's decision
) -> None:
    """Which rule fired for a lead and why (read from the ledger)."""
    from services.routing.explain import explain_lead, format_explanation

    data = explain_lead(open_engine(), lead_id)
    if as_json:
        print_json(data)
        return
    console.print(beijing_times(format_explanation(data)), markup=False)
    console.print(f"(times in {BEIJING})")


class Stage(StrEnum):
    contacted = "contacted"
    qualified = "qualified"
    proposal = "proposal"
    won = "won"
    lost = "lost"


@route_app.command("stage")
@friendly_errors
def stage_command(
    lead_id: Annotated[int, typer.Argument(help="The lead's id.")],
    stage: Annotated[Stage, typer.Argument(help="qualified = 需求确认, proposal = 方案报价.")],
    by: Annotated[str | None, typer.Option(help="Who moved it (a salesperson's key).")] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept in the ledger).")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Move a lead forward in the sales funnel; the ledger keeps who, when and why."""
    from services.routing.stages import set_stage

    change = set_stage(open_engine(), lead_id, stage.value, by=by, note=note)
    if as_json:
        print_json(change)
        return
    said = f"{change.before} -> {change.after}" if change.changed else f"already {change.after}"
    console.print(f"lead {lead_id}: {said}")


@route_app.command("check")
@friendly_errors
def check_command(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Validate the rules and territories files (SYNCHUB_ROUTING_*_FILE); print their versions."""
    from services.routing.config import RoutingSettings, load_routing

    settings = RoutingSettings()
    config = load_routing(settings)
    if as_json:
        rules, places = config.rules, config.territories
        print_json({
            "rules": {"file": settings.rules_file, "version": rules.version, "rules": len(rules.rules),
                      "sha256": rules.source.digest},
            "territories": {"file": settings.territories_file, "version": places.version,
                            "teams": len(places.teams), "territories": len(places.territories)},
        })  # fmt: skip
        return
    console.print(f"rules {settings.rules_file}: version {config.rules.version}, {len(config.rules.rules)} "
                  f"rules, sha256 {config.rules.source.digest[:12]}")  # fmt: skip
    places = config.territories
    console.print(f"territories {settings.territories_file}: version {places.version}, "
                  f"{len(places.teams)} teams, {len(places.territories)} territories")  # fmt: skip


@route_app.command("run")
@friendly_errors
def run_command(
    limit: int = typer.Option(1000, help="Most leads to route in this run."),
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Geocode (resuming leads left by a quota stop), score, route and notify waiting leads."""
    from sqlalchemy import select

    from connectors.amap import AmapClient, AmapSettings
    from core.models import Lead
    from services.notify import default_senders
    from services.routing.service import process_new_leads
    from store.engine import session_scope

    engine = open_engine()
    with session_scope(engine) as session:
        ids = list(
            session.scalars(select(Lead.id).where(Lead.assigned_at.is_(None)).order_by(Lead.id).limit(limit))
        )
    with ExitStack() as stack:
        amap_settings = AmapSettings()
        geocoder = stack.enter_context(AmapClient(amap_settings)) if amap_settings.key else None
        senders = default_senders()
        stack.callback(senders.close)
        report = process_new_leads(engine, ids, geocoder=geocoder, senders=senders)
    if as_json:
        print_json(report)
        return
    g = report.geocode
    console.print(f"{report.leads} leads: {report.routed} routed, {report.unassigned} unassigned, "
                  f"{report.alerts} alerts; geocode offline {g.offline}, cache {g.cache_hits}, Amap "
                  f"{g.sent} in {g.calls} calls, awaiting {g.awaiting}; sent {report.dispatch.sent}, "
                  f"digests {report.dispatch.digests}")  # fmt: skip


@route_app.command("sla-watch")
@friendly_errors
def sla_watch_command(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Escalate every lead past its first-contact deadline (one pass)."""
    from services.notify import default_senders
    from services.routing.sla import escalate_overdue

    senders = default_senders()
    try:
        report = escalate_overdue(open_engine(), senders=senders)
    finally:
        senders.close()
    if as_json:
        print_json(report)
        return
    console.print(f"escalated {len(report.escalated)}, reassigned {len(report.reassigned)}")


@route_app.command("contacted")
@friendly_errors
def contacted_command(
    lead_id: int = typer.Argument(..., help="The lead's id."),
    by: str = typer.Option("cli", help="Who made the contact."),
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Record the first contact of a lead (stops its SLA clock)."""
    from services.routing.sla import mark_contacted

    result = mark_contacted(open_engine(), lead_id, by=by)
    if as_json:
        print_json(result)
        return
    state = "already recorded" if result.already else ("on time" if result.on_time else "late")
    when = beijing_text(result.first_contact_at, with_seconds=True)
    console.print(f"lead {lead_id}: first contact {when} {BEIJING} ({state})")
