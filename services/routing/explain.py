"""Why a lead went where it went: the latest ``route`` event of the lead in the ledger (which rule
fired, the reason for every rule read, the files' digests), plus any escalation after it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from audit.history import entity_history
from core.errors import NotFoundError

__all__ = ["explain_lead", "format_explanation"]


def explain_lead(engine: Engine, lead_id: int) -> dict[str, Any]:
    """``{"decision": {...}, "escalations": [...], "contacted": {...} | None}`` from the ledger."""
    history = entity_history(engine, "lead", str(lead_id))
    decision = next((h for h in history if h.action == "route"), None)
    if decision is None:
        raise NotFoundError(f"lead {lead_id} has no routing decision in the ledger")
    escalations = [h.changes.get("event", {}) | {"at": h.recorded_at.isoformat()}
                   for h in history if h.action == "escalate" and h.seq > decision.seq]  # fmt: skip
    contacted = next((h.changes.get("event") for h in history if h.action == "contacted"), None)
    return {
        "lead_id": lead_id,
        "decided_at": decision.recorded_at.isoformat(),
        "actor": decision.actor,
        "decision": decision.changes.get("event", {}),
        "escalations": escalations,
        "contacted": contacted,
    }


def format_explanation(data: dict[str, Any]) -> str:
    d = data["decision"]
    lines = [
        f"lead {data['lead_id']}: team {d.get('team')}, owner {d.get('owner')} "
        f"(strategy {d.get('strategy')}), SLA {d.get('sla_minutes')} min",
        f"decided {data['decided_at']} by {data['actor']}; fired: {d.get('rule') or 'territory fallback'}"
        f" (territory {d.get('territory')}); score {d.get('score')} {d.get('health')}",
        f"files: rules {d.get('files', {}).get('rules', '')[:12]}, "
        f"territories {d.get('files', {}).get('territories', '')[:12]}",
    ]
    for step in d.get("trace", []):
        mark = "FIRED" if step.get("rule") == d.get("rule") else ("match" if step.get("matched") else "no")
        lines.append(f"  [{mark:5}] {step.get('rule')} (line {step.get('line')})")
        lines.extend(f"          - {why}" for why in step.get("why", []))
    for alert in d.get("alerts", []):
        lines.append(f"  alert: {alert.get('channel')} -> {alert.get('who')} ({alert.get('template')})")
    for esc in data["escalations"]:
        lines.append(f"  escalated {esc.get('at')}: supervisor {esc.get('supervisor')}, "
                     f"reassigned to {esc.get('reassigned_to')}")  # fmt: skip
    if data["contacted"]:
        lines.append(f"  contacted {data['contacted'].get('at')} on time: {data['contacted'].get('on_time')}")
    return "\n".join(lines)
