"""An .xlsx checked against the import limits before calamine opens it.

calamine reads the shared strings when the workbook opens and a whole sheet when it is asked for
one: a dense grid as wide and as tall as the last used column and row, with a copy of the shared
string in every cell that shows it. Memory follows from four numbers, all found here by scanning the
inflated XML once, a chunk at a time: the grid (last row x last column of any ``<c>``/``<row>``,
wherever ``<dimension>`` claims), the longest text between two tags, the count and sizes of shared
strings, and the text of all cells with shared strings resolved. Every XML part is scanned as if it
were a sheet, so no path the reader takes around these checks (an odd relationship target, a second
sheet) is left out. Chunks are cut at their last ``<``, so a tag or value is never split.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from connectors.excel._runs import run_over
from connectors.excel._zipparts import inflate, xml_parts
from connectors.excel.settings import ImportSettings
from core.errors import InputError

__all__ = ["check_xlsx", "column_number"]

_P = rb"<(?:[\w.-]+:)?"  # an element, with or without a namespace prefix
_SI = re.compile(_P + rb"si[\s>/]")
_PREFIXED_SI = re.compile(rb"<si[\s/]|:si[\s>/]")
_ODD = re.compile(rb'<(?:c(?! r=")|row(?! r=")|[\w.-]+:(?:c|row))[\s>/]')
_FAST_ROW = re.compile(rb'<row r="(\d{1,12})"')
_CELL_OR_ROW = re.compile(_P + rb"(c|row)([\s>/][^>]*)")
_R_VALUE = re.compile(rb"(?<![\w:.-])r\s*=\s*[\"']\s*([A-Za-z]*)(\d*)")
_VALUE = re.compile(_P + rb"v(?:\s[^>]*)?>(\d+)<")


def _number(digits: bytes) -> int:
    """A row number; past 12 digits a bound (``int()`` refuses 4,300 digits and more)."""
    return int(digits or b"0") if len(digits) <= 12 else 10**12


def column_number(letters: bytes) -> int:
    """``A`` -> 1, ``XFD`` -> 16384 (past ``ZZZZ``: a bound, not the number)."""
    if len(letters) > 4:
        return 10**12
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _cut_at_last_tag(chunks: Iterable[bytes], longest: int, refuse: InputError) -> Iterator[bytes]:
    """The chunks re-cut so each ends just before its last ``<`` (the rest opens the next one), each
    checked for text longer than ``longest`` between two tags."""
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk if carry else chunk
        cut = buffer.rfind(b"<")
        if cut <= 0:
            if len(buffer) > longest:
                raise refuse
            carry = buffer
            continue
        carry = buffer[cut:]
        if len(carry) > longest or run_over(buffer, longest, b"<"):
            raise refuse
        yield buffer[:cut]
    if carry:
        yield carry


@dataclass
class _Scan:
    limits: ImportSettings
    file: str
    strings: array[int] = field(default_factory=lambda: array("I"))  # bytes of each shared string
    text: int = 0  # bytes of text the cells will hold, shared strings resolved (an upper bound)

    def refuse(self, what: str, limit: str) -> InputError:
        return InputError(self.limits.refusal(self.file, what, limit))

    def shared_strings(self, chunks: Iterable[bytes]) -> None:
        """Size of every ``<si>`` (from its start to the next), as stored: the reader keeps them all."""
        open_size = -1  # bytes so far of the string not yet closed by the next <si>
        for buffer in chunks:
            if _PREFIXED_SI.search(buffer):
                pieces = [buffer[a:b] for a, b in _pairs([m.start() for m in _SI.finditer(buffer)], buffer)]
            else:
                pieces = buffer.split(b"<si>")
            if open_size >= 0:
                open_size += len(pieces[0])
            if len(pieces) > 1:
                if open_size >= 0:
                    self._strings([open_size])
                self._strings([len(p) + 4 for p in pieces[1:-1]])
                open_size = len(pieces[-1]) + 4
        if open_size >= 0:
            self._strings([open_size])

    def _strings(self, sizes: list[int]) -> None:
        if not sizes:
            return
        if max(sizes) > self.limits.max_cell_bytes:
            raise self.refuse(f"a shared string of {max(sizes):,} bytes", "max_cell_bytes")
        self.strings.extend(sizes)
        self.text += sum(sizes)
        if len(self.strings) > self.limits.max_cells:
            raise self.refuse(f"{len(self.strings):,} shared strings", "max_cells")
        if self.text > self.limits.max_text_bytes:
            raise self.refuse("shared strings of more bytes", "max_text_bytes")

    def sheet(self, chunks: Iterable[bytes], part: str) -> None:
        """The grid a sheet makes (last row and column of any cell) and the text its cells hold."""
        grid = _Grid()
        for buffer in chunks:
            if _odd_cells(buffer):
                grid.slow(buffer)
            else:
                grid.fast(buffer)
            self._check_grid(grid.rows + grid.unnumbered_rows, grid.columns + grid.longest_run, part)
            self._count_text(buffer)

    def _check_grid(self, rows: int, columns: int, part: str) -> None:
        limits = self.limits
        where = "" if "/worksheets/" in part else f"{part}: "
        if rows > limits.max_rows:
            raise self.refuse(f"{where}a cell on row {rows:,}", "max_rows")
        if columns > limits.max_columns:
            raise self.refuse(f"{where}a cell in column {columns:,}", "max_columns")
        if rows * columns > limits.max_cells:
            raise self.refuse(f"{where}a sheet of {rows:,} rows x {columns:,} columns", "max_cells")

    def _count_text(self, buffer: bytes) -> None:
        """Inline text and values count as the bytes they take in the XML; a cell showing a shared
        string as that string's size, or all cells at the longest one while that stays in bounds."""
        self.text += len(buffer)
        shared = (buffer.count(b't="s"') + buffer.count(b"t='s'")) if self.strings else 0
        if shared:
            longest = max(self.strings)
            if self.text + shared * longest > self.limits.max_text_bytes:
                strings, count = self.strings, len(self.strings)
                for value in _VALUE.findall(buffer):  # every <v>: a number is counted as an index too
                    if len(value) < 10 and int(value) < count:
                        self.text += strings[int(value)]
            else:
                self.text += shared * longest
        if self.text > self.limits.max_text_bytes:
            raise self.refuse("cells holding more text", "max_text_bytes")


def _pairs(starts: list[int], buffer: bytes) -> Iterator[tuple[int, int]]:
    """``buffer`` cut at ``starts``, as (start, end) pairs, the piece before the first included."""
    edges = [0, *starts, len(buffer)]
    return pairwise(edges)


def _odd_cells(buffer: bytes) -> bool:
    """Cells or rows written other than ``<c r="A1"``/``<row r="1"`` (a namespace prefix, ``r=``
    elsewhere or missing): they need the slow, exact scan."""
    return _ODD.search(buffer) is not None


@dataclass
class _Grid:
    """The last row and column the reader will place a cell on."""

    rows: int = 0  # the last numbered row
    columns: int = 0  # the last numbered column
    unnumbered_rows: int = 0  # rows without r=: each lands one past the last
    run: int = 0  # cells without r= in the current row so far
    longest_run: int = 0

    def fast(self, buffer: bytes) -> None:
        if row_refs := _FAST_ROW.findall(buffer):
            self.rows = max(self.rows, max(map(int, row_refs)))
        # Only cells that can move the bounds: two or more letters, a letter past the last column,
        # or a row number as long as the last row's or longer (shorter ones are below it).
        beyond = chr(64 + min(self.columns + 1, 26))
        for letters, digits in _fast_cells(beyond, self.rows).findall(buffer):
            self.columns = max(self.columns, column_number(letters))
            self.rows = max(self.rows, _number(digits))

    def slow(self, buffer: bytes) -> None:
        for match in _CELL_OR_ROW.finditer(buffer):
            ref = _R_VALUE.search(match.group(2))
            if match.group(1) == b"row":
                self.run = 0
                if ref is None:
                    self.unnumbered_rows += 1
                else:
                    self.rows = max(self.rows, _number(ref.group(2)))
            elif ref is None:
                self.run += 1
                self.longest_run = max(self.longest_run, self.run)
            else:
                self.run = 0
                self.columns = max(self.columns, column_number(ref.group(1)))
                self.rows = max(self.rows, _number(ref.group(2)))


@lru_cache(maxsize=64)
def _fast_cells(beyond: str, rows: int) -> re.Pattern[bytes]:
    """``<c r="..."`` refs with two or more letters, a letter from ``beyond`` on, or a row past ``rows``."""
    return re.compile(rb'<c r="([A-Z]{2,}|[%b-Z]|[A-Z](?=%b"))(\d+)"' % (beyond.encode(), _above(rows)))


def _above(number: int) -> bytes:
    """A pattern for the decimal numbers greater than ``number``: longer, or as long and larger at
    the first digit that differs."""
    digits = str(number)
    options = [rb"\d{%d,}" % (len(digits) + 1)]
    for i, ch in enumerate(digits):
        if ch != "9":
            rest = len(digits) - i - 1
            options.append(
                digits[:i].encode() + b"[%d-9]" % (int(ch) + 1) + (rb"\d{%d}" % rest if rest else b"")
            )
    return b"(?:" + b"|".join(options) + b")"


def _is_shared_strings(name: str) -> bool:
    return name.lower().rsplit("/", 1)[-1].startswith("sharedstrings")


def check_xlsx(path: Path, limits: ImportSettings) -> None:
    """:class:`InputError` (one line naming the setting) if the workbook is over any import limit."""
    file = path.name
    parts = xml_parts(path)
    declared = sum(member.file_size for member in parts)
    if declared > limits.max_xml_bytes:
        raise InputError(limits.refusal(file, f"its XML unpacks to {declared:,} bytes", "max_xml_bytes"))
    scan = _Scan(limits, file)
    too_long = scan.refuse("text between two tags", "max_cell_bytes")
    strings = [m for m in parts if _is_shared_strings(m.filename)]
    with path.open("rb") as fh:
        for member in strings:  # first: a sheet's text counts its shared strings
            scan.shared_strings(_cut_at_last_tag(inflate(fh, member, file), limits.max_cell_bytes, too_long))
        for member in parts:
            if member not in strings:
                chunks = _cut_at_last_tag(inflate(fh, member, file), limits.max_cell_bytes, too_long)
                scan.sheet(chunks, member.filename)
