"""The sales manager's view: one row per salesperson of their teams, with the leads they hold, how
many were first contacted within the SLA, and how far the leads got (conversion).

Whose teams: a console user whose name is a team's ``lead`` or ``supervisor`` in the territories file
sees those teams' people (members and lead); an admin sees every team. Leads count for their current
owner (a handover moves them, and restarts the first-contact clock of an uncontacted one), created in
the period; how far each got comes from :mod:`hub.web.data.lead_progress`, the funnel's own rule.

SLA: of the leads with a deadline, *on time* were first contacted by it, *late* after it, *overdue*
are still uncontacted past it; the rate is on time over the three (leads not yet due are left out).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Lead
from hub.web.data.lead_progress import lead_progress
from hub.web.data.leads import STAGES
from services.routing.strategies import OPEN_STAGES
from services.routing.territories import Territories

__all__ = ["SalesRow", "SalesTeam", "managed_teams", "sales_by_person"]

UNCONTACTED = ("new", "assigned")


class SalesRow(BaseModel):
    person: str
    name: str
    team: str
    leads: int  # owned, created in the period
    open: int
    on_time: int
    late: int
    overdue: int
    sla_rate: float | None  # on time / (on time + late + overdue)
    reached: list[int]  # leads that reached each funnel stage (lead, first contact ... payment)
    conversion: float | None  # contract signed / leads


class SalesTeam(BaseModel):
    team: str
    lead: str
    rows: list[SalesRow]
    total: SalesRow


def managed_teams(territories: Territories, user: str, admin: bool) -> list[str]:
    """The teams ``user`` may see: all for an admin, else those they lead or supervise."""
    return sorted(
        name for name, team in territories.teams.items() if admin or user in (team.lead, team.supervisor)
    )


def _members(territories: Territories, team: str | None) -> list[str]:
    """The team's lead, then its members, once each; none for an unknown team."""
    found = territories.teams.get(team or "")
    return list(dict.fromkeys([found.lead, *(m.person for m in found.members)])) if found else []


def _row(person: str, name: str, team: str, facts: list[tuple[Lead, int]], now: datetime) -> SalesRow:
    on_time = late = overdue = 0
    reached = [0] * len(STAGES)
    for lead, furthest in facts:
        for i in range(furthest + 1):
            reached[i] += 1
        if lead.sla_due_at is None:
            continue
        if lead.first_contact_at is not None:
            on_time += lead.first_contact_at <= lead.sla_due_at
            late += lead.first_contact_at > lead.sla_due_at
        elif lead.sla_due_at < now and lead.stage in UNCONTACTED:
            overdue += 1
    judged = on_time + late + overdue
    leads = len(facts)
    return SalesRow(
        person=person, name=name, team=team, leads=leads,
        open=sum(1 for lead, _ in facts if lead.stage in OPEN_STAGES),
        on_time=on_time, late=late, overdue=overdue, sla_rate=on_time / judged if judged else None,
        reached=reached, conversion=reached[4] / leads if leads else None,
    )  # fmt: skip


def sales_by_person(
    session: Session, territories: Territories, teams: list[str], days: int | None, now: datetime
) -> list[SalesTeam]:
    """For each of ``teams``: a row per person (its lead first, then members), and the team's total."""
    since = now - timedelta(days=days) if days else None
    people = {p for t in teams for p in _members(territories, t)}
    query = select(Lead).where(Lead.owner.in_(people))
    if since is not None:
        query = query.where(Lead.created_at >= since)
    owned = list(session.scalars(query))
    furthest = {p.lead_id: p.furthest for p in lead_progress(session, since)}
    by_owner: dict[tuple[str, str | None], list[tuple[Lead, int]]] = {}
    for lead in owned:  # someone in two teams: a lead counts in the team it was routed to
        owner = str(lead.owner)
        team = lead.team if owner in _members(territories, lead.team) else territories.team_of(owner)
        by_owner.setdefault((owner, team), []).append((lead, furthest.get(lead.id, 0)))
    out = []
    for name in teams:
        members = _members(territories, name)
        rows = [
            _row(p, territories.people[p].name if p in territories.people else p, name,
                 by_owner.get((p, name), []), now)
            for p in members
        ]  # fmt: skip
        every = [fact for p in members for fact in by_owner.get((p, name), [])]
        total = _row("", "合计", name, every, now)
        out.append(SalesTeam(team=name, lead=territories.teams[name].lead, rows=rows, total=total))
    return out
