"""Query benchmark: every saved query through the API (pyoxigraph, rows as Python
values) against the same SPARQL sent straight to pyoxigraph and to rdflib in memory.

    .venv/bin/python benchmarks/bench_query.py [--sizes 1000 10000 100000] [--repeat 3]
        [--store 100000=/tmp/st100k] [--timeout 600] [--query-dir DIR] [--queries NAME ...]

Target (issue 5): the API within 1.2x of pyoxigraph direct. Each figure is the best of
``--repeat`` runs (one above 10 000 deals) of the query with all its rows read. Each query
runs in a process of its own per engine, the two engines one after the other for the same
query, so a change of the machine's load between queries hits both, and the store's files are
read once beforehand, so neither engine pays the other's disk reads; a query not finished
within ``--timeout`` seconds is stopped and shown as "over" that. The load average (1 minute)
before each query is printed beside it: the figures are only comparable on a quiet machine.
rdflib's own SPARQL engine runs each query once, in a process of its own, and is stopped after
``--rdflib-limit`` seconds; a query it did not finish is not tried again at a larger size.

The synthetic stores are ``dealgraph synth --deals N --companies max(20, N/10) --seed 0``
then ``dealgraph build``; ``--store N=PATH`` reads such a store already built instead of
building one (3-10 minutes and about 3 GiB at 100 000 deals). ``--query-dir`` times the ``.rq``
files of another folder under the saved queries' names, e.g. a copy of the queries before a
change, to compare the two texts on the same store.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from _common import child, machine, row

# One query on rdflib, given ``limit`` seconds once the data is parsed (SIGALRM stops it).
RDFLIB_ONE = """
import signal
from rdflib import Dataset
ds = Dataset(default_union=True); ds.parse({nq!r}, format="nquads")
text = {text!r}
def _stop(*_): raise TimeoutError
signal.signal(signal.SIGALRM, _stop); signal.alarm({limit})
t = time.perf_counter()
try:
    n = len([tuple(r) for r in ds.query(text)])
    _done(time.perf_counter() - t, n=n)
except TimeoutError:
    _done(None, n=None)
"""

# One query on one engine, best of ``repeat``. The store is opened before the clock starts.
RUN_ONE = """
import pyoxigraph as ox
name, text = {name!r}, {text!r}
{setup}
times = []
for _ in range({repeat}):
    t = time.perf_counter()
    n = {run}
    times.append(time.perf_counter() - t)
_done(min(times), n=n)
"""


def engines(store: Path, query_dir: Path | None) -> dict[str, dict[str, str]]:
    # The API runs a saved query by name; another folder's text is run as SPARQL text, which
    # the API takes as well (resolve_query), so both engines run the very same text.
    api_query = "name" if query_dir is None else "text"
    return {
        "dealgraph API": dict(
            setup=f"from dealgraph import DealGraph\ng = DealGraph.open({str(store)!r})",
            run=f"len(g.query({api_query}).rows)"),
        "pyoxigraph direct": dict(
            setup=f"from dealgraph.store import current_version\n"
                  f"db = ox.Store.read_only(str(current_version({str(store)!r})))",
            run="len([tuple(s) for s in db.query(text)])"),
    }


def timed(code: str, timeout: float) -> dict | None:
    """A child's result, or None when it did not finish within ``timeout`` seconds (killed)."""
    try:
        return child(code, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def build_store(deals: int, tmp: Path) -> Path:
    store = tmp / "store"
    child(f"""
        from dealgraph.synth import generate
        from dealgraph import DealGraph
        generate({str(tmp / 'seeds')!r}, companies={max(20, deals // 10)}, deals={deals}, seed=0)
        DealGraph.build({str(tmp / 'seeds')!r}, store={str(store)!r})
        _done(0)""", timeout=7200)
    return store


def dump_nquads(store: Path, nq: Path) -> None:
    child(f"""
        import pyoxigraph as ox
        from dealgraph.store import current_version
        ox.Store.read_only(str(current_version({str(store)!r}))).dump({str(nq)!r}, ox.RdfFormat.N_QUADS)
        _done(0)""")


def warm(store: Path) -> None:
    """Read the store's files once, so that the operating system holds them before any query
    runs: otherwise the first engine to run a query reads from disk what the second then
    finds cached, and the order of the two decides the ratio (4x at 100 000 deals, one run)."""
    from dealgraph.store import current_version

    for path in Path(current_version(str(store))).iterdir():
        if path.is_file():
            with path.open("rb") as f:
                while f.read(1 << 24):
                    pass


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rdflib-limit", type=float, default=120.0,
                    help="seconds a query may take on rdflib before it is not tried at larger sizes")
    ap.add_argument("--rdflib-max-deals", type=int, default=10000,
                    help="largest size at which rdflib loads the dataset in memory at all")
    ap.add_argument("--store", action="append", default=[], metavar="DEALS=PATH",
                    help="a store already built from `dealgraph synth --deals DEALS --companies DEALS/10 "
                         "--seed 0`, used for that size instead of building one (repeatable)")
    ap.add_argument("--timeout", type=float, default=1800.0,
                    help="seconds one query may take on one engine before it is stopped")
    ap.add_argument("--query-dir", type=Path, default=None,
                    help="time the .rq files of this folder instead of the saved queries")
    ap.add_argument("--queries", nargs="+", default=None, metavar="NAME", help="only these queries")
    args = ap.parse_args()
    stores = {int(deals): Path(path) for deals, path in (s.split("=", 1) for s in args.store)}

    from dealgraph.sparql import saved_queries

    if args.query_dir is None:
        texts = {name: q.text for name, q in saved_queries().items()}
    else:
        texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(args.query_dir.glob("*.rq"))}
    if args.queries:
        texts = {name: texts[name] for name in args.queries}

    print(f"query benchmark on {machine()}; queries from {args.query_dir or 'dealgraph/queries'}")
    gave_up: set[str] = set()
    for deals in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            store = stores.get(deals) or build_store(deals, tmp)
            nq = tmp / "dataset.nq"
            if deals <= args.rdflib_max_deals:
                dump_nquads(store, nq)
            repeat = args.repeat if deals <= 10000 else 1
            warm(store)
            parts = engines(store, args.query_dir)
            print(f"\n{deals} deals ({store if deals in stores else 'built for this run'}; {load()})")
            totals = {label: [0.0, 0.0] for label in parts}  # seconds, largest RSS
            unfinished: set[str] = set()
            for name, text in texts.items():
                print(f" {name}  ({load()})", flush=True)
                results = {label: timed(RUN_ONE.format(name=name, text=text, repeat=repeat, **p), args.timeout)
                           for label, p in parts.items()}
                base = results["pyoxigraph direct"]
                for label, r in results.items():
                    if r is None:
                        unfinished.add(label)
                        print(f"  {label:<44}  stopped: over {args.timeout:.0f} s")
                        continue
                    totals[label][0] += r["seconds"]
                    totals[label][1] = max(totals[label][1], r["rss_mib"])
                    print(row(label, r["seconds"], r["rss_mib"], base and base["seconds"], f"{r['n']} rows"))
                if name in gave_up or deals > args.rdflib_max_deals:
                    print(f"  {'rdflib in memory':<44}  stopped: over {args.rdflib_limit:.0f} s here or at a "
                          f"smaller size, or above --rdflib-max-deals {args.rdflib_max_deals}")
                    continue
                r = child(RDFLIB_ONE.format(nq=str(nq), text=text, limit=int(args.rdflib_limit)), timeout=7200)
                if r["seconds"] is None:
                    gave_up.add(name)
                    print(f"  {'rdflib in memory':<44}  stopped: over {args.rdflib_limit:.0f} s")
                else:
                    print(row("rdflib in memory", r["seconds"], None, base and base["seconds"], f"{r['n']} rows"))
            print(f" all queries ({load()}; RSS: the largest of the queries' processes)")
            base_total = None if "pyoxigraph direct" in unfinished else totals["pyoxigraph direct"][0]
            for label, (seconds, rss) in totals.items():
                if label in unfinished:
                    print(f"  {label:<44}  over {seconds:.1f} s: a query was stopped")
                else:
                    print(row(label, seconds, rss, base_total,
                              "target <= 1.2x" if label.startswith("dealgraph") else ""))


if __name__ == "__main__":
    main()
