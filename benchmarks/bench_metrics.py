"""Benchmark the clearable share and the Finn cycling index alone (issue 13, item 3).

    .venv/bin/python benchmarks/bench_metrics.py [--sizes 10000 100000] [--repeat 3] [--seed 7]
                                                [--package PATH] [--profile]

The graph is ``bench_loops.random_deal_graph``'s (companies = deals / 10; 10 000 companies and
100 000 deals is issue 3's target graph), built in memory, without the store. Each metric runs
in a fresh process per size and repetition, so its peak resident memory is its own: the
figure printed is the whole process (the graph alone is given beside it). Wall time and CPU
time (user + system, all threads: BLAS uses both cores in Finn's dense core) are the best of
``--repeat`` runs; the machine is shared, so the figures are indicative, and CPU time is the
steadier of the two when other work competes for the cores. scipy's modules are imported
before the clock starts (about 0.25 s once per process, whichever metric needs them first).

``--package PATH`` runs the metrics of another copy of the ``dealgraph`` package (a directory
holding ``dealgraph/``), e.g. an export of the previous commit, to print before and after on
the same machine at the same moment. ``--profile`` prints the cProfile of one run of each
metric at the largest size, sorted by cumulative time.
"""

from __future__ import annotations

import argparse
import sys

from _common import ROOT, child, machine, row

METRICS = {
    "clearable_share": "r = clearable_share(G); value = r.share; extra = {'solver': r.solver}",
    "finn_cycling_index": "r = finn_cycling_index(G); value = r.fci; extra = {}",
}

#: Issue 13, item 3: each metric at most 2 s on 100 000 deals.
TARGET_SECONDS = 2.0


def measure(metric: str, deals: int, seed: int, package: str | None, profile: bool = False) -> dict:
    """One run of ``metric`` on the graph of ``deals`` deals, in a fresh interpreter."""
    path = f"sys.path.insert(0, {package!r})" if package else ""
    return child(f"""
        import os
        {path}
        sys.path.insert(0, {str(ROOT / 'benchmarks')!r})
        from bench_loops import random_deal_graph
        from dealgraph.analysis import clearable_share, finn_cycling_index
        import dealgraph
        G = random_deal_graph({max(20, deals // 10)}, {deals}, {seed})
        import scipy.linalg, scipy.optimize, scipy.sparse.csgraph  # paid once per process, not timed
        graph_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        c0, t0 = os.times(), time.perf_counter()
        {METRICS[metric]}
        seconds, c1 = time.perf_counter() - t0, os.times()
        cpu = (c1.user - c0.user) + (c1.system - c0.system)
        if {profile!r}:
            import cProfile, io, pstats
            p = cProfile.Profile()
            p.runcall(lambda: ({METRICS[metric].split(';')[0].split('= ', 1)[1]}))
            out = io.StringIO()
            pstats.Stats(p, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue(), file=sys.stderr)
            extra["profile"] = out.getvalue()
        _done(seconds, cpu=cpu, graph_rss=graph_rss, value=value, package=os.path.dirname(dealgraph.__file__),
              **extra)""")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="deal counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--package", help="directory holding another copy of the dealgraph package")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    print(f"metrics benchmark on {machine()}; best of {args.repeat}; the machine may be shared: indicative")
    over = False
    for deals in args.sizes:
        print(f"\n{deals} deals, {max(20, deals // 10)} companies (random_deal_graph, seed {args.seed})")
        for metric in METRICS:
            runs = [measure(metric, deals, args.seed, args.package) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["seconds"])
            cpu = min(r["cpu"] for r in runs)
            verdict = ""
            if deals >= 100_000:
                met = best["seconds"] <= TARGET_SECONDS
                verdict = f"; target <= {TARGET_SECONDS:.0f} s: " + ("met" if met else "MISSED")
                over |= best["seconds"] > TARGET_SECONDS
            solver = f", solver {best['solver']}" if "solver" in best else ""
            print(row(metric, best["seconds"], best["rss_mib"], None,
                      f"cpu {cpu:.2f} s, graph alone {best['graph_rss']:.0f} MiB; "
                      f"value {best['value']!r}{solver}{verdict}"))
        print(f"  (package: {runs[0]['package']})")
    if args.profile:
        for metric in METRICS:
            print(f"\nprofile of {metric} at {args.sizes[-1]} deals")
            print(measure(metric, args.sizes[-1], args.seed, args.package, profile=True)["profile"])
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
