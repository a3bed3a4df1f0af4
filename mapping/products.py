"""Product interest from free text, by keywords in a config file.

The packaged ``mapping/data/products.toml`` maps product keys to keywords; a tenant passes its own
file to replace it. Matching is case-insensitive on folded text; where keywords overlap, the longest
one wins and its span is consumed, so "手术器械" is read once, as surgical_instruments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from mapping._data import load_packaged_toml, load_toml_file
from mapping._text import fold, to_simplified

__all__ = ["ProductCatalog", "load_product_catalog", "match_products"]


@dataclass(frozen=True)
class ProductCatalog:
    keywords: tuple[tuple[str, str], ...]  # (folded keyword, product key), longest keyword first

    @classmethod
    def from_mapping(cls, products: dict[str, Any], source: str = "products config") -> ProductCatalog:
        pairs: list[tuple[str, str]] = []
        for key, words in products.items():
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise ConfigError(f"{source}: products.{key} must be a list of non-empty keywords")
            pairs.extend((_fold(w), key) for w in words)
        pairs.sort(key=lambda kw: len(kw[0]), reverse=True)
        return cls(tuple(pairs))

    def match(self, text: str | Iterable[str]) -> list[str]:
        """Product keys found in ``text`` (or several texts), in order of first appearance."""
        haystack = _fold(text if isinstance(text, str) else " / ".join(text))
        found: list[tuple[int, str]] = []
        for word, key in self.keywords:
            start = haystack.find(word)
            while start >= 0:
                found.append((start, key))
                haystack = haystack[:start] + "\0" * len(word) + haystack[start + len(word) :]
                start = haystack.find(word, start + len(word))
        return list(dict.fromkeys(key for _, key in sorted(found)))


def _fold(text: str) -> str:
    return to_simplified(fold(text)).casefold().strip()


def load_product_catalog(path: Path | None = None) -> ProductCatalog:
    """The packaged catalog, or the one in ``path`` (a TOML file with a ``[products]`` table).

    The packaged one is cached; a tenant's file is read on every call, so an edit takes effect.
    """
    if path is None:
        return _packaged_catalog()
    return _catalog(load_toml_file(path), str(path))


@lru_cache(maxsize=1)
def _packaged_catalog() -> ProductCatalog:
    return _catalog(load_packaged_toml("data", "products.toml"), "mapping/data/products.toml")


def _catalog(data: dict[str, Any], source: str) -> ProductCatalog:
    products = data.get("products")
    if not isinstance(products, dict) or not products:
        raise ConfigError(f"{source}: needs a non-empty [products] table")
    return ProductCatalog.from_mapping(products, source)


def match_products(text: str | Iterable[str], catalog: ProductCatalog | None = None) -> list[str]:
    return (catalog or load_product_catalog()).match(text)
