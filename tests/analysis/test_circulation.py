"""loop_circulation and circulation_bound, checked by hand and against a plain linear program.

Definitions (DESIGN.md, "Numbers on a partial record"): a leg is all the deals from one company
to another, its amount the sum of the known amounts, known when one of its deals has an amount.
A loop's bound is its smallest known leg; the graph's is the largest circulation with unknown
legs unbounded, infinite exactly when some cycle is made of unknown legs only.
"""

from __future__ import annotations

import doctest
import math
import random

import networkx as nx
import numpy as np
import pytest

from dealgraph.analysis import circulation
from dealgraph.analysis.circularity import clearable_share
from dealgraph.analysis.circulation import (
    CirculationBound,
    LoopCirculation,
    circulation_bound,
    loop_circulation,
)
from dealgraph.analysis.loops import find_loops

from .conftest import as_digraph, deal

METHODS = ["network_simplex", "highs"]


def test_docstring_examples():
    result = doctest.testmod(circulation, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.attempted > 0 and result.failed == 0


# --- one loop -------------------------------------------------------------------------------


def loops_by_members(G):
    return {loop.members: loop for loop in find_loops(G).cycles}


def test_loop_circulation_on_ai_deals(ai_deals):
    loops = loops_by_members(ai_deals)
    # nvidia -> openai 100, openai -> nvidia unknown (d2): the one known leg bounds it.
    assert loop_circulation(loops[("nvidia", "openai")]) == LoopCirculation(100.0, 1, 2)
    # coreweave -> nvidia 7.5 + 2.5 = 10 (parallel deals summed), nvidia -> coreweave 6.3.
    assert loop_circulation(loops[("coreweave", "nvidia")]) == LoopCirculation(6.3, 2, 2)
    # coreweave -> nvidia 10, nvidia -> openai 100, openai -> coreweave 22.4: all known, so
    # the bound is the bottleneck.
    triangle = loops[("coreweave", "nvidia", "openai")]
    assert loop_circulation(triangle) == LoopCirculation(10.0, 3, 3)
    assert triangle.bottleneck == 10.0


@pytest.mark.parametrize("amounts, expected", [
    ((5.0, None, 3.0), (3.0, 2, 3)),      # the smallest of the known legs
    ((None, None), (None, 0, 2)),         # no leg known: not bounded by the record
    ((0.0, None), (0.0, 1, 2)),           # a leg known to carry nothing: nothing goes round
    ((7.0,), (7.0, 1, 1)),                # a self-loop
])
def test_loop_circulation_by_hand(amounts, expected):
    G = nx.MultiDiGraph()
    n = len(amounts)
    for i, a in enumerate(amounts):
        deal(G, i, (i + 1) % n, f"d{i}", a)
    (loop,) = find_loops(G).cycles
    c = loop_circulation(loop)
    assert (c.high, c.known_legs, c.legs) == expected
    assert c.bounded_by_record is (expected[1] > 0)


def test_a_leg_with_one_known_deal_is_known():
    # a -> b: one deal of 4 and one of unknown amount; b -> a: unknown. The leg a -> b is
    # known (4: only known amounts count); the bound is 4.
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab1", 4.0)
    deal(G, "a", "b", "ab2", None)
    deal(G, "b", "a", "ba", None)
    (loop,) = find_loops(G).cycles
    assert loop_circulation(loop) == LoopCirculation(4.0, 1, 2)
    r = circulation_bound(G)
    # 4 round a -> b -> a, counted on both legs: 8; of the known 4, all of it.
    assert (r.high, r.known_high, r.unbounded, r.known_legs, r.legs) == (8.0, 4.0, False, 1, 2)


# --- the graph ------------------------------------------------------------------------------


def two_way(outflow=None):
    """a -> b 10, b -> a 10, and a -> c with amount ``outflow`` (None: unknown)."""
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "a", "ba", 10.0)
    deal(G, "a", "c", "ac", outflow)
    return G


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("outflow, total", [(None, 20.0), (30.0, 50.0)])
def test_two_way_loop_with_an_outflow(method, outflow, total):
    # 10 round a -> b -> a, counted on both legs: 20. The outflow a -> c never comes back, so
    # it adds nothing, known or not: 20 of the 20 (or 20 of 20 + 30 = 50) could go round,
    # the same as clearable_share, since every leg of the loop is known.
    r = circulation_bound(two_way(outflow), method=method)
    assert r.high == pytest.approx(20.0)
    assert r.known_high == pytest.approx(20.0)
    assert r.total_amount == total
    assert r.share_high == pytest.approx(20.0 / total)
    assert (r.unbounded, r.not_bounded) == (False, ())
    assert clearable_share(two_way(outflow)).cleared_amount == pytest.approx(r.known_high)


@pytest.mark.parametrize("method", METHODS)
def test_two_way_loop_and_a_30_outflow_with_an_unknown_way_back(method):
    # a <-> b 10 each way; b -> c 30; c -> a unknown. a -> b carries 10 in all: round
    # a -> b -> a that is 20 on two legs, round a -> b -> c -> a 30 on three (c -> a
    # carrying 10). high = 30. Known money on the circulation: 10 + 10 either way (a -> b
    # with b -> a, or a -> b with b -> c): known_high = 20 of 10 + 10 + 30 = 50.
    G = two_way()
    G.remove_edge("a", "c", "ac")
    deal(G, "b", "c", "bc", 30.0)
    deal(G, "c", "a", "ca", None)
    r = circulation_bound(G, method=method)
    assert r.high == pytest.approx(30.0)
    assert r.known_high == pytest.approx(20.0)
    assert r.total_amount == 50.0
    assert r.share_high == pytest.approx(0.4)
    assert clearable_share(G).cleared_amount == pytest.approx(20.0)  # c -> a left out


@pytest.mark.parametrize("method", METHODS)
def test_an_unknown_return_leg_no_longer_clears_nothing(method):
    # a -> b 10, b -> a unknown: clearable_share clears nothing; the record allows 10 round,
    # 20 counted on the two legs, all 10 of the known money.
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "a", "ba", None)
    assert clearable_share(G).cleared_amount == 0.0
    r = circulation_bound(G, method=method)
    assert (r.high, r.known_high, r.share_high) == pytest.approx((20.0, 10.0, 1.0))


@pytest.mark.parametrize("method", METHODS)
def test_ai_deals_by_hand(ai_deals, method):
    # Inside {coreweave, nvidia, openai}: N -> O 100, O -> N unknown, O -> C 22.4,
    # C -> N 7.5 + 2.5 = 10, N -> C 6.3 (microsoft only pays in). Three cycles:
    # f1 = N -> O -> N, f2 = N -> O -> C -> N, f3 = N -> C -> N, with f1 + f2 <= 100,
    # f2 <= 22.4, f2 + f3 <= 10, f3 <= 6.3.
    # Known money carried: f1 + 3 f2 + 2 f3 = 100 + 2 (f2 + f3) at f1 = 100 - f2: 120.
    # Counted on every leg: 2 f1 + 3 f2 + 2 f3 = 200 + f2 + 2 f3: f3 = 6.3, f2 = 3.7: 216.3.
    r = circulation_bound(ai_deals, method=method)
    assert r.known_high == pytest.approx(120.0)
    assert r.high == pytest.approx(216.3)
    assert r.total_amount == pytest.approx(161.7)
    assert r.share_high == pytest.approx(120.0 / 161.7)
    assert r.coverage == {"edges": 8, "edges_with_amount": 7, "fraction": 7 / 8}
    assert (r.legs, r.known_legs) == (7, 6)  # d4 and d5 are one leg
    assert r.solver == method
    # clearable_share leaves d2 out: f1 = 0, 3 f2 + 2 f3 with f2 + f3 <= 10: 30.
    assert clearable_share(ai_deals).cleared_amount == pytest.approx(30.0)


@pytest.mark.parametrize("method", METHODS)
def test_a_cycle_of_unknown_legs_is_not_bounded(method):
    # x <-> y with no amount either way: any sum could go round.
    G = two_way()
    deal(G, "x", "y", "xy", None)
    deal(G, "y", "x", "yx", None)
    deal(G, "y", "z", "yz", 5.0)
    r = circulation_bound(G, method=method)
    assert r.high == math.inf and r.unbounded
    assert r.not_bounded == (("x", "y"),)
    # What the known money can do does not change: the a <-> b loop, 20 of 20 + 5.
    assert r.known_high == pytest.approx(20.0) and r.total_amount == 25.0


def test_an_unknown_self_loop_is_not_bounded():
    G = nx.MultiDiGraph()
    deal(G, "z", "z", "zz", None)
    r = circulation_bound(G)
    assert (r.high, r.not_bounded, r.known_high, r.share_high) == (math.inf, (("z",),), 0.0, None)


def test_a_cycle_of_unknown_legs_inside_a_bigger_component():
    # a -> b 10, b -> c ?, c -> b ?, c -> a ?: the cycle b <-> c has no known leg, so it is
    # unbounded although the component {a, b, c} also holds a bounded cycle.
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "c", "bc", None)
    deal(G, "c", "b", "cb", None)
    deal(G, "c", "a", "ca", None)
    r = circulation_bound(G)
    assert r.unbounded and r.not_bounded == (("b", "c"),)
    assert r.known_high == pytest.approx(10.0)


def test_self_loops_chains_and_islands(two_islands, chain, empty):
    # x <-> y 5 and 3: 3 round, 6; z -> z 2 clears in full; p -> q 7 never comes back.
    r = circulation_bound(two_islands)
    assert (r.high, r.known_high, r.total_amount) == (8.0, 8.0, 17.0)
    r = circulation_bound(chain)
    assert (r.high, r.known_high, r.share_high, r.solver) == (0.0, 0.0, 0.0, "none")
    r = circulation_bound(empty)
    assert (r.high, r.known_high, r.share_high, r.unbounded) == (0.0, 0.0, None, False)
    assert r.coverage == {"edges": 0, "edges_with_amount": 0, "fraction": None}


def test_an_unknown_chain_is_not_a_cycle():
    # a -> b ?, b -> c ?: no cycle, nothing goes round, nothing unbounded.
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", None)
    deal(G, "b", "c", "bc", None)
    r = circulation_bound(G)
    assert (r.high, r.known_high, r.unbounded) == (0.0, 0.0, False)


def test_digraph_same_as_multidigraph(ai_deals):
    a, b = circulation_bound(ai_deals), circulation_bound(as_digraph(ai_deals))
    assert (b.high, b.known_high, b.total_amount) == pytest.approx((a.high, a.known_high, a.total_amount))


def test_with_no_unknown_leg_it_is_clearable_share(triangle):
    # a -> b 10, b -> c 10, c -> a 4: 4 round on three legs (the clearable_share example).
    r = circulation_bound(triangle)
    assert r.high == r.known_high == clearable_share(triangle).cleared_amount == 12.0


def test_bad_input():
    with pytest.raises(nx.NetworkXNotImplemented):
        circulation_bound(nx.Graph())
    with pytest.raises(ValueError, match="unknown method"):
        circulation_bound(nx.DiGraph(), method="simplex")
    with pytest.raises(ValueError, match="scale"):
        circulation_bound(nx.DiGraph(), scale=0)
    G = nx.DiGraph()
    G.add_edge("a", "b", amount=-1.0)
    with pytest.raises(ValueError, match="negative"):
        circulation_bound(G)
    G["a"]["b"]["amount"] = "ten"
    with pytest.raises(TypeError):
        circulation_bound(G)


# --- against a plain linear program ---------------------------------------------------------


def lp_bounds(G):
    """The two maxima straight from their definitions, with scipy's linprog on one variable a
    leg (capacity: the known sum, or none): (high or inf, known_high)."""
    from scipy.optimize import linprog

    legs = {}
    for u, v, a in G.edges(data="amount"):
        known, amount = legs.get((u, v), (False, 0.0))
        legs[(u, v)] = (known or a is not None, amount + (a or 0.0))
    pairs = list(legs)
    nodes = {n: i for i, n in enumerate(G)}
    A = np.zeros((len(nodes), len(pairs)))
    for j, (u, v) in enumerate(pairs):
        A[nodes[u], j] -= 1
        A[nodes[v], j] += 1
    bounds = [(0, legs[p][1]) if legs[p][0] else (0, None) for p in pairs]
    known = np.array([1.0 if legs[p][0] else 0.0 for p in pairs])
    out = []
    for c in (-np.ones(len(pairs)), -known):
        res = linprog(c, A_eq=A, b_eq=np.zeros(len(nodes)), bounds=bounds, method="highs")
        assert res.status in (0, 3)
        out.append(math.inf if res.status == 3 else -res.fun)
    return tuple(out)


def random_graph(seed, n=6, m=14, unknown=0.35):
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(n))
    for i in range(m):
        u, v = rng.randrange(n), rng.randrange(n)
        deal(G, u, v, f"d{i}", None if rng.random() < unknown else float(rng.randint(1, 50)))
    return G


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(40))
def test_against_a_plain_linear_program(seed, method):
    G = random_graph(seed)
    high, known_high = lp_bounds(G)
    r = circulation_bound(G, method=method)
    assert r.unbounded is math.isinf(high)
    assert r.high == pytest.approx(high, rel=1e-7)
    assert r.known_high == pytest.approx(known_high, rel=1e-7, abs=1e-9)
    # The order of the figures: what clears on the known legs alone <= known_high <= high.
    assert clearable_share(G).cleared_amount <= r.known_high * (1 + 1e-9) + 1e-9
    assert r.known_high <= r.high * (1 + 1e-9) + 1e-9


def test_unbounded_exactly_when_the_inventory_has_a_loop_of_unknown_legs():
    for seed in range(40):
        G = random_graph(seed)
        loops = find_loops(G, max_length=None).cycles
        unknown_loops = [l for l in loops if loop_circulation(l).known_legs == 0]
        r = circulation_bound(G)
        assert r.unbounded is bool(unknown_loops), seed
        assert {n for l in unknown_loops for n in l.members} == {n for c in r.not_bounded for n in c}


def test_result_type(ai_deals):
    assert isinstance(circulation_bound(ai_deals), CirculationBound)
