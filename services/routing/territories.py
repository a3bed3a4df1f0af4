"""Territories, teams and people, from the territories TOML file (see ``defaults/territories.toml``).

A territory maps an adcode prefix (2 digits: province, 4: city, 6: district) to a team and optionally
a fixed owner; the longest matching prefix wins. A team has members with a capacity (their relative
share of new leads), a lead, a supervisor, a default strategy and the robots that alert it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.routing._toml import ConfigFile, Problems, read_config

__all__ = ["STRATEGIES", "Member", "Person", "Team", "Territories", "Territory", "load_territories"]

STRATEGIES = ("round_robin", "fewest_open", "weighted_capacity", "team_lead")
_TEAM_KEYS = {"lead", "supervisor", "members", "strategy", "dingtalk", "wecom", "reassign_on_escalation"}


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    mobile: str | None


@dataclass(frozen=True)
class Member:
    person: str
    capacity: float


@dataclass(frozen=True)
class Team:
    name: str
    lead: str
    supervisor: str
    members: tuple[Member, ...]
    strategy: str = "round_robin"
    dingtalk: str | None = None
    wecom: str | None = None
    reassign_on_escalation: bool = False


@dataclass(frozen=True)
class Territory:
    prefix: str
    team: str
    owner: str | None = None


@dataclass
class Territories:
    source: ConfigFile
    people: dict[str, Person] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    territories: list[Territory] = field(default_factory=list)

    @property
    def version(self) -> str | None:
        value = self.source.data.get("version")
        return str(value) if value is not None else None

    def match(self, adcode: str | None) -> Territory | None:
        """The territory with the longest prefix of ``adcode``."""
        if not adcode:
            return None
        best: Territory | None = None
        for territory in self.territories:
            if adcode.startswith(territory.prefix) and (
                best is None or len(territory.prefix) > len(best.prefix)
            ):
                best = territory
        return best

    def team_of(self, person: str) -> str | None:
        for team in self.teams.values():
            if person in (m.person for m in team.members) or person == team.lead:
                return team.name
        return None


def _person(bad: Problems, cfg: ConfigFile, key: str, raw: Any) -> Person | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name", key), str):
        bad.add(cfg.table_line(f"people.{key}"), f"people.{key}: give a name (and a mobile)")
        return None
    mobile = raw.get("mobile")
    return Person(key, str(raw.get("name", key)), str(mobile) if mobile else None)


def _team(bad: Problems, cfg: ConfigFile, name: str, raw: dict[str, Any], people: set[str]) -> Team | None:
    where = f"teams.{name}"

    def at(key: str | None) -> int:
        return cfg.table_line(where, key)

    ok = True
    for key in sorted(set(raw) - _TEAM_KEYS):
        bad.add(at(key), f"{where}: unknown key {key!r}; known: {sorted(_TEAM_KEYS)}")
        ok = False
    members: list[Member] = []
    for item in raw.get("members", []):
        if not isinstance(item, dict) or item.get("person") not in people:
            bad.add(at("members"), f"{where}: member {item!r} is not a known person")
            ok = False
            continue
        capacity = item.get("capacity", 1)
        if not isinstance(capacity, int | float) or capacity <= 0:
            bad.add(at("members"), f"{where}: capacity of {item['person']} must be > 0")
            ok = False
        members.append(Member(item["person"], float(capacity)))
    for role in ("lead", "supervisor"):
        if raw.get(role) not in people:
            bad.add(at(role), f"{where}: {role} {raw.get(role)!r} is not a known person")
            ok = False
    strategy = raw.get("strategy", "round_robin")
    if strategy not in STRATEGIES:
        bad.add(at("strategy"), f"{where}: strategy {strategy!r}; known: {STRATEGIES}")
        ok = False
    if not members:
        bad.add(at(None), f"{where}: a team needs at least one member")
        ok = False
    if not ok:
        return None
    return Team(name, raw["lead"], raw["supervisor"], tuple(members), strategy, raw.get("dingtalk"),
                raw.get("wecom"), bool(raw.get("reassign_on_escalation", False)))  # fmt: skip


def load_territories(path: Path) -> Territories:
    """Parse and validate; every problem is reported at once with its file and line."""
    cfg = read_config(path)
    bad = Problems(cfg.path)
    result = Territories(cfg)
    for key, raw in (cfg.data.get("people") or {}).items():
        person = _person(bad, cfg, key, raw)
        if person is not None:
            result.people[key] = person
    for name, raw in (cfg.data.get("teams") or {}).items():
        team = _team(bad, cfg, name, raw, set(result.people))
        if team is not None:
            result.teams[name] = team
    for index, raw in enumerate(cfg.data.get("territory") or []):
        prefix, team, owner = str(raw.get("prefix", "")), raw.get("team"), raw.get("owner")
        line = cfg.line_of("territory", index)
        if not (prefix.isdigit() and len(prefix) in (2, 4, 6)):
            message = f"territory {index + 1}: prefix {prefix!r} must be 2, 4 or 6 digits of an adcode"
            bad.add(cfg.line_of("territory", index, "prefix"), message)
        elif team not in result.teams:
            bad.add(line, f"territory {prefix}: unknown team {team!r}")
        elif owner is not None and owner not in result.people:
            bad.add(cfg.line_of("territory", index, "owner"), f"territory {prefix}: unknown owner {owner!r}")
        else:
            result.territories.append(Territory(prefix, str(team), owner))
    bad.raise_if_any()
    return result
