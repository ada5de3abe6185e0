"""Cold start: `dealgraph --help` and `dealgraph deals` on the seeds against importing the
libraries dealgraph stands on. Targets: `dealgraph --help` under 0.3 s (issue 5); `dealgraph
deals` on the seeds at most 1.0x the baseline import (issue 13).

A version is read from its record tables only from ``api.READ_TABLES_FROM_QUADS`` quads on,
where they save more than importing their reader (pyarrow, numpy) costs: the seeds' version is
read with SPARQL. The figures behind the bound are printed last: in fresh processes, the
import of the tables' reader, and the deals listing read with SPARQL and from the tables, on
the seeds and on synthetic networks around the bound.

    .venv/bin/python benchmarks/bench_cold_start.py [--repeat 7] [--synth-deals 100 200 300 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import child, machine, wall

BIN = Path(sys.executable).parent

#: The deals listing of the store at ``root``, read from its tables or with SPARQL whatever its
#: size, in a fresh process: how long the read took, and importing the tables' reader before it.
READ_DEALS = """
import time
from dealgraph import api
import dealgraph.flows, dealgraph.render
api.READ_TABLES_FROM_QUADS = 0 if {tables} else 10**15
start = time.perf_counter()
import dealgraph.tables
imported = time.perf_counter()
graph = api.DealGraph.open({root!r})
graph.deals()
_done(time.perf_counter() - imported, importing=imported - start, queries=graph.queries_sent)
"""


def timed(command: list[str], repeat: int) -> tuple[float, float, float]:
    """Best and median wall time of ``command``, and the CPU time (user + system) of one run on
    average: on a machine other work shares, the CPU time is far less inflated than the wall time.
    One run first, unmeasured, writes the bytecode the others load."""
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    best, median = wall(command, repeat)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / repeat
    return best, median, cpu


def read_deals(root: str, tables: bool, repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` fresh processes: reading the deals listing, importing the tables' reader."""
    runs = [child(READ_DEALS.format(root=root, tables=tables)) for _ in range(repeat)]
    assert all((r["queries"] == 0) == tables for r in runs)  # the path asked for is the one taken
    return min(r["seconds"] for r in runs), min(r["importing"] for r in runs)


def build(seeds: str | None, store: str) -> int:
    """Build ``seeds`` (the bundled ones if None) into ``store``; its quad count."""
    command = [str(BIN / "dealgraph"), "build", "--store", store, "-f", "json"]
    out = subprocess.run(command + (["--seeds", seeds] if seeds else []), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["triples"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--synth-deals", type=int, nargs="*", default=[100, 200, 300, 1000],
                    help="sizes of the synthetic networks (companies = deals / 10) the read paths are timed on")
    args = ap.parse_args()
    print(f"cold-start benchmark on {machine()}, load average {os.getloadavg()[0]:.2f} "
          f"(wall best / median of {args.repeat}, ratio of the bests; CPU per run, ratio)")
    with tempfile.TemporaryDirectory() as tmp:
        # Every command runs from bytecode, as an installed dealgraph does (pip compiles it) and
        # as the baseline's libraries do: with PYTHONDONTWRITEBYTECODE set, as it was where these
        # figures were first taken, each run compiled dealgraph's own modules again (40-50 ms of
        # `deals`). The bytecode goes into a folder of this run's own, not into the source tree.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        store = str(Path(tmp) / "store")
        quads = build(None, store)
        cases = {
            'python -c "import rdflib, networkx, pydantic" (baseline)':
                [sys.executable, "-c", "import rdflib, networkx, pydantic"],
            "python -c pass": [sys.executable, "-c", "pass"],
            "dealgraph --help": [str(BIN / "dealgraph"), "--help"],
            "dealgraph deals (seeds)": [str(BIN / "dealgraph"), "deals", "--store", store],
            "dealgraph deals --format json (seeds)": [str(BIN / "dealgraph"), "deals", "--store", store, "-f", "json"],
        }
        base = None
        for label, cmd in cases.items():
            best, median, cpu = timed(cmd, args.repeat)
            base = base or (best, cpu)
            note = ("target < 0.3 s" if label == "dealgraph --help" else
                    "target <= 1.0x" if label == "dealgraph deals (seeds)" else "")
            print(f"  {label:<58}{best:7.3f} s  {median:7.3f} s  {best / base[0]:5.2f}x"
                  f"  {cpu:7.3f} s  {cpu / base[1]:5.2f}x  {note}")

        print(f"The deals listing read with SPARQL / from the record tables, and importing their reader "
              f"(best of {args.repeat}):")
        stores = {f"seeds ({quads} quads)": store}
        for deals in args.synth_deals:
            seeds, synth_store = str(Path(tmp) / f"synth-{deals}"), str(Path(tmp) / f"store-{deals}")
            subprocess.run([str(BIN / "dealgraph"), "synth", "--deals", str(deals), "--companies",
                            str(max(deals // 10, 10)), "--seed", "0", "-o", seeds], capture_output=True, check=True)
            stores[f"{deals} synthetic deals ({build(seeds, synth_store)} quads)"] = synth_store
        for label, root in stores.items():
            (sparql, _), (tables, importing) = read_deals(root, False, args.repeat), read_deals(root, True, args.repeat)
            print(f"  {label:<38}{1000 * sparql:6.0f} ms  {1000 * tables:6.0f} ms  the tables save "
                  f"{1000 * (sparql - tables):5.0f} ms; importing their reader {1000 * importing:4.0f} ms")


if __name__ == "__main__":
    main()
