"""The project's own documents stay true: they stand alone, name every settings class, every make target
they mention exists, and every top-level package has a floor in the import contracts."""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGES = ["core", "store", "audit", "mapping", "connectors", "dedupe", "services", "flows", "hub"]


def _settings_classes() -> set[type[BaseSettings]]:
    found: set[type[BaseSettings]] = set()
    for top in PACKAGES:
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, f"{top}."):
            if not info.name.endswith(".settings") or ".sandbox" in info.name:
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, BaseSettings)
                    and value.__module__ == info.name
                ):
                    found.add(value)
    return found


def test_the_documents_stand_alone() -> None:
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert "../shared" not in text, doc.name
        for target in re.findall(r"\]\(([^)#]+)", text):
            if "://" not in target:
                assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"


def test_operations_names_every_settings_class_and_prefix() -> None:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    classes = _settings_classes()
    assert len(classes) >= 15  # hub, routing, finance, contract API, web and every connector
    for cls in classes:
        prefix = cls.model_config.get("env_prefix")
        assert f"`{cls.__module__}.{cls.__name__}`" in text, cls
        assert f"`{prefix}`" in text or prefix == "SYNCHUB_CONNECTOR_", prefix


def test_every_make_target_in_contributing_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))
    named = set(re.findall(r"`make ([a-z-]+)", (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")))
    assert {"install", "demo", "test", "lint", "lock"} <= named
    assert named <= defined, named - defined


def test_every_package_has_a_floor() -> None:
    linter = PYPROJECT["tool"]["importlinter"]
    layers = next(c for c in linter["contracts"] if c["type"] == "layers")["layers"]
    floors = {name.strip() for layer in layers for name in layer.split("|")}
    assert set(linter["root_packages"]) == floors == set(PACKAGES)
    assert set(PYPROJECT["tool"]["mypy"]["packages"]) == {
        *PACKAGES,
        "evalsets",
    }  # evalsets: checked, not shipped
    included = {p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert included == set(PACKAGES)
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench", "evalsets"}
    assert on_disk == set(PACKAGES), on_disk ^ set(PACKAGES)
