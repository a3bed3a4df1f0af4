"""Product interest from free text, by a reviewed vocabulary of device categories kept as data.

The packaged ``mapping/data/products.toml`` maps each category key to its words, every word to one
category only; ``fillers`` lists the words that say nothing about a product ("想了解", "价格", "采购").
A tenant passes its own file to replace the categories (its ``fillers``, if any, replace ours).

Reading is by whole words, never by substring: the text is cut at separators (、 , / ; 和 及 ...),
and each piece must be spelled out entirely by vocabulary words, fillers and quantities ("一台"),
or it is *unknown*. "骨科手术器械" is 骨科 + 手术器械; "康复器械" is a word of its own; "口腔冰箱"
is unknown as a whole, not "器械"-ish or "冰箱"-ish. Unknown pieces are kept and reported by the
caller (the lead's remark, the import summary), so the vocabulary grows by review, not by guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from core.errors import ConfigError
from mapping._data import load_packaged_toml, load_toml_file
from mapping._text import fold, to_simplified

__all__ = ["ProductCatalog", "ProductReading", "load_product_catalog", "match_products"]

_SEPARATORS = re.compile(r"[,，、/\\;；|+&＆。!！?？()（）\[\]【】<>《》\"'“”‘’:：\n\r\t]|以及|和|及|与|或")
_QUANTITY = re.compile(r"[\d一二两三四五六七八九十几多]+(?:台|套|个|批|件|支|盒|箱|种|款)")
_SPACES = re.compile(r"\s+")


class ProductReading(NamedTuple):
    keys: list[str]  # category keys, in order of first appearance
    unknown: list[str]  # pieces of the text that no vocabulary word spells out, as written


@dataclass(frozen=True)
class ProductCatalog:
    keywords: tuple[tuple[str, str], ...]  # (folded word, category key), longest word first
    fillers: frozenset[str] = frozenset()
    _lookup: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # word -> key | ""
    _longest: int = field(default=0, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._lookup.update(dict.fromkeys(self.fillers, ""))
        self._lookup.update(self.keywords)
        object.__setattr__(self, "_longest", max(map(len, self._lookup), default=0))

    @classmethod
    def from_mapping(
        cls, products: dict[str, Any], source: str = "products config", fillers: Iterable[str] = ()
    ) -> ProductCatalog:
        """The catalog; :class:`ConfigError` if a word is empty or listed twice (under any key)."""
        owner: dict[str, str] = {}

        def claim(word: Any, key: str, where: str) -> str:
            if not isinstance(word, str) or not _fold(word):
                raise ConfigError(f"{source}: {where} must be a list of non-empty keywords")
            folded = _fold(word)
            if folded in owner:
                raise ConfigError(f"{source}: {word!r} is listed under {owner[folded]} and under {key}")
            owner[folded] = key
            return folded

        pairs: list[tuple[str, str]] = []
        for key, words in products.items():
            if not isinstance(words, list) or not words:
                raise ConfigError(f"{source}: products.{key} must be a list of non-empty keywords")
            pairs.extend((claim(w, key, f"products.{key}"), key) for w in words)
        filler_words = frozenset(claim(w, "fillers", "fillers") for w in fillers)
        pairs.sort(key=lambda kw: len(kw[0]), reverse=True)
        return cls(tuple(pairs), filler_words)

    @property
    def keys(self) -> frozenset[str]:
        """Every category key of the catalog (what routing's product weights may name)."""
        return frozenset(key for _, key in self.keywords)

    def read(self, text: str | Iterable[str]) -> ProductReading:
        """Category keys found in ``text`` (or several texts), and the pieces not understood."""
        keys: list[str] = []
        unknown: list[str] = []
        for piece in _pieces([text] if isinstance(text, str) else list(text)):
            found = self._spell(_fold(_QUANTITY.sub(" ", piece)))
            if found is None:
                unknown.append(piece)
            else:
                keys.extend(found)
        return ProductReading(list(dict.fromkeys(keys)), list(dict.fromkeys(unknown)))

    def match(self, text: str | Iterable[str]) -> list[str]:
        """Category keys found in ``text`` (or several texts), in order of first appearance."""
        return self.read(text).keys

    def _spell(self, piece: str) -> list[str] | None:
        """The keys of the fewest vocabulary words that spell ``piece`` exactly; None if none do.

        A piece of fillers only ("其他", "价格") spells nothing and is not unknown either."""
        if not piece:
            return []
        longest = self._longest
        best: list[list[str] | None] = [[]] + [None] * len(piece)  # best[i]: spelling of piece[:i]
        for start in range(len(piece)):
            so_far = best[start]
            if so_far is None:
                continue
            for end in range(start + 1, min(len(piece), start + longest) + 1):
                key = self._lookup.get(piece[start:end])
                if key is None:
                    continue
                candidate = [*so_far, key]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
        spelled = best[len(piece)]
        return None if spelled is None else [key for key in spelled if key]


def _pieces(texts: list[str]) -> list[str]:
    return [p for t in texts for p in (_SPACES.sub(" ", s).strip() for s in _SEPARATORS.split(fold(t))) if p]


def _fold(text: str) -> str:
    return _SPACES.sub("", to_simplified(fold(text)).casefold())


def load_product_catalog(path: Path | None = None) -> ProductCatalog:
    """The packaged catalog, or the one in ``path`` (a TOML file with a ``[products]`` table and
    optionally a top-level ``fillers`` list; without one, the packaged fillers apply).

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
    fillers = data.get("fillers")
    if fillers is None:  # ours, less any word the tenant made a product word
        theirs = {_fold(w) for words in products.values() if isinstance(words, list) for w in words
                  if isinstance(w, str)}  # fmt: skip
        packaged = load_packaged_toml("data", "products.toml").get("fillers", [])
        fillers = [w for w in packaged if _fold(w) not in theirs]
    if not isinstance(fillers, list):
        raise ConfigError(f"{source}: fillers must be a list of non-empty keywords")
    return ProductCatalog.from_mapping(products, source, fillers)


def match_products(text: str | Iterable[str], catalog: ProductCatalog | None = None) -> list[str]:
    return (catalog or load_product_catalog()).match(text)
