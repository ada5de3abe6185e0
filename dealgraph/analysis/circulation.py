"""Circulation on a partial record: how much money could go round, given what is known.

News states some legs of a loop with an amount and others without. A loop's bottleneck (its
smallest leg) is then unknown, but the record still bounds it: money cannot go round faster
than its smallest *known* leg carries. This module gives that bound for one loop
(:func:`loop_circulation`) and for the whole graph (:func:`circulation_bound`).

A *leg* (or hop) is all the parallel deals from one company to another. Its amount is the sum
of the known amounts of those deals; a leg is *known* when at least one of its deals has an
amount, *unknown* when none has. A leg that mixes known and unknown deals counts as known,
with the sum of what is known: the record says no more.

- One loop: the most that could go round it on the record is its smallest known leg, if the
  unknown legs are at least that large; a loop none of whose legs is known is *not bounded by
  the record*.
- The graph: the largest circulation (at every company money in = money out) that fits under
  the known legs, unknown legs having no limit. It is the largest value that
  :func:`~dealgraph.analysis.circularity.clearable_share`'s cleared amount could take,
  whatever the unknown amounts turn out to be. It has no finite bound exactly when some cycle
  is made of unknown legs only; those cycles are *not bounded by the record*.

Representation of "no bound": in Python :attr:`CirculationBound.high` is ``math.inf`` and
:attr:`CirculationBound.unbounded` is True; in JSON (:func:`dealgraph.report.loop_inventory`)
``"high": null, "unbounded": true``, since JSON has no infinity.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
from networkx.utils import not_implemented_for

from dealgraph.analysis._graph import GraphReading, _hop_arrays, _node_order, _strong_components
from dealgraph.analysis.circularity import (
    AUTO_HIGHS_EDGES,
    _clear_highs,
    _clear_network_simplex,
    _highs_circulation,
    _highs_slack,
    _Units,
)

__all__ = [
    "LoopCirculation",
    "CirculationBound",
    "loop_circulation",
    "circulation_bound",
]


# ---------------------------------------------------------------------------------------------
# One loop
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoopCirculation:
    """The most that could go round one loop on the record.

    Attributes
    ----------
    high : float or None
        The smallest known leg amount: the most that could go round the loop, reached only
        if every unknown leg carries at least as much. None when no leg is known (the loop
        is not bounded by the record). Equal to the loop's bottleneck when every leg is known.
    known_legs : int
        Legs with a known amount (at least one of their deals has one).
    legs : int
        All the legs (the loop's length).
    """

    high: float | None
    known_legs: int
    legs: int

    @property
    def bounded_by_record(self) -> bool:
        """Whether some leg has a known amount, so that ``high`` is a number."""
        return self.known_legs > 0


def loop_circulation(loop) -> LoopCirculation:
    """The most that could go round a loop, on what the record says of its legs.

    Parameters
    ----------
    loop : Loop
        A loop from :func:`~dealgraph.analysis.loops.find_loops` (anything with
        ``hop_amounts``: one known amount, or None, per leg).

    Returns
    -------
    LoopCirculation

    See Also
    --------
    circulation_bound : the same bound for the whole graph at once.

    Examples
    --------
    Nvidia invests 100 in OpenAI, OpenAI pays CoreWeave 22.4, CoreWeave buys from Nvidia for an
    unknown sum: at most 22.4 can go round, if that purchase is at least 22.4.

    >>> import networkx as nx
    >>> from dealgraph.analysis.loops import find_loops
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("nvidia", "openai", key="d1", amount=100.0)
    'd1'
    >>> G.add_edge("openai", "coreweave", key="d2", amount=22.4)
    'd2'
    >>> G.add_edge("coreweave", "nvidia", key="d3", amount=None)
    'd3'
    >>> (loop,) = find_loops(G).cycles
    >>> loop.bottleneck is None
    True
    >>> loop_circulation(loop)
    LoopCirculation(high=22.4, known_legs=2, legs=3)

    A loop none of whose legs has an amount is not bounded by the record:

    >>> H = nx.MultiDiGraph([("openai", "microsoft"), ("microsoft", "openai")])
    >>> c = loop_circulation(find_loops(H).cycles[0])
    >>> c.high, c.known_legs, c.legs, c.bounded_by_record
    (None, 0, 2, False)
    """
    amounts = tuple(loop.hop_amounts)
    known = [a for a in amounts if a is not None]
    return LoopCirculation(high=min(known) if known else None, known_legs=len(known), legs=len(amounts))


# ---------------------------------------------------------------------------------------------
# The whole graph
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CirculationBound:
    """The largest circulation the record allows, unknown legs unbounded.

    Attributes
    ----------
    high : float
        The largest circulation ``x`` with ``0 <= x_e <= amount_e`` on every known leg and
        ``x_e >= 0`` on every unknown leg, valued as ``clearable_share`` values a circulation:
        summed over all the legs it uses, unknown ones included. The most the cleared amount
        could be once the unknown amounts are filled in. ``math.inf`` when ``unbounded``.
    known_high : float
        The most of the *known* money that could go round: the largest sum, over the known
        legs only, of a circulation as above. Always finite, at most ``total_amount``, at least
        ``clearable_share``'s cleared amount. (Not the known part of the circulation that
        gives ``high``: the two maxima can be reached by different circulations.)
    total_amount : float
        All known money in the graph.
    share_high : float or None
        ``known_high / total_amount``: the largest part of the known money that could lie on
        a circulation. None when the total is zero. Filling in an unknown amount can only
        lower it, and adds to the money it is a share of.
    not_bounded : tuple of tuple
        The strongly connected components of the graph of unknown legs that hold a cycle,
        each sorted, in sorted order. Every cycle made of unknown legs only lies in one of
        them; there is such a cycle exactly when this is not empty.
    coverage : dict
        ``edges``, ``edges_with_amount`` and their ``fraction`` (None for an empty graph).
    legs : int
        Legs in the graph: ordered pairs of companies with a deal (parallel deals collapsed).
    known_legs : int
        Hops with at least one known amount.
    solver : str
        What solved the min-cost flows, as in ``clearable_share``: "network_simplex", "highs",
        "network_simplex+highs", or "none".
    """

    high: float
    known_high: float
    total_amount: float
    share_high: float | None
    not_bounded: tuple
    coverage: dict
    legs: int = 0
    known_legs: int = 0
    solver: str = "none"

    @property
    def unbounded(self) -> bool:
        """True when some cycle of unknown legs admits any circulation: ``high`` is infinite."""
        return bool(self.not_bounded)


@not_implemented_for("undirected")
def circulation_bound(
    G: nx.DiGraph,
    weight: str = "amount",
    scale: float | None = None,
    *,
    method: str = "auto",
    reading: GraphReading | None = None,
) -> CirculationBound:
    """The largest circulation the record allows, with unknown legs unbounded.

    :func:`~dealgraph.analysis.circularity.clearable_share` finds the largest circulation
    under the known amounts and leaves every leg of unknown amount out, so one unknown return
    leg makes a loop clear nothing. Here an unknown leg is a leg of unbounded capacity
    instead: the result is the most that could go round if the unknown amounts are as large
    as it takes. Parallel deals between the same two companies are one leg, its capacity the
    sum of the known amounts; a leg is unknown when none of its deals has an amount.

    A circulation splits into cycles. One made of unknown legs only can carry any amount: the
    circulation has no bound, ``high`` is ``math.inf`` and the components holding such cycles
    are listed in ``not_bounded``. Otherwise every cycle has a known leg, so no leg carries
    more than the known money of its strongly connected component, ``K``; the unknown legs are
    then given capacity ``K`` and the problem is ``clearable_share``'s, solved by the same
    min-cost flow (network simplex on amounts scaled to integers, or HiGHS on large
    components). ``known_high`` counts the known legs only: a min-cost flow in which the
    unknown legs cost nothing.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph, edges payer -> payee.
    weight : str, default "amount"
        Edge attribute holding the amount. Missing, None or NaN means unknown.
    scale : float, optional
        Multiply amounts by this before rounding them to integers for the network simplex.
        Default: chosen per component, as in ``clearable_share``.
    method : {"auto", "network_simplex", "highs"}, default "auto"
        As in ``clearable_share``.
    reading : GraphReading, optional
        One reading of G shared by the metrics run on it (see
        :class:`~dealgraph.analysis.GraphReading`); None reads G here.

    Returns
    -------
    CirculationBound

    Raises
    ------
    networkx.NetworkXNotImplemented
        If G is undirected.
    ValueError
        If an amount is negative, infinite or outside the accepted range (see
        :data:`~dealgraph.analysis.AMOUNT_MAX`), ``scale`` is not positive, or ``method`` is
        unknown.
    TypeError
        If an amount is not a number (a string is not one).

    See Also
    --------
    loop_circulation : the bound for one loop.
    dealgraph.analysis.circularity.clearable_share : the same circulation, unknown legs left out.

    Examples
    --------
    A and B pay each other 10; B pays C 30, and C pays A a sum no source states. A -> B
    carries 10 in all, so at most 10 goes round: round A -> B -> A it counts on two legs (20),
    round A -> B -> C -> A on three (30), so ``high`` is 30. Either way 20 of the known 50
    goes round (``known_high``): the rest of B -> C has no way back.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="ab", amount=10.0)
    'ab'
    >>> G.add_edge("b", "a", key="ba", amount=10.0)
    'ba'
    >>> G.add_edge("b", "c", key="bc", amount=30.0)
    'bc'
    >>> G.add_edge("c", "a", key="ca", amount=None)
    'ca'
    >>> r = circulation_bound(G)
    >>> r.high, r.known_high, r.total_amount, r.share_high
    (30.0, 20.0, 50.0, 0.4)
    >>> r.unbounded, r.not_bounded
    (False, ())

    Two firms paying each other sums no source states: nothing bounds what goes round.

    >>> G.add_edge("c", "d", key="cd", amount=None)
    'cd'
    >>> G.add_edge("d", "c", key="dc", amount=None)
    'dc'
    >>> r = circulation_bound(G)
    >>> r.high, r.unbounded, r.not_bounded, r.known_high
    (inf, True, (('c', 'd'),), 20.0)
    """
    if method not in ("auto", "network_simplex", "highs"):
        raise ValueError(f"unknown method {method!r}: use 'auto', 'network_simplex' or 'highs'")
    if scale is not None and not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")

    import numpy as np

    hops = _hop_arrays(G, weight, reading)
    nodes, tail, head, amount, counts = hops.nodes, hops.tail, hops.head, hops.amount, hops.known
    coverage = hops.coverage
    n = len(nodes)
    is_known = counts > 0
    is_unknown = ~is_known
    usable = (is_known & (amount > 0)) | is_unknown  # known and positive, or unknown
    total = math.fsum(amount.tolist())

    # Cycles of unknown legs only: each lies inside one non-trivial component of those legs.
    order = _node_order(G)
    labels, holds_cycle = _strong_components(n, tail[is_unknown], head[is_unknown])
    members: dict[int, list] = {int(i): [] for i in np.flatnonzero(holds_cycle)}
    for node, label in zip(nodes, labels.tolist()):
        if label in members:
            members[label].append(node)
    not_bounded = tuple(
        sorted(
            (tuple(sorted(comp, key=order.__getitem__)) for comp in members.values()),
            key=lambda c: order[c[0]],
        )
    )

    # A circulation only uses legs inside one strongly connected component of the usable
    # legs (known and positive, or unknown): solve each component on its own. Only the legs
    # inside a component become Python objects, in hop order.
    index, _ = _strong_components(n, tail[usable], head[usable])
    same = index[tail] == index[head]
    high = known_high = 0.0
    loops = is_known & (amount > 0) & (tail == head)
    for c in amount[loops].tolist():
        high += c  # a self-loop is a circulation on its own
        known_high += c
    problems: dict[int, tuple[dict, list]] = {}
    inner = np.flatnonzero(is_known & (amount > 0) & same & (tail != head))
    for k, t, h, c in zip(inner.tolist(), tail[inner].tolist(), head[inner].tolist(), amount[inner].tolist()):
        problems.setdefault(int(index[t]), ({}, []))[0][(nodes[t], nodes[h])] = c
    free = np.flatnonzero(is_unknown & same & (tail != head))
    for t, h in zip(tail[free].tolist(), head[free].tolist()):
        problem = problems.get(int(index[t]))
        if problem is not None:
            problem[1].append((nodes[t], nodes[h]))

    used: set[str] = set()
    slack = _highs_slack(method)
    for edges, free in problems.values():
        solver = method
        if solver == "auto":
            solver = "highs" if len(edges) + len(free) > AUTO_HIGHS_EDGES else "network_simplex"
        part = _known_part_highs(edges, free, slack) if solver == "highs" else None
        if part is None:  # asked for, or HiGHS failed twice on a problem the zero flow solves, or strayed
            part = _known_part_network_simplex(edges, free, scale)
            used.add("network_simplex")
        else:
            used.add("highs")
        known_high += part
        if not not_bounded:
            # No cycle of unknown legs: a leg never carries more than the component's known
            # money K (each cycle of the flow has a known leg), so capacity K is no limit.
            K = math.fsum(edges.values())
            capped = {**edges, **dict.fromkeys(free, K)}
            value = _clear_highs(capped, slack) if solver == "highs" else None
            if value is None:
                value = _clear_network_simplex(capped, scale)
                used.add("network_simplex")
            high += value

    known_high = min(max(known_high, 0.0), total)
    return CirculationBound(
        high=math.inf if not_bounded else high,
        known_high=known_high,
        total_amount=total,
        share_high=(known_high / total) if total > 0 else None,
        not_bounded=not_bounded,
        coverage=coverage,
        legs=len(tail),
        known_legs=int(is_known.sum()),
        solver="+".join(sorted(used, key=["network_simplex", "highs"].index)) or "none",
    )


def _known_part_network_simplex(
    edges: dict[tuple[Hashable, Hashable], float],
    free: list[tuple[Hashable, Hashable]],
    scale: float | None,
) -> float:
    """As ``_clear_network_simplex``: start from the full known flows and find the cheapest
    residual ``r`` (cost 1 a unit, at most the amount) that leaves every firm's net position
    as it is; a free leg ``u -> v`` carrying ``y`` moves the positions like a residual
    ``v -> u`` of ``y``, at no cost and without limit. Known money cleared = total - cost."""
    units = _Units(edges.values(), scale)
    H = nx.MultiDiGraph()
    demand: dict[Hashable, int] = {}
    capacity_total = 0
    for (u, v), c in edges.items():
        cap = units.units(c)
        if cap <= 0:
            continue
        H.add_edge(u, v, capacity=cap, weight=1)
        demand[u] = demand.get(u, 0) - cap
        demand[v] = demand.get(v, 0) + cap
        capacity_total += cap
    if not capacity_total:
        return 0.0
    for u, v in free:
        H.add_edge(v, u, weight=0)  # no capacity attribute: unbounded
    nx.set_node_attributes(H, demand, "demand")
    try:
        cost, _ = nx.network_simplex(H, demand="demand", capacity="capacity", weight="weight")
    except nx.NetworkXException as err:  # pragma: no cover - the input flow is feasible
        raise RuntimeError(f"network simplex failed on a feasible problem: {err}") from err
    return units.amount(capacity_total - cost)


def _known_part_highs(
    edges: dict[tuple[Hashable, Hashable], float],
    free: list[tuple[Hashable, Hashable]],
    slack: float,
) -> float | None:
    """The same linear program for HiGHS: maximise the flow on the known legs, the free legs
    unbounded and counting for nothing. None when HiGHS fails (see
    :func:`~dealgraph.analysis.circularity._highs_circulation`): the caller then uses the
    network simplex."""
    value = _highs_circulation(
        [*edges, *free],
        [*edges.values(), *([None] * len(free))],
        [1.0] * len(edges) + [0.0] * len(free),
        slack,
    )
    return None if value is None else min(value, math.fsum(edges.values()))
