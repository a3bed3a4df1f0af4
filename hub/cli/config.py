"""``synchub config show``: every setting in force, where it came from, secrets masked.

The settings classes are found, not listed: every module of the hub's packages that declares a class
deriving from a ``...Settings`` class is imported, and each settings class it defines is shown
(:func:`settings_classes`), except bases that other settings classes extend (``ConnectorSettings``).
A setting's origin is the first of the class's own sources (``settings_customise_sources``, the order
the class really reads them in) that holds it: the environment, a Prefect Secret block, the settings
file (``synchub.toml``), else its default.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from pydantic import BaseModel, SecretStr, ValidationError
from pydantic_settings import BaseSettings, EnvSettingsSource, InitSettingsSource, PydanticBaseSettingsSource
from rich.table import Table
from rich.text import Text

from connectors.redaction import MASK, redact_url
from core.config_file import ConfigFileSource, config_path, read_config, table_name
from core.secret_blocks import PrefectSecretBlocks
from hub.cli.common import console, err_console, friendly_errors, settings_error_line
from hub.cli.output import EXIT_CODES, EXIT_FOUND_WRONG, JSON_OPTION, json_text, print_json

__all__ = ["Setting", "config_app", "gather", "settings_classes"]

config_app = typer.Typer(help="The settings in force.", no_args_is_help=True)

PACKAGES = ("core", "store", "audit", "mapping", "connectors", "dedupe", "services", "flows", "hub")
_DECLARES = re.compile(r"^class \w+\([\w.]*Settings\b", re.M)
ENVIRONMENT, BLOCK, FILE, DEFAULT = "environment", "prefect block", "synchub.toml", "default"


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    table: str  # the table of the settings file ("" for the top level)
    key: str  # the key in that table
    value: Any  # masked, JSON-ready
    source: str  # environment, prefect block, synchub.toml or default
    cls: str  # module.Class


def _modules() -> Iterator[str]:
    """Names of the modules that declare a settings class (found by reading the source, cheaply)."""
    for top in PACKAGES:
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, f"{top}.", onerror=lambda _: None):
            spec = importlib.util.find_spec(info.name)
            origin = spec.origin if spec is not None else None
            if origin and origin.endswith(".py") and _DECLARES.search(Path(origin).read_text("utf-8")):
                yield info.name


def settings_classes() -> list[type[BaseSettings]]:
    """Every settings class the hub reads, sorted by environment prefix."""
    found: list[type[BaseSettings]] = []
    for name in _modules():
        module = importlib.import_module(name)
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, BaseSettings) and value.__module__ == name
        ]
    bases = {base for cls in found for base in cls.__mro__[1:]}
    shown = [cls for cls in found if cls not in bases and cls.model_fields]
    return sorted(shown, key=lambda c: (str(c.model_config.get("env_prefix", "")), c.__name__))


def _label(source: PydanticBaseSettingsSource) -> str | None:
    if isinstance(source, EnvSettingsSource):
        return ENVIRONMENT
    if isinstance(source, PrefectSecretBlocks):
        return BLOCK
    if isinstance(source, ConfigFileSource):
        return FILE
    return None  # init arguments (none here), or a source this command does not know


def origins(cls: type[BaseSettings]) -> dict[str, str]:
    """Field name -> where its value comes from, in the class's own order of sources."""
    sources = cls.settings_customise_sources(
        cls,
        init_settings=InitSettingsSource(cls, {}),
        env_settings=EnvSettingsSource(cls),
        dotenv_settings=InitSettingsSource(cls, {}),
        file_secret_settings=InitSettingsSource(cls, {}),
    )
    found: dict[str, str] = {}
    for source in sources:
        label = _label(source)
        if label is not None:
            for name in source():
                found.setdefault(name, label)
    return found


def shown(value: Any) -> Any:
    """A value as JSON-ready data, secrets masked: ``SecretStr`` (also inside mappings, lists and nested
    models) and the password or secret query values of a URL."""
    if isinstance(value, SecretStr):
        return MASK
    if isinstance(value, BaseModel):
        return {k: shown(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, dict):
        return {str(k): shown(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [shown(v) for v in value]
    if isinstance(value, str) and "://" in value and urlsplit(value).password is not None:
        return redact_url(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _settings_of(cls: type[BaseSettings]) -> list[Setting]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    instance, source_of = cls(), origins(cls)
    where = f"{cls.__module__}.{cls.__name__}"
    return [
        Setting(
            f"{prefix}{name}".upper(),
            table_name(prefix),
            name,
            shown(getattr(instance, name)),
            source_of.get(name, DEFAULT),
            where,
        )
        for name in cls.model_fields
    ]


def _unknown_keys(classes: list[type[BaseSettings]], path: Path) -> list[str]:
    """Keys and tables of the settings file that no setting reads (a typo is otherwise ignored)."""
    by_table = {table_name(str(c.model_config.get("env_prefix", ""))): c for c in classes}
    top = by_table.get("")
    unknown: list[str] = []
    for key, value in read_config(path).items():
        if top is not None and key in top.model_fields:
            continue
        if not isinstance(value, dict):
            unknown.append(key)
        elif key not in by_table:
            unknown.append(f"[{key}] (no settings class reads this table)")
        else:
            unknown += [f"[{key}] {name}" for name in value if name not in by_table[key].model_fields]
    return unknown


def gather() -> tuple[list[Setting], list[str]]:
    """Every setting in force, and the problems found (invalid settings, unknown keys in the file)."""
    classes, rows, problems = settings_classes(), [], []
    for cls in classes:
        try:
            rows += _settings_of(cls)
        except ValidationError as exc:
            problems.append(settings_error_line(exc) or str(exc))
    problems += [f"{config_path()}: unknown key {key}" for key in _unknown_keys(classes, config_path())]
    return rows, problems


def _text(value: Any) -> str:
    if value is None:
        return "(unset)"
    if value == "":
        return '""'
    return value if isinstance(value, str) else json_text(value)


@config_app.command("show", help=f"Every setting in force, where it came from, secrets masked. {EXIT_CODES}")
@friendly_errors
def show(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    rows, problems = gather()
    path = config_path()
    if as_json:
        print_json(
            {
                "file": str(path.resolve()),
                "file_exists": path.is_file(),
                "settings": [
                    {
                        "name": r.name,
                        "value": r.value,
                        "source": r.source,
                        "table": r.table,
                        "key": r.key,
                        "class": r.cls,
                    }
                    for r in rows
                ],
                "problems": problems,
            }
        )
    else:
        state = "" if path.is_file() else " (not found: defaults and environment only)"
        console.print(f"settings file: {path.resolve()}{state}", highlight=False, markup=False)
        for where in dict.fromkeys(r.cls for r in rows):
            group = [r for r in rows if r.cls == where]
            title = f"[{group[0].table}] {where}" if group[0].table else f"(top level) {where}"
            table = Table("setting", "value", "from", title=Text(title), title_justify="left")
            table.columns[0].no_wrap = True
            table.columns[1].overflow = "fold"
            for row in group:
                table.add_row(row.name, _text(row.value), row.source)
            console.print(table, markup=False, highlight=False)
        for problem in problems:
            err_console.print(f"problem: {problem}", markup=False, highlight=False)
    if problems:
        raise typer.Exit(EXIT_FOUND_WRONG)
