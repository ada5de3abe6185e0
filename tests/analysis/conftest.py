"""Small named money-flow graphs for the analysis tests.

Conventions: fixtures over setup classes, ``pytest.mark.parametrize`` over loops, every
expected number computed by hand in a comment next to it. Graphs are MultiDiGraphs keyed by
deal id, payer -> payee, as the money-flow builder makes them; ``as_digraph`` collapses one
to a plain DiGraph (amounts summed) to check both give the same answers.
"""

from __future__ import annotations

import networkx as nx
import pytest


def deal(G, u, v, key, amount, kind="equity_investment", **attrs):
    """Add one deal edge the way the money-flow builder does."""
    return G.add_edge(
        u,
        v,
        key=key,
        deal=key,
        kind=kind,
        amount=amount,
        amount_low=attrs.pop("amount_low", amount),
        amount_high=attrs.pop("amount_high", amount),
        layer="flow",
        **attrs,
    )


def as_digraph(G: nx.MultiDiGraph, weight: str = "amount") -> nx.DiGraph:
    """Collapse parallel deals: amounts summed (None when none is known), first kind kept."""
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        x = data.get(weight)
        if H.has_edge(u, v):
            old = H[u][v][weight]
            H[u][v][weight] = x if old is None else (old if x is None else old + x)
        else:
            H.add_edge(u, v, **{weight: x, "kind": data.get("kind")})
    return H


@pytest.fixture
def empty():
    """No company, no deal."""
    return nx.MultiDiGraph()


@pytest.fixture
def chain():
    """a -> b -> c -> d, 10 each: money flows but never comes back."""
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "c", "bc", 10.0)
    deal(G, "c", "d", "cd", 10.0)
    return G


@pytest.fixture
def triangle():
    """a -> b 10, b -> c 10, c -> a 4: one 3-cycle whose bottleneck is 4."""
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0)
    deal(G, "b", "c", "bc", 10.0)
    deal(G, "c", "a", "ca", 4.0)
    return G


@pytest.fixture
def ai_deals():
    """The circular-financing story in miniature, with a parallel edge and an unknown amount.

    nvidia -> openai   100  equity_investment   (d1)
    openai -> nvidia   ?    hardware_purchase   (d2, amount unknown)
    openai -> coreweave 22.4 compute_contract   (d3)
    coreweave -> nvidia 7.5  hardware_purchase  (d4)
    coreweave -> nvidia 2.5  hardware_purchase  (d5, parallel to d4)
    nvidia -> coreweave 6.3  capacity_backstop  (d6)
    microsoft -> openai 13   equity_investment  (d7)
    microsoft -> coreweave 10 compute_contract  (d8)
    """
    G = nx.MultiDiGraph()
    deal(G, "nvidia", "openai", "d1", 100.0, "equity_investment")
    deal(G, "openai", "nvidia", "d2", None, "hardware_purchase")
    deal(G, "openai", "coreweave", "d3", 22.4, "compute_contract")
    deal(G, "coreweave", "nvidia", "d4", 7.5, "hardware_purchase")
    deal(G, "coreweave", "nvidia", "d5", 2.5, "hardware_purchase")
    deal(G, "nvidia", "coreweave", "d6", 6.3, "capacity_backstop")
    deal(G, "microsoft", "openai", "d7", 13.0, "equity_investment")
    deal(G, "microsoft", "coreweave", "d8", 10.0, "compute_contract")
    return G


@pytest.fixture
def two_islands():
    """Two disconnected parts: a 2-cycle x <-> y (5 and 3) and a self-loop z -> z (2), plus
    an acyclic edge p -> q (7)."""
    G = nx.MultiDiGraph()
    deal(G, "x", "y", "xy", 5.0)
    deal(G, "y", "x", "yx", 3.0)
    deal(G, "z", "z", "zz", 2.0)
    deal(G, "p", "q", "pq", 7.0)
    return G
