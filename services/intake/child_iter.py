"""Iterate a generator that runs in a child process, so its work and the caller's use two cores.

An import spends about as long reading and mapping a row as landing it; in one process the two add
up, in two they overlap. The child is started as
``python -m services.intake.child_iter MODULE:FUNCTION ARG...`` rather than through ``multiprocessing``,
so it neither forks a threaded parent nor re-imports the parent's ``__main__``. It writes pickled batches
to stdout: ``("items", [...])`` ..., then ``("end", None)``, or ``("error", text)`` for an
:class:`InputError` (a file the user must fix). Anything else that goes wrong in the child ends it; the
parent then raises :class:`InputError` with the tail of the child's stderr. Closing the iterator early
kills the child."""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Generator
from typing import IO, Any

from core.errors import InputError

__all__ = ["iterate_in_child"]

BATCH = 500
PIPE_BYTES = 1 << 20


def iterate_in_child(target: str, *args: str, what: str = "the reader") -> Generator[Any, None, None]:
    """The items ``target(*args)`` yields (``target`` is ``"module:function"``), computed in a child."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    # stderr to a file, not a pipe: a chatty child must never block on a pipe nobody reads.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.intake.child_iter", target, *args],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        assert proc.stdout is not None
        _widen_pipe(proc.stdout)
        try:
            while True:
                try:
                    kind, body = pickle.load(proc.stdout)
                except EOFError:
                    proc.wait()
                    errors.seek(0)
                    tail = errors.read().decode(errors="replace").strip()[-500:]
                    raise InputError(f"{what} stopped early ({tail or 'no message'})") from None
                if kind == "items":
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


def _widen_pipe(pipe: IO[bytes]) -> None:
    """A 1 MiB pipe (Linux) instead of 64 KiB: the child can then run a few batches ahead while the
    caller is busy, instead of stopping after a few hundred rows (measured: the caller waited for
    the child 19% of an import with the small pipe)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError):  # not Linux, or above the system's pipe-max-size: keep the default
        pass


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)


def main(argv: list[str]) -> int:
    module, _, name = argv[0].partition(":")
    function = getattr(importlib.import_module(module), name)
    out = sys.stdout.buffer
    batch: list[Any] = []
    try:
        for item in function(*argv[1:]):
            batch.append(item)
            if len(batch) >= BATCH:
                _send(out, ("items", batch))
                batch = []
        _send(out, ("items", batch))
        _send(out, ("end", None))
    except InputError as exc:
        _send(out, ("error", str(exc)))
    except BrokenPipeError:  # the parent stopped reading: nothing to report to
        return 0
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
