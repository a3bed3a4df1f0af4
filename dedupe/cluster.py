"""Clusters as connected components of the merge edges, with a guard against chaining.

:class:`UnionFind` is plain union-find with path halving. :class:`ClusterBuilder` adds what a chain
of individually plausible merges must not do: join two clusters that are known to be different
companies. Each cluster keeps the city, province, industry family and USCC its members agree on; a merge
edge whose two clusters disagree on one of them (a record without a region that matches both
贵阳正兰智能科技 and 宁波正兰智能科技) is held back as a review pair instead. The first cluster a
record joins wins, so the result depends on the order records arrive in; the batch run and the
incremental index feed records in the same order and make the same calls, so they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, Protocol, TypeVar

from dedupe.records import Prepared

__all__ = ["ClusterBuilder", "UnionFind", "connected_components", "one_per_cluster_pair"]

T = TypeVar("T", bound=Hashable)
_TRAITS = ("city", "province", "family", "uscc")


class UnionFind(Generic[T]):
    def __init__(self) -> None:
        self._parent: dict[T, T] = {}
        self._size: dict[T, int] = {}

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def add(self, item: T) -> None:
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def find(self, item: T) -> T:
        parent = self._parent
        if item not in parent:
            self.add(item)
            return item
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> T:
        return self.link(self.find(a), self.find(b))

    def link(self, ra: T, rb: T) -> T:
        """Join two roots (as :meth:`find` returned them); the root of the joined set."""
        if ra == rb:
            return ra
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]
        return ra

    def groups(self) -> list[list[T]]:
        """Every component (singletons included), members in insertion order."""
        out: dict[T, list[T]] = {}
        parent = self._parent
        for item in parent:  # the roots as find() gives them, without a call per item
            root = item
            while parent[root] != root:
                root = parent[root]
            members = out.get(root)
            if members is None:
                out[root] = [item]
            else:
                members.append(item)
        return list(out.values())


def connected_components(items: Iterable[T], edges: Iterable[tuple[T, T]]) -> list[list[T]]:
    uf: UnionFind[T] = UnionFind()
    for item in items:
        uf.add(item)
    for a, b in edges:
        uf.union(a, b)
    return uf.groups()


class ClusterBuilder:
    """Union-find over record ids that refuses merges joining clusters with conflicting traits."""

    def __init__(self) -> None:
        self._uf: UnionFind[str] = UnionFind()
        self._records: dict[str, Prepared] = {}  # traits of a singleton: its own record
        self._traits: dict[str, dict[str, str]] = {}  # traits of a cluster root (a singleton's once asked)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def add(self, record: Prepared) -> None:
        if record.id not in self._records:
            self._uf.add(record.id)
            self._records[record.id] = record

    def _traits_of(self, root: str) -> dict[str, str]:
        traits = self._traits.get(root)
        if traits is None:
            record = self._records.get(root)
            if record is None:
                return {}
            # a singleton's, kept once asked (a record is asked again for each of its pairs)
            traits = self._traits[root] = {k: v for k in _TRAITS if (v := getattr(record, k)) is not None}
        return traits

    def find(self, record_id: str) -> str:
        return self._uf.find(record_id)

    def conflict(self, a: str, b: str) -> str | None:
        """Why the clusters of ``a`` and ``b`` must not be joined, or None."""
        ra, rb = self._uf.find(a), self._uf.find(b)
        if ra == rb:
            return None
        return _clash(self._traits_of(ra), self._traits_of(rb))

    def union(self, a: str, b: str, force: bool = False) -> bool:
        """Join the two clusters unless they conflict (``force``: an admin said so); True when joined."""
        ra, rb = self._uf.find(a), self._uf.find(b)
        if ra == rb:
            return True
        ta, tb = self._traits_of(ra), self._traits_of(rb)
        if not force and _clash(ta, tb) is not None:
            return False
        merged = {**tb, **ta}  # equal where both know (or forced)
        root = self._uf.link(ra, rb)
        self._traits.pop(ra, None)
        self._traits.pop(rb, None)
        self._traits[root] = merged
        return True

    def groups(self) -> list[list[str]]:
        return self._uf.groups()


def _clash(ta: dict[str, str], tb: dict[str, str]) -> str | None:
    """The first trait two clusters both know and disagree on, as a reason; None if none."""
    for name in _TRAITS:
        if name in ta and name in tb and ta[name] != tb[name]:
            return f"would join clusters of another {'industry' if name == 'family' else name}"
    return None


class _Pair(Protocol):
    @property
    def left(self) -> str: ...
    @property
    def right(self) -> str: ...
    @property
    def score(self) -> float: ...


P = TypeVar("P", bound=_Pair)


def one_per_cluster_pair(pairs: Iterable[P], cluster_of: Callable[[str], Hashable]) -> list[P]:
    """The review queue admins get from review pairs: for each two clusters the best-scored pair
    between them (one decision settles the two clusters), none inside one cluster (merged already).
    ``synchub dedupe run --full`` queues exactly these; ``dedupe eval`` counts them."""
    best: dict[frozenset[Hashable], P] = {}
    for pair in sorted(pairs, key=lambda p: -p.score):
        key = frozenset((cluster_of(pair.left), cluster_of(pair.right)))
        if len(key) == 2 and key not in best:
            best[key] = pair
    return list(best.values())
