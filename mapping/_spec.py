"""Field maps as data: which payload path (or spreadsheet column) feeds which canonical field.

A field map file (``mapping/fieldmaps/<source_kind>.toml``, or a tenant's override) has::

    source_kind = "baidu"
    [fields]                      # target = path | [path, ...] | {path|paths, combine, default}
    external_id = "clueId"
    company = "formDetail[name=公司名称].value"
    channel = { default = "百度" }
    products = { paths = ["formDetail[name=意向产品].value", "keyword"], combine = "all" }
    [columns]                     # spreadsheets: target = [header, ...], first listed wins
    phone = ["手机", "电话"]
    products_file = "products.toml"  # optional, top level: replaces the product keywords

A list of paths means "the first that has a value"; ``combine = "all"`` joins every value instead.
An override replaces the packaged entry for each target it names; ``""`` removes a target.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import ConfigError
from mapping._paths import PayloadPath, parse_path
from mapping._text import fold
from mapping.budget import unit_of
from mapping.products import ProductCatalog

__all__ = ["TARGETS", "FieldMap", "FieldSpec", "build_field_map", "normalise_header"]

TARGETS = frozenset(
    {
        "external_id", "contact_name", "contact_title", "phone", "email", "company", "uscc", "address",
        "region", "province_hint", "city_hint", "budget", "products", "channel", "campaign", "remark",
        "submitted_at",
    }
)  # fmt: skip
_HEADER_NOISE = re.compile(r"[\s*:：]|\((?:必填|选填|可选|required|optional)\)", re.IGNORECASE)
_UNIT = r"(?:百万|千万|万|千|亿)?元|百万|千万|万|千|亿|w|k|m"
_HEADER_UNIT = re.compile(rf"(?:[(\[【](?:单位)?({_UNIT})[)\]】]|/({_UNIT}))$", re.IGNORECASE)


@dataclass(frozen=True)
class FieldSpec:
    paths: tuple[PayloadPath, ...]
    combine: str = "first"  # first | all
    default: str | None = None

    def describe(self) -> str:
        return " or ".join(p.text for p in self.paths) or "(constant)"


@dataclass(frozen=True)
class FieldMap:
    source_kind: str
    fields: Mapping[str, FieldSpec]
    columns: Mapping[str, tuple[str, ...]]
    products: ProductCatalog
    origin: str = "packaged"
    _headers: dict[str, tuple[str, int]] = field(default_factory=dict, repr=False, compare=False)
    _resolved: dict[str, tuple[str, int, str | None] | None] = field(
        default_factory=dict, repr=False, compare=False
    )
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Target -> where its value comes from, for quarantine reasons (built once, not per record)."""

    def __post_init__(self) -> None:
        self.sources.update({target: spec.describe() for target, spec in self.fields.items()})
        for target, aliases in self.columns.items():
            for rank, alias in enumerate(aliases):
                self._headers.setdefault(normalise_header(alias)[0], (target, rank))

    def column_target(self, header: str) -> tuple[str, int, str | None] | None:
        """(target, rank of the alias, unit written in the header) for a spreadsheet header."""
        try:
            return self._resolved[header]  # every row of a file repeats the same headers
        except KeyError:
            pass
        key, unit = normalise_header(header)
        hit = self._headers.get(key)
        resolved = (hit[0], hit[1], unit) if hit else None
        if len(self._resolved) < 10_000:
            self._resolved[header] = resolved
        return resolved

    def header_names(self) -> frozenset[str]:
        """Every header this map recognises, normalised: for spotting the header row of a sheet."""
        return frozenset(self._headers)


def normalise_header(header: str) -> tuple[str, str | None]:
    """``" *预算（万元）："`` -> ``("预算", "万")``: folded, trimmed, marks dropped, unit split off.

    The unit is a key of :data:`mapping.budget.UNITS` ("预算(W)", "预算/万元", "预算(单位:百万)"); a
    header in plain yuan ("预算(元)") has none."""
    text = _HEADER_NOISE.sub("", fold(header)).casefold()
    unit_match = _HEADER_UNIT.search(text)
    if unit_match is None:
        return text, None
    return text[: unit_match.start()], unit_of(unit_match.group(1) or unit_match.group(2))


def _spec(source: str, target: str, raw: Any) -> FieldSpec | None:
    where = f"{source}: fields.{target}"
    if raw == "" or raw is False:
        return None
    if isinstance(raw, str):
        return FieldSpec((parse_path(raw),))
    if isinstance(raw, list) and raw and all(isinstance(p, str) for p in raw):
        return FieldSpec(tuple(parse_path(p) for p in raw))
    if isinstance(raw, dict):
        unknown = set(raw) - {"path", "paths", "combine", "default"}
        if unknown:
            raise ConfigError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
        paths = [raw["path"]] if "path" in raw else list(raw.get("paths", []))
        combine, default = raw.get("combine", "first"), raw.get("default")
        if combine not in ("first", "all"):
            raise ConfigError(f"{where}: combine must be 'first' or 'all', not {combine!r}")
        if default is not None and not isinstance(default, str):
            raise ConfigError(f"{where}: default must be text")
        if not paths and default is None:
            raise ConfigError(f"{where} needs a path, paths or a default")
        if not all(isinstance(p, str) for p in paths):
            raise ConfigError(f"{where}: paths must be text")
        return FieldSpec(tuple(parse_path(p) for p in paths), combine, default)
    raise ConfigError(f"{where} must be a path, a list of paths or a table, not {type(raw).__name__}")


def _merge(base: dict[str, Any], override: dict[str, Any], table: str) -> dict[str, Any]:
    merged = dict(base.get(table, {}))
    merged.update(override.get(table, {}))
    return merged


def build_field_map(
    packaged: dict[str, Any], override: dict[str, Any], products: ProductCatalog, origin: str
) -> FieldMap:
    """The packaged map with ``override``'s entries laid over it, validated."""
    source_kind = str(override.get("source_kind") or packaged.get("source_kind") or "")
    fields_raw, columns_raw = _merge(packaged, override, "fields"), _merge(packaged, override, "columns")
    for target in (*fields_raw, *columns_raw):
        if target not in TARGETS:
            raise ConfigError(f"{origin}: unknown target {target!r}; known: {', '.join(sorted(TARGETS))}")
    fields: dict[str, FieldSpec] = {}
    for target, raw in fields_raw.items():
        spec = _spec(origin, target, raw)
        if spec is not None:
            fields[target] = spec
    columns: dict[str, tuple[str, ...]] = {}
    for target, aliases in columns_raw.items():
        names = [aliases] if isinstance(aliases, str) else aliases
        if not isinstance(names, list) or not all(isinstance(a, str) for a in names):
            raise ConfigError(f"{origin}: columns.{target} must be a header name or a list of them")
        if names and names != [""]:
            columns[target] = tuple(names)
    if not fields and not columns:
        raise ConfigError(f"{origin}: the field map maps nothing")
    return FieldMap(source_kind, fields, columns, products, origin)
