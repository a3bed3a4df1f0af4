"""One CLI convention (issue 22): ``--json`` on every list and show command, found by walking the command
tree so a new command without it fails here; exit codes 0 / 1 / 2; ``status --check`` for cron;
``--version``; ``--log-level`` and ``--log-format json``; progress only on a terminal;
``users add --password-stdin``."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.console import Console
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner, Result

from connectors.base import SourceRecord
from core.models import Customer, OutboxMessage, Source, utcnow
from core.settings import get_settings
from hub.cli.logs import LogFormat, LogLevel, configure_logging, reset_logging
from hub.cli.main import app
from hub.cli.output import progress_bar
from services.finance.intake import sign_contract
from services.intake.landing import ensure_source, land_records
from store.engine import session_scope
from tests.finance.conftest import contract
from tests.ledger_tamper import tamper

# The commands without --json: none of them lists or shows anything. Every other command takes --json
# (list and show commands, and the ones that report counts, for scripts).
NOT_LIST_SHOW = {
    # servers, and the shell lines of `sandbox env`
    "serve", "serve-api", "web", "sandbox serve", "sandbox env",
    # secrets and keys: printed once, or written to a file
    "api-tokens add", "audit keygen", "tokens keygen", "users add", "users passwd",
    # files written (their path is the output)
    "db upgrade", "flows prefect-yaml", "export audit", "export leads", "export quarantine",
    "export receivables",
    # one switch flipped, said in one line
    "api-tokens revoke", "audit erase", "people return", "users disable", "users enable",
}  # fmt: skip
# --json commands whose output is parsed by their own tests (they need a vendor sandbox or a whole demo).
PARSED_ELSEWHERE = {
    "demo": "tests/test_demo.py",
    "erp check": "tests/intake/test_probe.py",
    "source check": "tests/intake/test_probe.py",
}
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
runner = CliRunner()


def _commands(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


COMMANDS = dict(_commands(typer.main.get_command(app)))


def _takes_json(command: Any) -> bool:
    return any("--json" in getattr(param, "opts", ()) for param in command.params)


JSON_COMMANDS = sorted(path for path, command in COMMANDS.items() if _takes_json(command))


def test_every_list_and_show_command_takes_json() -> None:
    lacking = sorted(p for p, c in COMMANDS.items() if p not in NOT_LIST_SHOW and not _takes_json(c))
    assert lacking == [], f"list/show commands without --json: {lacking}"
    assert not [p for p in NOT_LIST_SHOW if p in COMMANDS and _takes_json(COMMANDS[p])]  # kept exact
    assert set(COMMANDS) >= NOT_LIST_SHOW, NOT_LIST_SHOW - set(COMMANDS)  # no stale names
    assert {"status", "quarantine list", "quarantine show", "audit log", "users list"} <= set(JSON_COMMANDS)


@pytest.fixture
def hub(store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """A store with something in every list: leads (one routed), a quarantined record, a review
    candidate, a contract and its outbox; and the files and arguments the commands want."""
    from dedupe.service import run_full
    from services.routing import process_new_leads
    from services.routing.config import load_routing

    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    monkeypatch.setenv("SYNCHUB_WEB_USERS_FILE", str(tmp_path / "users.toml"))
    monkeypatch.setenv("SYNCHUB_API_TOKENS_FILE", str(tmp_path / "tokens.toml"))
    get_settings.cache_clear()
    with session_scope(store) as s:
        source = ensure_source(s, "douyin", "ocean_engine")
        land_records(
            s,
            source,
            [
                SourceRecord(
                    "c-1", "1", {"clue_id": "c-1", "telephone": "13812345678", "address": "北京朝阳区"}
                ),
                SourceRecord("c-2", "1", {"clue_id": "c-2"}),  # nothing to identify anyone: quarantined
                SourceRecord(  # left for `route run`
                    "c-3", "1", {"clue_id": "c-3", "telephone": "13912345678", "address": "上海市徐汇区"}
                ),
            ],
        )
        for name, phone in (  # same phone, two cities: two review candidates
            ("杭州智联医疗器械有限公司", "+8613900000001"), ("苏州智联医疗器械有限公司", "+8613900000001"),
            ("广州恒信医疗器械有限公司", "+8613900000002"), ("深圳恒信医疗器械有限公司", "+8613900000002"),
        ):  # fmt: skip
            s.add(Customer(name=name, name_norm=name, phone=phone, city=name[:2] + "市"))
    with session_scope(store) as s:
        run_full(s)
        lead_id = s.execute(text("SELECT min(id) FROM leads")).scalar_one()
    process_new_leads(store, [lead_id], config=load_routing())
    sign_contract(store, contract("HT-0"), actor="api:test")  # outbox messages 1 and 2
    with session_scope(store) as s:
        quarantined = s.execute(text("SELECT min(id) FROM quarantined_records")).scalar_one()
        first, second = s.execute(text("SELECT id, left_id FROM match_candidates ORDER BY id")).all()
    assert runner.invoke(app, ["audit", "keygen"]).exit_code == 0
    (tmp_path / "r.csv").write_text(
        "id,company,contact,phone,email,address,uscc\n1,甲公司,,,,,\n2,乙公司,,,,,\n"
    )
    (tmp_path / "t.csv").write_text("id,entity\n1,a\n2,b\n")
    (tmp_path / "contracts.csv").write_text("合同编号,客户名称,合同金额\nHT-1,,not a number\n")
    (tmp_path / "contract.json").write_text(json.dumps(contract("HT-2")), encoding="utf-8")
    sheet = tmp_path / "leads_export_gbk.csv"  # a copy: the import writes its rejects beside the file
    sheet.write_bytes((FIXTURES / "excel" / "leads_export_gbk.csv").read_bytes())
    return {
        "contract sign": [str(tmp_path / "contract.json")],
        "import leads": [str(sheet), "--source", "crm-export"],
        "outbox cancel": ["1"],
        "outbox retry": ["--all-dead"],
        "pull": ["baidu"],  # no account configured: an empty pull, still a report
        "audit export": ["--out", str(tmp_path / "bundle")],
        "audit log": ["--entity", f"lead:{lead_id}"],
        "contract import": [str(tmp_path / "contracts.csv")],
        "dedupe eval": ["--records", str(tmp_path / "r.csv"), "--truth", str(tmp_path / "t.csv")],
        "dedupe review approve": [str(first.id), "--by", "li"],
        "dedupe review reject": [str(second.id), "--by", "li"],
        "dedupe review show": [str(first.id)],
        "dedupe review unmerge": [str(first.left_id), "--by", "li"],
        "people leave": ["li"],
        "route contacted": [str(lead_id)],
        "route stage": [str(lead_id), "contacted"],
        "quarantine show": [str(quarantined)],
        "route explain": [str(lead_id)],
    }


def _times(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _times(value)
    elif isinstance(data, list):
        for value in data:
            yield from _times(value)
    elif isinstance(data, str) and ISO_TIME.match(data):
        yield data


def test_every_json_output_parses(hub: dict[str, Any]) -> None:
    from datetime import datetime

    parsed = []
    for path in JSON_COMMANDS:
        if path in PARSED_ELSEWHERE:
            continue
        result = runner.invoke(app, [*path.split(), *hub.get(path, []), "--json"])
        wanted = 1 if path == "contract import" else 0  # its one row is refused: exit 1, still JSON
        assert result.exit_code == wanted, (path, result.output)
        assert "\x1b" not in result.stdout, path  # no colour, no markup
        document = json.loads(result.stdout)
        assert document or document == [], path
        for moment in _times(document):
            assert datetime.fromisoformat(moment.replace("Z", "+00:00")).utcoffset() == timedelta(0), (
                path,
                moment,
            )
        parsed.append(path)
    assert len(parsed) >= 30, parsed


def _no_expected_interval(store: Engine) -> None:
    with session_scope(store) as s:
        for source in s.scalars(select(Source)):
            source.expected_interval_s = None


def test_status_check_is_ok_on_a_healthy_hub(hub: dict[str, Any], store: Engine) -> None:
    _no_expected_interval(store)  # the quarantined record waiting is within the default --max-backlog
    result = runner.invoke(app, ["status", "--check"])
    assert (result.exit_code, result.stdout.strip()) == (0, "ok"), result.output
    as_json = runner.invoke(app, ["status", "--check", "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == {"ok": True, "problems": []}


def test_status_check_names_each_problem(hub: dict[str, Any], store: Engine) -> None:
    with session_scope(store) as s:
        s.add(Source(name="expo-feed", kind="webform", expected_interval_s=900,
                     last_delivery_at=utcnow() - timedelta(hours=3)))  # fmt: skip
        s.add(OutboxMessage(topic="erp.receivable.push", business_key="kingdee:HT-9#1", aggregate_type="x",
                            aggregate_id=1, status="dead", last_error="refused"))  # fmt: skip
    result = runner.invoke(app, ["status", "--check", "--max-backlog", "0"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("source expo-feed is stale: nothing new for 3.0 h") for line in lines), lines
    assert "1 dead letter(s) in the outbox: synchub outbox list --status dead" in lines
    assert "backlog quarantine_open is 1, over --max-backlog 0" in lines
    assert not any("audit ledger" in line for line in lines)
    document = json.loads(runner.invoke(app, ["status", "--check", "--json"]).stdout)
    assert document["ok"] is False and len(document["problems"]) >= 2


def test_status_check_finds_a_broken_chain(hub: dict[str, Any], store: Engine) -> None:
    _no_expected_interval(store)
    tamper(store, lambda conn: conn.execute(text("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")))
    result = runner.invoke(app, ["status", "--check"])
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        "audit ledger not intact after 1 good entries: seq 2: hash does not match the entry's contents"
    )


def test_exit_codes_zero_one_two(hub: dict[str, Any]) -> None:
    assert runner.invoke(app, ["quarantine", "list"]).exit_code == 0
    missing = runner.invoke(app, ["quarantine", "show", "999"])  # a domain error: found wrong
    assert missing.exit_code == 1 and missing.stderr.strip() == "error: no quarantined record 999"
    assert runner.invoke(app, ["quarantine", "show", "abc"]).exit_code == 2  # usage: not a number
    assert runner.invoke(app, ["quarantine", "list", "--bogus"]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2
    assert "Exit codes: 0 fine; 1 something found wrong" in " ".join(
        runner.invoke(app, ["--help"]).output.split()
    )


def test_version_is_the_installed_distributions() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout.strip()) == (0, f"synchub {version('synchub')}")


@pytest.fixture
def bare_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """No root handler but the run's: a Prefect import earlier in the session may have left its console
    handler there, bound to a stream a test runner has closed since."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [])


def test_json_logs_are_one_object_a_line_and_masked(
    capsys: pytest.CaptureFixture[str], bare_root: None
) -> None:
    configure_logging(LogLevel.INFO, LogFormat.json)
    try:
        logging.getLogger("any.library").info("called %s back", "13812345678")
        logging.getLogger("synchub.test").debug("not at INFO")
        logging.getLogger("synchub.test").warning("done", extra={"leads": 2})
    finally:
        reset_logging()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(r["level"], r["logger"], r["message"]) for r in lines] == [
        ("INFO", "any.library", "called 138****5678 back"),
        ("WARNING", "synchub.test", "done"),
    ]
    assert lines[1]["leads"] == 2 and all(r["time"].endswith("+00:00") for r in lines)


def test_log_options_on_a_command(hub: dict[str, Any], bare_root: None) -> None:
    result = runner.invoke(app, ["--log-level", "DEBUG", "--log-format", "json", "status", "--json"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # stdout stays the result alone
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert not any(type(h).__name__ == "_StderrHandler" for h in logging.getLogger().handlers)  # removed
    assert runner.invoke(app, ["--log-level", "LOUD", "status"]).exit_code == 2


def test_progress_only_on_a_terminal() -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    with progress_bar("verifying", 10, console=terminal) as advance:
        assert advance is not None
        advance(10)
    assert "verifying" in screen.getvalue()
    with progress_bar("verifying", 10, console=Console(file=io.StringIO(), force_terminal=False)) as quiet:
        assert quiet is None
    with progress_bar("verifying", 10, hidden=True, console=terminal) as hidden:
        assert hidden is None


def _invoke_users(*args: str, stdin: str) -> Result:
    return runner.invoke(app, ["users", *args], input=stdin)


def test_users_add_reads_the_password_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.web.settings import WebSettings
    from hub.web.users import UserStore, verify_password

    monkeypatch.setenv("SYNCHUB_WEB_USERS_FILE", str(tmp_path / "users.toml"))
    added = _invoke_users("add", "zhang", "--role", "auditor", "--password-stdin", stdin="correct horse 9\n")
    assert added.exit_code == 0, added.output
    user = UserStore(WebSettings().users_file).get("zhang")
    assert user is not None and verify_password("correct horse 9", user.password_hash)
    empty = _invoke_users("add", "li", "--role", "auditor", "--password-stdin", stdin="\n")
    assert empty.exit_code == 1 and "no password on stdin" in empty.stderr
    assert UserStore(WebSettings().users_file).get("li") is None
    listed = json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)
    assert listed == [{"name": "zhang", "display_name": "", "roles": ["auditor"], "disabled": False}]
