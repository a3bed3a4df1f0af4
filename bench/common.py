"""Helpers shared by the benchmarks: throwaway databases, goal verdicts and dated results files.

Every benchmark judges each goal on the configuration the goal names (``verdict``), and a stage that
failed fails its goal whatever the clock says. ``save`` writes one dated file per run,
``bench/results/YYYY-MM-DD-HHMM-<bench>.json``: the figures, the verdicts, the command and the
machine (cores, Python, git commit); see bench/results/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from store.engine import make_engine
from store.migrate import upgrade

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_url() -> str | None:
    url = (
        os.environ.get("SYNCHUB_BENCH_POSTGRES_URL")
        or os.environ.get("SYNCHUB_TEST_POSTGRES_URL")
        or DEFAULT_PG
    )
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:
        print(f"PostgreSQL not reachable at {url} ({exc.__class__.__name__}); its figures are skipped")
        return None
    return url


@contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """A migrated, empty hub database; dropped afterwards."""
    if backend == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:6]}.db"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin_url = postgres_url()
    assert admin_url is not None
    name = f"synchub_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(admin_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=RESULTS.parent, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def machine() -> dict[str, Any]:
    """The facts a figure depends on: cores, Python, platform, and the code measured."""
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "system": platform.platform(terse=True),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
        # other work on the machine while it ran: load well above the cores makes timings pessimistic
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
    }


def verdict(goal: str, figure: Any, met: bool, why: str = "") -> dict[str, Any]:
    """Print and return one goal's verdict. ``met`` must already be False when a stage the goal
    depends on failed; ``why`` says what failed or which configuration was judged."""
    line = f"goal {goal}: {figure} -> {'met' if met else 'NOT met'}"
    print(line + (f" ({why})" if why else ""), flush=True)
    return {"goal": goal, "figure": figure, "met": bool(met), **({"why": why} if why else {})}


def command() -> str:
    """This run's command line as it can be typed again from the checkout (``python bench/x.py ...``)."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = str(script.relative_to(RESULTS.parents[1]))
    except ValueError:
        shown = str(script)
    return " ".join(["python", shown, *sys.argv[1:]])


def save(name: str, results: dict[str, Any], verdicts: list[dict[str, Any]] | None = None) -> Path:
    """Write this run's dated results file and return its path (never overwrites an earlier run)."""
    now = datetime.now(UTC)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{now:%Y-%m-%d-%H%M}-{name}.json"
    n = 1
    while path.exists():  # two runs in one minute
        n += 1
        path = RESULTS / f"{now:%Y-%m-%d-%H%M}-{name}-{n}.json"
    document = {
        "bench": name,
        "finished_at": now.isoformat(timespec="seconds"),
        "command": command(),
        "machine": machine(),
        "verdicts": verdicts or [],
        "all_met": all(v["met"] for v in verdicts or []),
        **results,
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def exit_code(verdicts: list[dict[str, Any]]) -> int:
    """A bench exits 1 when any goal is not met, so ``make bench`` cannot pass on a missed goal."""
    return 0 if all(v["met"] for v in verdicts) else 1
