"""Cold start: `dealgraph --help` and `dealgraph deals` on the seeds against importing the
libraries dealgraph stands on. Targets: `dealgraph --help` under 0.3 s (issue 5); `dealgraph
deals` on the seeds at most 1.0x the baseline import (issue 13), from the version's record
tables, and beside it from a store without them (read with SPARQL, as one built before them).

    .venv/bin/python benchmarks/bench_cold_start.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from _common import machine, wall

BIN = Path(sys.executable).parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"cold-start benchmark on {machine()} (best / median of {args.repeat})")
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store")
        wall([str(BIN / "dealgraph"), "build", "--store", store], repeat=1)
        older = str(Path(tmp) / "older")
        shutil.copytree(store, older, symlinks=True)
        shutil.rmtree(Path(older) / "current" / "tables")
        cases = {
            'python -c "import rdflib, networkx, pydantic" (baseline)':
                [sys.executable, "-c", "import rdflib, networkx, pydantic"],
            "python -c pass": [sys.executable, "-c", "pass"],
            "dealgraph --help": [str(BIN / "dealgraph"), "--help"],
            "dealgraph deals (seeds)": [str(BIN / "dealgraph"), "deals", "--store", store],
            "dealgraph deals --format json (seeds)": [str(BIN / "dealgraph"), "deals", "--store", store, "-f", "json"],
            "dealgraph deals (seeds, no tables: SPARQL)": [str(BIN / "dealgraph"), "deals", "--store", older],
        }
        base = None
        for label, cmd in cases.items():
            best, median = wall(cmd, args.repeat)
            base = base or best
            note = ("target < 0.3 s" if label == "dealgraph --help" else
                    "target <= 1.0x" if label == "dealgraph deals (seeds)" else "")
            print(f"  {label:<58}{best:7.3f} s  {median:7.3f} s  {best / base:5.2f}x  {note}")


if __name__ == "__main__":
    main()
