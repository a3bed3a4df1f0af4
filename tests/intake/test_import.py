"""`synchub import leads`: good rows land, broken rows are reported with their line numbers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from core.models import Lead
from core.settings import get_settings
from hub.cli.main import app
from services.intake.imports import import_leads


def trade_show_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026 上海医疗器械博览会 客户名单"])  # line 1: a title row
    sheet.append([])  # line 2: blank
    sheet.append(["公司名称", "联系人", "手机", "所在地区", "意向产品", "预算", "备注"])  # line 3
    sheet.append(
        ["杭州智联医疗器械有限公司", "王伟(采购部)", "13812345678", "浙江 杭州", "骨科耗材", "50万", ""]
    )
    sheet.append(["", "无名氏", "", "", "", "", "只留了名字"])  # line 5: nobody to reach
    sheet.append(
        ["苏州康达医疗科技有限公司", "李娜", "0512-6688 1234", "江苏 苏州", "IVD试剂", "≥100万", "展位A12"]
    )
    sheet.append(["", "", "", "", "", "", ""])  # blank, skipped
    sheet.append(["", "赵六", "12345", "", "", "", ""])  # line 8: a phone that is not one
    book.save(path)
    return path


def test_good_rows_land_and_bad_rows_are_reported_with_line_numbers(store: Engine, tmp_path: Path) -> None:
    report = import_leads(store, trade_show_xlsx(tmp_path / "expo.xlsx"), "expo-2026")
    assert report.rows == 4
    assert report.landing.landed == 2
    assert [line for line, _ in report.rejected] == [5, 8]
    assert "no phone, email, company or USCC" in report.rejected[0][1]
    rejects = Path(report.rejects_file or "").read_text(encoding="utf-8-sig")
    assert rejects.splitlines()[0] == "line,reason" and rejects.splitlines()[1].startswith("5,")
    with store.connect() as conn:
        phones = set(conn.execute(select(Lead.phone)).scalars())
    assert phones == {"+8613812345678", "+8651266881234"}


def test_importing_the_same_file_twice_changes_nothing(store: Engine, tmp_path: Path) -> None:
    path = trade_show_xlsx(tmp_path / "expo.xlsx")
    import_leads(store, path, "expo-2026")
    again = import_leads(store, path, "expo-2026")
    assert (again.landing.landed, again.landing.unchanged) == (0, 2)
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Lead)).scalar_one() == 2


def test_gbk_csv_through_the_cli(
    store: Engine, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    csv_path = tmp_path / "export.csv"
    csv_path.write_bytes(
        "客户名称,姓名,电话\n杭州智联医疗器械,王总,138-1234-5678\n,,\n无效公司,,abc\n".encode("gbk")
    )
    result = CliRunner().invoke(app, ["import", "leads", str(csv_path), "--source", "crm-export"])
    assert result.exit_code == 0, result.output
    assert "2 rows" in result.output and "2 landed" in result.output and "0 rejected" in result.output


def _leads(store: Engine) -> list[tuple[str, str | None, str | None]]:
    with store.connect() as conn:
        rows = conn.execute(select(Lead.external_id, Lead.phone, Lead.company).order_by(Lead.external_id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_reading_and_mapping_in_a_child_process_gives_the_same_import(store: Engine, tmp_path: Path) -> None:
    """Large files are read and mapped by a child process while this one lands: same leads, same
    rejects, same line numbers as in one process."""
    from store.engine import make_engine
    from store.migrate import upgrade

    path = trade_show_xlsx(tmp_path / "expo.xlsx")
    alone = make_engine(f"sqlite:///{tmp_path / 'alone.db'}")
    upgrade(alone)
    results = []
    for engine, in_child in ((alone, False), (store, True)):
        report = import_leads(engine, path, "expo-2026", in_child=in_child)
        results.append((report.rows, report.landing.landed, report.rejected, _leads(engine)))
    alone.dispose()
    assert results[0] == results[1]
    assert results[1][1] == 2 and [line for line, _ in results[1][2]] == [5, 8]


def test_a_child_reader_reports_a_bad_file_in_plain_words(store: Engine, tmp_path: Path) -> None:
    from core.errors import InputError

    path = trade_show_xlsx(tmp_path / "expo.xlsx")
    with pytest.raises(InputError, match="no sheet named 'nope'"):
        import_leads(store, path, "expo-2026", sheet="nope", in_child=True)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match=r"broken\.xlsx"):
        import_leads(store, broken, "expo-2026", in_child=True)


def test_an_abandoned_child_reader_is_stopped(tmp_path: Path) -> None:
    from services.intake.child_iter import iterate_in_child

    path = trade_show_xlsx(tmp_path / "expo.xlsx")
    rows = iterate_in_child("services.intake.imports:mapped_rows_of", str(path), "f1", "", "")
    assert next(rows)[0] == 4
    rows.close()  # kills the child; nothing hangs
