"""Reading a money-flow graph: the private helpers every analysis module shares.

One rule, written once, for what the analyses read from a graph: an edge's amount (a
non-negative finite number; missing, None or NaN is unknown), which deal an edge is (its
``deal`` attribute, else its key in a multigraph), parallel edges collapsed into one hop per
ordered pair of companies, the coverage dict every money metric reports, the strongly
connected components (and which of them hold a cycle), and one deterministic order of the
companies for every sorted output. Nothing here is public: the modules of
:mod:`dealgraph.analysis` import these helpers, users do not.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any

import networkx as nx

__all__: list[str] = []


def _number(x: Any, what: str) -> float | None:
    """``x`` as a float, or None when it is unknown (None or NaN).

    Raises TypeError, naming ``what``, when ``x`` is not a number (a bool is not one).
    """
    if x is None:
        return None
    if isinstance(x, bool):
        raise TypeError(f"{what}={x!r} is not a number")
    try:
        value = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"{what}={x!r} is not a number") from None
    return None if math.isnan(value) else value


def _amount(data: Mapping[str, Any], weight: str, u: Hashable, v: Hashable, deal: Any) -> float | None:
    """The edge's amount as a float, or None when unknown (missing, None or NaN)."""
    where = f"edge {u!r} -> {v!r} (deal {deal!r}): "
    value = _number(data.get(weight), where + weight)
    if value is None:
        return None
    if value < 0:
        raise ValueError(
            f"{where}negative {weight} {value!r}; "
            "money flows are non-negative, reverse the edge instead"
        )
    if math.isinf(value):
        raise ValueError(f"{where}infinite {weight}")
    return value


def _edges(G: nx.DiGraph, weight: str) -> Iterator[tuple[Hashable, Hashable, Any, dict, float | None]]:
    """Yield ``(u, v, deal, data, amount)`` for every edge of a DiGraph or MultiDiGraph.

    ``deal`` is the edge's ``deal`` attribute, else its key in a multigraph, else None.
    """
    if G.is_multigraph():
        for u, v, key, data in G.edges(keys=True, data=True):
            deal = data.get("deal", key)
            yield u, v, deal, data, _amount(data, weight, u, v, deal)
    else:
        for u, v, data in G.edges(data=True):
            deal = data.get("deal")
            yield u, v, deal, data, _amount(data, weight, u, v, deal)


class _Hop:
    """All the parallel edges from one company to another, collapsed."""

    __slots__ = ("amount", "known", "count", "deals", "kinds")

    def __init__(self) -> None:
        self.amount = 0.0  # sum of the known amounts
        self.known = 0  # how many parallel edges have a known amount
        self.count = 0  # how many parallel edges
        self.deals: list[Any] = []
        self.kinds: list[str] = []

    @property
    def known_amount(self) -> float | None:
        """Sum of the known amounts, None when no parallel edge has one."""
        return self.amount if self.known else None


def _collapse(G: nx.DiGraph, weight: str) -> tuple[dict[tuple[Hashable, Hashable], _Hop], dict]:
    """Collapse parallel edges: ``{(u, v): _Hop}`` and the coverage of the whole graph."""
    hops: dict[tuple[Hashable, Hashable], _Hop] = {}
    edges = known = 0
    for u, v, deal, data, amount in _edges(G, weight):
        hop = hops.get((u, v))
        if hop is None:
            hop = hops[(u, v)] = _Hop()
        hop.count += 1
        edges += 1
        if deal is not None:
            hop.deals.append(deal)
        kind = data.get("kind")
        if kind is not None and kind not in hop.kinds:
            hop.kinds.append(kind)
        if amount is not None:
            hop.amount += amount
            hop.known += 1
            known += 1
    return hops, _coverage(edges, known)


def _positive_flows(G: nx.DiGraph, weight: str) -> tuple[dict[tuple[Hashable, Hashable], float], dict]:
    """The known money on each hop, ``{(u, v): amount}``, and the coverage of the whole graph.

    Parallel edges are summed; a hop whose known amount is zero (or entirely unknown) is
    left out, so every value is positive.
    """
    hops, coverage = _collapse(G, weight)
    return {uv: hop.amount for uv, hop in hops.items() if hop.amount > 0}, coverage


def _coverage(edges: int, with_amount: int) -> dict:
    """The coverage dict every money metric returns."""
    return {
        "edges": edges,
        "edges_with_amount": with_amount,
        "fraction": (with_amount / edges) if edges else None,
    }


def _node_order(nodes: Iterable[Hashable]) -> dict[Hashable, int]:
    """Rank of every node in a deterministic total order (sorted ids; by type and str if mixed)."""
    nodes = list(nodes)
    try:
        ordered = sorted(nodes)
    except TypeError:
        ordered = sorted(nodes, key=lambda n: (type(n).__name__, str(n)))
    return {n: i for i, n in enumerate(ordered)}


def _components(
    G: nx.DiGraph, pairs: Iterable[tuple[Hashable, Hashable]]
) -> tuple[dict[Hashable, int], list[set], set[int]]:
    """Strongly connected components of the graph on G's nodes whose edges are ``pairs``.

    Returns the index of each node's component, the components, and the indices of the
    components that hold a cycle: two or more members, or one with a self-loop.
    """
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from(pairs)
    comps = list(nx.strongly_connected_components(H))
    index = {n: i for i, comp in enumerate(comps) for n in comp}
    cyclic = {i for i, comp in enumerate(comps) if len(comp) > 1}
    cyclic.update(index[n] for n in nx.nodes_with_selfloops(H))
    return index, comps, cyclic
