"""Every ``synchub`` command, found by walking the command tree of ``hub.cli.main``, run the way a new
user runs it first: without a database, with a bad value for each option that has a fixed set of
values, and with a bad setting. Each answer is one readable line and a non-zero exit, never a
traceback, and nothing is created on the way (issue 20)."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperArgument, TyperOption
from typer.testing import CliRunner, Result

from hub.cli.main import app

# Commands that never open the store (they work on files, settings or a remote system).
NO_STORE = {
    "api-tokens add", "api-tokens list", "api-tokens revoke",
    "audit keygen", "config show", "dedupe eval", "erp check", "flows prefect-yaml", "route check", "tokens keygen",
    "users add", "users disable", "users enable", "users list", "users passwd",
}  # fmt: skip
# Commands that make a database on purpose, or start servers of their own.
SKIPPED = {"db upgrade", "demo"}
SKIPPED_GROUPS = ("sandbox ",)
# What a command needs besides its required parameters to get as far as the store.
EXTRA = {"outbox retry": ["--all-dead"]}


def _commands(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Leaf commands of typer's command tree (typer's own click), by their space-separated path."""
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):
            yield from _commands(command, f"{path} ")
        else:
            yield path, command


COMMANDS = dict(_commands(typer.main.get_command(app)))
RUN = sorted(p for p in COMMANDS if p not in SKIPPED and not p.startswith(SKIPPED_GROUPS))


def _kind(param: Any) -> Any:
    return param.type_descriptor.annotation


def _choices(param: Any) -> list[str] | None:
    """The values a parameter accepts when they are a fixed set (an Enum), or a date's format."""
    kind = _kind(param)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [str(member.value) for member in kind]
    if kind is datetime:
        return ["%Y-%m-%d"]
    return None


def _value(param: Any, scratch: Path) -> str:
    """A well-formed value for a required parameter."""
    kind = _kind(param)
    if choices := _choices(param):
        return "2026-12-07" if kind is datetime else choices[0]
    if kind is Path:
        return str(scratch)
    if kind in (int, list[int]):
        return "1"
    if param.name == "entity":
        return "lead:1"
    return "x"


def _args(path: str, scratch: Path, skip: str | None = None) -> list[str]:
    args = [*path.split(), *EXTRA.get(path, [])]
    for param in COMMANDS[path].params:
        if not param.required or param.name == skip:
            continue
        if isinstance(param, TyperArgument):
            args.append(_value(param, scratch))
        else:
            args += [param.opts[0], _value(param, scratch)]
    return args


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory without a database, the default URL pointing into it."""
    from core.settings import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", f"sqlite:///{tmp_path}/var/synchub.db")
    monkeypatch.setenv("SYNCHUB_WEB_USERS_FILE", str(tmp_path / "var" / "web_users.toml"))
    get_settings.cache_clear()
    scratch = tmp_path / "input.csv"
    scratch.write_text("id,entity\n", encoding="utf-8")
    return tmp_path


def _databases(root: Path) -> list[Path]:
    return [
        p
        for p in root.rglob("*")
        if p.suffix in (".db", ".sqlite") or p.name.endswith((".db-wal", ".db-shm"))
    ]


def _one_line_answer(result: Result) -> str:
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return output


def test_the_sweep_finds_the_command_tree() -> None:
    assert {"status", "quarantine list", "audit verify", "outbox list", "contract receivables"} <= set(RUN)
    assert len(RUN) > 40


@pytest.mark.parametrize(
    "path",
    RUN,
)
def test_without_a_database_every_command_says_so_and_creates_nothing(path: str, nowhere: Path) -> None:
    result = CliRunner().invoke(app, _args(path, nowhere / "input.csv"), input="")
    output = _one_line_answer(result)
    assert _databases(nowhere) == [], f"{path} created a database"
    if path in NO_STORE:
        return
    assert result.exit_code != 0, output
    assert "synchub db upgrade" in output, output
    assert len(output.strip().splitlines()) <= 2, output


def _fixed_value_options() -> list[tuple[str, str]]:
    return [
        (path, param.opts[0])
        for path in RUN
        for param in COMMANDS[path].params
        if isinstance(param, TyperOption) and _choices(param)
    ]


FIXED = _fixed_value_options()


def test_the_options_with_fixed_values_are_choices() -> None:
    """The ones a user reported (``outbox list --status bogus`` printed an empty table) among them."""
    assert {
        ("outbox list", "--status"), ("quarantine list", "--status"), ("dedupe review list", "--status"),
        ("contract alerts", "--today"), ("contract reconcile", "--today"), ("contract receivables", "--today"),
    } <= set(FIXED)  # fmt: skip


@pytest.mark.parametrize(("path", "option"), FIXED)
def test_a_bad_value_is_refused_with_the_valid_ones(path: str, option: str, nowhere: Path) -> None:
    param = next(p for p in COMMANDS[path].params if isinstance(p, TyperOption) and p.opts[0] == option)
    args = [*_args(path, nowhere / "input.csv", skip=param.name), option, "bogus"]
    result = CliRunner().invoke(app, args, input="")
    output = _one_line_answer(result)
    assert result.exit_code == 2, output
    flat = " ".join(output.split())
    assert "bogus" in flat
    for choice in _choices(param) or []:
        assert choice in flat, (choice, output)
    assert _databases(nowhere) == []


def test_the_cli_choices_are_the_stores_states() -> None:
    from dedupe.review import STATUSES
    from hub.cli.dedupe import ReviewStatus

    assert tuple(ReviewStatus) == STATUSES


def test_a_bad_setting_is_one_line_naming_it(nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCHUB_WEB_SECRET", "short")
    result = CliRunner().invoke(app, ["users", "list"])
    output = _one_line_answer(result)
    assert result.exit_code == 1
    assert output.strip().splitlines() == ["error: setting SYNCHUB_WEB_SECRET needs at least 32 characters"]
    monkeypatch.delenv("SYNCHUB_WEB_SECRET")
    monkeypatch.setenv("SYNCHUB_DATABASE_ECHO", "sometimes")
    from core.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["status"])
    output = _one_line_answer(result)
    assert result.exit_code == 1 and "SYNCHUB_DATABASE_ECHO" in output and len(output.splitlines()) == 1


def test_an_unmigrated_or_unreachable_database_is_one_line(
    nowhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.settings import get_settings

    empty = nowhere / "empty.db"
    empty.touch()
    for url, said in (
        (f"sqlite:///{empty}", "has no schema yet: run `synchub db upgrade`"),
        ("not a url", "SYNCHUB_DATABASE_URL is not a database URL"),
    ):
        monkeypatch.setenv("SYNCHUB_DATABASE_URL", url)
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["quarantine", "list"])
        output = _one_line_answer(result)
        assert result.exit_code == 1 and said in " ".join(output.split()), output


def test_an_old_schema_is_named_with_both_revisions(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import text

    from core.settings import get_settings
    from store.engine import make_engine

    engine = make_engine(store_url)
    with engine.begin() as conn:
        newest = conn.execute(text("SELECT max(version_num) FROM alembic_version")).scalar_one()
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = :v"), {"v": newest})
    engine.dispose()
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["audit", "verify"])
    output = " ".join(_one_line_answer(result).split())
    assert result.exit_code == 1 and "is at revision" in output and "run `synchub db upgrade`" in output, (
        output
    )
