"""cyclic_share, clearable_share, reciprocity and metrics_with_bounds, checked by hand."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from dealgraph.analysis.circularity import (
    clearable_share,
    cyclic_share,
    metrics_with_bounds,
    reciprocity,
)

from .conftest import as_digraph, deal

# ai_deals by hand: known money 100 + 22.4 + 7.5 + 2.5 + 6.3 + 13 + 10 = 161.7 on 7 of the 8
# edges (d2 is unknown). {coreweave, nvidia, openai} is strongly connected; microsoft only
# pays into it.
AI_TOTAL = 161.7


# --- cyclic share ---------------------------------------------------------------------------


def test_cyclic_share_ai_deals(ai_deals):
    r = cyclic_share(ai_deals)
    # Inside the component: d1 100 + d3 22.4 + d4 7.5 + d5 2.5 + d6 6.3 = 138.7 (d2 unknown).
    assert r.cyclic_amount == pytest.approx(138.7)
    assert r.total_amount == pytest.approx(AI_TOTAL)
    assert r.share == pytest.approx(138.7 / 161.7)
    assert r.coverage == {"edges": 8, "edges_with_amount": 7, "fraction": 7 / 8}
    assert r.components == (("coreweave", "nvidia", "openai"),)


def test_cyclic_share_self_loop_and_islands(two_islands):
    r = cyclic_share(two_islands)
    # x <-> y: 5 + 3, z -> z: 2, so 10 of 5 + 3 + 2 + 7 = 17.
    assert r.cyclic_amount == 10.0
    assert r.total_amount == 17.0
    assert r.share == pytest.approx(10 / 17)
    assert r.components == (("x", "y"), ("z",))


def test_cyclic_share_unknown_amount_still_closes_the_loop():
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 5.0)
    deal(G, "b", "a", "ba", None)
    deal(G, "b", "c", "bc", 5.0)
    r = cyclic_share(G)
    # a -> b is on the cycle a -> b -> a even though b -> a has no amount: 5 of 10.
    assert (r.cyclic_amount, r.total_amount, r.share) == (5.0, 10.0, 0.5)
    assert r.coverage["edges_with_amount"] == 2


def test_cyclic_share_zero_flows():
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 0.0)
    deal(G, "b", "a", "ba", 0.0)
    r = cyclic_share(G)
    assert r.share is None and r.total_amount == 0.0
    assert r.coverage == {"edges": 2, "edges_with_amount": 2, "fraction": 1.0}


def test_cyclic_share_no_cycle(chain):
    r = cyclic_share(chain)
    assert (r.share, r.cyclic_amount, r.total_amount, r.components) == (0.0, 0.0, 30.0, ())


def test_cyclic_share_empty(empty):
    r = cyclic_share(empty)
    assert r.share is None
    assert r.coverage == {"edges": 0, "edges_with_amount": 0, "fraction": None}


def test_cyclic_share_digraph_same_as_multidigraph(ai_deals):
    assert cyclic_share(as_digraph(ai_deals)).share == pytest.approx(cyclic_share(ai_deals).share)


@pytest.mark.parametrize("bad, error", [(-1.0, ValueError), (math.inf, ValueError), ("ten", TypeError)])
def test_bad_amounts_are_refused(bad, error):
    G = nx.DiGraph()
    G.add_edge("a", "b", amount=bad)
    with pytest.raises(error, match="'a' -> 'b'"):
        cyclic_share(G)


def test_nan_is_unknown():
    G = nx.DiGraph()
    G.add_edge("a", "b", amount=float("nan"))
    G.add_edge("b", "a", amount=2.0)
    r = cyclic_share(G)
    assert r.total_amount == 2.0 and r.coverage["edges_with_amount"] == 1


def test_other_weight_attribute():
    G = nx.DiGraph()
    G.add_edge("a", "b", amount=1.0, usd=10.0)
    G.add_edge("b", "a", amount=1.0, usd=30.0)
    G.add_edge("b", "c", amount=1.0, usd=60.0)
    assert cyclic_share(G, weight="usd").share == pytest.approx(0.4)  # 40 / 100


# --- clearable share ------------------------------------------------------------------------


def test_clearable_triangle(triangle):
    r = clearable_share(triangle)
    # 4 goes round a -> b -> c -> a: 3 edges x 4 = 12 cleared of 10 + 10 + 4 = 24;
    # the residual is a -> b -> c, 6 on each hop.
    assert (r.cleared_amount, r.residual_amount, r.total_amount, r.share) == (12.0, 12.0, 24.0, 0.5)
    assert r.solver == "network_simplex"


def test_clearable_ai_deals(ai_deals):
    r = clearable_share(ai_deals)
    # Known positive flows inside the component: nvidia -> openai 100, openai -> coreweave
    # 22.4, coreweave -> nvidia 10 (7.5 + 2.5), nvidia -> coreweave 6.3 (d2 is unknown).
    # Two simple cycles share coreweave -> nvidia (capacity 10):
    #   x1 on nvidia -> openai -> coreweave -> nvidia (3 edges), x1 <= 10
    #   x2 on nvidia -> coreweave -> nvidia (2 edges),            x2 <= 6.3, x1 + x2 <= 10
    # Maximise 3 x1 + 2 x2: x1 = 10, x2 = 0, so 30 clears.
    assert r.cleared_amount == pytest.approx(30.0)
    assert r.total_amount == pytest.approx(AI_TOTAL)
    assert r.share == pytest.approx(30.0 / 161.7)
    assert r.coverage["edges_with_amount"] == 7


def test_clearable_prefers_the_longer_cycle():
    # u -> v 1, v -> u 1, v -> w 1, w -> x 1, x -> u 1. Netting the u <-> v pair clears 2
    # and blocks u -> v; sending 1 round u -> v -> w -> x -> u clears 4. Maximum: 4 of 5.
    G = nx.DiGraph()
    for u, v in [("u", "v"), ("v", "u"), ("v", "w"), ("w", "x"), ("x", "u")]:
        G.add_edge(u, v, amount=1.0)
    r = clearable_share(G)
    assert (r.cleared_amount, r.total_amount, r.share) == (4.0, 5.0, 0.8)


def test_clearable_self_loop_and_islands(two_islands):
    r = clearable_share(two_islands)
    # x <-> y nets min(5, 3) = 3 each way: 6; z -> z clears its 2; p -> q 7 and x -> y's
    # remaining 2 are residual. 8 of 17.
    assert (r.cleared_amount, r.residual_amount, r.total_amount) == (8.0, 9.0, 17.0)


def test_clearable_small_floats_are_scaled():
    G = nx.DiGraph()
    G.add_edge("a", "b", amount=0.3)
    G.add_edge("b", "c", amount=0.2)
    G.add_edge("c", "a", amount=0.1)
    # 0.1 round the triangle: 0.3 of 0.6. Unscaled integers would round 0.1 to 0.
    r = clearable_share(G)
    assert r.cleared_amount == pytest.approx(0.3, rel=1e-12)
    assert r.share == pytest.approx(0.5, rel=1e-12)
    assert clearable_share(G, scale=100).cleared_amount == pytest.approx(0.3, rel=1e-12)


def test_clearable_unknown_amounts_are_left_out():
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "a", "ba1", 3.0)
    deal(G, "b", "a", "ba2", None)  # parallel, unknown: adds nothing
    r = clearable_share(G)
    assert (r.cleared_amount, r.total_amount) == (6.0, 13.0)
    assert r.coverage == {"edges": 3, "edges_with_amount": 2, "fraction": 2 / 3}


@pytest.mark.parametrize("fixture, share", [("chain", 0.0), ("empty", None)])
def test_clearable_nothing_to_clear(request, fixture, share):
    r = clearable_share(request.getfixturevalue(fixture))
    assert r.share == share and r.cleared_amount == 0.0 and r.solver == "none"


def test_clearable_digraph_same_as_multidigraph(ai_deals):
    assert clearable_share(as_digraph(ai_deals)).cleared_amount == pytest.approx(
        clearable_share(ai_deals).cleared_amount
    )


@pytest.mark.parametrize("seed", range(5))
def test_network_simplex_and_highs_agree(seed):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(40, 0.12, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["amount"] = float(rng.lognormal(np.log(1e8), 2.0))
    exact = clearable_share(G, method="network_simplex")
    lp = clearable_share(G, method="highs")
    assert exact.solver == "network_simplex" and lp.solver == "highs"
    assert lp.cleared_amount == pytest.approx(exact.cleared_amount, rel=1e-7)
    # The cleared amount never exceeds the money on cycles.
    assert exact.cleared_amount <= cyclic_share(G).cyclic_amount * (1 + 1e-12)


@pytest.mark.parametrize("kwargs", [{"scale": 0}, {"scale": -1.0}, {"method": "simplex"}])
def test_clearable_bad_arguments(triangle, kwargs):
    with pytest.raises(ValueError):
        clearable_share(triangle, **kwargs)


# --- reciprocity ----------------------------------------------------------------------------


def test_reciprocity_ai_deals(ai_deals):
    r = reciprocity(ai_deals)
    # Reciprocal: coreweave <-> nvidia (10 one way, 6.3 back) and nvidia <-> openai (100 one
    # way, unknown back). Connected pairs: those two, openai-coreweave, microsoft-openai,
    # microsoft-coreweave: 2 of 5.
    (cn, no) = r.pairs
    assert (cn.u, cn.v, cn.amount_uv, cn.amount_vu) == ("coreweave", "nvidia", 10.0, 6.3)
    assert (cn.deals_uv, cn.deals_vu) == (("d4", "d5"), ("d6",))
    assert (no.u, no.v, no.amount_uv, no.amount_vu) == ("nvidia", "openai", 100.0, None)
    assert (r.reciprocal_pairs, r.connected_pairs, r.pair_share) == (2, 5, 0.4)
    # 10 + 6.3 + 100 of 161.7
    assert r.reciprocal_amount == pytest.approx(116.3)
    assert r.amount_share == pytest.approx(116.3 / 161.7)


def test_reciprocity_ignores_self_loops(two_islands):
    r = reciprocity(two_islands)
    # x <-> y only; pairs {x, y} and {p, q}; money 5 + 3 + 7 = 15 without the self-loop.
    assert [(p.u, p.v) for p in r.pairs] == [("x", "y")]
    assert (r.pair_share, r.reciprocal_amount, r.total_amount) == (0.5, 8.0, 15.0)


def test_reciprocity_empty(empty):
    r = reciprocity(empty)
    assert r.pairs == () and r.pair_share is None and r.amount_share is None


# --- low and high bounds --------------------------------------------------------------------


def test_metrics_with_bounds_on_ranges(ai_deals):
    ai_deals.edges["nvidia", "openai", "d1"].update(amount_low=80.0, amount_high=120.0)
    r = metrics_with_bounds(ai_deals, cyclic_share)
    # d1 moves from 100 to 80 or 120, inside the loop: 118.7 / 141.7 and 158.7 / 181.7.
    assert r.value.share == pytest.approx(138.7 / 161.7)
    assert r.low.share == pytest.approx(118.7 / 141.7)
    assert r.high.share == pytest.approx(158.7 / 181.7)
    assert r.differs


def test_metrics_with_bounds_falls_back_to_the_value():
    G = nx.DiGraph()
    G.add_edge("a", "b", amount=3.0)
    G.add_edge("b", "a", amount=1.0, amount_low=None, amount_high=2.0)
    r = metrics_with_bounds(G, clearable_share)
    # low: 3 and 1 -> 2 cleared; high: 3 and 2 -> 4 cleared.
    assert (r.value.cleared_amount, r.low.cleared_amount, r.high.cleared_amount) == (2.0, 2.0, 4.0)
    assert "_low_or_amount" not in G["b"]["a"]  # the caller's graph is untouched


def test_metrics_with_bounds_exact_amounts(triangle):
    r = metrics_with_bounds(triangle, reciprocity)
    assert not r.differs
