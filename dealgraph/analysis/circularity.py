"""How much of the money goes round: cyclic share, clearable share, reciprocity.

Every function here takes a money-flow graph (a :class:`networkx.MultiDiGraph` with one edge
per deal, payer -> payee, or a plain :class:`networkx.DiGraph`) and the name of the numeric
edge attribute to read (``weight``, ``"amount"`` by default). An edge whose weight is missing,
None or NaN has an *unknown amount*: it is left out of every money sum and counted in the
``coverage`` each result carries (``edges``, ``edges_with_amount``, ``fraction``). Parallel
edges between the same two companies are summed. To restrict a metric to one layer of the
graph, pass a view, e.g. ``G.edge_subgraph(e for e in G.edges(keys=True)
if G.edges[e]["layer"] == "flow")``.

Amounts are often ranges; :func:`metrics_with_bounds` runs any of these metrics on the value,
low and high attributes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from networkx.utils import not_implemented_for

from dealgraph.analysis._graph import (
    GraphReading,
    _check_reading,
    _hop_arrays,
    _hop_deals,
    _node_order,
    _strong_components,
)

__all__ = [
    "CyclicShare",
    "ClearableShare",
    "ReciprocalPair",
    "Reciprocity",
    "Bounded",
    "cyclic_share",
    "clearable_share",
    "reciprocity",
    "metrics_with_bounds",
]


# ---------------------------------------------------------------------------------------------
# Cyclic share
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CyclicShare:
    """Money on edges that lie on some cycle, over all known money.

    Attributes
    ----------
    share : float or None
        ``cyclic_amount / total_amount``; None when no edge has a known positive amount.
    cyclic_amount : float
        Known money on edges whose two ends lie in the same non-trivial strongly connected
        component (one with two or more companies, or a company with a self-loop).
    total_amount : float
        All known money in the graph.
    coverage : dict
        ``edges``, ``edges_with_amount`` and their ``fraction`` (None for an empty graph).
    components : tuple of tuple
        The non-trivial strongly connected components, each sorted, in sorted order.
    """

    share: float | None
    cyclic_amount: float
    total_amount: float
    coverage: dict
    components: tuple = ()


@not_implemented_for("undirected")
def cyclic_share(G: nx.DiGraph, weight: str = "amount", *, reading: GraphReading | None = None) -> CyclicShare:
    """Share of the known money that flows on edges lying on some cycle.

    An edge ``u -> v`` lies on a directed cycle exactly when ``u`` and ``v`` belong to the
    same strongly connected component and that component is non-trivial: it has two or more
    members, or ``u == v`` (a self-loop is a cycle of length one). The cycle structure is
    read from every edge, whatever its amount is: a deal of unknown amount still closes a
    loop, it just adds nothing to the sums.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph, edges payer -> payee.
    weight : str, default "amount"
        Edge attribute holding the amount. Missing, None or NaN means unknown.
    reading : GraphReading, optional
        One reading of G shared by the metrics run on it (see
        :class:`~dealgraph.analysis.GraphReading`); None reads G here.

    Returns
    -------
    CyclicShare

    Raises
    ------
    networkx.NetworkXNotImplemented
        If G is undirected.
    ValueError
        If an amount is negative, infinite or outside the accepted range (see
        :data:`~dealgraph.analysis.AMOUNT_MAX`).
    TypeError
        If an amount is not a number (a string is not one).

    See Also
    --------
    clearable_share : how much of that money would cancel out in multilateral netting.

    Examples
    --------
    A pays B 10, B pays A 4, and B pays C 6: the A <-> B loop carries 14 of the 20.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="d1", amount=10.0)
    'd1'
    >>> G.add_edge("b", "a", key="d2", amount=4.0)
    'd2'
    >>> G.add_edge("b", "c", key="d3", amount=6.0)
    'd3'
    >>> G.add_edge("c", "d", key="d4", amount=None)
    'd4'
    >>> r = cyclic_share(G)
    >>> r.share, r.cyclic_amount, r.total_amount
    (0.7, 14.0, 20.0)
    >>> r.coverage
    {'edges': 4, 'edges_with_amount': 3, 'fraction': 0.75}
    >>> r.components
    (('a', 'b'),)
    """
    import numpy as np

    hops = _hop_arrays(G, weight, reading)
    nodes, tail, head, amount = hops.nodes, hops.tail, hops.head, hops.amount
    # Every hop counts for the structure, whatever its amount: an unknown deal still closes a loop.
    labels, holds_cycle = _strong_components(len(nodes), tail, head)
    on_cycle = (labels[tail] == labels[head]) & holds_cycle[labels[tail]]
    # Added one by one in hop order from 0.0, as a loop over the hops adds them:
    # np.cumsum is sequential, not pairwise, so these are the same floats.
    total = float(np.cumsum(amount)[-1]) if len(amount) else 0.0
    cyclic = float(np.cumsum(amount[on_cycle])[-1]) if on_cycle.any() else 0.0
    order = _node_order(G)
    members: dict[int, list] = {int(i): [] for i in np.flatnonzero(holds_cycle)}
    for node, label in zip(nodes, labels.tolist()):
        if label in members:
            members[label].append(node)
    components = tuple(
        sorted(
            (tuple(sorted(comp, key=order.__getitem__)) for comp in members.values()),
            key=lambda c: order[c[0]],
        )
    )
    coverage = hops.coverage
    return CyclicShare(
        share=(cyclic / total) if total > 0 else None,
        cyclic_amount=cyclic,
        total_amount=total,
        coverage=coverage,
        components=components,
    )


# ---------------------------------------------------------------------------------------------
# Clearable share (multilateral netting)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClearableShare:
    """The largest circulation that fits under the flows, over all known money.

    Attributes
    ----------
    share : float or None
        ``cleared_amount / total_amount``; None when the total is zero.
    cleared_amount : float
        Value of the largest circulation ``x`` with ``0 <= x_e <= amount_e`` (summed over
        edges): money that would cancel out if every firm only settled its net position.
    residual_amount : float
        ``total_amount - cleared_amount``: the acyclic part that must really be paid.
    total_amount : float
        All known money in the graph.
    coverage : dict
        ``edges``, ``edges_with_amount`` and their ``fraction``.
    solver : str
        What solved the min-cost flows: "network_simplex", "highs", "network_simplex+highs",
        or "none" when no component needed one.
    """

    share: float | None
    cleared_amount: float
    residual_amount: float
    total_amount: float
    coverage: dict
    solver: str = "none"


#: Above this many edges in one strongly connected component, ``method="auto"`` uses HiGHS.
#: Measured (CPU, best of 2 to 7, 2026-11-30) on components of 100 to 15 000 hops of the
#: per-stage graphs of the 100 000-deal synthetic store: the two take 2-4 ms up to about 250
#: hops (HiGHS' fixed cost per call), then networkx's pure-Python network simplex falls
#: behind: 12 against 4 ms at 530 hops, 27 against 5 at 1 000, 70 against 10 at 2 000, 470
#: against 30 at 6 500, 1.1 s against 0.12 s at 11 500 (35 s against 4 s at 97 000 on the
#: benchmark graph). Below 1 000 hops HiGHS would save under 25 ms a component, not worth
#: giving up the network simplex's guarantee (its answer is right to 1e-9 of the smallest
#: amount, whatever the amounts): HiGHS' tolerances are absolute, on amounts divided by the
#: largest. Its value matched the network simplex's to 2.4e-16 on all those components; where
#: its tolerance loses a small capacity "auto" takes the network simplex's answer instead
#: (see _HIGHS_VERTEX_SLACK).
AUTO_HIGHS_EDGES = 1_000

#: Automatic scaling makes the smallest positive amount at least this many integer units.
_MIN_UNITS = 10**9


@not_implemented_for("undirected")
def clearable_share(
    G: nx.DiGraph,
    weight: str = "amount",
    scale: float | None = None,
    *,
    method: str = "auto",
    reading: GraphReading | None = None,
) -> ClearableShare:
    """Share of the known money that multilateral netting would cancel out.

    This is obligation clearing: find the largest circulation ``x`` (at every company, money
    in equals money out) that fits under the flows, ``0 <= x_e <= c_e`` with ``c_e`` the known
    amount of edge ``e`` (parallel edges summed). Equivalently, find the smallest residual
    flow ``r = c - x`` that leaves every company with its original net position; ``r`` is
    acyclic. It is a min-cost flow with node demand = net position (inflow - outflow),
    edge capacity = amount and unit cost per edge, and ``share = (total - residual) / total``.

    A circulation only uses edges inside a strongly connected component of the graph of
    known, positive amounts, so each component is solved on its own; a self-loop clears in
    full; every other edge is residual.

    networkx's :func:`~networkx.algorithms.flow.network_simplex` is not guaranteed to work
    with floating-point data, so amounts are scaled and rounded to integers first. With the
    default ``scale=None`` each component's scale is the power of ten that makes its
    smallest amount at least 10**9 units: rounding then moves every capacity by at most
    5e-10 of itself, and because a scaled circulation is still a circulation, the cleared
    amount moves by at most the same fraction. The scaling and rounding are done exactly, in
    Python integers (a component spanning 1e-150 to 1e150 needs integers of about 1000 bits,
    which a float product would overflow), and the result is converted back by one correctly
    rounded division. Totals are always summed from the unrounded amounts.

    HiGHS solves the circulation form of the problem (maximise the flow, at every company
    money in = money out): the zero flow satisfies it exactly, so a status other than
    "optimal" is the solver's failure, not the problem's. HiGHS' presolve has been seen to
    call such a problem infeasible once amounts spanning many orders of magnitude are divided
    by the largest, and it takes two thirds of the time on large components: HiGHS runs
    without presolve first, with it if that fails, and if that fails too the problem goes to
    the network simplex (and ``solver`` says so).

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph, edges payer -> payee.
    weight : str, default "amount"
        Edge attribute holding the amount. Missing, None or NaN means unknown and the edge
        is left out (it still counts in ``coverage``).
    scale : float, optional
        Multiply amounts by this before rounding them to integers for the network simplex.
        Default: chosen per component as described above.
    method : {"auto", "network_simplex", "highs"}, default "auto"
        "network_simplex": networkx, on integers (exact). "highs": the same linear program
        solved by HiGHS' dual simplex through :func:`scipy.optimize.linprog` on floats
        scaled to a largest amount of 1 (a vertex solution; HiGHS' tolerances are absolute,
        so its cleared amount may differ from the network simplex's by about 1e-9 of the
        component's largest amount per edge, 1e-7 when its first try fails: the same to 15
        digits on the benchmark graph, the share within 1e-6 on the tests' generated graphs
        at worst), falling back to the network
        simplex as described above. "auto": network simplex for components of up to
        ``AUTO_HIGHS_EDGES`` edges, HiGHS above, whose answer is kept only when its point
        meets the constraints to rounding (1e-12 on the unit scale); otherwise its
        feasibility tolerance has lost a small amount (seen once a component's capacities
        span more than about 1e8) and the network simplex solves the component.
    reading : GraphReading, optional
        One reading of G shared by the metrics run on it (see
        :class:`~dealgraph.analysis.GraphReading`); None reads G here.

    Returns
    -------
    ClearableShare

    Raises
    ------
    networkx.NetworkXNotImplemented
        If G is undirected.
    ValueError
        If an amount is negative, infinite or outside the accepted range
        (:data:`~dealgraph.analysis.AMOUNT_MIN` to :data:`~dealgraph.analysis.AMOUNT_MAX`),
        ``scale`` is not positive, or ``method`` is unknown.
    TypeError
        If an amount is not a number (a string is not one).
    RuntimeError
        If the network simplex fails (it cannot: the original flows are always feasible).

    See Also
    --------
    cyclic_share : money on edges that lie on some cycle (an upper bound of this).

    Examples
    --------
    A pays B 10, B pays C 10, C pays A 4: a circulation of 4 fits on each of the three edges
    (12 of the 24 clears); what remains is A -> B -> C, 6 on each hop.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", amount=10.0)
    >>> G.add_edge("b", "c", amount=10.0)
    >>> G.add_edge("c", "a", amount=4.0)
    >>> r = clearable_share(G)
    >>> r.cleared_amount, r.residual_amount, r.total_amount, r.share
    (12.0, 12.0, 24.0, 0.5)
    """
    if method not in ("auto", "network_simplex", "highs"):
        raise ValueError(f"unknown method {method!r}: use 'auto', 'network_simplex' or 'highs'")
    if scale is not None and not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")

    import numpy as np

    hops = _hop_arrays(G, weight, reading).positive()
    coverage, nodes, tail, head, amount = hops.coverage, hops.nodes, hops.tail, hops.head, hops.amount
    total = math.fsum(amount.tolist())
    labels, _ = _strong_components(len(nodes), tail, head)

    cleared = 0.0
    loop = tail == head
    for c in amount[loop].tolist():
        cleared += c  # a self-loop is a circulation on its own
    # The other hops inside one component, a problem per component, in the order of their
    # first hop; each problem's hops in their own order.
    inside = np.flatnonzero((labels[tail] == labels[head]) & ~loop)
    by_component = np.argsort(labels[tail[inside]], kind="stable")
    ends = np.flatnonzero(np.diff(labels[tail[inside[by_component]]])) + 1
    problems = np.split(inside[by_component], ends) if len(inside) else []
    problems.sort(key=lambda edges: edges[0])

    used: set[str] = set()
    slack = _highs_slack(method)
    for edges in problems:
        solver = method
        if solver == "auto":
            solver = "highs" if len(edges) > AUTO_HIGHS_EDGES else "network_simplex"
        value = None
        if solver == "highs":
            value = _highs_arrays(tail[edges], head[edges], amount[edges], np.ones(len(edges)), slack)
            if value is None:  # HiGHS failed twice on a problem the zero flow solves, or strayed
                solver = "network_simplex"
        if value is None:
            pairs = zip(
                map(nodes.__getitem__, tail[edges].tolist()), map(nodes.__getitem__, head[edges].tolist())
            )
            value = _clear_network_simplex(dict(zip(pairs, amount[edges].tolist())), scale)
        cleared += value
        used.add(solver)

    cleared = min(max(cleared, 0.0), total)
    return ClearableShare(
        share=(cleared / total) if total > 0 else None,
        cleared_amount=cleared,
        residual_amount=total - cleared,
        total_amount=total,
        coverage=coverage,
        solver="+".join(sorted(used, key=["network_simplex", "highs"].index)) or "none",
    )


class _Units:
    """Exact conversion between amounts and the integer units the network simplex runs on.

    A unit is ``1 / scale`` of an amount, the scale a rational ``num / den``: by default the
    power of ten that makes the smallest amount at least ``_MIN_UNITS`` units. An amount (a
    float, so a dyadic rational) times the scale is rounded to the nearest integer, halves
    to even as :func:`round` does, in Python's unbounded integers: no product is ever a float,
    so none can overflow or lose digits, whatever the span of the amounts.
    """

    __slots__ = ("num", "den")

    def __init__(self, amounts, scale: float | None) -> None:
        if scale is None:
            k = math.floor(math.log10(_MIN_UNITS)) - math.floor(math.log10(min(amounts)))
            self.num, self.den = (10**k, 1) if k >= 0 else (1, 10**-k)
        else:
            self.num, self.den = float(scale).as_integer_ratio()

    def units(self, amount: float) -> int:
        """``round(amount * scale)``, exactly."""
        n, d = float(amount).as_integer_ratio()
        d *= self.den
        q, r = divmod(n * self.num, d)
        if 2 * r > d or (2 * r == d and q & 1):
            q += 1
        return q

    def amount(self, units: int) -> float:
        """``units / scale`` as the nearest float (int / int is correctly rounded in Python)."""
        return (units * self.den) / self.num


def _clear_network_simplex(edges: dict[tuple[Hashable, Hashable], float], scale: float | None) -> float:
    """Largest circulation under ``edges`` (one strongly connected component), exactly."""
    units = _Units(edges.values(), scale)
    H = nx.DiGraph()
    demand: dict[Hashable, int] = {}
    capacity_total = 0
    for (u, v), c in edges.items():
        cap = units.units(c)
        if cap <= 0:
            continue
        H.add_edge(u, v, capacity=cap, weight=1)
        # Demands come from the rounded capacities, so the rounded flow itself is feasible.
        demand[u] = demand.get(u, 0) - cap
        demand[v] = demand.get(v, 0) + cap
        capacity_total += cap
    if not capacity_total:
        return 0.0
    nx.set_node_attributes(H, demand, "demand")
    try:
        residual, _ = nx.network_simplex(H, demand="demand", capacity="capacity", weight="weight")
    except nx.NetworkXException as err:  # pragma: no cover - the input flow is feasible
        raise RuntimeError(f"network simplex failed on a feasible problem: {err}") from err
    return units.amount(capacity_total - residual)


def _clear_highs(edges: dict[tuple[Hashable, Hashable], float], slack: float) -> float | None:
    """Largest circulation under ``edges`` as a linear program solved by HiGHS, or None when
    HiGHS fails (see :func:`_highs_circulation`)."""
    return _highs_circulation(list(edges), list(edges.values()), [1.0] * len(edges), slack)


#: How far HiGHS' answer may stray from its constraints, on the unit scale, before it is not
#: trusted: ten times its default primal feasibility tolerance.
_HIGHS_SLACK = 1e-6

#: The same for ``method="auto"``, which has the network simplex to fall back on: a vertex of
#: the problem meets its constraints to rounding, and HiGHS' point strays by about its
#: feasibility tolerance exactly when that tolerance has lost a small capacity. Measured on the
#: unit scale (2026-11-30): every component of the 100 000-deal store's graphs, at most 2.5e-16
#: off its constraints, and 70 generated components (1 000 to 3 000 hops, capacities spanning
#: 1e3 to 1e12) whose HiGHS value was within 3.2e-16 of an exact network simplex, at most
#: 6e-16 off; the 12 others, off by 1e-10 to 1e-4, strayed by 3e-10 to 8e-10. Not one of the
#: 82 was on the wrong side of 1e-12.
_HIGHS_VERTEX_SLACK = 1e-12

#: HiGHS' primal feasibility tolerance on the first try (its default, 1e-7, is the second's):
#: on the unit scale every edge's flow may stray from its bounds by this much, and the
#: cleared amount with it. On the benchmark graph's component of 80 000 edges 1e-7 left the
#: cleared amount 1.4e-8 above the network simplex's exact optimum, 1e-9 matches it to 1e-16
#: for a fifth more time.
_HIGHS_TOLERANCE = 1e-9


def _highs_slack(method: str) -> float:
    """How far HiGHS' point may stray from the constraints for ``method``: "auto" keeps only a
    vertex (it has the network simplex to fall back on), "highs" what its tolerances allow."""
    return _HIGHS_VERTEX_SLACK if method == "auto" else _HIGHS_SLACK


def _highs_circulation(pairs: list, capacity: list, gain: list, slack: float) -> float | None:
    """``max sum(gain_e * x_e)`` over circulations ``x`` with ``0 <= x_e <= capacity_e``, the
    edges given as pairs of nodes; a capacity of None is no limit. See :func:`_highs_arrays`."""
    import numpy as np

    nodes: dict[Hashable, int] = {}
    for uv in pairs:
        for n in uv:
            nodes.setdefault(n, len(nodes))
    m = len(pairs)
    tails = np.fromiter((nodes[u] for u, _ in pairs), dtype=np.int64, count=m)
    heads = np.fromiter((nodes[v] for _, v in pairs), dtype=np.int64, count=m)
    upper = np.array([np.inf if c is None else c for c in capacity], dtype=float)
    return _highs_arrays(tails, heads, upper, np.asarray(gain, dtype=float), slack)


def _highs_arrays(tails, heads, capacity, gain, slack: float) -> float | None:
    """``max sum(gain_e * x_e)`` over circulations ``x`` with ``0 <= x_e <= capacity_e``.

    Edge e runs from node ``tails[e]`` to node ``heads[e]`` (integer arrays); the nodes are
    numbered in the order they first appear, tail before head, edge by edge (the rows of the
    program). A capacity of ``inf`` is no limit. Solved by HiGHS' dual simplex on capacities
    divided by the largest finite one (its tolerances are absolute, so it works on a unit
    scale), and valued in the original units. The zero flow satisfies every constraint
    exactly (the right-hand side is exactly 0, not a sum of rounded amounts), so a status
    other than "optimal", or a point that breaks the constraints by more than ``slack`` on the
    unit scale (see :func:`_highs_slack`), is HiGHS' failure: it is tried once without
    presolve (and a feasibility tolerance of ``_HIGHS_TOLERANCE``) and once with it (HiGHS'
    defaults). Presolve is what has been seen to misjudge problems whose
    amounts span many orders of magnitude, and on the benchmark graph's component of 80 000
    edges it is two thirds of the time (2.5 s with it, 0.85 s without), so it is the second
    try. None when both fail; the caller then uses the exact network simplex.
    """
    import numpy as np
    import scipy.sparse as sp
    from scipy.optimize import linprog

    tails = np.asarray(tails, dtype=np.int64)
    heads = np.asarray(heads, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=float)
    weights = np.asarray(gain, dtype=float)
    m = len(tails)
    # Rows numbered by first appearance in (tail, head, tail, head, ...), as the pairs list it.
    ends = np.column_stack([tails, heads]).ravel()
    seen, first, inverse = np.unique(ends, return_index=True, return_inverse=True)
    row = np.empty(len(seen), dtype=np.int64)
    row[np.argsort(first, kind="stable")] = np.arange(len(seen))
    rows = row[inverse.ravel()].reshape(m, 2)
    finite = capacity[np.isfinite(capacity)]
    unit = float(finite.max()) if len(finite) else 1.0
    upper = capacity / unit
    cols = np.arange(m)
    incidence = sp.csr_array(
        (np.r_[-np.ones(m), np.ones(m)], (np.r_[rows[:, 0], rows[:, 1]], np.r_[cols, cols])),
        shape=(len(seen), m),
    )
    bounds = np.column_stack([np.zeros(m), upper])
    best = float(np.dot(weights, np.where(np.isfinite(upper), upper, 0.0)))  # no more than this
    for options in ({"presolve": False, "primal_feasibility_tolerance": _HIGHS_TOLERANCE}, {}):
        res = linprog(
            -weights,
            A_eq=incidence,
            b_eq=np.zeros(len(seen)),
            bounds=bounds,
            method="highs-ds",
            options=options,
        )
        if res.status != 0 or res.x is None:
            continue
        x = res.x
        imbalance = float(np.abs(incidence @ x).max(initial=0.0))
        if (
            np.all(x >= -slack)
            and np.all(x <= upper + slack)
            and imbalance <= slack * max(1.0, float(x.max(initial=0.0)))
        ):
            value = float(np.dot(weights, np.clip(x, 0.0, upper)))
            return min(max(value, 0.0), best) * unit
    return None


# ---------------------------------------------------------------------------------------------
# Reciprocity
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReciprocalPair:
    """Two companies that fund each other.

    ``u`` sorts before ``v``. Amounts are the sums of the known amounts each way, None when
    no deal that way has a known amount.
    """

    u: Hashable
    v: Hashable
    amount_uv: float | None
    amount_vu: float | None
    deals_uv: tuple = ()
    deals_vu: tuple = ()


@dataclass(frozen=True)
class Reciprocity:
    """Pairs of companies with money flowing both ways.

    Attributes
    ----------
    pairs : tuple of ReciprocalPair
        Every reciprocal pair, in sorted order.
    reciprocal_pairs : int
        ``len(pairs)``.
    connected_pairs : int
        Unordered pairs of distinct companies with at least one edge between them.
    pair_share : float or None
        ``reciprocal_pairs / connected_pairs``; None when there is no connected pair. This
        counts pairs, not edges (networkx's :func:`~networkx.overall_reciprocity` counts
        edges: a reciprocal pair has two).
    reciprocal_amount : float
        Known money flowing between reciprocal pairs, both ways.
    total_amount : float
        Known money between distinct companies (self-loops left out).
    amount_share : float or None
        ``reciprocal_amount / total_amount``; None when the total is zero.
    coverage : dict
        ``edges``, ``edges_with_amount`` and their ``fraction``.
    """

    pairs: tuple
    reciprocal_pairs: int
    connected_pairs: int
    pair_share: float | None
    reciprocal_amount: float
    total_amount: float
    amount_share: float | None
    coverage: dict = field(default_factory=dict)


@not_implemented_for("undirected")
def reciprocity(G: nx.DiGraph, weight: str = "amount", *, reading: GraphReading | None = None) -> Reciprocity:
    """Pairs of companies funded in both directions, and how much money they exchange.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph, edges payer -> payee.
    weight : str, default "amount"
        Edge attribute holding the amount. Missing, None or NaN means unknown.
    reading : GraphReading, optional
        One reading of G shared by the metrics run on it (see
        :class:`~dealgraph.analysis.GraphReading`); None reads G here.

    Returns
    -------
    Reciprocity

    Raises
    ------
    networkx.NetworkXNotImplemented
        If G is undirected.
    ValueError
        If an amount is negative, infinite or outside the accepted range (see
        :data:`~dealgraph.analysis.AMOUNT_MAX`).
    TypeError
        If an amount is not a number (a string is not one).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("nvidia", "openai", key="inv", amount=100.0)
    'inv'
    >>> G.add_edge("openai", "nvidia", key="gpus", amount=None)
    'gpus'
    >>> G.add_edge("microsoft", "openai", key="ms", amount=13.0)
    'ms'
    >>> r = reciprocity(G)
    >>> r.pairs
    (ReciprocalPair(u='nvidia', v='openai', amount_uv=100.0, amount_vu=None, deals_uv=('inv',), deals_vu=('gpus',)),)
    >>> r.reciprocal_pairs, r.connected_pairs, r.pair_share
    (1, 2, 0.5)
    >>> r.reciprocal_amount, r.total_amount
    (100.0, 113.0)
    """
    import numpy as np

    hops = _hop_arrays(G, weight, reading)
    nodes, tail, head, amount, known = hops.nodes, hops.tail, hops.head, hops.amount, hops.known
    coverage = hops.coverage
    order = _node_order(G)
    n = len(nodes)
    apart = tail != head  # self-loops are left out
    # Added one by one in hop order from 0.0 (np.cumsum is sequential): the same float.
    total = float(np.cumsum(amount[apart])[-1]) if apart.any() else 0.0
    low, high = np.minimum(tail[apart], head[apart]), np.maximum(tail[apart], head[apart])
    connected = len(np.unique(low * n + high))
    # A pair is listed once, from its hop whose payer sorts first, when the hop back exists.
    rank = np.array([order[node] for node in nodes], dtype=np.int64)
    back = np.isin(head * n + tail, tail * n + head)
    first = np.flatnonzero(apart & back & (rank[tail] < rank[head]))
    where = {(t, h): k for k, (t, h) in enumerate(zip(tail.tolist(), head.tolist()))}
    pairs = []
    for k in first.tolist():
        t, h = int(tail[k]), int(head[k])
        kb = where[(h, t)]
        a, b = nodes[t], nodes[h]
        pairs.append(
            ReciprocalPair(
                u=a,
                v=b,
                amount_uv=float(amount[k]) if known[k] else None,
                amount_vu=float(amount[kb]) if known[kb] else None,
                deals_uv=tuple(_hop_deals(G, a, b)[0]),
                deals_vu=tuple(_hop_deals(G, b, a)[0]),
            )
        )
    pairs.sort(key=lambda p: (order[p.u], order[p.v]))
    amount = sum((p.amount_uv or 0.0) + (p.amount_vu or 0.0) for p in pairs)
    return Reciprocity(
        pairs=tuple(pairs),
        reciprocal_pairs=len(pairs),
        connected_pairs=connected,
        pair_share=(len(pairs) / connected) if connected else None,
        reciprocal_amount=amount,
        total_amount=total,
        amount_share=(amount / total) if total > 0 else None,
        coverage=coverage,
    )


# ---------------------------------------------------------------------------------------------
# Low and high bounds
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounded:
    """A metric computed on the amounts and on their low and high bounds.

    The metric is run three times, so ``low`` is the metric *on low amounts* and ``high``
    the metric *on high amounts*. Sums grow from low to high; ratios such as a share need
    not (the cyclic part and the total both move), so do not read (low, high) as an
    interval around ``value``.
    """

    value: Any
    low: Any
    high: Any

    @property
    def differs(self) -> bool:
        """Whether the bounds gave a different result from the value."""
        return not (self.low == self.value == self.high)


def metrics_with_bounds(
    G: nx.DiGraph,
    fn: Callable[..., Any],
    *,
    low: str = "amount_low",
    high: str = "amount_high",
    weight: str = "amount",
    reading: GraphReading | None = None,
    **kwargs: Any,
) -> Bounded:
    """Run a money metric on the amounts and on their low and high bounds.

    Amounts are often ranges ("up to $100 billion", "$6-10 billion over five years"). The
    graph carries the point value in ``weight`` and the bounds in ``low`` and ``high``; for
    an exact amount all three are equal. This calls ``fn(G, weight=name, **kwargs)`` for each
    of the three names. An edge whose bound is missing or None but whose ``weight`` is known
    uses ``weight`` for that bound (on a copy of the graph; G is not changed).

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph.
    fn : callable
        A metric taking the graph first and a ``weight`` keyword, e.g. :func:`cyclic_share`,
        :func:`clearable_share`, :func:`reciprocity`,
        :func:`dealgraph.analysis.finn.finn_cycling_index`.
    low, high : str
        Edge attributes holding the bounds.
    weight : str, default "amount"
        Edge attribute holding the point value.
    reading : GraphReading, optional
        A reading of G (see :class:`~dealgraph.analysis.GraphReading`), passed on to ``fn``
        as ``reading=``: ``fn`` must then take it and read the amounts only through it, as
        the metrics of this package do. A bound whose hops read as the value's (on every hop
        the same sum and count of known amounts, compared on the reading's columns) then has
        the value's result, not computed again: on a graph of exact amounts ``fn`` runs once.
        The runs on the copy with filled-in bounds get a reading of the copy.
    **kwargs
        Passed on to ``fn``.

    Returns
    -------
    Bounded
        ``value``, ``low`` and ``high``: the three results of ``fn``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", amount=10.0, amount_low=10.0, amount_high=10.0)
    >>> G.add_edge("b", "a", amount=8.0, amount_low=6.0, amount_high=12.0)
    >>> G.add_edge("b", "c", amount=2.0)
    >>> r = metrics_with_bounds(G, clearable_share)
    >>> r.value.cleared_amount, r.low.cleared_amount, r.high.cleared_amount
    (16.0, 12.0, 20.0)
    >>> r.differs
    True

    With a reading, a bound that reads as the value is not computed again:

    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", amount=10.0, amount_low=10.0, amount_high=12.0)
    >>> G.add_edge("b", "a", amount=8.0, amount_low=8.0)
    >>> r = metrics_with_bounds(G, clearable_share, reading=GraphReading(G))
    >>> r.low is r.value, r.high is r.value, r.high.cleared_amount
    (True, False, 16.0)
    """
    _check_reading(G, reading)
    names = {"low": low, "high": high}
    patched = None
    for side, name in names.items():
        if reading is not None:  # from the reading's columns, not a pass over the edges
            needs = bool((reading.unset(name) & ~reading.unset(weight)).any())
        else:
            needs = any(
                data.get(name) is None and data.get(weight) is not None
                for *_, data in G.edges(data=True)
            )
        if not needs:
            continue
        if patched is None:
            patched = G.copy()
        fallback = f"_{side}_or_{weight}"
        for *_, data in patched.edges(data=True):
            data[fallback] = data.get(name) if data.get(name) is not None else data.get(weight)
        names[side] = fallback
    H = patched if patched is not None else G
    if reading is None:
        return Bounded(
            value=fn(G, weight=weight, **kwargs),
            low=fn(H, weight=names["low"], **kwargs),
            high=fn(H, weight=names["high"], **kwargs),
        )
    value = fn(G, weight=weight, reading=reading, **kwargs)
    bounds_reading = reading if patched is None else GraphReading(patched)

    def bound(name: str) -> Any:
        if bounds_reading.hops(name).reads_as(reading.hops(weight)):
            return value  # fn reads nothing else that depends on the amounts
        return fn(H, weight=name, reading=bounds_reading, **kwargs)

    return Bounded(value=value, low=bound(names["low"]), high=bound(names["high"]))
