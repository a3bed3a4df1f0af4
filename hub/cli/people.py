"""``synchub people …``: who is active, and a salesperson leaving (their customers and open leads
handed to a colleague or back to their team's pool). The hub registers ``people_app`` as ``people``."""

from __future__ import annotations

from typing import Annotated

import typer

from hub.cli.common import console, friendly_errors, open_engine
from hub.cli.output import JSON_OPTION, print_json

__all__ = ["people_app"]

people_app = typer.Typer(help="Salespeople: list them, hand over when someone leaves.", no_args_is_help=True)


@people_app.command("list")
@friendly_errors
def list_command(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Everyone in the territories file: team, status, customers owned and open leads."""
    from services.routing.config import load_routing
    from services.routing.people import people_overview
    from store.engine import session_scope

    with session_scope(open_engine()) as s:
        rows = people_overview(s, load_routing())
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['person']:<10} {row['name']:<6} {row['team'] or '-':<8} {row['status']:<7} "
                      f"customers {row['customers']:>4}  open leads {row['open_leads']:>4}")  # fmt: skip


@people_app.command("leave")
@friendly_errors
def leave_command(
    name: str = typer.Argument(..., help="The person's key in the territories file."),
    to: str | None = typer.Option(None, "--to", help="The colleague who takes everything over."),
    pool: str | None = typer.Option(None, "--pool", help="A team whose strategy shares everything out."),
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """NAME leaves: customers and open leads go to --to, or to --pool (default: NAME's team); each move
    is in the ledger, the new owners are told, and uncontacted leads restart their SLA."""
    from core.models import utcnow
    from services.routing.config import RoutingSettings, load_routing
    from services.routing.people import leave
    from store.engine import session_scope

    with session_scope(open_engine()) as s:
        report = leave(
            s, load_routing(), name, to=to, pool=pool, now=utcnow(), url=RoutingSettings().console_url
        )
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"{name} left: {report.customers} customers and {report.leads} leads handed over "
                  + ", ".join(f"{k} {v}" for k, v in report.new_owners.most_common()))  # fmt: skip


@people_app.command("return")
@friendly_errors
def return_command(name: str = typer.Argument(..., help="The person's key in the territories file.")) -> None:
    """NAME is back: new leads may reach them again (handed-over customers stay where they went)."""
    from core.models import utcnow
    from services.routing.config import load_routing
    from services.routing.people import come_back
    from store.engine import session_scope

    with session_scope(open_engine()) as s:
        come_back(s, load_routing(), name, now=utcnow())
    console.print(f"{name} is active again")
