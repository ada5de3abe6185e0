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
"""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealgraph.analysis import clearable_share, finn_cycling_index
from dealgraph.analysis._graph import _collapse, _components, _hop_arrays
from dealgraph.analysis.circularity import _clear_network_simplex
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
