"""Issue 13: the cyclic share, reciprocity, the circulation bound and the loop inventory read
the graph through the columnar :func:`_hop_arrays` (and :func:`_hop_deals` for the few hops a
result names) instead of an object per hop (:func:`_collapse`). Here each is checked against
its former per-hop version, kept below as the reference: the very same results (equal floats,
same order), on generated graphs with parallel deals, self-loops, unknown, zero and NaN
amounts, MultiDiGraphs and DiGraphs.

The loop inventory (:func:`dealgraph.report.loop_inventory`) shares one reading of each graph
among its metrics, skips the bounds that read as the value, takes the "all" stage's figures
from the graph's when the stage holds every flow and company, and reads the deals' stages
once: its output is checked against the former inventory, every metric reading the graph
itself and every stage built by ``add_edges_from``.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from dealgraph.analysis import (
    balancing_inputs,
    circulation_bound,
    clearable_share,
    cyclic_share,
    find_loops,
    finn_cycling_index,
    loop_circulation,
    metrics_with_bounds,
    reciprocity,
)
from dealgraph.analysis._graph import _collapse, _components, _node_order
from dealgraph.analysis.circularity import ReciprocalPair
from dealgraph.kinds import CUMULATIVE_STAGES, DEAL_KINDS, STAGES
from dealgraph.report import FCI_INPUTS, _at, _from_biggest_payer, _name, loop_inventory

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


# --- the loop inventory ----------------------------------------------------------------------

FLOW_KINDS = sorted(k for k, kind in DEAL_KINDS.items() if kind.layer == "flow" and kind.flow_from and kind.flow_to)


@st.composite
def money_flow_graphs(draw):
    """Small money-flow graphs as the builder makes them: deals of flow kinds, each at a stage
    (or none, as in a graph made by hand), with bounds the same as the amount or not; boundary
    inputs per stage, their total on some companies the sum the stages give (so that the "all"
    stage's inputs are the graph's) and on others not; some companies with no flow. No NaN
    amounts (the builder writes None): a NaN in the output would not equal itself."""
    amounts = st.one_of(st.none(), st.just(0.0), st.floats(1e-3, 1e3))
    G = draw(multigraphs(max_nodes=8, max_edges=30, amounts=amounts, digraph=False))
    for *_, d in G.edges(data=True):
        d["kind"] = draw(st.sampled_from(FLOW_KINDS))
        d["stage"] = draw(st.sampled_from((*STAGES, None)))
        d["amount_low"] = d["amount_high"] = d["amount"]
        if d["amount"] is not None and draw(st.booleans()):
            d["amount_low"], d["amount_high"] = 0.5 * d["amount"], 2.0 * d["amount"]
    for n, attrs in G.nodes(data=True):
        for stage in draw(st.lists(st.sampled_from(STAGES), unique=True)):
            attrs[f"boundary_input_{stage}"] = draw(st.floats(0.1, 10))
        if any(k.startswith("boundary_input_") for k in attrs):
            by_stage = sum(attrs.get(f"boundary_input_{s}", 0.0) for s in STAGES)
            attrs["boundary_input"] = by_stage if draw(st.booleans()) else by_stage + 1.0
    return G


def circulation_of(loop) -> dict:
    c = loop_circulation(loop)
    return {"high": c.high, "known_legs": c.known_legs, "legs": c.legs}


def reference_circulation_at(deal_stage, stages, cycle):
    """A loop's circulation at a stage, each deal's stage looked up in ``deal_stage`` as before."""
    hops = []
    for deals in cycle["deals"]:
        present = [deal_stage[k][1] for k in deals if _at(deal_stage[k][0], stages)]
        if not present:
            return None
        known = [a for a in present if a is not None]
        hops.append(sum(known) if known else None)
    return circulation_of(SimpleNamespace(hop_amounts=hops))


def reference_inventory(G):
    """The former loop_inventory's cycles and metrics: every metric reading G itself, the bounds
    always computed, each stage's graph built by add_edges_from and measured in full."""
    search = find_loops(G)
    out_money = {n: sum(d.get("amount") or 0 for _, _, d in G.out_edges(n, data=True)) for n in G}
    cycles = [_from_biggest_payer({
        "members": [_name(G, m) for m in loop.members], "member_ids": list(loop.members),
        "deals": [list(h) for h in loop.deals], "kinds": [list(k) for k in loop.kinds],
        "hop_amounts": list(loop.hop_amounts), "bottleneck": loop.bottleneck, "length": loop.length,
        "circulation": circulation_of(loop),
    }, out_money) for loop in search.cycles]
    cs = metrics_with_bounds(G, cyclic_share)
    cl = metrics_with_bounds(G, clearable_share)
    fci = metrics_with_bounds(G, finn_cycling_index, inputs="boundary_input")
    rec, circ = reciprocity(G), circulation_bound(G)
    in_component = {n: i for i, members in enumerate(cs.value.components) for n in members}
    share_only = sum(1 for *_, d in G.edges(data=True)
                     if d.get("amount") is None and DEAL_KINDS[d["kind"]].share_of is not None)
    metrics = {
        "cyclic_share": {"value": cs.value.share, "low": cs.low.share, "high": cs.high.share,
                         "cyclic_amount": cs.value.cyclic_amount, "total_amount": cs.value.total_amount,
                         "edges_on_loops": sum(1 for u, v in G.edges() if u in in_component
                                               and in_component[u] == in_component.get(v)),
                         "edges": G.number_of_edges()},
        "clearable_share": {"value": cl.value.share, "low": cl.low.share, "high": cl.high.share,
                            "cleared_amount": cl.value.cleared_amount},
        "finn_cycling_index": {"value": fci.value.fci, "low": fci.low.fci, "high": fci.high.fci,
                               "input_assumption": FCI_INPUTS["boundary"]},
        "finn_cycling_index_balanced": {"value": finn_cycling_index(G, inputs=balancing_inputs(G)).fci,
                                        "input_assumption": FCI_INPUTS["balanced"]},
        "return_fraction": {_name(G, n): f for n, f in fci.value.return_fraction.items()},
        "reciprocity": {"reciprocal_pairs": rec.reciprocal_pairs, "connected_pairs": rec.connected_pairs,
                        "pair_share": rec.pair_share, "amount_share": rec.amount_share,
                        "pairs": [[_name(G, p.u), _name(G, p.v)] for p in rec.pairs]},
        "circulation": {"high": None if circ.unbounded else circ.high, "unbounded": circ.unbounded,
                        "known_high": circ.known_high, "total_amount": circ.total_amount,
                        "share_high": circ.share_high,
                        "not_bounded_by_record": [c["members"] for c in cycles
                                                  if c["circulation"]["known_legs"] == 0]},
        "coverage": {**cs.value.coverage, "share_only_edges": share_only,
                     "edges_that_can_carry_amount": cs.value.coverage["edges"] - share_only},
        "boundary_input": {_name(G, n): v for n, v in G.nodes(data="boundary_input") if v},
        "by_stage": {},
    }
    deal_stage = {k: (d.get("stage"), d.get("amount")) for _, _, k, d in G.edges(keys=True, data=True)}
    for cycle in cycles:
        cycle["circulation_by_stage"] = {name: reference_circulation_at(deal_stage, stages, cycle)
                                         for name, stages in CUMULATIVE_STAGES.items()}
    for name, stages in CUMULATIVE_STAGES.items():
        H = nx.MultiDiGraph()
        H.add_nodes_from(G.nodes(data=True))
        H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if _at(d.get("stage"), stages))
        H.remove_nodes_from([n for n in G if H.degree(n) == 0])
        inputs = {n: t for n in H if (t := sum(G.nodes[n].get(f"boundary_input_{s}", 0.0) for s in stages))}
        s_cs, s_cl, s_circ = cyclic_share(H), clearable_share(H), circulation_bound(H)
        metrics["by_stage"][name] = {
            "flows": s_cs.coverage["edges"], "flows_with_amount": s_cs.coverage["edges_with_amount"],
            "known_amount": s_cs.total_amount, "cyclic_share": s_cs.share, "cyclic_amount": s_cs.cyclic_amount,
            "clearable_share": s_cl.share, "cleared_amount": s_cl.cleared_amount,
            "finn_cycling_index": finn_cycling_index(H, inputs=inputs).fci,
            "loops": sum(1 for c in cycles if c["circulation_by_stage"][name] is not None),
            "circulation": {"high": None if s_circ.unbounded else s_circ.high, "unbounded": s_circ.unbounded,
                            "known_high": s_circ.known_high}}
    return cycles, metrics


@SETTINGS
@given(money_flow_graphs())
def test_the_loop_inventory_is_the_former_inventory(G):
    out = loop_inventory(G)
    cycles, metrics = reference_inventory(G)
    assert out["cycles"] == cycles
    assert out["metrics"] == metrics  # the same floats: every fast path reads what the metric read
