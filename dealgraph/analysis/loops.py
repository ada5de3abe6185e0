"""Loop inventory: the elementary cycles of a money-flow graph, bounded and reported.

A loop is an elementary (simple) directed cycle of companies, ``a -> b -> ... -> a``, where
each hop is one or more deals through which money flows that way. The search is bounded by
length, by count and by time, and always says which bound, if any, cut it short.

Why not just ``nx.simple_cycles(G, length_bound=k)``? Its bounded search runs per strongly
connected component, but can take exponential time before yielding anything, even when
there is no cycle at all within the bound (networkx issue 8737: a chain of diamonds closed
by one long edge). A generator that does not yield cannot be interrupted, so a time limit
checked between cycles would not be a limit. This module therefore runs its own bounded
search inside each strongly connected component (found with networkx): for each start node
``s``, in sorted order, a depth-first search over nodes after ``s`` that only steps onto a
node ``w`` if a breadth-first distance bound says ``w`` can still get back to ``s`` within
the remaining length. Every elementary cycle of length at most ``max_length`` is found
exactly once, rooted at its smallest node; on the issue-8737 graph the search stops at once.
The clock and the count are checked inside the search, and all the work is under the clock:
each loop's record (its deals, kinds and amounts) is built the moment the loop is found, not
after the search, because on a dense graph building a hundred thousand records takes longer
than finding them (it made a 1 s limit last 3 to 8 s). The only work outside the clock's reach
is one linear pass over the graph (reading the edges, the components) before the search; if
that alone uses up the time, the search stops at once and says so. The tests check the output
against ``nx.simple_cycles`` on random graphs.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
from networkx.utils import not_implemented_for

from dealgraph.analysis._graph import GraphReading, _hop_arrays, _hop_deals, _node_order, _strong_components

__all__ = ["Loop", "LoopSearch", "find_loops"]


@dataclass(frozen=True)
class Loop:
    """One elementary cycle of companies.

    Attributes
    ----------
    members : tuple
        The companies in cycle order, starting from the smallest id; the last pays the first.
    deals : tuple of tuple
        For each hop ``members[i] -> members[i + 1]`` (the last hop closes the cycle), the ids
        of the parallel deals on that hop.
    kinds : tuple of tuple
        For each hop, the distinct deal kinds on it.
    hop_amounts : tuple
        For each hop, the sum of the known amounts of its deals, None when none is known.
    bottleneck : float or None
        The smallest hop amount: the most money that could go all the way round. None when
        some hop has no known amount.
    length : int
        Number of hops (= number of members; a self-loop has length 1).
    """

    members: tuple
    deals: tuple
    kinds: tuple
    hop_amounts: tuple
    bottleneck: float | None
    length: int

    @property
    def hops(self) -> tuple:
        """The hops ``(payer, payee)`` in cycle order; the last one closes the cycle."""
        return _cycle_hops(self.members)


@dataclass(frozen=True)
class LoopSearch:
    """The loops found and the bounds of the search.

    Attributes
    ----------
    cycles : tuple of Loop
        In the order found: by smallest member, then depth-first.
    bounds : dict
        ``max_length``, ``max_cycles``, ``time_limit`` as given, ``elapsed`` seconds, and
        ``truncated_by``: the names of the bounds that cut the search short, empty when the
        inventory is complete. "max_cycles": more cycles exist than were kept. "time_limit":
        the search ran out of time. "max_length": a strongly connected component has more
        than ``max_length`` members, so longer cycles may exist that were not searched for.
    """

    cycles: tuple
    bounds: dict

    @property
    def complete(self) -> bool:
        """True when no bound cut the search short."""
        return not self.bounds["truncated_by"]


class _Stop(Exception):
    """Raised inside the search when a bound is hit."""

    def __init__(self, bound: str) -> None:
        self.bound = bound


@not_implemented_for("undirected")
def find_loops(
    G: nx.DiGraph,
    *,
    max_length: int | None = 6,
    max_cycles: int | None = 10_000,
    time_limit: float | None = 30.0,
    weight: str = "amount",
    reading: GraphReading | None = None,
) -> LoopSearch:
    """Find the elementary cycles of a money-flow graph, within bounds.

    Parallel edges are collapsed onto one hop for the search (a loop is a cycle of
    companies); each hop then lists all its deals. Self-loops are cycles of length 1.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph, edges payer -> payee; in a multigraph, edge keys are deal ids
        (an edge's ``deal`` attribute wins over its key).
    max_length : int or None, default 6
        Longest cycle to look for, in hops. None: no bound (the number of cycles can grow
        exponentially with the size of the graph; keep the other bounds).
    max_cycles : int or None, default 10_000
        Stop after this many cycles. None: no bound.
    time_limit : float or None, default 30.0
        Stop after this many seconds, counted from the call (the clock is read after reading
        the graph, at every start node, at every loop found and every 64 steps of the
        depth-first search, so the overshoot is small: a step costs at most one pass over a
        company's payees). The loops found by then are returned, with "time_limit" in
        ``truncated_by``. None: no bound.
    weight : str, default "amount"
        Edge attribute holding the amount, for ``hop_amounts`` and ``bottleneck``.
    reading : GraphReading, optional
        One reading of G shared by the metrics run on it (see
        :class:`~dealgraph.analysis.GraphReading`); None reads G here.

    Returns
    -------
    LoopSearch

    Raises
    ------
    networkx.NetworkXNotImplemented
        If G is undirected.
    ValueError
        If a bound is not positive, or an amount is negative, infinite or outside the
        accepted range (:data:`~dealgraph.analysis.AMOUNT_MIN` to
        :data:`~dealgraph.analysis.AMOUNT_MAX`).
    TypeError
        If an amount is not a number (a string is not one).

    See Also
    --------
    networkx.simple_cycles
    dealgraph.analysis.circularity.cyclic_share

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("nvidia", "openai", key="d1", kind="equity_investment", amount=100.0)
    'd1'
    >>> G.add_edge("openai", "nvidia", key="d2", kind="hardware_purchase", amount=None)
    'd2'
    >>> G.add_edge("openai", "coreweave", key="d3", kind="compute_contract", amount=22.4)
    'd3'
    >>> G.add_edge("coreweave", "nvidia", key="d4", kind="hardware_purchase", amount=7.5)
    'd4'
    >>> G.add_edge("coreweave", "nvidia", key="d5", kind="hardware_purchase", amount=2.5)
    'd5'
    >>> found = find_loops(G)
    >>> [loop.members for loop in found.cycles]
    [('coreweave', 'nvidia', 'openai'), ('nvidia', 'openai')]
    >>> first = found.cycles[0]
    >>> first.hops
    (('coreweave', 'nvidia'), ('nvidia', 'openai'), ('openai', 'coreweave'))
    >>> first.deals
    (('d4', 'd5'), ('d1',), ('d3',))
    >>> first.hop_amounts, first.bottleneck
    ((10.0, 100.0, 22.4), 10.0)
    >>> found.cycles[1].bottleneck is None
    True
    >>> found.bounds["truncated_by"], found.complete
    ([], True)
    """
    if max_length is not None and max_length < 1:
        raise ValueError(f"max_length must be at least 1 or None, got {max_length!r}")
    if max_cycles is not None and max_cycles < 0:
        raise ValueError(f"max_cycles must be non-negative or None, got {max_cycles!r}")
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be positive or None, got {time_limit!r}")

    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    import numpy as np

    arrays = _hop_arrays(G, weight, reading)
    rank = _node_order(G)
    nodes = sorted(rank, key=rank.__getitem__)  # index i <-> nodes[i]
    truncated: list[str] = []

    # Strongly connected components that can hold a cycle, and the hops inside them: the
    # only ones a loop can use, so the only ones read into Python objects.
    labels, holds_cycle = _strong_components(len(arrays.nodes), arrays.tail, arrays.head)
    sizes = np.bincount(labels, minlength=len(holds_cycle))
    if max_length is not None and (sizes[holds_cycle] > max_length).any():
        truncated.append("max_length")
    by_rank = np.array([rank[n] for n in arrays.nodes], dtype=np.int64)
    comp_of: dict[int, int] = dict(
        zip(by_rank[holds_cycle[labels]].tolist(), labels[holds_cycle[labels]].tolist())
    )
    succ: dict[int, list[int]] = {i: [] for i in comp_of}
    pred: dict[int, list[int]] = {i: [] for i in comp_of}
    inside = np.flatnonzero((labels[arrays.tail] == labels[arrays.head]) & holds_cycle[labels[arrays.tail]])
    hop_at: dict[tuple[int, int], int] = {}
    for k, iu, iv in zip(inside.tolist(), by_rank[arrays.tail[inside]].tolist(),
                         by_rank[arrays.head[inside]].tolist()):
        succ[iu].append(iv)
        pred[iv].append(iu)
        hop_at[(iu, iv)] = k
    for lst in succ.values():
        lst.sort()

    amount, known = arrays.amount, arrays.known
    details: dict[tuple[int, int], tuple] = {}

    def hop(iu: int, iv: int) -> tuple:
        """The hop's deals, kinds and known amount, read from G once, when a loop uses it."""
        got = details.get((iu, iv))
        if got is None:
            k = hop_at[(iu, iv)]
            deals, kinds = _hop_deals(G, nodes[iu], nodes[iv])
            got = details[(iu, iv)] = (tuple(deals), tuple(kinds), float(amount[k]) if known[k] else None)
        return got

    found: list[Loop] = []

    def record(path: list[int]) -> None:
        """Keep one cycle: its record is built here, under the clock, not after the search."""
        if max_cycles is not None and len(found) >= max_cycles:
            raise _Stop("max_cycles")
        if deadline is not None and time.perf_counter() > deadline:
            raise _Stop("time_limit")
        found.append(_make_loop(path, nodes, hop))

    try:
        if deadline is not None and time.perf_counter() > deadline:
            raise _Stop("time_limit")  # reading the graph alone used up the time
        for s in sorted(comp_of):
            _cycles_through(s, succ, pred, max_length, record, deadline)
    except _Stop as stop:
        truncated.append(stop.bound)

    return LoopSearch(
        cycles=tuple(found),
        bounds={
            "max_length": max_length,
            "max_cycles": max_cycles,
            "time_limit": time_limit,
            "elapsed": time.perf_counter() - started,
            "truncated_by": truncated,
        },
    )


def _cycles_through(
    s: int,
    succ: dict[int, list[int]],
    pred: dict[int, list[int]],
    k: int | None,
    record,
    deadline: float | None,
) -> None:
    """Call ``record(path)`` for every elementary cycle whose smallest node is ``s`` and
    length is at most k (``record`` may raise :class:`_Stop`)."""
    if deadline is not None and time.perf_counter() > deadline:
        raise _Stop("time_limit")
    # dist[w]: hops from w back to s through nodes after s, up to k - 1 (a lower bound of
    # what a simple path can do, so pruning with it never loses a cycle).
    dist = {s: 0}
    frontier = [s]
    depth = 0
    limit = None if k is None else k - 1
    while frontier and (limit is None or depth < limit):
        depth += 1
        nxt = []
        for x in frontier:
            for w in pred[x]:
                if w > s and w not in dist:
                    dist[w] = depth
                    nxt.append(w)
        frontier = nxt

    path = [s]
    on_path = {s}
    stack = [iter(succ[s])]
    steps = 0
    while stack:
        steps += 1
        # Every 64 steps, not 1024: a step may scan a whole list of payees, and 1024 of them
        # round a hub with thousands of payees run far past the limit between two readings.
        if deadline is not None and not steps & 63 and time.perf_counter() > deadline:
            raise _Stop("time_limit")
        for w in stack[-1]:
            if w == s:
                record(path)
            elif w > s and w not in on_path:
                dw = dist.get(w)
                if dw is not None and (k is None or len(path) + dw <= k):
                    path.append(w)
                    on_path.add(w)
                    stack.append(iter(succ[w]))
                    break
        else:
            stack.pop()
            on_path.discard(path.pop())


def _cycle_hops(members) -> tuple:
    """``(members[i], members[i + 1])`` for every i, the last member paying the first."""
    return tuple(zip(members, members[1:] + members[:1]))


def _make_loop(path: list[int], nodes: list[Hashable], hop) -> Loop:
    """Build the Loop record for a cycle of members (``path``: their indices in ``nodes``);
    ``hop(i, j)`` gives the deals, kinds and known amount of the hop ``nodes[i] -> nodes[j]``."""
    parts = [hop(i, j) for i, j in _cycle_hops(path)]
    deals = tuple(p[0] for p in parts)
    kinds = tuple(p[1] for p in parts)
    amounts = tuple(p[2] for p in parts)
    bottleneck = None if any(a is None for a in amounts) else min(amounts)
    return Loop(
        members=tuple(nodes[i] for i in path),
        deals=deals,
        kinds=kinds,
        hop_amounts=amounts,
        bottleneck=bottleneck,
        length=len(path),
    )
