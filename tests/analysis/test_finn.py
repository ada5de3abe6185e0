"""Finn cycling index against the oyster reef model as enaR computes it, and by hand.

Reference network: the intertidal oyster reef energy-flow model of Dame and Patten (1981),
as shipped with the R package enaR (``data(oyster)``; read from the SCOR file oyster.dat).

- Dame, R. F. and Patten, B. C. (1981). Analysis of energy flows in an intertidal oyster
  reef. Marine Ecology Progress Series 5, 115-124. (enaR's documentation: "Data were taken
  from Patten (1985)", Can. Bull. Fish. Aquat. Sci. 213, 119-138; flows in kcal m^-2 day^-1.)
- Borrett, S. R. and Lau, M. K. (2014). enaR: An R package for Ecosystem Network Analysis.
  Methods in Ecology and Evolution 5(11), 1206-1213. doi:10.1111/2041-210X.12282
- The numbers below are copied from the enaR vignette (Lau and Borrett, "enaR: Ecosystem
  Network Analysis with R", github.com/SEELab/enaR, vignettes/enaR-vignette.tex, commit
  0610785bb21aa6cb32104d612a992e670ecbf716), which prints the model (``unpack(m)``: F
  row-to-column, z, r) and ``enaFlow(m)``: ``ns`` with Boundary 41.47, TST 83.5833,
  FCI 0.1101686, mode2.F (cycled flow) 9.208256; the input-oriented integral matrix NP,
  whose diagonal is the diagonal of N; and the output-oriented direct intensities G.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from dealgraph.analysis.finn import (
    _feedback_split,
    balancing_inputs,
    finn_cycling_index,
    flow_intensities,
)

from .conftest import deal

FF, MI, ME, DF, PR, DD = (
    "Filter Feeders",
    "Microbiota",
    "Meiofauna",
    "Deposit Feeders",
    "Predators",
    "Deposited Detritus",
)

#: enaR vignette, ``unpack(m)$F`` (row = from, column = to), nonzero entries only.
OYSTER_FLOWS = {
    (FF, PR): 0.5135,
    (FF, DD): 15.7910,
    (MI, ME): 1.2060,
    (MI, DF): 1.2060,
    (ME, DF): 0.6609,
    (ME, DD): 4.2403,
    (DF, PR): 0.1721,
    (DF, DD): 1.9076,
    (PR, DD): 0.3262,
    (DD, MI): 8.1721,
    (DD, ME): 7.2745,
    (DD, DF): 0.6431,
}
#: ``unpack(m)$z``: only the filter feeders take energy from outside (suspended food).
OYSTER_INPUTS = {FF: 41.47}
#: ``diag(F$NP)`` as printed (= diag(N)).
OYSTER_NII = {FF: 1.0, MI: 1.1018630, ME: 1.2971032, DF: 1.1240688, PR: 1.0051064, DD: 1.3885039}
#: Some of ``F$G`` as printed (row i, column j).
OYSTER_G = {
    (MI, ME): 0.1475753,
    (ME, DF): 0.07793173,
    (DD, MI): 0.3670363,
    (FF, PR): 0.01238245,
    (DF, DD): 0.7600000,
    (PR, DD): 0.4757876,
}


@pytest.fixture
def oyster():
    G = nx.MultiDiGraph()
    G.add_nodes_from([FF, MI, ME, DF, PR, DD])
    for (u, v), f in OYSTER_FLOWS.items():
        G.add_edge(u, v, key=f"{u}->{v}", amount=f)
    return G


def test_oyster_reef_fci_matches_enar(oyster):
    r = finn_cycling_index(oyster, inputs=OYSTER_INPUTS)
    assert r.fci == pytest.approx(0.1101686, abs=5e-8)
    assert r.total_throughflow == pytest.approx(83.5833, abs=5e-5)
    assert r.cycled_throughflow == pytest.approx(9.208256, abs=5e-7)
    for node, nii in OYSTER_NII.items():
        assert 1 / (1 - r.return_fraction[node]) == pytest.approx(nii, abs=5e-8), node
    assert r.closed_components == ()


def test_oyster_reef_throughflow_is_inflow_plus_input(oyster):
    T = finn_cycling_index(oyster, inputs=OYSTER_INPUTS).throughflow
    # Input-oriented, as enaR: T_j = sum_i F_ij + z_j.
    assert T[FF] == pytest.approx(41.47)  # input only
    assert T[DF] == pytest.approx(1.2060 + 0.6609 + 0.6431)  # 2.51
    assert T[DD] == pytest.approx(15.7910 + 4.2403 + 1.9076 + 0.3262)  # 22.2651


def test_oyster_reef_orientation_matches_enaflow_G(oyster):
    # G[i, j] = F[i, j] / T[i]: e.g. Deposit Feeders -> Deposited Detritus 1.9076 / 2.51 = 0.76.
    G = flow_intensities(oyster, inputs=OYSTER_INPUTS)
    for pair, g in OYSTER_G.items():
        assert G[pair] == pytest.approx(g, abs=5e-8), pair


def test_oyster_reef_inputs_as_node_attribute(oyster):
    nx.set_node_attributes(oyster, OYSTER_INPUTS, "input")  # enaR's vertex attribute
    assert finn_cycling_index(oyster, inputs="input").fci == pytest.approx(0.1101686, abs=5e-8)


def test_oyster_reef_digraph_and_split_parallel_edges(oyster):
    single = nx.DiGraph(oyster)  # collapses the (unique) keys: same flows
    split = nx.MultiDiGraph()
    for u, v, d in oyster.edges(data=True):  # every flow as two parallel halves
        split.add_edge(u, v, amount=d["amount"] / 2)
        split.add_edge(u, v, amount=d["amount"] / 2)
    expected = finn_cycling_index(oyster, inputs=OYSTER_INPUTS).fci
    assert finn_cycling_index(single, inputs=OYSTER_INPUTS).fci == pytest.approx(expected, rel=1e-12)
    assert finn_cycling_index(split, inputs=OYSTER_INPUTS).fci == pytest.approx(expected, rel=1e-12)


def test_two_node_loop_by_hand():
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "a", "ba", 5.0)
    r = finn_cycling_index(G, inputs={"a": 10.0})
    # T_a = 5 + 10 = 15, T_b = 10; G_ab = 10/15, G_ba = 5/10; a unit comes back to a with
    # probability 2/3 * 1/2 = 1/3, so n_aa = 1 / (1 - 1/3) = 1.5 and the return fraction is
    # 1/3 (same for b). FCI = (15/3 + 10/3) / 25 = 1/3.
    assert r.return_fraction == pytest.approx({"a": 1 / 3, "b": 1 / 3})
    assert r.throughflow == {"a": 15.0, "b": 10.0}
    assert r.fci == pytest.approx(1 / 3)
    assert r.cycled_throughflow == pytest.approx(25 / 3)


def test_self_loop_by_hand():
    G = nx.MultiDiGraph()
    deal(G, "a", "a", "aa", 5.0)
    deal(G, "a", "b", "ab", 10.0)
    r = finn_cycling_index(G, inputs={"a": 10.0})
    # T_a = 5 + 10 = 15, g_aa = 5/15 = 1/3: return fraction 1/3. T_b = 10, return 0.
    # FCI = (15/3) / 25 = 0.2.
    assert r.return_fraction == pytest.approx({"a": 1 / 3, "b": 0.0})
    assert r.fci == pytest.approx(0.2)


def test_closed_loop_without_inputs_returns_everything(two_islands):
    r = finn_cycling_index(two_islands)
    # Nothing enters x <-> y or z's self-loop from outside: closed, return fraction 1.
    # T_x = 3, T_y = 5, T_z = 2, T_q = 7, T_p = 0: FCI = (3 + 5 + 2) / 17.
    assert r.closed_components == (("x", "y"), ("z",))
    assert r.return_fraction == {"x": 1.0, "y": 1.0, "z": 1.0, "p": 0.0, "q": 0.0}
    assert r.fci == pytest.approx(10 / 17)


def test_balancing_inputs_open_the_loop():
    G = nx.DiGraph()
    G.add_edge("nvidia", "openai", amount=100.0)
    G.add_edge("openai", "nvidia", amount=50.0)
    G.add_edge("openai", "coreweave", amount=50.0)
    z = balancing_inputs(G)
    # nvidia pays 100 and gets 50 back: 50 came from outside. openai and coreweave receive
    # at least what they pay.
    assert z == {"nvidia": 50.0}
    r = finn_cycling_index(G, inputs=z)
    # T_n = 50 + 50 = 100, T_o = 100; G_no = 1, G_on = 0.5: return 1/2 for both;
    # T_c = 50, return 0. FCI = (50 + 50) / 250 = 0.4.
    assert r.return_fraction == pytest.approx({"nvidia": 0.5, "openai": 0.5, "coreweave": 0.0})
    assert r.fci == pytest.approx(0.4)


def test_upstream_component_feeds_a_downstream_loop():
    G = nx.DiGraph()
    G.add_edge("s", "a", amount=10.0)  # s is a source: a trivial component
    G.add_edge("a", "b", amount=10.0)
    G.add_edge("b", "a", amount=5.0)
    r = finn_cycling_index(G)
    # Same as the two-node example, with s's payment as a's entry: T_s = 0, T_a = 15,
    # T_b = 10. The loop is not closed: it receives 10 from s.
    assert r.closed_components == ()
    assert r.fci == pytest.approx(1 / 3)


@pytest.mark.parametrize("fixture", ["chain", "empty"])
def test_no_cycling(request, fixture):
    r = finn_cycling_index(request.getfixturevalue(fixture))
    if fixture == "empty":
        assert r.fci is None and r.total_throughflow == 0.0
    else:
        # T = 0, 10, 10, 10; nothing returns.
        assert r.fci == 0.0 and r.total_throughflow == 30.0


def test_unknown_and_zero_amounts_are_left_out():
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "a", "ba", 5.0)
    deal(G, "b", "a", "ba2", None)
    deal(G, "a", "c", "ac", 0.0)
    r = finn_cycling_index(G, inputs={"a": 10.0})
    assert r.fci == pytest.approx(1 / 3)  # as the two-node example
    assert r.coverage == {"edges": 4, "edges_with_amount": 3, "fraction": 0.75}


@pytest.mark.parametrize("seed", range(4))
def test_per_component_equals_one_dense_inverse(seed):
    # Several components, every node with some input so none is closed: the diagonal of
    # (I - G)^-1 computed per component must equal the one from the whole matrix.
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(30, 0.06, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["amount"] = float(rng.uniform(1, 10))
    z = {n: float(rng.uniform(0.5, 2)) for n in G}
    r = finn_cycling_index(G, inputs=z)
    nodes = list(G)
    F = nx.to_numpy_array(G, nodelist=nodes, weight="amount")
    T = F.sum(axis=0) + np.array([z[n] for n in nodes])
    N = np.linalg.inv(np.eye(len(nodes)) - F / T[:, None])
    expected = 1 - 1 / np.diag(N)
    assert [r.return_fraction[n] for n in nodes] == pytest.approx(expected, abs=1e-12)
    assert r.fci == pytest.approx(float(expected @ T / T.sum()), abs=1e-12)


def dense_return_fractions(G, z):
    """1 - 1/diag((I - G)^-1) from one dense inverse of the whole graph (the reference)."""
    nodes = list(G)
    F = nx.to_numpy_array(G, nodelist=nodes, weight="amount")
    T = F.sum(axis=0) + np.array([z.get(n, 0.0) for n in nodes])
    G_ = np.divide(F, T[:, None], out=np.zeros_like(F), where=T[:, None] > 0)  # enaR zero.na
    N = np.linalg.inv(np.eye(len(nodes)) - G_)
    return dict(zip(nodes, 1 - 1 / np.diag(N))), T


def flower(leaves):
    """A hub h with a 2-cycle to every leaf: the core is {h}, every leaf is eliminated."""
    G = nx.DiGraph()
    for i in range(leaves):
        G.add_edge("h", i, amount=float(i + 1))
        G.add_edge(i, "h", amount=float(i + 1) / 2)
    G.add_edge("h", "h", amount=3.0)
    return G


@pytest.mark.parametrize(
    "name, G",
    [
        ("dense random with self-loops", nx.gnp_random_graph(60, 0.15, seed=1, directed=True)),
        ("sparse random", nx.gnp_random_graph(80, 0.04, seed=2, directed=True)),
        ("complete", nx.complete_graph(7, create_using=nx.DiGraph)),
        ("flower", flower(12)),
        ("cycle", nx.cycle_graph(9, create_using=nx.DiGraph)),
    ],
)
def test_core_elimination_equals_the_dense_inverse(name, G):
    G = G.copy()
    rng = np.random.default_rng(len(G))
    if name.startswith("dense"):
        G.add_edges_from((n, n) for n in list(G)[::5])
    for _, _, d in G.edges(data=True):
        d.setdefault("amount", float(rng.uniform(1, 10)))
    z = {n: float(rng.uniform(0.1, 1.0)) for n in list(G)[::3]}
    expected, T = dense_return_fractions(G, z)
    r = finn_cycling_index(G, inputs=z)
    assert r.return_fraction == pytest.approx(expected, abs=1e-10)
    fci = sum(expected[n] * t for n, t in zip(G, T)) / T.sum()
    assert r.fci == pytest.approx(fci, abs=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_feedback_split_leaves_an_acyclic_rest_in_order(seed):
    G = nx.gnp_random_graph(50, 0.08, seed=seed, directed=True)
    succ = [[w for w in G.successors(i) if w != i] for i in range(50)]
    pred = [[w for w in G.predecessors(i) if w != i] for i in range(50)]
    core, rest = _feedback_split(50, succ, pred)
    assert sorted(core + rest) == list(range(50))
    place = {n: k for k, n in enumerate(rest)}
    # Every edge among the rest goes forward in its order, so the rest has no cycle.
    assert all(place[u] < place[v] for u, v in G.edges if u in place and v in place)


def test_flower_core_is_the_hub():
    G = flower(5)
    nodes = list(G)
    idx = {n: i for i, n in enumerate(nodes)}
    succ = [[idx[w] for w in G.successors(n) if w != n] for n in nodes]
    pred = [[idx[w] for w in G.predecessors(n) if w != n] for n in nodes]
    core, _ = _feedback_split(len(nodes), succ, pred)
    # Each leaf has in- and out-degree 1 against the hub's 5 x 5: the hub goes into the
    # core first, and then every leaf is left without a cycle.
    assert [nodes[i] for i in core] == ["h"]


def test_core_size_guard():
    G = nx.complete_graph(4, create_using=nx.DiGraph)  # core of 3
    nx.set_edge_attributes(G, 1.0, "amount")
    with pytest.raises(ValueError, match="max_core"):
        finn_cycling_index(G, inputs={0: 1.0}, max_core=2)
    assert finn_cycling_index(G, inputs={0: 1.0}, max_core=None).fci > 0


@pytest.mark.parametrize("inputs, error", [({"nobody": 1.0}, nx.NodeNotFound), ({"a": -1.0}, ValueError), (3, TypeError)])
def test_bad_inputs(inputs, error):
    G = nx.DiGraph([("a", "b")])
    with pytest.raises(error):
        finn_cycling_index(G, inputs=inputs)
