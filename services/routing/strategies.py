"""Picking an owner inside a team: round robin, fewest open leads, weighted by capacity, or the team
lead's pool. State comes from the leads themselves (who was assigned last, who holds how many open
leads), seeded once per team per batch and kept in memory while the batch runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Lead
from services.routing.territories import Team

__all__ = ["OPEN_STAGES", "OwnerPicker"]

OPEN_STAGES = ("new", "assigned", "contacted", "qualified", "proposal")


@dataclass
class _TeamState:
    last: str | None
    open: dict[str, int] = field(default_factory=dict)


class OwnerPicker:
    """One per batch (one transaction)."""

    def __init__(self, session: Session, inactive: set[str] | None = None) -> None:
        self.session = session
        self.inactive = inactive or set()  # people who left: never picked
        self._teams: dict[str, _TeamState] = {}

    def _active(self, team: Team) -> list[str]:
        members = [m.person for m in team.members if m.person not in self.inactive]
        fallback = next((p for p in (team.lead, team.supervisor) if p not in self.inactive), team.supervisor)
        return members or [fallback]

    def _state(self, team: Team) -> _TeamState:
        state = self._teams.get(team.name)
        if state is None:
            members = [m.person for m in team.members]
            last = self.session.scalars(
                select(Lead.owner)
                .where(Lead.team == team.name, Lead.owner.in_(members), Lead.assigned_at.is_not(None))
                .order_by(Lead.assigned_at.desc(), Lead.id.desc())
                .limit(1)
            ).first()
            counts = dict(
                self.session.execute(
                    select(Lead.owner, func.count())
                    .where(Lead.owner.in_([*members, team.lead]), Lead.stage.in_(OPEN_STAGES))
                    .group_by(Lead.owner)
                ).all()
            )
            state = self._teams[team.name] = _TeamState(last, {p: int(counts.get(p, 0)) for p in members})
        return state

    def pick(self, team: Team, strategy: str) -> str:
        state = self._state(team)
        members = self._active(team)
        if strategy == "team_lead" and team.lead not in self.inactive:
            owner = team.lead
        elif strategy == "fewest_open":
            owner = min(members, key=lambda p: (state.open.get(p, 0), members.index(p)))
        elif strategy == "weighted_capacity":
            capacity = {m.person: m.capacity for m in team.members}
            owner = min(
                members, key=lambda p: ((state.open.get(p, 0) + 1) / capacity.get(p, 1.0), members.index(p))
            )
        else:  # round_robin
            after = members.index(state.last) + 1 if state.last in members else 0
            owner = members[after % len(members)]
        state.last = owner
        state.open[owner] = state.open.get(owner, 0) + 1
        return owner

    def reassign(self, team: Team, current: str | None) -> str:
        """Someone else in the team, fewest open leads first (escalation)."""
        state = self._state(team)
        others = [p for p in self._active(team) if p != current] or [team.lead]
        owner = min(others, key=lambda p: (state.open.get(p, 0), others.index(p)))
        state.open[owner] = state.open.get(owner, 0) + 1
        return owner
