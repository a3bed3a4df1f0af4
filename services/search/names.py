"""Company names matched the way dedupe reads them: core, trade name and pinyin from
:func:`dedupe.prepare`, then equality, homophone, trade name, and rapidfuzz similarity.

Every customer with a company name is a candidate (no blocking: a typo or a trade name alone carries
no region to block on). The normalised parts of each name are memoised per process, so a search reads
the names from the store and compares; the comparison is a plain loop for the exact tests and
rapidfuzz's C loop (:func:`rapidfuzz.process.extract`) for similarity.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Customer
from dedupe import Record, prepare
from dedupe.index import gc_paused

__all__ = ["SIMILAR", "NameMatch", "match_names"]

SIMILAR = 70  # rapidfuzz ratio (0-100) of the cores or of their pinyin from which a name is similar


class _Parts(NamedTuple):
    core: str
    trade: str
    pinyin: str


class NameMatch(NamedTuple):
    customer_id: int
    name: str
    merged_into_id: int | None
    why: str  # name | homophone | trade_name | name_part | similar_name
    score: int
    core: str


@lru_cache(maxsize=1 << 17)
def _parts(name: str) -> _Parts | None:
    p = prepare(Record(id="", company=name))
    return _Parts(p.core, p.trade or p.core, p.pinyin or p.core) if p.core else None


def _exact(q: _Parts, c: _Parts) -> tuple[str, int] | None:
    """The reasons that need no similarity score, best first."""
    if c.core == q.core:
        return "name", 100
    if c.pinyin == q.pinyin:
        return "homophone", 95
    if (len(q.core) >= 2 and q.core in c.core) or c.trade == q.trade:
        return "trade_name", 90
    if len(c.trade) >= 2 and c.trade in q.core:  # 智联 in 智联医疗器戒
        return "trade_name", 80
    return None


def match_names(session: Session, text: str, limit: int) -> list[NameMatch]:
    """Customers whose company name matches ``text``, best first, at most ``limit``. Customers with no
    company name (``name_norm`` empty: a person's name or a phone stands in) are never compared."""
    with gc_paused():
        return _match_names(session, text, limit)


def _match_names(session: Session, text: str, limit: int) -> list[NameMatch]:
    wanted = _parts(text)
    if wanted is None:
        return []
    table = Customer.__table__.c
    query = select(table.id, table.name, table.merged_into_id).where(table.name_norm.is_not(None))
    rows = session.connection().execute(query).all()  # plain rows: no ORM loading of 100,000 tuples
    parts = {i: p for i, (_, name, _) in enumerate(rows) if (p := _parts(name)) is not None}
    judged = {i: found for i, have in parts.items() if (found := _exact(wanted, have)) is not None}
    rest = [i for i in parts if i not in judged]
    typed = text.strip().casefold()
    if len(typed) >= 2:  # the name as written contains the text: 杭州, 有限公司
        judged.update((i, ("name_part", 75)) for i in rest if typed in rows[i][1].casefold())
    for field in ("core", "pinyin"):
        choices = {i: getattr(parts[i], field) for i in rest}
        similar = process.extract(
            getattr(wanted, field), choices, scorer=fuzz.ratio, score_cutoff=SIMILAR, limit=None
        )
        for _, score, key in similar:  # (choice, score, dict key)
            if int(score) > judged.get(int(key), ("", 0))[1]:
                judged[int(key)] = ("similar_name", int(score))
    matches = [NameMatch(*rows[i], why, score, parts[i].core) for i, (why, score) in judged.items()]
    matches.sort(key=lambda m: (-m.score, m.merged_into_id is not None, m.customer_id))
    return matches[:limit]
