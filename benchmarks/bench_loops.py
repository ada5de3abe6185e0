"""Benchmark the money-flow analyses on a large random deal graph.

    PYTHONPATH=. python benchmarks/bench_loops.py [--companies 10000] [--deals 100000] [--seed 7]

The graph: a MultiDiGraph of ``--companies`` companies and ``--deals`` deals. Payers and payees
are drawn independently with probabilities proportional to Pareto(1.5) weights (a directed
Chung-Lu graph: heavy-tailed in- and out-degrees, a few hubs with thousands of deals, as
preferential attachment gives). Amounts are lognormal (median 10^8, sigma 2); 15% are unknown
(None) and 20% of the known ones are ranges (low 0.7x, high 1.3x). Kinds are drawn from the
flow kinds of :data:`dealgraph.kinds.DEAL_KINDS`.

It runs the loop inventory (bounded: length 4, 10 000 loops, 20 s), the cyclic share, the
clearable share and the Finn cycling index, and prints each timing, the peak resident memory,
and the total against the target of 60 s. With ``--exact`` it also times the clearable share
with networkx's network simplex on the whole component (not counted in the total).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import networkx as nx
import numpy as np

from dealgraph.analysis import clearable_share, cyclic_share, find_loops, finn_cycling_index
from dealgraph.kinds import DEAL_KINDS

TARGET_SECONDS = 60.0


def random_deal_graph(companies: int, deals: int, seed: int) -> nx.MultiDiGraph:
    """A seeded heavy-tailed money-flow graph shaped like the builder's output."""
    rng = np.random.default_rng(seed)
    out_weight = rng.pareto(1.5, companies) + 1.0
    in_weight = rng.pareto(1.5, companies) + 1.0
    payers = rng.choice(companies, deals, p=out_weight / out_weight.sum())
    payees = rng.choice(companies, deals, p=in_weight / in_weight.sum())
    amounts = rng.lognormal(np.log(1e8), 2.0, deals)
    unknown = rng.random(deals) < 0.15
    ranged = rng.random(deals) < 0.20
    kinds = [k for k, v in DEAL_KINDS.items() if v.layer == "flow" and v.flow_from and v.flow_to]
    kind_of = rng.choice(len(kinds), deals)

    G = nx.MultiDiGraph()
    G.add_nodes_from((f"c{i:05d}", {"name": f"Company {i}"}) for i in range(companies))
    for k in range(deals):
        amount = None if unknown[k] else float(amounts[k])
        low = high = amount
        if amount is not None and ranged[k]:
            low, high = 0.7 * amount, 1.3 * amount
        deal = f"d{k:06d}"
        G.add_edge(
            f"c{payers[k]:05d}",
            f"c{payees[k]:05d}",
            key=deal,
            deal=deal,
            kind=kinds[kind_of[k]],
            layer="flow",
            amount=amount,
            amount_low=low,
            amount_high=high,
            currency="USD",
        )
    return G


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timed(label: str, fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.2f} s   peak RSS {peak_rss_mib():8.0f} MiB")
    return result, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--exact", action="store_true", help="also time the network simplex")
    args = parser.parse_args(argv)

    G, _ = timed("build graph", random_deal_graph, args.companies, args.deals, args.seed)
    H = nx.DiGraph(G)
    sizes = sorted((len(c) for c in nx.strongly_connected_components(H)), reverse=True)
    print(
        f"graph: {G.number_of_nodes()} companies, {G.number_of_edges()} deals, "
        f"{H.number_of_edges()} company pairs, largest strongly connected component {sizes[0]}"
    )

    total = 0.0
    loops, s = timed(
        "find_loops(max_length=4, max_cycles=10_000)",
        find_loops, G, max_length=4, max_cycles=10_000, time_limit=20.0,
    )
    total += s
    print(f"  {len(loops.cycles)} loops, truncated by {loops.bounds['truncated_by']}")
    cyc, s = timed("cyclic_share", cyclic_share, G)
    total += s
    print(f"  share {cyc.share:.4f}, coverage {cyc.coverage['fraction']:.3f}")
    clear, s = timed("clearable_share", clearable_share, G)
    total += s
    print(f"  share {clear.share:.4f}, solver {clear.solver}")
    fci, s = timed("finn_cycling_index", finn_cycling_index, G)
    total += s
    print(f"  FCI {fci.fci:.4f}, closed components {len(fci.closed_components)}")

    verdict = "OK" if total < TARGET_SECONDS else "OVER TARGET"
    print(f"total (analyses) {total:.2f} s against a target of {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"peak RSS {peak_rss_mib():.0f} MiB")

    if args.exact:
        exact, _ = timed(
            "clearable_share(method='network_simplex')",
            clearable_share, G, method="network_simplex",
        )
        print(f"  share {exact.share:.6f} (HiGHS: {clear.share:.6f}), not counted in the total")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
