"""Issue 13: the cyclic share, reciprocity, the circulation bound and the loop inventory read
the graph through the columnar :func:`_hop_arrays` (and :func:`_hop_deals` for the few hops a
result names) instead of an object per hop (:func:`_collapse`). Here each is checked against
its former per-hop version, kept below as the reference: the very same results (equal floats,
same order), on generated graphs with parallel deals, self-loops, unknown, zero and NaN
amounts, MultiDiGraphs and DiGraphs.
"""

from __future__ import annotations

import math

from hypothesis import given

from dealgraph.analysis import circulation_bound, cyclic_share, find_loops, reciprocity
from dealgraph.analysis._graph import _collapse, _components, _node_order
from dealgraph.analysis.circularity import ReciprocalPair

from .test_fast_paths import SETTINGS, multigraphs


def reference_cyclic_share(G):
    """The former cyclic_share, hop objects and all: (share, cyclic, total, coverage, components)."""
    hops, coverage = _collapse(G, "amount")
    index, comps, cyclic_comps = _components(G, hops)
    cyclic = total = 0.0
    for (u, v), hop in hops.items():
        total += hop.amount
        if index[u] == index[v] and index[u] in cyclic_comps:
            cyclic += hop.amount
    order = _node_order(G)
    components = tuple(sorted((tuple(sorted(comps[i], key=order.__getitem__)) for i in cyclic_comps),
                              key=lambda c: order[c[0]]))
    return (cyclic / total) if total > 0 else None, cyclic, total, coverage, components


def reference_reciprocity(G):
    """The former reciprocity: (pairs, connected pairs, total, coverage)."""
    hops, coverage = _collapse(G, "amount")
    order = _node_order(G)
    connected, pairs, total = set(), [], 0.0
    for (u, v), hop in hops.items():
        if u == v:
            continue
        total += hop.amount
        a, b = (u, v) if order[u] < order[v] else (v, u)
        connected.add((a, b))
        if (u, v) == (a, b) and (v, u) in hops:
            back = hops[(v, u)]
            pairs.append(ReciprocalPair(a, b, hop.known_amount, back.known_amount, tuple(hop.deals),
                                        tuple(back.deals)))
    pairs.sort(key=lambda p: (order[p.u], order[p.v]))
    return tuple(pairs), len(connected), total, coverage


def reference_bound_parts(G):
    """What the former circulation_bound read before solving: total, legs, known legs,
    not_bounded, and the problems (known edges and free legs per component, in order)."""
    hops, _ = _collapse(G, "amount")
    known = {uv: hop.amount for uv, hop in hops.items() if hop.known and hop.amount > 0}
    unknown = [uv for uv, hop in hops.items() if not hop.known]
    _, unknown_comps, unknown_cyclic = _components(G, unknown)
    order = _node_order(G)
    not_bounded = tuple(sorted((tuple(sorted(unknown_comps[i], key=order.__getitem__)) for i in unknown_cyclic),
                               key=lambda c: order[c[0]]))
    index, _, _ = _components(G, [*known, *unknown])
    loops = 0.0
    problems = {}
    for (u, v), c in known.items():
        if u == v:
            loops += c
        elif index[u] == index[v]:
            problems.setdefault(index[u], ({}, []))[0][(u, v)] = c
    for u, v in unknown:
        if u != v and index[u] == index[v] and index[u] in problems:
            problems[index[u]][1].append((u, v))
    total = math.fsum(hop.amount for hop in hops.values())
    return total, len(hops), sum(1 for h in hops.values() if h.known), not_bounded, loops, list(problems.values())


@SETTINGS
@given(multigraphs())
def test_cyclic_share_is_the_per_hop_reading(G):
    r = cyclic_share(G)
    assert (r.share, r.cyclic_amount, r.total_amount, r.coverage, r.components) == reference_cyclic_share(G)


@SETTINGS
@given(multigraphs())
def test_reciprocity_is_the_per_hop_reading(G):
    r = reciprocity(G)
    pairs, connected, total, coverage = reference_reciprocity(G)
    assert (r.pairs, r.connected_pairs, r.total_amount, r.coverage) == (pairs, connected, total, coverage)


@SETTINGS
@given(multigraphs())
def test_circulation_bound_reads_what_the_per_hop_reading_read(G):
    import dealgraph.analysis.circulation as circulation

    seen = []
    solve = circulation._known_part_network_simplex

    def spy(edges, free, scale):  # the problems handed to the solver, in order
        seen.append((dict(edges), list(free)))
        return solve(edges, free, scale)

    circulation._known_part_network_simplex = spy
    try:
        r = circulation_bound(G, method="network_simplex")
    finally:
        circulation._known_part_network_simplex = solve
    total, legs, known_legs, not_bounded, _, problems = reference_bound_parts(G)
    assert (r.total_amount, r.legs, r.known_legs, r.not_bounded) == (total, legs, known_legs, not_bounded)
    assert [(list(e.items()), f) for e, f in seen] == [(list(e.items()), f) for e, f in problems]


@SETTINGS
@given(multigraphs())
def test_loops_name_the_deals_kinds_and_sums_of_their_hops(G):
    hops, _ = _collapse(G, "amount")
    for loop in find_loops(G, time_limit=None).cycles:
        assert loop.deals == tuple(tuple(hops[p].deals) for p in loop.hops)
        assert loop.kinds == tuple(tuple(hops[p].kinds) for p in loop.hops)
        assert loop.hop_amounts == tuple(hops[p].known_amount for p in loop.hops)
