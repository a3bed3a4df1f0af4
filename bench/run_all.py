"""`make bench`: every benchmark, one after the other; each prints its figures and goal verdicts and
writes a dated results file in bench/results/ (see its README). Exits 1 when any bench failed or
missed a goal, naming them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = [
    "audit.py",
    "intake.py",
    "journey.py",
    "routing.py",
    "erp.py",
    "flows.py",
    "dedupe.py",
    "export.py",
]

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    failed = [
        name
        for name in BENCHES
        if subprocess.run([sys.executable, str(here / name), *sys.argv[1:]]).returncode
    ]
    print(f"benches run: {len(BENCHES)}; failed or a goal NOT met: {', '.join(failed) or 'none'}")
    sys.exit(1 if failed else 0)
