"""The product vocabulary (issue 20): reviewed device categories as data, each word mapped once, read by
whole words; unknown words kept in the remark and reported, never guessed by substring."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from core.errors import ConfigError
from mapping import load_field_map, load_product_catalog, map_lead, read_excel_row
from mapping.products import ProductCatalog, ProductReading

CATALOG = load_product_catalog()
EXCEL = load_field_map("excel")


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("康复器械", ["rehab_equipment"]),  # the case: not surgical_instruments
        ("康复设备", ["rehab_equipment"]),
        ("轮椅", ["rehab_equipment"]),
        ("骨科耗材", ["ortho_consumables"]),
        ("关节、脊柱", ["ortho_consumables"]),
        ("IVD试剂", ["ivd_reagents"]),
        ("ivd", ["ivd_reagents"]),
        ("化学发光", ["ivd_reagents"]),
        ("影像设备", ["imaging_equipment"]),
        ("CT", ["imaging_equipment"]),
        ("彩超", ["imaging_equipment"]),
        ("超声刀", ["surgical_instruments"]),  # a word of its own, not 超声 + 刀
        ("手术器械", ["surgical_instruments"]),
        ("手術器械", ["surgical_instruments"]),  # traditional script
        ("医用耗材", ["medical_consumables"]),
        ("耗材", ["medical_consumables"]),
        ("器械", ["medical_devices"]),
        ("医疗器械", ["medical_devices"]),
        ("监护仪", ["life_support"]),
        ("牙科设备", ["dental_equipment"]),
        ("胃镜", ["endoscopy"]),
        ("骨科手术器械和试剂", ["ortho_consumables", "surgical_instruments", "ivd_reagents"]),
        ("骨科耗材,手术器械", ["ortho_consumables", "surgical_instruments"]),
        ("骨科 手术器械 价格", ["ortho_consumables", "surgical_instruments"]),
        ("想了解IVD试剂", ["ivd_reagents"]),  # fillers say nothing and hide nothing
        ("需要一台CT和两套康复器械", ["imaging_equipment", "rehab_equipment"]),
        ("ivd试剂批发", ["ivd_reagents"]),
        ("其他", []),
    ],
)
def test_words_to_categories(text: str, keys: list[str]) -> None:
    assert CATALOG.read(text) == ProductReading(keys, [])


@pytest.mark.parametrize(
    ("text", "keys", "unknown"),
    [
        ("医用冰箱", [], ["医用冰箱"]),
        ("口腔冰箱", [], ["口腔冰箱"]),  # contains 口腔, but is not 口腔: not guessed
        ("高值耗材", [], ["高值耗材"]),  # could be ortho or vascular: left to a person on purpose
        ("导管", [], ["导管"]),
        ("康复器械、医用冰箱", ["rehab_equipment"], ["医用冰箱"]),
        ("骨科耗材/配套软件/配套软件", ["ortho_consumables"], ["配套软件"]),
    ],
)
def test_unknown_words_are_kept_not_guessed(text: str, keys: list[str], unknown: list[str]) -> None:
    assert CATALOG.read(text) == ProductReading(keys, unknown)


def test_the_packaged_vocabulary_maps_each_word_once() -> None:
    """Read the file as plain TOML, apart from the loader: no word twice, under any key or as a filler."""
    text = resources.files("mapping").joinpath("data", "products.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    words = [w.casefold().replace(" ", "") for ws in data["products"].values() for w in ws]
    words += [w.casefold() for w in data["fillers"]]
    assert len(words) == len(set(words))
    expected = {"ortho_consumables", "ivd_reagents", "surgical_instruments", "rehab_equipment",
                "imaging_equipment", "medical_consumables", "medical_devices"}  # fmt: skip
    assert expected <= CATALOG.keys


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[products]\na = ["CT"]\nb = ["ct"]\n', "'ct' is listed under a and under b"),
        ('[products]\na = ["CT", "CT"]\n', "listed under a and under a"),
        ('fillers = ["CT"]\n[products]\na = ["CT"]\n', "listed under a and under fillers"),
        ('[products]\na = ["CT", ""]\n', "non-empty keywords"),
        ("[products]\na = []\n", "non-empty keywords"),
        ('fillers = "价格"\n[products]\na = ["CT"]\n', "fillers must be a list"),
    ],
)
def test_a_word_mapped_twice_or_empty_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "products.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_product_catalog(path)


def test_a_tenant_file_may_make_a_filler_word_a_product() -> None:
    catalog = ProductCatalog.from_mapping({"sourcing": ["采购"]}, "tenant", ["价格"])
    assert catalog.read("采购价格") == ProductReading(["sourcing"], [])


def test_a_spreadsheet_row_keeps_unknown_words_in_the_remark_and_reports_them() -> None:
    row = {"公司": "南京仁和医疗", "意向产品": "康复器械、医用冰箱", "备注": "展会名片"}
    lead, findings = read_excel_row(EXCEL, row, "f:2")
    assert lead.products == ["rehab_equipment"]
    assert lead.remark == "展会名片 | 意向产品(未识别): 医用冰箱"
    assert findings.unknown_products == ("医用冰箱",)


def test_product_text_read_from_the_remark_is_not_repeated() -> None:
    payload = {"leads_id": 7, "leads_telephone": "13912345678", "bundle": '{"备注": "周三上午方便"}'}
    lead = map_lead(load_field_map("tencent_ads"), payload)
    assert lead.products == [] and lead.remark == "周三上午方便"


def test_routing_weights_name_only_catalog_keys() -> None:
    """services/routing/defaults/rules.toml [product_weights] must stay valid against the catalog."""
    from services.routing.config import DEFAULTS, load_routing

    weights = tomllib.loads((DEFAULTS / "rules.toml").read_text(encoding="utf-8"))["product_weights"]
    assert set(weights) <= CATALOG.keys
    assert load_routing().rules.product_weights  # loads, validated against the catalog
