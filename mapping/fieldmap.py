"""Mapping a vendor payload or a spreadsheet row to a :class:`CanonicalLead` by a declarative map.

Packaged maps live in ``mapping/fieldmaps/<source_kind>.toml`` (ocean_engine, tencent_ads, baidu,
web_form, excel); a tenant passes ``override`` (a TOML file of the same shape) to change some
entries. The file format is described in ``mapping/_spec.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core.errors import ConfigError, MappingError
from mapping._assemble import Findings, assemble
from mapping._data import load_packaged_toml, load_toml_file
from mapping._spec import FieldMap, FieldSpec, build_field_map
from mapping._text import to_text
from mapping.canonical import CanonicalLead
from mapping.products import load_product_catalog

__all__ = [
    "SOURCE_KINDS",
    "FieldMap",
    "Findings",
    "load_field_map",
    "map_excel_row",
    "map_lead",
    "read_excel_row",
]

SOURCE_KINDS = ("ocean_engine", "tencent_ads", "baidu", "web_form", "excel")


def load_field_map(
    source_kind: str, override: Path | None = None, *, products: Path | None = None
) -> FieldMap:
    """The packaged field map for ``source_kind``, with a tenant's ``override`` file laid over it.

    Product keywords come from ``products`` if given, else from ``products_file`` in the override
    (relative to the override file), else from the packaged catalog.
    """
    if source_kind not in SOURCE_KINDS:
        raise ConfigError(f"unknown source kind {source_kind!r}; known: {', '.join(SOURCE_KINDS)}")
    packaged = load_packaged_toml("fieldmaps", f"{source_kind}.toml")
    extra: dict[str, Any] = load_toml_file(override) if override is not None else {}
    if products is None and isinstance(extra.get("products_file"), str):
        products = (override.parent if override else Path.cwd()) / extra["products_file"]
    origin = (
        f"{override} (over the packaged {source_kind} map)" if override else f"packaged {source_kind} map"
    )
    return build_field_map(packaged, extra, load_product_catalog(products), origin)


def _value(spec: FieldSpec, payload: Mapping[str, Any]) -> Any:
    values = [
        spec_value for path in spec.paths if (spec_value := path.resolve(payload)) not in (None, "", [])
    ]
    if spec.combine == "all":
        texts = [t for t in (to_text(v) for v in values) if t]
        return " | ".join(dict.fromkeys(texts)) if texts else spec.default
    for value in values:
        if not isinstance(value, str) or value.strip():
            return value
    return spec.default


def map_lead(field_map: FieldMap, payload: Mapping[str, Any]) -> CanonicalLead:
    """Map one vendor payload; :class:`MappingError` (the quarantine reason) if it cannot be mapped."""
    if not isinstance(payload, Mapping):
        raise MappingError(f"payload must be a JSON object, not {type(payload).__name__}")
    if not field_map.fields:
        raise ConfigError(f"{field_map.origin} has no [fields]: use map_excel_row for spreadsheet rows")
    raw = {target: _value(spec, payload) for target, spec in field_map.fields.items()}
    return assemble(raw, None, field_map.products, field_map.sources)[0]


def map_excel_row(field_map: FieldMap, row_values: Mapping[str, str], external_id: str) -> CanonicalLead:
    """Map one spreadsheet row (header -> cell text); ``external_id`` is the caller's (file hash + line).

    Headers are matched after folding widths and dropping marks ("*手机号：" is 手机号); when several
    columns feed one field the alias listed first wins, except ``remark``, which joins them all. A
    unit in the header ("预算(万元)") applies to every amount in that column written without its own
    unit: "50", "50-100", "20以内" alike.
    """
    return read_excel_row(field_map, row_values, external_id)[0]


def read_excel_row(
    field_map: FieldMap, row_values: Mapping[str, str], external_id: str
) -> tuple[CanonicalLead, Findings]:
    """:func:`map_excel_row`, and what the row kept in the remark instead of using (for a summary)."""
    if not field_map.columns:
        raise ConfigError(f"{field_map.origin} has no [columns]: use map_lead for vendor payloads")
    best: dict[str, tuple[int, str, str, str | None]] = {}  # target -> (rank, header, text, unit)
    remarks: list[str] = []
    for header, cell in row_values.items():
        hit = field_map.column_target(header)
        text = to_text(cell)
        if hit is None or not text:
            continue
        target, rank, unit = hit
        if target == "remark":
            remarks.append(text)
        elif target not in best or rank < best[target][0]:
            best[target] = (rank, header, text, unit)
    raw: dict[str, Any] = {target: text for target, (_, _, text, _) in best.items()}
    if remarks:
        raw["remark"] = " | ".join(remarks)
    sources = {target: f"column {header!r}" for target, (_, header, _, _) in best.items()}
    unit = best["budget"][3] if "budget" in best else None
    return assemble(raw, external_id, field_map.products, sources, budget_unit=unit)
