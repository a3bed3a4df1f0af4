"""The import summary names every column it used and every one it did not (issue 20), on a 20-row
spreadsheet of ordinary messy leads: a title row, a 登记日期 column, budgets in 万元 written as ranges
and bounds, product words the vocabulary does and does not know, columns nobody maps."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.models import Lead, RawRecord
from core.settings import get_settings
from hub.cli.main import app
from services.intake.imports import import_leads

HEADER = ["序号", "登记日期", "客户名称", "联系人", "手机", "所在地区", "意向产品", "预算(万元)", "业务员",
          "回访时间", "备注"]  # fmt: skip
# 序号, 登记日期, 客户名称, 联系人, 手机, 所在地区, 意向产品, 预算(万元), 业务员, 回访时间, 备注
ROWS: list[list[object]] = [
    [1, datetime(2026, 11, 3), "杭州智联医疗器械有限公司", "王伟", "13812345678", "浙江 杭州", "骨科耗材", "50-100", "张三", "11月10日", ""],
    [2, "2026/11/3", "南京鼓楼仁和医疗设备有限公司", "李娜(采购部)", "139 1234 5678", "江苏南京", "康复器械", "30~50", "张三", "", "要报价单"],
    [3, "2026-11-04 09:30", "苏州康达医疗科技有限公司", "赵敏", "0512-6688 1234", "江苏 苏州", "IVD试剂", "20以内", "李四", "", ""],
    [4, "2026年11月5日", "上海瑞金康复中心", "钱总", "13700001111", "上海", "康复设备、医用冰箱", "50", "李四", "", "展位A12"],
    [5, "2026.11.6", "宁波明州医院", "孙主任", "+86 136 0000 2222", "浙江宁波", "影像设备", "100以上", "王五", "", ""],
    [6, datetime(2026, 11, 6, 14, 5), "温州康宁医疗器械有限公司", "周经理", "13500003333", "浙江温州", "手术器械", "面议", "王五", "", ""],
    [7, "2026-11-07", "合肥安康医疗", "吴伟", "13300004444", "安徽合肥", "骨科耗材,手术器械", "不超过80", "张三", "", ""],
    [8, "2026-11-07", "", "郑", "", "", "", "", "", "", "只留了名字"],  # nobody to reach: rejected
    [9, "上周", "无锡惠康医疗", "冯女士", "18900005555", "江苏无锡", "医用冰箱", "很多", "李四", "", ""],
    [10, "2026-11-08", "常州德仁医疗器械", "陈工", "0519-8888 6666", "江苏常州", "化学发光", "80万", "李四", "", ""],
    [11, "2026-11-08", "扬州康泰医疗", "褚先生", "15800006666", "江苏扬州", "彩超", "", "王五", "", ""],
    [12, "2026-11-09", "嘉兴禾康医疗", "卫总", "15900007777", "浙江嘉兴", "骨科", "50万以下", "王五", "", ""],
    [13, "2026-11-09", "绍兴越康医疗", "蒋", "", "浙江绍兴", "监护仪", "1.5", "张三", "", "只有公司名"],
    [14, "2026-11-10", "湖州安吉医疗", "沈主任", "13600008888", "浙江湖州", "轮椅", "50到100", "张三", "", ""],
    [15, "2026-11-10", "金华婺城医院", "韩", "13912340000", "浙江金华", "耗材", "5000元", "李四", "", ""],
    [16, "2026-11-11", "台州椒江医疗", "杨", "13812340001", "浙江台州", "内镜", "100万以上", "李四", "", ""],
    [17, "2026-11-11", "", "朱", "12345", "", "", "", "", "", ""],  # a phone that is not one: rejected
    [18, "2026-11-12", "丽水莲都医疗", "秦", "13812340002", "浙江丽水", "牙科设备", "20-30", "王五", "", ""],
    [19, "2026-11-12", "衢州柯城医疗", "尤", "13812340003", "浙江衢州", "", "30", "王五", "", ""],
    [20, "2026-11-13", "舟山定海医院", "许", "13812340004", "浙江舟山", "器械", "50至100", "张三", "", ""],
]  # fmt: skip
BEIJING_MIDNIGHT = 16  # UTC hour of 00:00 Beijing time, the day before


def messy_leads_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026 华东医疗器械展 意向客户登记表"])  # line 1: a title
    sheet.append([])  # line 2
    sheet.append(HEADER)  # line 3
    for row in ROWS:  # lines 4-23
        sheet.append(row)
    book.save(path)
    return path


def _leads(store: Engine) -> dict[int, Lead]:
    """Landed leads by their spreadsheet line."""
    with Session(store) as session:
        leads = session.scalars(select(Lead)).all()
    return {int(lead.external_id.rsplit(":", 1)[1]): lead for lead in leads}


def test_the_summary_names_used_and_unused_columns_and_counts_what_was_kept(
    store: Engine, tmp_path: Path
) -> None:
    report = import_leads(store, messy_leads_xlsx(tmp_path / "expo.xlsx"), "expo-east")
    assert (report.rows, report.landing.landed) == (20, 18)
    assert [line for line, _ in report.rejected] == [11, 20]
    assert report.used_columns == {
        "登记日期": "submitted_at", "客户名称": "company", "联系人": "contact_name", "手机": "phone",
        "所在地区": "region", "意向产品": "products", "预算(万元)": "budget", "备注": "remark",
    }  # fmt: skip
    assert report.unused_columns == ["序号", "业务员", "回访时间"]
    assert dict(report.unread) == {"submitted_at": 1, "budget": 1}
    assert dict(report.unknown_products) == {"医用冰箱": 2}
    lines = report.summary_lines()
    assert "登记日期 → submitted_at" in lines[0] and "预算(万元) → budget" in lines[0]
    assert lines[1] == "columns not used (kept in each row's raw payload): 序号, 业务员, 回访时间"
    assert lines[2] == "values not readable (kept in the lead's remark): budget 1, submitted_at 1"
    assert lines[3] == "product words not in the vocabulary (kept in the remark): 医用冰箱 ×2"


def test_the_registration_date_lands_as_submitted_at(store: Engine, tmp_path: Path) -> None:
    import_leads(store, messy_leads_xlsx(tmp_path / "expo.xlsx"), "expo-east")
    leads = _leads(store)
    with_time = {line for line, lead in leads.items() if lead.submitted_at is not None}
    assert with_time == set(leads) - {12}  # every row but "上周"
    assert "提交时间(无法识别): 上周" in (leads[12].remark or "")

    def utc(line: int) -> datetime:
        moment = leads[line].submitted_at
        assert moment is not None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    assert utc(4) == datetime(2026, 11, 2, BEIJING_MIDNIGHT, tzinfo=UTC)  # an Excel date cell
    assert utc(5) == datetime(2026, 11, 2, BEIJING_MIDNIGHT, tzinfo=UTC)  # "2026/11/3"
    assert utc(6) == datetime(2026, 11, 4, 1, 30, tzinfo=UTC)  # "2026-11-04 09:30" Beijing
    assert utc(8) == datetime(2026, 11, 5, BEIJING_MIDNIGHT, tzinfo=UTC)  # "2026.11.6"
    assert utc(9) == datetime(2026, 11, 6, 6, 5, tzinfo=UTC)  # an Excel date-time cell


def test_budgets_in_wan_and_products_by_the_vocabulary(store: Engine, tmp_path: Path) -> None:
    import_leads(store, messy_leads_xlsx(tmp_path / "expo.xlsx"), "expo-east")
    leads = _leads(store)
    budgets = {line: (lead.budget_min, lead.budget_max) for line, lead in leads.items()}
    w = Decimal(10_000)
    assert budgets[4] == (50 * w, 100 * w)  # "50-100"
    assert budgets[5] == (30 * w, 50 * w)  # "30~50"
    assert budgets[6] == (Decimal(0), 20 * w)  # "20以内"
    assert budgets[7] == (50 * w, 50 * w)
    assert budgets[8] == (100 * w, None)  # "100以上"
    assert budgets[9] == (None, None)  # 面议
    assert budgets[10] == (Decimal(0), 80 * w)  # "不超过80"
    assert budgets[12] == (None, None) and "预算(无法识别): 很多" in (leads[12].remark or "")
    assert budgets[16] == (Decimal(15_000), Decimal(15_000))  # "1.5"
    assert budgets[17] == (50 * w, 100 * w)  # "50到100"
    assert budgets[18] == (Decimal(5_000), Decimal(5_000))  # "5000元": the cell's unit wins
    assert budgets[23] == (50 * w, 100 * w)  # "50至100"
    assert leads[5].products == ["rehab_equipment"]  # 康复器械, not surgical_instruments
    assert leads[7].products == ["rehab_equipment"]
    assert "意向产品(未识别): 医用冰箱" in (leads[7].remark or "")
    assert leads[10].products == ["ortho_consumables", "surgical_instruments"]


def test_unused_columns_stay_in_the_raw_payload(store: Engine, tmp_path: Path) -> None:
    import_leads(store, messy_leads_xlsx(tmp_path / "expo.xlsx"), "expo-east")
    with store.connect() as conn:
        payloads = [p for (p,) in conn.execute(select(RawRecord.payload))]
    first = next(p for p in payloads if p["line"] == 4)
    assert first["row"]["回访时间"] == "11月10日" and first["row"]["业务员"] == "张三"
    assert first["row"]["序号"] == "1"


def test_a_child_reader_gives_the_same_summary(store: Engine, tmp_path: Path) -> None:
    path = messy_leads_xlsx(tmp_path / "expo.xlsx")
    report = import_leads(store, path, "expo-east", in_child=True)
    assert report.unused_columns == ["序号", "业务员", "回访时间"]
    assert report.used_columns["登记日期"] == "submitted_at"
    assert (dict(report.unread), dict(report.unknown_products)) == (
        {"submitted_at": 1, "budget": 1},
        {"医用冰箱": 2},
    )


def test_cells_past_the_header_are_named_as_unused_columns(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("公司名称,手机\n杭州智联,13812345678,VIP客户\n苏州康达,13912345678\n", encoding="utf-8")
    report = import_leads(store, path, "crm")
    assert report.used_columns == {"公司名称": "company", "手机": "phone"}
    assert report.unused_columns == ["column 3"]


def test_the_cli_prints_the_summary(
    store: Engine, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    path = messy_leads_xlsx(tmp_path / "expo.xlsx")
    result = CliRunner().invoke(app, ["import", "leads", str(path), "--source", "expo-east"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "20 rows" in out and "18 landed" in out and "2 rejected" in out
    assert "登记日期 → submitted_at" in out and "预算(万元) → budget" in out
    assert "columns not used (kept in each row's raw payload): 序号, 业务员, 回访时间" in out
    assert "values not readable (kept in the lead's remark): budget 1, submitted_at 1" in out
    assert "product words not in the vocabulary (kept in the remark): 医用冰箱 ×2" in out
