"""What a person reads on a console page: the text between tags and the placeholders of inputs (other
attributes, scripts, styles, ``<code>`` (commands, raw JSON) and ``<title>`` tooltips, which keep a
message's original text, left out), and the ASCII-only words in it that are not ids, codes or units.

A word is ASCII-only when it is made of Latin letters alone (``mapping``, ``done``, ``active``); a token
with a digit or an id's punctuation in it (``HT-2026-001``, ``user:wang``, ``#12``) is an id or a code
and is not a word. What remains must be on the allow-list: brand and product names, units, acronyms.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["ALLOWED", "ascii_words", "visible_text"]

ALLOWED = frozenset(
    {
        # brands and products people know by these names
        "SyncHub", "Prefect", "UI", "ERP", "Excel", "Python", "cryptography", "zip", "verify", "py",
        "DingTalk", "WeCom",
        # codes and acronyms used as such in Chinese offices
        "ID", "SLA", "seq", "USCC", "CST",
        # the ERP systems' product names, shown next to their document numbers
        "kingdee", "yonyou",
    }
)  # fmt: skip
_SKIP = frozenset({"script", "style", "title", "template", "code"})  # code: commands, raw JSON
_TOKEN = re.compile(r"[^\s\u3000-\u303f\uff00-\uffef，。：；、（）【】《》“”‘’·—…→←↗]+")
_WORD = re.compile(r"^[A-Za-z]{2,}$")  # a lone letter is a label (客户 A, 客户 B)
_EDGE = "()[]{}<>\"'.,;:!?*=|"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping.append(tag)
        elif not self._skipping:  # an empty input shows its placeholder
            self.parts += [v for k, v in attrs if k == "placeholder" and v]

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it, without tags or attributes (values of inputs excluded)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def ascii_words(html: str, allowed: frozenset[str] | set[str] = ALLOWED) -> list[str]:
    """ASCII-only words of the visible text, in order, that are not on ``allowed``."""
    found = []
    for token in _TOKEN.findall(visible_text(html)):
        word = token.strip(_EDGE)
        if _WORD.fullmatch(word) and word not in allowed:
            found.append(word)
    return found
