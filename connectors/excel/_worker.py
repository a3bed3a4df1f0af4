"""Reading a large .xlsx in a second process, so parsing and the caller's mapping use two cores.

openpyxl spends ~150 µs per 12-column row parsing XML, about what mapping the row costs; in one
process the two add up, in two they overlap (see README.md for the figures). The worker is started
as ``python -m connectors.excel._worker PATH [SHEET]`` rather than through ``multiprocessing``, so it
neither forks a threaded parent nor re-imports the parent's ``__main__``. It writes pickled batches
to stdout: ``("rows", [(line_no, cells), ...])`` ..., then ``("end", None)`` or ``("error", text)``.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from connectors.excel._sources import RawRows, xlsx_rows
from hub.errors import InputError

__all__ = ["background_xlsx_rows"]

BATCH = 500


def background_xlsx_rows(path: Path, sheet: str | None = None) -> RawRows:
    """The same rows as ``xlsx_rows(path, sheet)``, parsed by a child process."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    args = [sys.executable, "-m", "connectors.excel._worker", str(path)]
    if sheet is not None:
        args.append(sheet)
    # stderr to a file, not a pipe: a chatty child must never block on a pipe nobody reads.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors, env=env)
        assert proc.stdout is not None
        try:
            while True:
                try:
                    kind, body = pickle.load(proc.stdout)
                except EOFError:
                    proc.wait()
                    errors.seek(0)
                    tail = errors.read().decode(errors="replace").strip()[-500:]
                    raise InputError(f"{path.name}: the reader process stopped early ({tail})") from None
                if kind == "rows":
                    yield from body
                elif kind == "error":
                    raise InputError(body)
                else:
                    return
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)


def main(argv: list[str]) -> int:
    out = sys.stdout.buffer
    path, sheet = Path(argv[0]), (argv[1] if len(argv) > 1 else None)
    batch: list[tuple[int, list[str]]] = []
    try:
        for item in xlsx_rows(path, sheet):
            batch.append(item)
            if len(batch) >= BATCH:
                _send(out, ("rows", batch))
                batch = []
        _send(out, ("rows", batch))
        _send(out, ("end", None))
    except InputError as exc:
        _send(out, ("error", str(exc)))
    except BrokenPipeError:  # the parent stopped reading: nothing to report to
        return 0
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
