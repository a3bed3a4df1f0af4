"""`make bench`: every benchmark, one after the other, figures printed and saved in bench/results/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = ["audit.py", "intake.py", "journey.py", "routing.py", "erp.py", "flows.py", "dedupe.py"]

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    failed = [
        name
        for name in BENCHES
        if subprocess.run([sys.executable, str(here / name), *sys.argv[1:]]).returncode
    ]
    sys.exit(1 if failed else 0)
