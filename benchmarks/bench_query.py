"""Query benchmark: every saved query through the API (rdflib over oxrdflib, rows as Python
values) against the same SPARQL sent straight to pyoxigraph and to rdflib in memory.

    .venv/bin/python benchmarks/bench_query.py [--sizes 1000 10000 100000] [--repeat 3]

Target (issue 5): the API within 1.2x of pyoxigraph direct. Each figure is the best of
``--repeat`` runs of the query with all its rows read, in one process per engine.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import child, machine, row

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
    args = ap.parse_args()
    print(f"query benchmark on {machine()}")
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
                "dealgraph API (rdflib + oxrdflib)": dict(
                    setup=f"from dealgraph import DealGraph\ng = DealGraph.open({str(store)!r})",
                    run="len(g.query(name).rows)"),
                "pyoxigraph direct": dict(
                    setup=f"from dealgraph.store import current_version\ndb = ox.Store.read_only(str(current_version({str(store)!r})))",
                    run="sum(1 for s in db.query(q.text) for v in s)"),
                "rdflib in memory": dict(
                    setup=f"from rdflib import Dataset\nds = Dataset(default_union=True); ds.parse({str(nq)!r}, format='nquads')",
                    run="len([tuple(r) for r in ds.query(q.text)])"),
            }
            results = {}
            for label, parts in engines.items():
                repeat = 1 if label == "rdflib in memory" and deals > 10000 else args.repeat
                results[label] = child(RUN.format(repeat=repeat, **parts), timeout=7200)
            base = results["pyoxigraph direct"]
            print(f"\n{deals} deals")
            for name in base["best"]:
                b = base["best"][name][0]
                print(f" {name}")
                for label, r in results.items():
                    t, n = r["best"][name]
                    print(row(label, t, None, b, f"{n} rows/values"))
            print(" all queries")
            for label, r in results.items():
                print(row(label, r["seconds"], r["rss_mib"], base["seconds"],
                          "target <= 1.2x" if label.startswith("dealgraph") else ""))


if __name__ == "__main__":
    main()
