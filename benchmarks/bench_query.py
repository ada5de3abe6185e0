"""Query benchmark: every saved query through the API (pyoxigraph, rows as Python
values) against the same SPARQL sent straight to pyoxigraph and to rdflib in memory.

    .venv/bin/python benchmarks/bench_query.py [--sizes 1000 10000 100000] [--repeat 3]

Target (issue 5): the API within 1.2x of pyoxigraph direct. Each figure is the best of
``--repeat`` runs (one above 10 000 deals) of the query with all its rows read, in one
process per engine. rdflib's own SPARQL engine runs each query once, in a process of its own,
and is stopped after ``--rdflib-limit`` seconds; a query it did not finish is not tried again
at a larger size.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import child, machine, row

# One query on rdflib, given ``limit`` seconds once the data is parsed (SIGALRM stops it).
RDFLIB_ONE = """
import signal
from rdflib import Dataset
from dealgraph.sparql import saved_queries
ds = Dataset(default_union=True); ds.parse({nq!r}, format="nquads")
q = saved_queries()[{name!r}]
def _stop(*_): raise TimeoutError
signal.signal(signal.SIGALRM, _stop); signal.alarm({limit})
t = time.perf_counter()
try:
    n = len([tuple(r) for r in ds.query(q.text)])
    _done(time.perf_counter() - t, n=n)
except TimeoutError:
    _done(None, n=None)
"""

RUN = """
import pyoxigraph as ox
from dealgraph.sparql import saved_queries
queries = saved_queries()
best = {{}}
{setup}
for name, q in queries.items():
    times = []
    for _ in range({repeat}):
        t = time.perf_counter()
        n = {run}
        times.append(time.perf_counter() - t)
    best[name] = (min(times), n)
_done(sum(t for t, _ in best.values()), best=best)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rdflib-limit", type=float, default=120.0,
                    help="seconds a query may take on rdflib before it is not tried at larger sizes")
    ap.add_argument("--rdflib-max-deals", type=int, default=10000,
                    help="largest size at which rdflib loads the dataset in memory at all")
    args = ap.parse_args()
    print(f"query benchmark on {machine()}")
    gave_up: set[str] = set()
    for deals in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            store, nq = tmp / "store", tmp / "dataset.nq"
            child(f"""
                from dealgraph.synth import generate
                from dealgraph import DealGraph
                import pyoxigraph as ox
                generate({str(tmp / 'seeds')!r}, companies={max(20, deals // 10)}, deals={deals}, seed=0)
                g, _ = DealGraph.build({str(tmp / 'seeds')!r}, store={str(store)!r})
                g.store.ox.dump({str(nq)!r}, ox.RdfFormat.N_QUADS)
                _done(0)""")
            engines = {
                "dealgraph API": dict(
                    setup=f"from dealgraph import DealGraph\ng = DealGraph.open({str(store)!r})",
                    run="len(g.query(name).rows)"),
                "pyoxigraph direct": dict(
                    setup=f"from dealgraph.store import current_version\n"
                          f"db = ox.Store.read_only(str(current_version({str(store)!r})))",
                    run="len([tuple(s) for s in db.query(q.text)])"),
            }
            repeat = args.repeat if deals <= 10000 else 1
            results = {label: child(RUN.format(repeat=repeat, **parts), timeout=7200)
                       for label, parts in engines.items()}
            rdflib = {}
            for name in results["pyoxigraph direct"]["best"]:
                if name in gave_up or deals > args.rdflib_max_deals:
                    rdflib[name] = None
                    continue
                r = child(RDFLIB_ONE.format(nq=str(nq), name=name, limit=int(args.rdflib_limit)), timeout=7200)
                rdflib[name] = None if r["seconds"] is None else (r["seconds"], r["n"])
                if r["seconds"] is None:
                    gave_up.add(name)
            base = results["pyoxigraph direct"]
            print(f"\n{deals} deals")
            for name in base["best"]:
                b = base["best"][name][0]
                print(f" {name}")
                for label, r in results.items():
                    t, n = r["best"][name]
                    print(row(label, t, None, b, f"{n} rows"))
                if rdflib[name] is None:
                    print(f"  {'rdflib in memory':<44}  stopped: over {args.rdflib_limit:.0f} s here or at a "
                          f"smaller size, or above --rdflib-max-deals {args.rdflib_max_deals}")
                else:
                    print(row("rdflib in memory", rdflib[name][0], None, b, f"{rdflib[name][1]} rows"))
            print(" all queries")
            for label, r in results.items():
                print(row(label, r["seconds"], r["rss_mib"], base["seconds"],
                          "target <= 1.2x" if label.startswith("dealgraph") else ""))


if __name__ == "__main__":
    main()
