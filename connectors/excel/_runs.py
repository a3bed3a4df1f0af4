"""How long a stretch of bytes runs without a given byte: text between two tags, a line of a CSV."""

from __future__ import annotations

__all__ = ["run_over"]


def run_over(buffer: bytes, limit: int, stops: bytes) -> bool:
    """Does ``buffer`` hold more than ``limit`` bytes in a row none of which is in ``stops``?

    Any such run covers a whole window of ``limit // 2`` bytes on the grid stepped here, so only a
    window without a stop byte is measured: a few ``find`` calls a megabyte, never a byte-by-byte loop.
    """
    step = max(limit // 2, 1)
    for start in range(0, len(buffer), step):
        end = start + step
        if all(buffer.find(stop, start, end) == -1 for stop in _each(stops)):
            left = max(buffer.rfind(stop, 0, start) for stop in _each(stops)) + 1
            ahead = [at for stop in _each(stops) if (at := buffer.find(stop, end)) != -1]
            if (min(ahead) if ahead else len(buffer)) - left > limit:
                return True
    return False


def _each(stops: bytes) -> list[bytes]:
    return [stops[i : i + 1] for i in range(len(stops))]
