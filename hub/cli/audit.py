"""``synchub audit ...``: verify, checkpoint, export, log, keygen, erase."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from core.errors import InputError, NotFoundError
from hub.cli.common import BEIJING, beijing_text, console, friendly_errors, open_engine, split_entity
from hub.cli.output import JSON_OPTION, print_json, progress_bar

audit_app = typer.Typer(help="The append-only, verifiable ledger.", no_args_is_help=True)


@audit_app.command("verify")
@friendly_errors
def verify(
    checkpoints: Annotated[
        Path | None, typer.Option(help="JSON file of checkpoints kept outside the database.")
    ] = None,
    trust: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KEY",
            help="Public key a checkpoint may be signed by (hex, base64, PEM or a file); repeat for "
            "keys rotated out. Default: SYNCHUB_AUDIT_TRUSTED_KEYS and the current signing key.",
        ),
    ] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Recompute the hash chain, check every checkpoint against the trusted keys and every stored
    personal value. Exit 0 when intact, 1 naming the first problem."""
    from audit.trust import parse_trust_options
    from audit.verify import verify_ledger

    external = json.loads(checkpoints.read_text(encoding="utf-8")) if checkpoints else []
    trusted = parse_trust_options(trust) if trust else None
    engine = open_engine()
    with progress_bar("verifying the ledger", hidden=as_json) as advance:
        result = verify_ledger(engine, trusted_keys=trusted, external_checkpoints=external, progress=advance)
    if as_json:
        print_json(result)
    elif result.ok:
        console.print(
            f"ledger intact: {result.count} entries, {result.checkpoints} checkpoints verified, "
            f"{result.personal_values} personal values checked"
        )
    else:
        console.print(f"[red]ledger NOT intact[/red] after {result.count} good entries: {result.problem}")
    if not as_json:
        for print_ in result.trusted:
            console.print(f"trusted key {print_}")
        if result.ok and not result.checkpoints and result.count:
            console.print("no checkpoint yet: the chain alone cannot show a rewritten history")
    sys.exit(0 if result.ok else 1)


@audit_app.command("checkpoint")
@friendly_errors
def checkpoint(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Sign the current head (seq, hash, time) with the Ed25519 key from settings and store it."""
    from audit.checkpoint import create_checkpoint, load_signing_key
    from core.settings import get_settings

    cp = create_checkpoint(open_engine(), load_signing_key(get_settings()))
    if as_json:
        print_json(cp)
        return
    console.print(f"checkpoint at seq {cp['seq']} hash {cp['hash']} signed by {cp['public_key']}")


@audit_app.command("export")
@friendly_errors
def export(
    out: Annotated[Path, typer.Option(help="Folder to write the bundle into.")],
    from_seq: Annotated[int, typer.Option(help="First entry.")] = 1,
    to_seq: Annotated[int | None, typer.Option(help="Last entry (default: the head).")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Write an offline evidence bundle that verifies with its own script."""
    from audit.checkpoint import load_signing_key
    from audit.export import export_bundle
    from core.settings import get_settings

    engine, key = open_engine(), load_signing_key(get_settings())
    with progress_bar(f"exporting to {out}", hidden=as_json) as advance:
        manifest = export_bundle(engine, key, out, from_seq, to_seq, progress=advance)
    if as_json:
        print_json({**manifest, "out": out})
        return
    console.print(
        f"exported seq {manifest['from_seq']}..{manifest['to_seq']} ({manifest['count']} entries) to {out}; "
        f"check it with: python {out / 'verify.py'}"
    )


@audit_app.command("log")
@friendly_errors
def log(
    entity: Annotated[str | None, typer.Option(help="TYPE:ID, for example customer:42.")] = None,
    find: Annotated[
        str | None,
        typer.Option(
            "--find",
            metavar="TEXT",
            help="Instead of TYPE:ID, what you know: a contract number, a company name (fuzzy: trade name "
            "or typo), a phone in any format, a lead id (#123). Lists the records it matched and the "
            "history of those and of the records read with them (a customer's contracts and leads).",
        ),
    ] = None,
    reveal: Annotated[bool, typer.Option(help="Show personal values unmasked.")] = False,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """One record's history, newest first: who, when, what changed, why."""
    from audit.history import describe_changes, entity_history

    engine = open_engine()
    if find is not None and entity is None:
        from hub.cli.search import print_found

        print_found(engine, find, reveal, as_json)
        return
    if entity is None or find is not None:
        raise InputError("give --entity TYPE:ID or --find TEXT, one of the two")
    kind, ident = split_entity(entity)
    items = entity_history(engine, kind, ident, reveal=reveal)
    if not items:
        raise NotFoundError(f"no ledger entries for {entity}")
    if as_json:
        print_json(items)  # HistoryItem dataclasses: seq, recorded_at, actor, action, changes, reason, ...
        return
    table = Table(title=f"history of {entity}", show_lines=True)
    for column in ("seq", f"when ({BEIJING})", "who", "action", "what changed", "why"):
        table.add_column(column)
    for item in items:
        cells = (
            str(item.seq),
            beijing_text(item.recorded_at, with_seconds=True),
            item.actor,
            item.action,
            describe_changes(item),
            item.reason or "",
        )
        table.add_row(*(Text(cell) for cell in cells))  # Text: values are data, never markup
    console.print(table)


@audit_app.command("keygen")
@friendly_errors
def keygen(path: Annotated[Path | None, typer.Option(help="Where to write the private key.")] = None) -> None:
    """Create the Ed25519 checkpoint signing key (PEM, mode 0600)."""
    from audit.checkpoint import generate_key_file
    from core.settings import get_settings

    target = path or get_settings().audit_signing_key_file
    console.print(f"wrote {target}; public key {generate_key_file(target)}")


@audit_app.command("erase")
@friendly_errors
def erase(
    entity: Annotated[str, typer.Option(help="TYPE:ID of the record, for example lead:7.")],
    reason: Annotated[str, typer.Option(help="Why (the request reference); goes to the ledger.")],
) -> None:
    """Honour a PIPL erasure request: blank the personal fields and erase their ledger values."""
    from audit.encoding import entity_type_of
    from audit.personal import erase_personal_data
    from core.models import Base
    from store.engine import session_scope

    kind, ident = split_entity(entity)
    classes = {entity_type_of(m.class_): m.class_ for m in Base.registry.mappers}
    if kind not in classes:
        raise InputError(f"unknown entity type {kind!r}; known: {', '.join(sorted(classes))}")
    model = classes[kind]
    key = _primary_key(model, ident)
    with session_scope(open_engine()) as session:
        obj = session.get(model, key)
        if obj is None:
            raise NotFoundError(f"no {kind} with id {ident}")
        count = erase_personal_data(session, obj, reason)
    console.print(f"erased {count} personal values of {entity}; the chain still verifies")


def _primary_key(model: type[Any], ident: str) -> object:
    """``ident`` as the model's primary key: a whole number for integer keys, a clear error if not."""
    from sqlalchemy import Integer, inspect

    columns = inspect(model).primary_key
    if len(columns) != 1:
        raise InputError(f"{model.__name__} has no single-column id to erase by")
    if isinstance(columns[0].type, Integer):
        if not ident.isascii() or not ident.isdigit() or len(ident) > 18:
            raise InputError(f"--entity wants a whole-number id for {model.__tablename__} (got {ident!r})")
        return int(ident)
    return ident
