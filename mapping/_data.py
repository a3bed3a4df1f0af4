"""Loading the package's own data files (the only I/O ``mapping`` does) and tenants' override files."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from core.errors import ConfigError

__all__ = ["load_packaged_toml", "load_toml_file"]


@lru_cache(maxsize=32)
def load_packaged_toml(folder: str, name: str) -> dict[str, Any]:
    """``mapping/<folder>/<name>``, parsed. Cached: packaged files do not change while we run."""
    resource = resources.files("mapping").joinpath(folder).joinpath(name)
    if not resource.is_file():
        raise ConfigError(f"mapping has no packaged file {folder}/{name}")
    try:
        return tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # a packaging bug, but say where
        raise ConfigError(f"mapping/{folder}/{name} is not valid TOML: {exc}") from exc


def load_toml_file(path: Path) -> dict[str, Any]:
    """A tenant's override file; a missing or broken file is a :class:`ConfigError` naming it."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
