"""People (sales managers): who owns how many customers and open leads, and a handover when someone
leaves (``services.routing.people.leave``: customers and open leads to a colleague or the team pool,
each move in the ledger, the new owners told)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from core.errors import InputError
from core.models import utcnow
from hub.web.context import Viewer, base_path, console_of, require
from hub.web.data.leads import STAGES
from hub.web.data.salespeople import SalesTeam, managed_teams, sales_by_person
from hub.web.forms import Form, posted
from hub.web.render import render
from services.routing.config import RoutingSettings, load_routing
from services.routing.people import leave, people_overview
from store.engine import session_scope

__all__ = ["PersonRow", "api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/people", tags=["people"])
Manager = Annotated[Viewer, Depends(require("sales_manager", "admin"))]
Days = Annotated[int, Query(ge=0, le=3650, description="leads created in the last N days (0: all)")]
Key = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")]


class PersonRow(BaseModel):
    person: str
    name: str
    team: str | None
    status: str  # active | left
    customers: int
    open_leads: int


def _people(request: Request) -> tuple[list[PersonRow], list[str]]:
    config = load_routing()
    with session_scope(console_of(request).engine) as s:
        rows = [PersonRow.model_validate(row) for row in people_overview(s, config)]
    return rows, sorted(config.territories.teams)


def _sales(request: Request, seen: Viewer, days: int) -> tuple[list[str], list[SalesTeam]]:
    """The teams this viewer manages (admin: all) and their per-salesperson rows."""
    territories = load_routing().territories
    mine = managed_teams(territories, seen.user.name, "admin" in seen.user.roles)
    with session_scope(console_of(request).engine) as s:
        return mine, sales_by_person(s, territories, mine, days or None, utcnow())


@pages.get("/people")
def people_page(
    request: Request,
    seen: Manager,
    done: Annotated[str | None, Query(max_length=200)] = None,
    days: Days = 30,
) -> Response:
    rows, teams = _people(request)
    mine, sales = _sales(request, seen, days)
    return render(
        request, "people.html", people=rows, teams=teams, flash=done, days=days, managed=mine, sales=sales,
        stages=[title for _, title in STAGES],
    )  # fmt: skip


@pages.post("/people/{person}/leave")
def leave_person(
    request: Request, seen: Manager, form: Annotated[Form, Depends(posted)], person: Key
) -> Response:
    to, pool = form.get("to") or None, form.get("pool") or None
    if to and pool:
        raise InputError("请选择接手人或团队公海，只选一个")
    why = form.note()
    with seen.acting(why or f"{person} 离职移交"), session_scope(console_of(request).engine) as s:
        report = leave(
            s, load_routing(), person, to=to, pool=pool, now=utcnow(), url=RoutingSettings().console_url
        )
    done = f"{person} 已离职：{report.customers} 个客户、{report.leads} 条线索已移交"
    return RedirectResponse(f"{base_path(request)}/people?done={done}", status_code=303)


@api.get("/sales", response_model=list[SalesTeam])
def sales_api(request: Request, seen: Manager, days: Days = 30) -> list[SalesTeam]:
    """Per salesperson of the teams you lead or supervise (admin: all): leads, SLA, conversion."""
    return _sales(request, seen, days)[1]


@api.get("", response_model=list[PersonRow])
def people_api(request: Request, seen: Manager) -> list[PersonRow]:
    """Everyone in the territories file with their status and what they hold."""
    return _people(request)[0]
