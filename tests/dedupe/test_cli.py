"""``synchub dedupe ...`` (``hub.cli.dedupe.dedupe_app`` as wired into ``synchub``): eval, run, review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from core.models import Customer, MatchCandidate
from hub.cli.main import app
from store.engine import session_scope

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dedupe"
EVAL_KEYS = {"precision", "recall", "f1", "review_pairs", "candidate_pairs", "seconds", "peak_rss_mb"}


def test_eval_prints_one_json_object_with_the_agreed_keys() -> None:
    args = [
        "eval",
        "--records",
        str(FIXTURES / "records.csv"),
        "--truth",
        str(FIXTURES / "truth.csv"),
        "--json",
    ]
    result = CliRunner().invoke(app, ["dedupe", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data.keys() >= EVAL_KEYS
    assert 0.98 <= data["f1"] <= 1.0 and data["candidate_pairs"] > 0 and data["peak_rss_mb"] > 0


def test_eval_accepts_empty_fields_and_a_bom(tmp_path: Path) -> None:
    records = tmp_path / "r.csv"
    records.write_text(
        "\ufeffid,company,contact,phone,email,address,uscc\n"
        "1,杭州智联医疗器械有限公司,王伟,13812345678,,,\n"
        "2,智联医械(杭州)有限公司,,138 1234 5678,,,\n"
        "3,,,,,,\n",
        encoding="utf-8",
    )
    truth = tmp_path / "t.csv"
    truth.write_text("id,entity\n1,a\n2,a\n3,b\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["dedupe", "eval", "--records", str(records), "--truth", str(truth), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["f1"] == 1.0


@pytest.mark.parametrize(
    ("records_text", "truth_text", "message"),
    [
        ("id,company\n1,x\n", "id,entity\n1,a\n", "missing contact,phone,email,address,uscc"),
        (
            "id,company,contact,phone,email,address,uscc\n,x,,,,,\n",
            "id,entity\n1,a\n",
            "line 2 has an empty id",
        ),
        (
            "id,company,contact,phone,email,address,uscc\n1,x,,,,,\n",
            "id,entity\n2,a\n",
            "no entity for 1 record",
        ),
    ],
)
def test_eval_errors_are_one_clear_line(
    tmp_path: Path, records_text: str, truth_text: str, message: str
) -> None:
    (tmp_path / "r.csv").write_text(records_text, encoding="utf-8")
    (tmp_path / "t.csv").write_text(truth_text, encoding="utf-8")
    args = ["eval", "--records", str(tmp_path / "r.csv"), "--truth", str(tmp_path / "t.csv"), "--json"]
    result = CliRunner().invoke(app, ["dedupe", *args])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_names_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["dedupe", "eval", "--records", str(tmp_path / "no.csv"), "--truth", "t.csv"]
    )
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_run_full_then_review_from_the_command_line(
    store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    from core.settings import get_settings

    get_settings.cache_clear()
    with session_scope(store) as session:
        for name, phone, city in [
            ("杭州智联医疗器械有限公司", "+8613812345678", "杭州市"),
            ("智联医械(杭州)有限公司", "+8613812345678", None),
            ("苏州智联医疗器械有限公司", "+8613812345678", "苏州市"),  # same phone, another city
        ]:
            session.add(Customer(name=name, name_norm=name, phone=phone, city=city))
    runner = CliRunner()
    result = runner.invoke(app, ["dedupe", "run", "--full", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["merges_applied"] == 1
    listed = runner.invoke(app, ["dedupe", "review", "list", "--json"])
    candidates = json.loads(listed.stdout)
    assert len(candidates) == 1 and candidates[0]["guard"] == "another city or province"
    shown = runner.invoke(app, ["dedupe", "review", "show", str(candidates[0]["id"])])
    assert shown.exit_code == 0 and "杭州 | 苏州" in shown.stdout and "other_province" in shown.stdout
    rejected = runner.invoke(app, ["dedupe", "review", "reject", str(candidates[0]["id"]), "--by", "li"])
    assert rejected.exit_code == 0, rejected.output
    with session_scope(store) as session:
        candidate = session.get_one(MatchCandidate, candidates[0]["id"])
        assert (candidate.status, candidate.decided_by) == ("rejected", "user:li")
        merged = session.scalars(select(Customer).where(Customer.status == "merged")).one()
    again = runner.invoke(app, ["dedupe", "review", "reject", str(candidates[0]["id"]), "--by", "li"])
    assert again.exit_code == 1 and "already rejected" in again.stderr
    undone = runner.invoke(
        app, ["dedupe", "review", "unmerge", str(merged.id), "--by", "li", "--note", "oops"]
    )
    assert undone.exit_code == 0, undone.output
    missing = runner.invoke(app, ["dedupe", "review", "show", "999"])
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
