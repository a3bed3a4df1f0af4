"""A CSV's bytes to text lines: which encoding, which lines cannot be read, and none too long.

One pass over the bytes (a megabyte at a time) decides the encoding and checks the line limit before
anything is parsed. A UTF-8 file in which a few lines are not UTF-8 (one pasted from a GBK export) is
read as UTF-8 and those lines are named, so they alone are rejected; a file that is mostly not UTF-8
is read as GB18030 (a superset of GBK), as before.
"""

from __future__ import annotations

import codecs
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, AnyStr

from connectors.excel._runs import run_over
from connectors.excel.settings import ImportSettings
from core.errors import InputError

__all__ = ["CsvText", "survey_csv"]

_CHUNK = 1 << 20
_ENDS = b"\r\n"


@dataclass
class CsvText:
    path: Path
    encoding: str  # utf-16 | utf-8-sig | gb18030
    limits: ImportSettings
    bad_lines: frozenset[int] = frozenset()  # 1-based physical lines that are not UTF-8
    skipped: list[int] = field(default_factory=list)  # bad lines met so far while reading

    def lines(self) -> Generator[str, None, None]:
        """The text lines with their line ends (as ``open(newline="")`` gives them); a bad line is
        given as an empty line and its number appended to :attr:`skipped`."""
        if not self.bad_lines:
            with self.path.open("r", encoding=self.encoding, newline="") as fh:
                yield from _bounded(fh, self.limits.max_line_bytes // 2, self)
            return
        with self.path.open("rb") as fh:
            for number, raw in enumerate(_bounded(fh, self.limits.max_line_bytes, self), start=1):
                if number in self.bad_lines:
                    self.skipped.append(number)
                    yield "\n"
                else:
                    yield raw.decode("utf-8-sig" if number == 1 else "utf-8")

    def too_long(self, line_no: int) -> InputError:
        return InputError(self.limits.refusal(self.path.name, f"line {line_no} is longer", "max_line_bytes"))


def _bounded(fh: IO[AnyStr], limit: int, text: CsvText) -> Iterator[AnyStr]:
    number = 0
    while line := fh.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise text.too_long(number)
        yield line


def survey_csv(path: Path, limits: ImportSettings) -> CsvText:
    """The encoding and the lines that are not UTF-8; :class:`InputError` if a line is too long."""
    with path.open("rb") as fh:
        if fh.read(4).startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return CsvText(path, "utf-16", limits)  # line lengths are checked while reading
        fh.seek(0)
        bad, utf8_evidence = _lines_not_utf8(fh, path, limits)
    if not bad:
        return CsvText(path, "utf-8-sig", limits)
    if utf8_evidence > len(bad):  # mostly UTF-8 text: the odd lines are the broken ones
        return CsvText(path, "utf-8-sig", limits, frozenset(bad))
    if _decodes(path, "gb18030"):
        return CsvText(path, "gb18030", limits)
    raise InputError(f"{path.name}: the text is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV")


def _lines_not_utf8(fh: IO[bytes], path: Path, limits: ImportSettings) -> tuple[list[int], int]:
    """Numbers of the lines that are not UTF-8, and how many lines are UTF-8 beyond ASCII."""
    bad: list[int] = []
    evidence, line_no, carry = 0, 0, b""
    while True:
        chunk = fh.read(_CHUNK)
        buffer = carry + chunk if carry else chunk
        cut = len(buffer) if not chunk else max(buffer.rfind(b"\n"), buffer.rfind(b"\r")) + 1
        complete, carry = buffer[:cut], buffer[cut:]
        if len(carry) > limits.max_line_bytes or run_over(complete, limits.max_line_bytes, _ENDS):
            raise InputError(
                limits.refusal(path.name, f"a line after line {line_no:,} is longer", "max_line_bytes")
            )
        if complete.isascii():
            pass
        elif _is_utf8(complete):
            evidence += sum(not line.isascii() for line in complete.split(b"\n"))
        else:
            for offset, line in enumerate(complete.split(b"\n"), start=1):
                if _is_utf8(line):
                    evidence += not line.isascii()
                else:
                    bad.append(line_no + offset)
            if len(bad) > limits.max_rows:
                raise InputError(limits.refusal(path.name, f"{len(bad):,} lines not UTF-8", "max_rows"))
        line_no += complete.count(b"\n")
        if not chunk:
            return bad, evidence


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True
