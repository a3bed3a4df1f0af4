"""``synchub dedupe ...``: match leads, re-cluster, review fuzzy duplicates, evaluate on labelled files.

synchub dedupe run [--full]                      # new leads against the index; --full re-clusters all
synchub dedupe review list [--status pending]    # the queue, highest score first
synchub dedupe review show ID                    # one pair with its per-field explanation
synchub dedupe review approve ID --by NAME       # merge (ledger: merge event with explanation)
synchub dedupe review reject ID --by NAME        # keep apart, never proposed again
synchub dedupe review unmerge CUSTOMER --by NAME # restore the exact prior state
synchub dedupe eval --records R.csv --truth T.csv --json
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from core.errors import InputError
from hub.cli.common import console, friendly_errors, open_engine
from hub.cli.output import JSON_OPTION, print_json, progress_bar

__all__ = ["dedupe_app", "review_app"]

dedupe_app = typer.Typer(help="Customer dedupe: match, re-cluster, review, evaluate.", no_args_is_help=True)
review_app = typer.Typer(help="The review queue of fuzzy duplicates.", no_args_is_help=True)
dedupe_app.add_typer(review_app, name="review")


class EmScope(StrEnum):
    """What ``eval --em`` accepts (``dedupe.em.SCOPES``)."""

    latin = "latin"
    name = "name"
    name_latin = "name+latin"
    all = "all"


class ReviewStatus(StrEnum):
    """What ``review list --status`` accepts (``dedupe.review.STATUSES``)."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"


_BY = typer.Option("--by", help="The admin deciding (recorded as user:NAME in the ledger).")
_NOTE = typer.Option(help="Why; stored on the candidate and in the ledger.")


def _actor(name: str) -> str:
    name = name.strip()
    if not name:
        raise InputError("--by needs the admin's name")
    return name if ":" in name else f"user:{name}"


@dedupe_app.command("run")
@friendly_errors
def run(
    full: Annotated[bool, typer.Option("--full", help="Re-cluster every customer in one batch.")] = False,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Match the leads that have no customer yet; with --full, re-cluster every customer."""
    from audit.context import audit_context
    from dedupe.service import match_pending_leads, run_full
    from services.routing.people import settle_merges
    from store.engine import session_scope

    engine = open_engine()
    what = "re-clustering every customer" if full else "matching new leads"
    with audit_context(actor="flow:dedupe"), progress_bar(what, hidden=as_json):
        with session_scope(engine) as session:  # the batch cannot report: the bar pulses, with the time
            report = run_full(session) if full else match_pending_leads(session)
        report["leads_moved_to_owner"] = settle_merges(engine, report.pop("merged_golden_ids", []))
    if as_json:
        print_json(report)
    else:
        console.print(" ".join(f"{k}={v}" for k, v in report.items() if not isinstance(v, dict)))


@review_app.command("list")
@friendly_errors
def review_list(
    status: Annotated[ReviewStatus, typer.Option(help="Which candidates.")] = ReviewStatus.pending,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Candidates in a status; pending ones by impact (leads and contracts a merge moves), then score."""
    from dedupe.review import impact, list_candidates
    from store.engine import session_scope

    with session_scope(open_engine()) as session:
        found = list_candidates(session, status.value, limit)
        moved = impact(session, found) if status is ReviewStatus.pending else {}
        rows = [{**_summary(c), "impact": moved.get(c.id)} for c in found]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "left", "right", "impact", "score", "guard", "status")
    for row in rows:
        keys = ("id", "left_id", "right_id", "impact", "score", "guard", "status")
        table.add_row(*(str(row[k]) for k in keys))
    console.print(table)


def _summary(candidate: Any) -> dict[str, Any]:
    return {
        "id": candidate.id,
        "left_id": candidate.left_id,
        "right_id": candidate.right_id,
        "score": candidate.score,
        "decision": candidate.decision,
        "status": candidate.status,
        "guard": candidate.explanation.get("guard"),
        "decided_by": candidate.decided_by,
    }


@review_app.command("show")
@friendly_errors
def review_show(
    candidate_id: Annotated[int, typer.Argument(help="Match candidate id.")],
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """One candidate: the two customers and the level and weight of every field."""
    from dedupe.review import get_candidate
    from store.engine import session_scope

    with session_scope(open_engine()) as session:
        candidate = get_candidate(session, candidate_id)
        data = {**_summary(candidate), "note": candidate.note, "explanation": candidate.explanation}
    if as_json:
        print_json(data)
        return
    explanation = data["explanation"]
    console.print(
        f"candidate {data['id']}: customer {data['left_id']} vs {data['right_id']}, score {data['score']}, "
        f"{data['decision']} ({data['status']}), guard: {data['guard'] or '-'}"
    )
    table = Table("field", "level", "weight", "values")
    for name, entry in explanation.get("fields", {}).items():
        shown = entry.get("values")
        values = " | ".join("-" if v is None else str(v) for v in shown) if shown else "(personal: not shown)"
        table.add_row(name, entry["level"], f"{entry['weight']:+.2f}", values)
    console.print(table)


@review_app.command("approve")
@friendly_errors
def review_approve(
    candidate_id: Annotated[int, typer.Argument(help="Match candidate id.")],
    by: Annotated[str, _BY],
    note: Annotated[str | None, _NOTE] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Same company: merge the two customers."""
    from dedupe.review import approve
    from services.routing.people import settle_review
    from store.engine import session_scope

    with session_scope(open_engine()) as session:
        cluster = approve(session, candidate_id, _actor(by), note)
        golden = cluster.golden_id
        moved = settle_review(session, merged=golden)
    if as_json:
        print_json({"candidate": candidate_id, "status": "approved", "golden_id": golden,
                    "leads_moved": moved})  # fmt: skip
        return
    console.print(f"candidate {candidate_id} approved: merged into customer {golden}; {moved} open leads "
                  "moved to its owner")  # fmt: skip


@review_app.command("reject")
@friendly_errors
def review_reject(
    candidate_id: Annotated[int, typer.Argument(help="Match candidate id.")],
    by: Annotated[str, _BY],
    note: Annotated[str | None, _NOTE] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Different companies: keep them apart."""
    from dedupe.review import reject
    from store.engine import session_scope

    with session_scope(open_engine()) as session:
        reject(session, candidate_id, _actor(by), note)
    if as_json:
        print_json({"candidate": candidate_id, "status": "rejected"})
        return
    console.print(f"candidate {candidate_id} rejected")


@review_app.command("unmerge")
@friendly_errors
def review_unmerge(
    customer_id: Annotated[
        int, typer.Argument(help="A merged customer (the golden one dissolves the cluster).")
    ],
    by: Annotated[str, _BY],
    note: Annotated[str | None, _NOTE] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Undo a merge, restoring the exact prior state."""
    from dedupe.review import unmerge
    from services.routing.people import settle_review
    from store.engine import session_scope

    with session_scope(open_engine()) as session:
        restored = unmerge(session, customer_id, _actor(by), note)
        settle_review(session, restored=restored)
    if as_json:
        print_json({"restored": restored})
        return
    console.print(f"restored customers {', '.join(map(str, restored))}")


@dedupe_app.command("eval")
@friendly_errors
def evaluate(
    records: Annotated[Path, typer.Option(help="CSV: id,company,contact,phone,email,address,uscc (UTF-8).")],
    truth: Annotated[Path, typer.Option(help="CSV: id,entity.")],
    em: Annotated[
        EmScope | None,
        typer.Option(
            help="Weights estimated on these records first (EM; dedupe.em): "
            "the name field, Latin-name pairs, both, or all."
        ),
    ] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Run the production pipeline on labelled records; pairwise precision, recall and F1."""
    from dedupe.evaluate import evaluate_files

    result = evaluate_files(records, truth, em=em.value if em else None)
    if as_json:
        print_json(result)
        return
    console.print(
        f"precision {result['precision']} recall {result['recall']} f1 {result['f1']} "
        f"({result['records']} records, {result['candidate_pairs']} candidate pairs, "
        f"{result['review_pairs']} pairs for review in {result['review_queue']} queue entries, "
        f"{result['seconds']} s, peak {result['peak_rss_mb']} MB)"
    )
    queue = result["diagnostics"]["review_queue"]
    console.print(
        f"merge precision {queue['merge_precision']}; review queue by review threshold (bits; an entry "
        "is the best pair between two clusters, as `dedupe run --full` queues them):"
    )
    for threshold, row in queue["by_review_threshold"].items():
        console.print(
            f"  >= {threshold}: {row['queue_entries']} entries ({row['queue_per_1000_records']} per 1,000 "
            f"records) from {row['pairs']} pairs, {row['true_matches']} of them true matches"
        )
