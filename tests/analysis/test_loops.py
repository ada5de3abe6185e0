"""find_loops: the loop inventory, its bounds, and agreement with networkx."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from dealgraph.analysis.loops import find_loops

from .conftest import as_digraph, deal


def canonical(cycle):
    """Rotate a cycle so it starts at its smallest node."""
    i = cycle.index(min(cycle))
    return tuple(cycle[i:] + cycle[:i])


def test_ai_deals_inventory(ai_deals):
    found = find_loops(ai_deals)
    # Sorted ids: coreweave < microsoft < nvidia < openai. Rooted at coreweave the search
    # meets coreweave -> nvidia -> coreweave first (nvidia's successors in order: coreweave,
    # openai), then coreweave -> nvidia -> openai -> coreweave; rooted at nvidia, the
    # nvidia <-> openai pair. microsoft only pays, so it is on no loop.
    assert [loop.members for loop in found.cycles] == [
        ("coreweave", "nvidia"),
        ("coreweave", "nvidia", "openai"),
        ("nvidia", "openai"),
    ]
    two, three, pair = found.cycles
    # coreweave -> nvidia carries d4 (7.5) and d5 (2.5): one hop of 10; nvidia -> coreweave
    # is the 6.3 backstop, the bottleneck.
    assert two.deals == (("d4", "d5"), ("d6",))
    assert two.kinds == (("hardware_purchase",), ("capacity_backstop",))
    assert two.hop_amounts == (10.0, 6.3)
    assert two.bottleneck == 6.3
    assert two.length == 2
    # 10 (coreweave -> nvidia), 100 (nvidia -> openai), 22.4 (openai -> coreweave): min 10.
    assert three.hop_amounts == (10.0, 100.0, 22.4)
    assert three.bottleneck == 10.0
    # openai -> nvidia (d2) has no known amount, so the loop has no bottleneck.
    assert pair.hop_amounts == (100.0, None)
    assert pair.bottleneck is None
    assert found.bounds["truncated_by"] == []
    assert found.complete
    assert found.bounds["max_length"] == 6 and found.bounds["max_cycles"] == 10_000


def test_max_length_cuts_and_says_so(ai_deals):
    found = find_loops(ai_deals, max_length=2)
    assert [loop.members for loop in found.cycles] == [("coreweave", "nvidia"), ("nvidia", "openai")]
    # The component {coreweave, nvidia, openai} has 3 > 2 members: longer loops may exist.
    assert found.bounds["truncated_by"] == ["max_length"]
    assert not found.complete


@pytest.mark.parametrize("limit, expected, truncated", [(2, 2, ["max_cycles"]), (3, 3, []), (0, 0, ["max_cycles"])])
def test_max_cycles(ai_deals, limit, expected, truncated):
    found = find_loops(ai_deals, max_cycles=limit)
    assert len(found.cycles) == expected
    assert found.bounds["truncated_by"] == truncated


def test_time_limit_stops_the_search():
    # A complete digraph on 9 nodes has thousands of cycles; a time limit far below what
    # the set-up alone takes is always hit before the first start node.
    G = nx.complete_graph(9, create_using=nx.DiGraph)
    found = find_loops(G, max_length=None, max_cycles=None, time_limit=1e-9)
    assert "time_limit" in found.bounds["truncated_by"]


def test_self_loops_and_disconnected_parts(two_islands):
    found = find_loops(two_islands)
    assert [loop.members for loop in found.cycles] == [("x", "y"), ("z",)]
    z = found.cycles[1]
    assert z.length == 1 and z.deals == (("zz",),) and z.bottleneck == 2.0
    assert found.complete


@pytest.mark.parametrize("fixture", ["chain", "empty"])
def test_no_cycles(request, fixture):
    found = find_loops(request.getfixturevalue(fixture))
    assert found.cycles == ()
    assert found.complete


def test_digraph_and_multidigraph_agree(ai_deals):
    multi = find_loops(ai_deals)
    single = find_loops(as_digraph(ai_deals))
    assert [c.members for c in single.cycles] == [c.members for c in multi.cycles]
    assert [c.hop_amounts for c in single.cycles] == [c.hop_amounts for c in multi.cycles]
    assert [c.bottleneck for c in single.cycles] == [c.bottleneck for c in multi.cycles]


def test_deal_attribute_wins_over_key():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key=0, deal="deal-ab", amount=1.0)
    G.add_edge("b", "a", key=0, amount=2.0)  # no deal attribute: the key is the id
    (loop,) = find_loops(G).cycles
    assert loop.deals == (("deal-ab",), (0,))


def test_unknown_amount_on_every_parallel_deal_means_no_bottleneck():
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "x1", None)
    deal(G, "a", "b", "x2", None)
    deal(G, "b", "a", "x3", 4.0)
    (loop,) = find_loops(G).cycles
    assert loop.hop_amounts == (None, 4.0) and loop.bottleneck is None
    assert loop.deals == (("x1", "x2"), ("x3",))


def random_digraph(n, p, seed, self_loops=2):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    rng = random.Random(seed)
    for node in rng.sample(range(n), self_loops):
        G.add_edge(node, node)
    return G


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [1, 2, 3, 4, 6, None])
def test_same_cycles_as_networkx(seed, k):
    G = random_digraph(11, 0.25, seed)
    expected = [canonical(c) for c in nx.simple_cycles(G, length_bound=k)]
    found = find_loops(G, max_length=k, max_cycles=None, time_limit=None)
    got = [c.members for c in found.cycles]
    assert len(got) == len(set(got))  # each cycle once
    assert sorted(got) == sorted(expected)
    assert all(c.members[0] == min(c.members) for c in found.cycles)


def diamond_chain(t):
    """networkx issue 8737: every cycle has length 2t + 1."""
    G = nx.DiGraph()
    for i in range(t):
        G.add_edges_from([(f"d{i:02d}", f"a{i:02d}"), (f"d{i:02d}", f"b{i:02d}"),
                          (f"a{i:02d}", f"d{i + 1:02d}"), (f"b{i:02d}", f"d{i + 1:02d}")])
    G.add_edge(f"d{t:02d}", "d00")
    return G


def test_issue_8737_diamond_chain_finishes():
    # nx.simple_cycles(G, 2t) needs exponential time to find nothing here (t = 30 runs for
    # minutes). The distance bound prunes the first step: from d00's successors the way back
    # is 2t hops, one too many.
    found = find_loops(diamond_chain(40), max_length=80, max_cycles=None, time_limit=None)
    assert found.cycles == ()
    assert found.bounds["truncated_by"] == ["max_length"]  # 121 members > 80


def test_diamond_chain_cycles_match_networkx():
    G = diamond_chain(3)  # 2^3 cycles of length 7
    found = find_loops(G, max_length=7, max_cycles=None, time_limit=None)
    assert len(found.cycles) == 8
    assert sorted(c.members for c in found.cycles) == sorted(
        canonical(c) for c in nx.simple_cycles(G, length_bound=7)
    )


@pytest.mark.parametrize("kwargs", [{"max_length": 0}, {"max_cycles": -1}, {"time_limit": 0}])
def test_bad_bounds(chain, kwargs):
    with pytest.raises(ValueError):
        find_loops(chain, **kwargs)


def test_undirected_is_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        find_loops(nx.Graph([(1, 2)]))


def test_mixed_node_types_still_order_deterministically():
    G = nx.DiGraph([(1, "a"), ("a", 1)])
    (loop,) = find_loops(G).cycles
    assert loop.members == (1, "a")  # by type name: int < str
