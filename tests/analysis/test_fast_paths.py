"""Issue 13, item 3: the fast paths of the clearable share and Finn's index against the
straightforward definitions, on generated graphs.

- Reading: :func:`_hop_arrays` (columns, numpy sums) gives the hops, sums, counts, order and
  coverage that :func:`_collapse` (an object per hop) gives, the very same floats, and the
  same error naming the same edge when an amount is bad.
- Components: scipy's strongly connected components are networkx's.
- Clearable share: per component, arrays into HiGHS or the network simplex, equals the
  largest circulation of the whole graph in one exact network simplex.
- Finn: the core split with Levy-Low reductions leaves an acyclic rest in topological order,
  and the return fractions equal the diagonal of one dense inverse of ``I - G`` over the
  companies outside closed components (the definition, enaR's ``diag(N)``).
- One reading for several metrics (:class:`GraphReading`): each metric given it returns what
  it returns reading the graph itself, and :func:`metrics_with_bounds` given it skips a bound
  exactly when its hops read as the value's, with the results of the plain three runs.
- Above ``AUTO_HIGHS_EDGES`` hops, ``method="auto"`` answers as an exact network simplex does,
  whether it keeps HiGHS' answer or, HiGHS having lost a small amount, falls back.
"""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealgraph.analysis import (
    GraphReading,
    balancing_inputs,
    circulation_bound,
    clearable_share,
    cyclic_share,
    find_loops,
    finn_cycling_index,
    metrics_with_bounds,
    reciprocity,
)
from dealgraph.analysis._graph import _collapse, _components, _hop_arrays, _strong_components
from dealgraph.analysis.circularity import AUTO_HIGHS_EDGES, _clear_network_simplex
from dealgraph.analysis.finn import _feedback_split

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def multigraphs(draw, max_nodes=12, max_edges=60, amounts=None, digraph=None):
    """Multigraphs (or DiGraphs) of up to ``max_nodes`` companies, parallel deals, self-loops,
    unknown and zero amounts, with node ids of mixed insertion order."""
    n = draw(st.integers(1, max_nodes))
    amount = amounts if amounts is not None else st.one_of(
        st.none(), st.just(0.0), st.floats(1e-3, 1e3), st.just(float("nan"))
    )
    edges = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), amount), max_size=max_edges)
    )
    multi = not (draw(st.booleans()) if digraph is None else digraph)
    G = nx.MultiDiGraph() if multi else nx.DiGraph()
    G.add_nodes_from(draw(st.permutations([f"c{i}" for i in range(n)])))
    for k, (u, v, x) in enumerate(edges):
        if multi:
            G.add_edge(f"c{u}", f"c{v}", key=f"d{k}", amount=x)
        else:
            G.add_edge(f"c{u}", f"c{v}", amount=x)
    return G


# --- reading ---------------------------------------------------------------------------------


@SETTINGS
@given(multigraphs())
def test_hop_arrays_are_collapse_in_columns(G):
    hops, coverage = _collapse(G, "amount")
    arrays = _hop_arrays(G, "amount")
    assert arrays.coverage == coverage
    pairs = [(arrays.nodes[u], arrays.nodes[v]) for u, v in zip(arrays.tail.tolist(), arrays.head.tolist())]
    assert pairs == list(hops)  # the same hops, in the order of their first edge
    # The same floats, not merely close: each hop's amounts added in edge order from 0.0.
    assert arrays.amount.tolist() == [hop.amount for hop in hops.values()]
    assert arrays.known.tolist() == [hop.known for hop in hops.values()]
    positive = arrays.positive()
    assert positive.amount.tolist() == [hop.amount for hop in hops.values() if hop.amount > 0]


@pytest.mark.parametrize(
    "bad, error",
    [(-1.0, ValueError), (float("inf"), ValueError), (1e200, ValueError), (1e-200, ValueError),
     ("12", TypeError), (True, TypeError), (1j, TypeError)],
)
def test_hop_arrays_refuse_what_collapse_refuses(bad, error):
    # A bad amount after a good one and before another bad one: the same error, naming the
    # first bad edge, whichever way the amounts are read.
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="ok", amount=1.0)
    G.add_edge("b", "c", key="first", amount=bad)
    G.add_edge("c", "a", key="second", amount=-5.0)
    with pytest.raises(error) as slow:
        _collapse(G, "amount")
    with pytest.raises(error) as fast:
        _hop_arrays(G, "amount")
    assert str(fast.value) == str(slow.value) and "'first'" in str(fast.value)


def test_hop_arrays_read_every_real_type():
    # Not plain floats: read edge by edge, to the same values.
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="int", amount=3)
    G.add_edge("a", "b", key="decimal", amount=Decimal("0.5"))
    G.add_edge("b", "a", key="numpy", amount=np.float64(2.0))
    G.add_edge("b", "a", key="none", amount=None)
    arrays = _hop_arrays(G, "amount")
    assert arrays.amount.tolist() == [3.5, 2.0] and arrays.known.tolist() == [2, 1]
    assert arrays.coverage == {"edges": 4, "edges_with_amount": 3, "fraction": 0.75}


# --- components ------------------------------------------------------------------------------


@SETTINGS
@given(multigraphs(max_edges=30))
def test_components_are_networkx_components(G):
    pairs = {(u, v) for u, v in G.edges()}
    index, comps, cyclic = _components(G, pairs)
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from(pairs)
    expected = {frozenset(c) for c in nx.strongly_connected_components(H)}
    assert {frozenset(c) for c in comps} == expected
    assert all(n in comps[index[n]] for n in G)
    with_cycle = {frozenset(c) for c in expected if len(c) > 1 or any(H.has_edge(n, n) for n in c)}
    assert {frozenset(comps[i]) for i in cyclic} == with_cycle


# --- clearable share -------------------------------------------------------------------------


def whole_graph_circulation(G):
    """The definition in one piece: the largest circulation under the known amounts of the
    whole graph (no components), by one exact network simplex; self-loops clear in full."""
    flows: dict = {}
    for u, v, x in G.edges(data="amount"):
        if x is not None and x == x and x > 0:
            flows[(u, v)] = flows.get((u, v), 0.0) + x
    loops = sum(x for (u, v), x in flows.items() if u == v)
    rest = {uv: x for uv, x in flows.items() if uv[0] != uv[1]}
    return loops + (_clear_network_simplex(rest, None) if rest else 0.0), sum(flows.values())


@SETTINGS
@given(multigraphs(max_nodes=10, max_edges=40))
def test_clearable_share_is_the_whole_graph_circulation(G):
    cleared, total = whole_graph_circulation(G)
    for method in ("network_simplex", "highs"):
        r = clearable_share(G, method=method)
        assert r.total_amount == pytest.approx(total, rel=1e-12)
        # network simplex: rounding to 1e9 units of the smallest amount, per component or
        # for the whole graph (5e-10 relative each); HiGHS: its feasibility tolerance.
        tolerance = 2e-9 if method == "network_simplex" else 1e-6
        assert r.cleared_amount == pytest.approx(cleared, rel=tolerance, abs=tolerance * total)


# --- Finn ------------------------------------------------------------------------------------


@SETTINGS
@given(st.integers(2, 40), st.floats(0.02, 0.5), st.integers(0, 2**32 - 1))
def test_feedback_split_leaves_an_acyclic_rest(m, density, seed):
    G = nx.gnp_random_graph(m, density, seed=seed, directed=True)
    succ = [[w for w in G.successors(i) if w != i] for i in range(m)]
    pred = [[w for w in G.predecessors(i) if w != i] for i in range(m)]
    core, rest = _feedback_split(m, succ, pred)
    assert sorted(core + rest) == list(range(m))
    place = {n: k for k, n in enumerate(rest)}
    assert all(place[u] < place[v] for u, v in G.edges if u in place and v in place)
    # Not a minimum, but never more than the greedy choice could need: every node of the
    # core lies on a cycle of the graph.
    cyclic = {n for c in nx.strongly_connected_components(G) if len(c) > 1 for n in c}
    assert set(core) <= cyclic


def dense_reference(G, z):
    """Return fractions from the definition: T = inflow + input, G = F / T by rows, and the
    diagonal of one dense inverse of I - G over the companies outside closed components
    (those receive nothing from outside; their fraction is 1 by definition). The closed
    components only pay out, so I - G is block triangular with them first and the rest's
    diagonal block is the principal submatrix."""
    nodes = list(G)
    F = np.zeros((len(nodes), len(nodes)))
    pos = {n: i for i, n in enumerate(nodes)}
    for u, v, x in G.edges(data="amount"):
        if x is not None and x == x and x > 0:
            F[pos[u], pos[v]] += x
    T = F.sum(axis=0) + np.array([z.get(n, 0.0) for n in nodes])
    H = nx.DiGraph()
    H.add_nodes_from(range(len(nodes)))
    H.add_edges_from(zip(*np.nonzero(F)))
    closed = set()
    for comp in nx.strongly_connected_components(H):
        holds_cycle = len(comp) > 1 or any(H.has_edge(i, i) for i in comp)
        entry = sum(z.get(nodes[i], 0.0) for i in comp) + sum(
            F[k, i] for i in comp for k in range(len(nodes)) if k not in comp
        )
        if holds_cycle and entry == 0:
            closed |= comp
    keep = [i for i in range(len(nodes)) if i not in closed]
    Gm = np.divide(F, T[:, None], out=np.zeros_like(F), where=T[:, None] > 0)[np.ix_(keep, keep)]
    N = np.linalg.inv(np.eye(len(keep)) - Gm)
    ret = dict.fromkeys(nodes, 1.0)
    ret.update({nodes[i]: 1 - 1 / N[k, k] for k, i in enumerate(keep)})
    return ret, T


@st.composite
def finn_cases(draw):
    """Up to 40 companies with 2-cycles, hubs and self-loops (cores and reroutings of every
    kind), amounts 1 to 100 or unknown, inputs to some companies (some components closed)."""
    G = draw(multigraphs(max_nodes=40, max_edges=160, amounts=st.one_of(st.none(), st.floats(1, 100))))
    nodes = list(G)
    fed = draw(st.lists(st.sampled_from(nodes), max_size=len(nodes)))
    z = {n: draw(st.floats(0.5, 50)) for n in fed}
    return G, z


@SETTINGS
@given(finn_cases())
def test_finn_is_the_dense_inverse(case):
    G, z = case
    expected, T = dense_reference(G, z)
    r = finn_cycling_index(G, inputs=z)
    assert r.return_fraction == pytest.approx(expected, abs=1e-10)
    if T.sum() > 0:
        fci = sum(expected[n] * t for n, t in zip(G, T)) / T.sum()
        assert r.fci == pytest.approx(fci, abs=1e-10)
    assert r.throughflow == pytest.approx(dict(zip(G, T)), rel=1e-12)


# --- one reading for several metrics ---------------------------------------------------------

WEIGHTS = ("amount", "amount_low", "amount_high")


@st.composite
def bounded_graphs(draw):
    """Multigraphs (or DiGraphs) whose deals carry ``amount_low`` and ``amount_high`` beside the
    amount: the same number, another, missing, None or NaN; on some graphs every bound is the
    amount or missing, so that a bound reads as the value."""
    G = draw(multigraphs(max_nodes=8, max_edges=30))
    exact = draw(st.booleans())
    kinds = ("same", "missing") if exact else ("same", "other", "missing", "none", "nan")
    for *_, d in G.edges(data=True):
        for bound in WEIGHTS[1:]:
            kind = draw(st.sampled_from(kinds))
            if kind == "same":
                d[bound] = d["amount"]
            elif kind == "other":
                d[bound] = draw(st.floats(1e-3, 1e3))
            elif kind != "missing":
                d[bound] = None if kind == "none" else float("nan")
    return G


def hop_sums(G, amount_of):
    """Each hop's sum and count of known amounts, ``amount_of(data)`` an edge's amount: the
    plain definition of what a metric reads."""
    sums: dict = {}
    for u, v, d in G.edges(data=True):
        total, count = sums.get((u, v), (0.0, 0))
        x = amount_of(d)
        if x is not None and x == x:
            total, count = total + x, count + 1
        sums[(u, v)] = (total, count)
    return sums


@SETTINGS
@given(bounded_graphs())
def test_a_reading_gives_each_metric_what_it_reads_itself(G):
    reading = GraphReading(G)
    for weight in WEIGHTS:
        shared, own = reading.hops(weight), _hop_arrays(G, weight)
        assert shared.nodes == own.nodes and shared.coverage == own.coverage
        for column in ("tail", "head", "amount", "known"):
            assert getattr(shared, column).tolist() == getattr(own, column).tolist()
            assert not getattr(shared, column).flags.writeable  # shared: no metric may change it
        assert reading.hops(weight) is shared  # read once
        assert reading.unset(weight).tolist() == [d.get(weight) is None for *_, d in G.edges(data=True)]
        for metric in (cyclic_share, clearable_share, reciprocity, circulation_bound, finn_cycling_index,
                       balancing_inputs):
            assert metric(G, weight, reading=reading) == metric(G, weight)
        assert (find_loops(G, weight=weight, reading=reading, time_limit=None).cycles
                == find_loops(G, weight=weight, time_limit=None).cycles)


def test_a_reading_of_another_graph_is_refused():
    G = nx.DiGraph([("a", "b"), ("b", "a")])
    reading = GraphReading(G.copy())
    for metric in (cyclic_share, clearable_share, reciprocity, circulation_bound, finn_cycling_index,
                   balancing_inputs, find_loops):
        with pytest.raises(ValueError, match="another graph"):
            metric(G, reading=reading)
    with pytest.raises(ValueError, match="another graph"):
        metrics_with_bounds(G, cyclic_share, reading=reading)


@SETTINGS
@given(bounded_graphs())
def test_bounds_that_read_as_the_value_are_not_computed_again(G):
    value = hop_sums(G, lambda d: d.get("amount"))
    for metric, kwargs in ((cyclic_share, {}), (clearable_share, {}), (reciprocity, {}),
                           (finn_cycling_index, {"inputs": None})):
        shared = metrics_with_bounds(G, metric, reading=GraphReading(G), **kwargs)
        assert shared == metrics_with_bounds(G, metric, **kwargs)  # the plain three runs
        for side, bound in (("low", "amount_low"), ("high", "amount_high")):
            # a missing or None bound is the amount (metrics_with_bounds' rule)
            same = hop_sums(G, lambda d: d[bound] if d.get(bound) is not None else d.get("amount")) == value
            assert (getattr(shared, side) is shared.value) == same


# --- HiGHS above AUTO_HIGHS_EDGES --------------------------------------------------------------


def large_component(seed: int, decades: float) -> nx.MultiDiGraph:
    """One strongly connected component of more than AUTO_HIGHS_EDGES hops: 300 companies, 1 600
    deals at random, amounts spread evenly over ``decades`` orders of magnitude from 1, 15 %
    unknown."""
    rng = np.random.default_rng(seed)
    payers, payees = rng.integers(0, 300, 1600), rng.integers(0, 300, 1600)
    amounts = 10.0 ** rng.uniform(0, decades, 1600)
    unknown = rng.random(1600) < 0.15
    G = nx.MultiDiGraph()
    for k in range(1600):
        G.add_edge(int(payers[k]), int(payees[k]), key=k, amount=None if unknown[k] else float(amounts[k]))
    hops = _hop_arrays(G, "amount").positive()
    labels, _ = _strong_components(len(hops.nodes), hops.tail, hops.head)
    assert np.bincount(labels[hops.tail][labels[hops.tail] == labels[hops.head]]).max() > AUTO_HIGHS_EDGES
    return G


#: A network simplex on a scale of 2**64 units per amount: every amount here (from 1, 53-bit
#: mantissas) is then an integer number of units, and its answer exact.
EXACT = {"method": "network_simplex", "scale": 2.0**64}


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(3, 12))
def test_auto_answers_as_an_exact_network_simplex_above_the_highs_threshold(seed, decades):
    G = large_component(seed, decades)
    cleared = clearable_share(G).cleared_amount
    assert cleared == pytest.approx(clearable_share(G, **EXACT).cleared_amount, rel=1e-12)
    bound, exact = circulation_bound(G), circulation_bound(G, **EXACT)
    assert bound.known_high == pytest.approx(exact.known_high, rel=1e-12)
    assert bound.high == pytest.approx(exact.high, rel=1e-12)


def test_auto_falls_back_where_highs_loses_a_small_amount():
    # Amounts spanning 1e12: HiGHS' feasibility tolerance (on amounts divided by the largest)
    # swallows the small ones, and its point strays from the constraints by that much.
    G = large_component(1, 12)
    exact = clearable_share(G, **EXACT).cleared_amount
    assert clearable_share(G, method="highs").cleared_amount != pytest.approx(exact, rel=1e-12)
    auto = clearable_share(G)
    assert auto.solver == "network_simplex" and auto.cleared_amount == pytest.approx(exact, rel=1e-12)
