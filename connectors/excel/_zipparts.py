"""The parts of an .xlsx as the xlsx reader will see them, inflated here first, a chunk at a time.

A zip member states its uncompressed size, and Python's ``zipfile`` stops there, but the reader
(calamine, Rust) inflates the whole compressed stream whatever the header says. So each member is
inflated here from its raw bytes, exactly as far as the reader would go, and counted: a part that
holds more than it declares, or parts over the budget, refuse the file before the reader opens it.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from core.errors import InputError

__all__ = ["inflate", "xml_parts"]

_CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... file name length, extra field length


def xml_parts(path: Path) -> list[zipfile.ZipInfo]:
    """The members the reader may parse (``*.xml``, ``*.rels``), after the checks that need no inflating."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path.name}: not an .xlsx file or a damaged one ({exc})") from exc
    names = [m.filename for m in members]
    if len(set(names)) != len(names):
        raise InputError(f"{path.name}: the workbook holds two parts of the same name; save it again")
    parts = [m for m in members if m.filename.lower().endswith((".xml", ".rels"))]
    for member in parts:
        if member.flag_bits & 0x1:
            raise InputError(f"{path.name}: the workbook is password-protected; save it without a password")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(f"{path.name}: {member.filename} is compressed in a way Excel never uses")
    return parts


def inflate(fh: IO[bytes], member: zipfile.ZipInfo, file: str) -> Iterator[bytes]:
    """The member's content a chunk at a time; :class:`InputError` once it passes its declared size.

    The caller checks the declared sizes against its budget, so stopping at the declared size keeps
    every part, and all of them together, within it.
    """
    fh.seek(member.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(fh.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise InputError(f"{file}: damaged workbook ({member.filename} is not where the index says)")
    fh.seek(member.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    declared = member.file_size
    left, produced = member.compress_size, 0
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if member.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            raw = inflater.unconsumed_tail
        else:
            raw = fh.read(min(_CHUNK, left))
            if not raw:
                break
            left -= len(raw)
        try:
            data = raw if inflater is None else inflater.decompress(raw, _CHUNK)
        except zlib.error as exc:
            raise InputError(f"{file}: damaged workbook ({member.filename}: {exc})") from exc
        produced += len(data)
        if produced > declared:
            raise InputError(
                f"{file}: {member.filename} holds more than the {member.file_size:,} bytes it declares "
                "(a zip bomb?); the file was not imported"
            )
        if data:
            yield data
        if inflater is not None and inflater.eof:
            break
