"""Reading a money-flow graph: the private helpers every analysis module shares.

One rule, written once, for what the analyses read from a graph: an edge's amount (see "The
range of amounts" below; missing, None or NaN is unknown), which deal an edge is (its ``deal``
attribute, else its key in a multigraph), parallel edges collapsed into one hop per ordered
pair of companies, the coverage dict every money metric reports, the strongly connected
components (and which of them hold a cycle), and one deterministic order of the companies for
every sorted output. The modules of :mod:`dealgraph.analysis` import these helpers; only
:data:`AMOUNT_MIN`, :data:`AMOUNT_MAX` and :class:`GraphReading` (one reading of a graph
shared by the metrics run on it) are public (re-exported by the package).

The range of amounts
--------------------
An amount (an edge's money, a boundary input, a DebtRank exposure, buffer or value) is a real
number: an ``int``, a ``float``, a :class:`~decimal.Decimal` (the type the seeds' records hold
money in), a :class:`~fractions.Fraction` or a numpy number; never a string, a bool or a
complex number (TypeError naming the edge or node). It is converted to a float and must then
be 0, or between :data:`AMOUNT_MIN` (1e-150) and :data:`AMOUNT_MAX` (1e150) in whatever unit
the graph uses (ValueError naming the edge or node otherwise; negative and infinite amounts
are refused too). The range is what makes every metric's arithmetic safe: the ratio of any two
accepted amounts lies within 1e-300 and 1e300, and a sum of fewer than 1e150 of them cannot
overflow, so shares, throughflows and intensities are normal floats. Inside that range each
metric is computed without overflow or loss of the small terms: the network simplex runs on
exact integers, HiGHS on amounts divided by the largest, Finn's index by an elimination that
never subtracts (see each module). No money in any currency unit comes near the bounds; a
figure outside them is a unit or parsing error upstream.

Finn's boundary inputs are totals, not deals (:func:`~dealgraph.analysis.balancing_inputs`
makes them as differences of sums of amounts, which can be far smaller or larger than any one
amount): any non-negative number up to :data:`TOTAL_MAX` (1e300). An input only adds to a
throughflow what leaks into a loop, so a tiny one needs no lower bound.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import networkx as nx

__all__ = ["AMOUNT_MIN", "AMOUNT_MAX", "GraphReading"]

#: Smallest positive amount the analyses accept (any unit): see "The range of amounts".
AMOUNT_MIN = 1e-150
#: Largest amount the analyses accept (any unit): see "The range of amounts".
AMOUNT_MAX = 1e150
#: Largest total (a boundary input of Finn's index, a sum or difference of amounts): the sum
#: of fewer than 1e8 of them stays finite. Totals have no lower bound: see finn.py.
TOTAL_MAX = 1e300


def _number(x: Any, what: str) -> float | None:
    """``x`` as a float, or None when it is unknown (None or NaN).

    Raises TypeError, naming ``what``, when ``x`` is not a real number: a string (even
    "12"), bytes, a bool, a complex number or any other object. Real numbers are Python's
    and numpy's ints and floats, Fractions and Decimals (the seeds' money type); a value too
    large for a float becomes infinity, which the callers refuse.
    """
    if x is None:
        return None
    if type(x) is float:  # the common case, first: the abstract-class check below costs 3 µs
        return None if x != x else x
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        raise TypeError(f"{what}={x!r} is not a number")
    try:
        value = float(x)
    except OverflowError:  # an int or Fraction beyond the float range, kept with its sign
        return math.inf if x > 0 else -math.inf
    except (TypeError, ValueError):  # e.g. Decimal("sNaN"), which refuses to convert
        raise TypeError(f"{what}={x!r} is not a number") from None
    return None if math.isnan(value) else value


def _in_range(
    value: float, what: str, *, hint: str = "", low: float = AMOUNT_MIN, high: float = AMOUNT_MAX
) -> float:
    """``value`` if it is 0 or within [low, high]; ValueError naming ``what``."""
    if value < 0:
        raise ValueError(f"{what}: negative {value!r}{hint}")
    if math.isinf(value):
        raise ValueError(f"{what}: infinite (or beyond the float range)")
    if value and not low <= value <= high:
        within = f"0, or {low:g} to {high:g}" if low else f"0 to {high:g}"
        raise ValueError(
            f"{what}: {value!r} is outside the range the analyses accept ({within}); "
            "express the amounts in another unit"
        )
    return value


def _amount_of(
    x: Any, what: str, *, hint: str = "", low: float = AMOUNT_MIN, high: float = AMOUNT_MAX
) -> float | None:
    """A value given as an amount, checked: a float in range, or None when unknown."""
    value = _number(x, what)
    return None if value is None else _in_range(value, what, hint=hint, low=low, high=high)


def _amount(data: Mapping[str, Any], weight: str, u: Hashable, v: Hashable, deal: Any) -> float | None:
    """The edge's amount as a float, or None when unknown (missing, None or NaN)."""
    x = data.get(weight)
    # The common case, decided without building the message the checks below would name the
    # edge with (at 100 000 deals the messages alone took seconds): a float within range.
    if x is None:
        return None
    if type(x) is float and (x == 0.0 or AMOUNT_MIN <= x <= AMOUNT_MAX):
        return x
    edge = f"edge {u!r} -> {v!r}" + ("" if deal is None else f" (deal {deal!r})")
    return _amount_of(
        x,
        f"{edge}: {weight}",
        hint="; money flows are non-negative, reverse the edge instead",
    )


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


def _positive_flows(
    G: nx.DiGraph, weight: str, reading: "GraphReading | None" = None
) -> tuple[dict[tuple[Hashable, Hashable], float], dict]:
    """The known money on each hop, ``{(u, v): amount}``, and the coverage of the whole graph.

    Parallel edges are summed; a hop whose known amount is zero (or entirely unknown) is
    left out, so every value is positive. Hops in the order of their first edge, as
    :func:`_collapse` gives them (read by :func:`_hop_arrays`, the same sums).
    """
    hops = _hop_arrays(G, weight, reading).positive()
    nodes = hops.nodes
    pairs = zip(map(nodes.__getitem__, hops.tail.tolist()), map(nodes.__getitem__, hops.head.tolist()))
    return dict(zip(pairs, hops.amount.tolist())), hops.coverage


class _HopArrays:
    """Hops (parallel edges collapsed) as columns: ``nodes[tail[k]] -> nodes[head[k]]``.

    ``nodes`` is the list of G's nodes in G's order, ``amount[k]`` the sum of the hop's known
    amounts (0.0 when none is known), ``known[k]`` how many of its edges have one. Hops are
    in the order of their first edge, as :func:`_collapse` gives them; ``coverage`` is that of
    the whole graph. The columns :func:`_hop_arrays` returns are read-only: a
    :class:`GraphReading` hands the same ones to every metric.
    """

    __slots__ = ("nodes", "tail", "head", "amount", "known", "coverage")

    def __init__(self, nodes, tail, head, amount, known, coverage) -> None:
        self.nodes = nodes
        self.tail = tail
        self.head = head
        self.amount = amount
        self.known = known
        self.coverage = coverage

    def positive(self) -> "_HopArrays":
        """The hops whose known amount is positive, in the same order."""
        keep = self.amount > 0
        return _HopArrays(
            self.nodes, self.tail[keep], self.head[keep], self.amount[keep], self.known[keep], self.coverage
        )

    def reads_as(self, other: "_HopArrays") -> bool:
        """Whether a metric of the hops reads the same from ``other``: the same companies in
        the same order, the same hops, and on each hop the same sum (the same float) and
        count of known amounts."""
        import numpy as np

        return (
            (self.nodes is other.nodes or self.nodes == other.nodes)
            and np.array_equal(self.tail, other.tail)
            and np.array_equal(self.head, other.head)
            and np.array_equal(self.known, other.known)
            and np.array_equal(self.amount, other.amount)
            and self.coverage == other.coverage
        )


class GraphReading:
    """A money-flow graph read once for all the metrics run on it.

    Every metric of :mod:`dealgraph.analysis` that measures money begins by reading the
    graph: its hops (parallel deals collapsed) and the known money of each under a weight.
    Passed one reading of G (``reading=``), the metrics of G list its hops once and read each
    weight once, instead of each metric reading everything again: on the synthetic store of
    100 000 deals (74 500 money edges) listing the hops takes about 30 ms of CPU and reading a
    weight 20 ms, where each metric took 47 ms to read both, and its loop inventory runs 23
    metrics on five pairs of a graph and a weight.

    The reading is of G as it is when a metric first asks for a weight: make it after the
    last change to G, and do not change G while it is used. A metric given the reading of
    another graph raises ValueError.

    Examples
    --------
    >>> import networkx as nx
    >>> from dealgraph.analysis import clearable_share, cyclic_share
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", amount=10.0)
    >>> G.add_edge("b", "a", amount=4.0)
    >>> G.add_edge("b", "c", amount=6.0)
    >>> reading = GraphReading(G)
    >>> cyclic_share(G, reading=reading).share, clearable_share(G, reading=reading).share
    (0.7, 0.4)
    """

    __slots__ = ("graph", "_listed", "_hops", "_unset")

    def __init__(self, G: nx.DiGraph) -> None:
        self.graph = G
        self._listed: tuple | None = None  # the columns no weight changes, listed at the first read
        self._hops: dict[str, _HopArrays] = {}
        self._unset: dict[str, Any] = {}

    def hops(self, weight: str) -> _HopArrays:
        """G's hops with their known money under ``weight``, read the first time it is asked
        for (see :func:`_hop_arrays`)."""
        hops = self._hops.get(weight)
        if hops is None:
            hops = self._hops[weight] = self._read(weight)
        return hops

    def unset(self, attribute: str):
        """For each edge, in the order of G.edges(), whether its ``attribute`` is missing or
        None (a boolean array, read the first time it is asked for)."""
        import numpy as np

        unset = self._unset.get(attribute)
        if unset is None:
            data = self._listing()[4]
            unset = np.fromiter((d.get(attribute) is None for d in data), dtype=bool, count=len(data))
            unset.flags.writeable = False
            self._unset[attribute] = unset
        return unset

    def _listing(self) -> tuple:
        """The columns no weight changes, listed the first time: the nodes, each hop's tail and
        head, the hop of each edge and each edge's data, in edge order."""
        import numpy as np

        if self._listed is not None:
            return self._listed
        G = self.graph
        nodes = list(G)
        position = {n: i for i, n in enumerate(nodes)}
        # G.edges() walks the adjacency: every pair's parallel edges come one after another,
        # so the hops, in the order of their first edge, are the pairs in the order of the
        # walk. One comprehension per column, not an append per edge.
        adjacency = list(G.adjacency())  # the order of G.edges(): that of _edges
        tail = np.repeat(
            np.array([position[u] for u, _ in adjacency], dtype=np.int64),
            np.array([len(nbrs) for _, nbrs in adjacency], dtype=np.int64),
        )
        head = np.array([position[v] for _, nbrs in adjacency for v in nbrs], dtype=np.int64)
        if G.is_multigraph():
            sizes = [len(keydict) for _, nbrs in adjacency for keydict in nbrs.values()]
            data = [d for _, nbrs in adjacency for keydict in nbrs.values() for d in keydict.values()]
            hop = np.repeat(np.arange(len(head)), sizes)
        else:
            data = [d for _, nbrs in adjacency for d in nbrs.values()]
            hop = np.arange(len(head))
        for column in (tail, head, hop):
            column.flags.writeable = False  # shared by the hops of every weight
        self._listed = (nodes, tail, head, hop, data)
        return self._listed

    def _read(self, weight: str) -> _HopArrays:
        import numpy as np

        nodes, tail, head, hop, data = self._listing()
        raw = [d.get(weight) for d in data]
        amounts = None
        if set(map(type, raw)) <= {float, type(None)}:
            amounts = np.array(raw, dtype=float)  # None -> NaN: unknown, as _number reads NaN
            ok = np.isnan(amounts) | (amounts == 0) | ((amounts >= AMOUNT_MIN) & (amounts <= AMOUNT_MAX))
            if not ok.all():
                amounts = None  # read edge by edge below, which raises the error naming the edge
        if amounts is None:
            amounts = np.array([np.nan if a is None else a for *_, a in _edges(self.graph, weight)], dtype=float)
        known = ~np.isnan(amounts)
        coverage = _coverage(len(raw), int(known.sum()))
        # bincount adds the weights in input order: each hop's known amounts in edge order, from 0.0.
        amount = np.bincount(hop[known], weights=amounts[known], minlength=len(head)).astype(float)
        counts = np.bincount(hop[known], minlength=len(head)).astype(np.int64)
        amount.flags.writeable = counts.flags.writeable = False  # shared by every metric of the reading
        return _HopArrays(nodes, tail, head, amount, counts, coverage)


def _hop_arrays(G: nx.DiGraph, weight: str, reading: GraphReading | None = None) -> _HopArrays:
    """The hops of G with their known money, as :func:`_collapse` reads them, in columns.

    The same rule and the same sums, without a Python object per edge: every amount read is
    checked as :func:`_amount` checks it (when any is not a plain float or None, or any is out
    of range, each edge is read by :func:`_amount`, which raises the same error, naming the
    first bad edge), and each hop's amounts are added in edge order from 0.0, as
    :func:`_collapse` adds them, so the sums are the same floats.

    ``reading``: a :class:`GraphReading` of G, which reads each weight once for all the
    metrics given it; None reads G now. ValueError when it is the reading of another graph.
    """
    if reading is None:
        return GraphReading(G).hops(weight)
    _check_reading(G, reading)
    return reading.hops(weight)


def _check_reading(G: nx.DiGraph, reading: GraphReading | None) -> None:
    """ValueError when ``reading`` is the reading of another graph than G."""
    if reading is not None and reading.graph is not G:
        raise ValueError("reading= is the reading of another graph: make one with GraphReading(G)")


def _hop_deals(G: nx.DiGraph, u: Hashable, v: Hashable) -> tuple[list[Any], list[str]]:
    """The deals and the distinct kinds of the hop ``u -> v``, as :func:`_collapse` lists them
    (edge order; a deal of None and a kind of None left out). For readers of
    :func:`_hop_arrays` that need them for a few hops only, not a Python object per hop."""
    deals: list[Any] = []
    kinds: list[str] = []
    edges = G[u][v].items() if G.is_multigraph() else [(None, G[u][v])]
    for key, data in edges:
        deal = data.get("deal", key)
        if deal is not None:
            deals.append(deal)
        kind = data.get("kind")
        if kind is not None and kind not in kinds:
            kinds.append(kind)
    return deals, kinds


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


def _strong_components(n: int, tail, head):
    """Strongly connected components of the graph on nodes ``0..n-1`` with edges
    ``tail[k] -> head[k]`` (integer arrays): the label of each node's component, and for each
    label whether the component holds a cycle (two or more members, or one with a self-loop).

    scipy's compiled search (Pearce's algorithm); the components are those networkx finds,
    labelled in another order.
    """
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    tail = np.asarray(tail, dtype=np.int64)
    head = np.asarray(head, dtype=np.int64)
    adjacency = sp.csr_array((np.ones(len(tail), dtype=np.int8), (tail, head)), shape=(n, n))
    count, labels = connected_components(adjacency, directed=True, connection="strong")
    cyclic = np.bincount(labels, minlength=count) > 1
    cyclic[labels[tail[tail == head]]] = True
    return labels, cyclic


def _components(
    G: nx.DiGraph, pairs: Iterable[tuple[Hashable, Hashable]]
) -> tuple[dict[Hashable, int], list[set], set[int]]:
    """Strongly connected components of the graph on G's nodes whose edges are ``pairs``.

    Returns the index of each node's component, the components, and the indices of the
    components that hold a cycle: two or more members, or one with a self-loop.
    """
    nodes = list(G)
    position = {n: i for i, n in enumerate(nodes)}
    tail: list[int] = []
    head: list[int] = []
    for u, v in pairs:
        tail.append(position[u])
        head.append(position[v])
    labels, holds_cycle = _strong_components(len(nodes), tail, head)
    labels = labels.tolist()
    comps: list[set] = [set() for _ in range(len(holds_cycle))]
    for n, label in zip(nodes, labels):
        comps[label].add(n)
    index = dict(zip(nodes, labels))
    cyclic = {int(i) for i in holds_cycle.nonzero()[0]}
    return index, comps, cyclic
