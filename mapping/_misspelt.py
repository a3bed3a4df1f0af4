"""Legal forms as people mistype them: 有限公思, 又限公司, 有限任责公司, 有限司.

A Chinese company name typed through a pinyin input method picks the wrong character of the right
sound (有限公思, 右限公司, 有限贡司), swaps two neighbours (限有, 任责, 司公) or drops one (有限司,
股份有公司; only from the forms ending in 公司). Left in place, the garbled form stays in the core
(威远医疗设备又限 against 威远医疗设备) and the two spellings of one company compare as two names.
Only the long forms (four characters or more: 有限公司, 有限责任公司, 股份有限公司, 合伙企业 ...) are
recognised this way: a two-character tail that sounds like 公司 or 有限 is too often part of a trade
name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pypinyin import lazy_pinyin

__all__ = ["MisspeltForms"]

_LONG = 4  # a form this long or longer is recognised misspelt


@lru_cache(maxsize=1 << 14)
def _char_sound(char: str) -> str:
    return lazy_pinyin(char)[0]


def _sound(text: str) -> tuple[str, ...]:
    return tuple(_char_sound(char) for char in text)


@dataclass(frozen=True)
class _Form:
    text: str
    chars: frozenset[str]  # a swapped or shortened form ends with one of these
    last_sound: str  # a homophone form ends with a character of this sound
    letters: tuple[str, ...]  # sorted: a swap has the same
    sound: tuple[str, ...]

    def garbled(self, tail: str) -> bool:
        """``tail`` is this form mistyped: a homophone, two characters swapped, one dropped."""
        if tail == self.text:
            return False
        if len(tail) == len(self.text):
            return tuple(sorted(tail)) == self.letters or _sound(tail) == self.sound
        form = self.text
        return form.endswith("公司") and any(form[:i] + form[i + 1 :] == tail for i in range(len(form)))


class MisspeltForms:
    """The long Chinese legal forms of ``forms``, ready to be found misspelt at a name's end."""

    def __init__(self, forms: tuple[str, ...]) -> None:
        long = sorted({f for f in forms if len(f) >= _LONG and not f[0].isascii()}, key=len, reverse=True)
        self._forms = tuple(
            _Form(f, frozenset(f), _char_sound(f[-1]), tuple(sorted(f)), _sound(f)) for f in long
        )

    def at_end(self, text: str, longer_than: int) -> tuple[str, str] | None:
        """(the tail of ``text``, the legal form it stands for) when ``text`` ends with a misspelt
        long form whose tail is longer than ``longer_than`` characters (what an exact form would
        take), and at least two characters of name are left before it."""
        if not text:
            return None
        last = text[-1]
        best: tuple[str, str] | None = None
        for form in self._forms:
            if last not in form.chars and _char_sound(last) != form.last_sound:
                continue
            for size in (len(form.text), len(form.text) - 1):
                if size <= longer_than or len(text) < size + 2 or (best and size <= len(best[0])):
                    continue
                tail = text[-size:]
                if form.garbled(tail):
                    best = (tail, form.text)
        return best
