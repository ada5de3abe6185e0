"""Stress: what each company loses when a company or a deal goes away, and DebtRank.

:func:`stress_test` removes one company (or one deal) and lists, for every other company,
what it loses, read from the one table of deal kinds (:data:`dealgraph.kinds.DEAL_KINDS`):
for an edge payer -> payee of kind k, when the payer goes the payee loses
``DEAL_KINDS[k].payee_loses`` ("revenue" or "funding"), and when the payee goes the payer
loses ``DEAL_KINDS[k].payer_loses`` ("capacity", "equity" or nothing). It also lists the
loops that disappear.

:func:`debt_rank` propagates distress through a network of exposures (Battiston et al. 2012).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
from networkx.utils import not_implemented_for

from dealgraph.analysis._graph import _amount_of, _edges, _node_order, _number, _positive_flows
from dealgraph.analysis.loops import Loop, find_loops
from dealgraph.kinds import DEAL_KINDS

__all__ = [
    "DealNotFound",
    "Exposure",
    "CompanyLoss",
    "StressResult",
    "DebtRankResult",
    "stress_test",
    "debt_rank",
]

#: Category for the deals whose kind is missing or not in the table (and not overridden).
UNCLASSIFIED = "unclassified"


class DealNotFound(ValueError, KeyError):
    """No edge of the graph carries the deal asked for.

    A ValueError, like every other bad argument of the analyses, and still a KeyError, what
    :func:`stress_test` raised before, so that code catching that keeps working. Its message
    is printed as written, not quoted as a KeyError's would be.
    """

    __str__ = ValueError.__str__


@dataclass(frozen=True)
class Exposure:
    """What one company loses in one category.

    Attributes
    ----------
    category : str
        "revenue", "funding", "capacity", "equity", or "unclassified".
    amount : float or None
        Sum of the known amounts lost; None when no lost deal has a known amount.
    deals : tuple
        Ids of the deals lost.
    counterparties : tuple
        The companies on the other side of those deals.
    unknown_deals : int
        How many of the lost deals have no known amount (so ``amount`` is a lower bound
        when this is not zero).
    total : float
        The company's known total in this category before the removal: for a payee
        category, the known amounts of its incoming deals of that category; for a payer
        category, of its outgoing deals.
    share : float or None
        ``amount / total``; None when either is unknown or the total is zero.
    """

    category: str
    amount: float | None
    deals: tuple
    counterparties: tuple
    unknown_deals: int
    total: float
    share: float | None


@dataclass(frozen=True)
class CompanyLoss:
    """Everything one company loses, by category."""

    company: Hashable
    exposures: dict

    def _get(self, category: str) -> Exposure | None:
        return self.exposures.get(category)

    @property
    def revenue(self) -> Exposure | None:
        """Revenue lost (its customers' payments), or None when it loses none."""
        return self._get("revenue")

    @property
    def funding(self) -> Exposure | None:
        """Funding lost (investments and loans it received), or None."""
        return self._get("funding")

    @property
    def capacity(self) -> Exposure | None:
        """Capacity lost (compute or hardware it paid for), or None."""
        return self._get("capacity")

    @property
    def equity(self) -> Exposure | None:
        """Equity lost (what it invested in the company that went), or None."""
        return self._get("equity")


@dataclass(frozen=True)
class StressResult:
    """Outcome of :func:`stress_test`.

    Attributes
    ----------
    removed_node : hashable or None
    removed_deal : hashable or None
    losses : dict
        ``{company: CompanyLoss}`` for every remaining company that loses something, in
        sorted order.
    loops_before : int
        Loops found in the graph before the removal.
    loops_lost : tuple of Loop
        Loops (as found before) that no longer exist: they went through the removed company,
        or one of their hops had no deal left.
    loop_bounds : dict
        The bounds of the loop search (see :class:`~dealgraph.analysis.loops.LoopSearch`);
        when ``truncated_by`` is not empty, ``loops_lost`` lists only lost loops among those
        found.
    """

    removed_node: Hashable | None
    removed_deal: Hashable | None
    losses: dict
    loops_before: int
    loops_lost: tuple
    loop_bounds: dict


def _categories(exposures: Mapping | None):
    """``kind -> (payee_loses, payer_loses)`` from the table, with overrides."""
    table = {k: (v.payee_loses, v.payer_loses) for k, v in DEAL_KINDS.items()}
    if exposures:
        for kind, pair in exposures.items():
            try:
                payee, payer = pair
            except (TypeError, ValueError):
                raise ValueError(
                    f"exposures[{kind!r}] must be a pair (payee_loses, payer_loses), got {pair!r}"
                ) from None
            table[kind] = (payee, payer)
    return table


@not_implemented_for("undirected")
def stress_test(
    G: nx.DiGraph,
    *,
    remove_node: Hashable | None = None,
    remove_deal: Hashable | None = None,
    weight: str = "amount",
    exposures: Mapping[str, tuple[str | None, str | None]] | None = None,
    max_length: int | None = 6,
    max_cycles: int | None = 10_000,
    time_limit: float | None = 30.0,
) -> StressResult:
    """Remove a company or a deal and report what every other company loses.

    Removing a company removes all its deals. For each removed deal (an edge payer ->
    payee of kind k), the payee loses ``payee_loses`` of k and the payer loses
    ``payer_loses`` of k (by default from :data:`dealgraph.kinds.DEAL_KINDS`; a side whose
    category is None loses nothing; a kind missing from the table is "unclassified" on both
    sides). The removed company itself is not listed. Deals of unknown amount are listed
    too, with their amount counted as unknown.

    Loops: the loop inventory of the graph before the removal (:func:`find_loops`, with the
    bounds given here) is filtered to the loops that no longer exist afterwards. That is what
    diffing a second search on the graph after the removal would give (removing deals never
    creates a loop), without the second search, and without the spurious differences a
    count- or time-bounded second search could introduce.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph, edges payer -> payee with a ``kind`` attribute.
    remove_node : hashable, optional
        The company that goes away.
    remove_deal : hashable, optional
        The deal that goes away: every edge whose ``deal`` attribute (else multigraph key)
        equals it. Give exactly one of ``remove_node`` and ``remove_deal``.
    weight : str, default "amount"
        Edge attribute holding the amount.
    exposures : mapping, optional
        ``{kind: (payee_loses, payer_loses)}`` overriding the table for those kinds.
    max_length, max_cycles, time_limit
        Bounds of the loop search, as in :func:`find_loops`.

    Returns
    -------
    StressResult

    Raises
    ------
    networkx.NetworkXNotImplemented
        If G is undirected.
    ValueError
        Unless exactly one of ``remove_node`` and ``remove_deal`` is given; if an amount is
        negative, infinite or out of range, an ``exposures`` value is not a pair, or a bound
        of the loop search is not positive.
    networkx.NodeNotFound
        If ``remove_node`` is not in G.
    DealNotFound
        If no edge carries ``remove_deal`` (a ValueError and a KeyError).
    TypeError
        If an amount is not a number (a string is not one).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("nvidia", "openai", key="inv", kind="equity_investment", amount=100.0)
    'inv'
    >>> G.add_edge("openai", "nvidia", key="gpu", kind="hardware_purchase", amount=None)
    'gpu'
    >>> G.add_edge("openai", "coreweave", key="cc", kind="compute_contract", amount=22.4)
    'cc'
    >>> G.add_edge("microsoft", "coreweave", key="ms", kind="compute_contract", amount=10.0)
    'ms'
    >>> r = stress_test(G, remove_node="openai")
    >>> sorted(r.losses)
    ['coreweave', 'nvidia']
    >>> cw = r.losses["coreweave"].revenue
    >>> cw.amount, cw.total, round(cw.share, 4), cw.deals
    (22.4, 32.4, 0.6914, ('cc',))
    >>> nv = r.losses["nvidia"]
    >>> nv.revenue.amount, nv.revenue.unknown_deals, nv.equity.amount
    (None, 1, 100.0)
    >>> [loop.members for loop in r.loops_lost]
    [('nvidia', 'openai')]
    """
    if (remove_node is None) == (remove_deal is None):
        raise ValueError("give exactly one of remove_node and remove_deal")
    if remove_node is not None and remove_node not in G:
        raise nx.NodeNotFound(f"company {remove_node!r} is not in the graph")
    table = _categories(exposures)

    # Totals per company and category, before the removal; and the removed edges.
    totals: dict[tuple[Hashable, str], float] = {}
    removed = []
    for u, v, deal, data, amount in _edges(G, weight):
        payee_cat, payer_cat = table.get(data.get("kind"), (UNCLASSIFIED, UNCLASSIFIED))
        if amount is not None:
            if payee_cat is not None:
                totals[(v, payee_cat)] = totals.get((v, payee_cat), 0.0) + amount
            if payer_cat is not None:
                totals[(u, payer_cat)] = totals.get((u, payer_cat), 0.0) + amount
        if (remove_node is not None and remove_node in (u, v)) or (
            remove_deal is not None and deal == remove_deal
        ):
            removed.append((u, v, deal, payee_cat, payer_cat, amount))
    if remove_deal is not None and not removed:
        raise DealNotFound(f"no deal {remove_deal!r} in the graph")

    # Losses: company -> category -> [amounts, deals, counterparties, unknown count]
    acc: dict[Hashable, dict[str, list]] = {}

    def lose(company, category, deal, other, amount):
        if category is None or company == remove_node:
            return
        rec = acc.setdefault(company, {}).setdefault(category, [[], [], [], 0])
        if amount is None:
            rec[3] += 1
        else:
            rec[0].append(amount)
        if deal is not None:
            rec[1].append(deal)
        if other not in rec[2]:
            rec[2].append(other)

    for u, v, deal, payee_cat, payer_cat, amount in removed:
        lose(v, payee_cat, deal, u, amount)  # the payee loses what the payer paid
        lose(u, payer_cat, deal, v, amount)  # the payer loses what it paid for

    order = _node_order(G)
    losses: dict[Hashable, CompanyLoss] = {}
    for company in sorted(acc, key=order.__getitem__):
        exps = {}
        for category, (amounts, deals, others, unknown) in sorted(acc[company].items()):
            amount = math.fsum(amounts) if amounts else None
            total = totals.get((company, category), 0.0)
            exps[category] = Exposure(
                category=category,
                amount=amount,
                deals=tuple(deals),
                counterparties=tuple(others),
                unknown_deals=unknown,
                total=total,
                share=(amount / total) if amount is not None and total > 0 else None,
            )
        losses[company] = CompanyLoss(company=company, exposures=exps)

    search = find_loops(
        G, max_length=max_length, max_cycles=max_cycles, time_limit=time_limit, weight=weight
    )
    removed_per_hop: dict[tuple[Hashable, Hashable], int] = {}
    for u, v, *_ in removed:
        removed_per_hop[(u, v)] = removed_per_hop.get((u, v), 0) + 1
    lost = tuple(
        loop for loop in search.cycles if _loop_is_lost(G, loop, remove_node, removed_per_hop)
    )
    return StressResult(
        removed_node=remove_node,
        removed_deal=remove_deal,
        losses=losses,
        loops_before=len(search.cycles),
        loops_lost=lost,
        loop_bounds=search.bounds,
    )


def _loop_is_lost(G: nx.DiGraph, loop: Loop, node, removed_per_hop) -> bool:
    """Whether the loop went with ``node`` or lost every deal of one of its hops."""
    if node is not None and node in loop.members:
        return True
    return any(
        hop in removed_per_hop and removed_per_hop[hop] >= G.number_of_edges(*hop)
        for hop in loop.hops
    )


# ---------------------------------------------------------------------------------------------
# DebtRank
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebtRankResult:
    """Outcome of :func:`debt_rank`.

    Attributes
    ----------
    debtrank : float
        ``sum_j h_j(T) v_j - sum_j h_j(1) v_j``: the share of the network's economic value
        lost through the propagation, excluding the initial shock.
    distress : dict
        Final distress ``h_i(T)`` in [0, 1] of every node.
    initial_distress : dict
        ``h_i(1)``: ``psi`` for the shocked nodes, 0 for the others.
    values : dict
        The relative economic values ``v_i`` used (summing to 1, or all 0).
    rounds : int
        Number of update steps until no node was left in the distressed state.
    """

    debtrank: float
    distress: dict
    initial_distress: dict
    values: dict
    rounds: int


def _required(x, what: str, missing: str, hint: str = "") -> float:
    """An amount that must be there: ``missing`` is the message when it is None, and NaN,
    negative, infinite or out-of-range values are refused as ``_amount_of`` refuses them."""
    if x is None:
        raise ValueError(missing)
    value = _amount_of(x, what, hint=hint)
    if value is None:  # not None, so a NaN: read as unknown it would be a full hit
        raise ValueError(f"{what} is NaN: give a number")
    return value


@not_implemented_for("undirected")
def debt_rank(
    W: nx.DiGraph,
    buffers: Mapping[Hashable, float],
    shocked: Iterable[Hashable],
    *,
    psi: float = 1.0,
    max_iter: int | None = None,
    exposure: str = "exposure",
    values: Mapping[Hashable, float] | None = None,
) -> DebtRankResult:
    """DebtRank of a set of shocked nodes (Battiston et al. 2012).

    The exposure graph has an edge ``i -> j`` with ``exposure = A_ij`` when j stands to lose
    ``A_ij`` if i fails (j lent to, invested in, or prepaid i): distress travels along the
    edge. With ``E_j`` the buffer (equity) of j, the impact of i on j is
    ``W_ij = min(1, A_ij / E_j)`` (1 when ``E_j = 0``). Parallel edges are summed.

    Every node has a distress ``h_i`` in [0, 1] and a state: undistressed (U), distressed (D)
    or inactive (I). At ``t = 1`` the shocked nodes have ``h = psi`` and state D, the others
    ``h = 0`` and state U. Then, until no node is in state D:

        h_i(t) = min(1, h_i(t-1) + sum over j in state D at t-1 of W_ji h_j(t-1))
        s_i(t) = I if s_i(t-1) = D; else D if h_i(t) > 0 and s_i(t-1) = U; else s_i(t-1)

    so each node passes on its distress once ("single hit"), which keeps walks from
    counting the same impact twice round a cycle. The DebtRank is
    ``R = sum_j h_j(T) v_j - sum_j h_j(1) v_j``, the economic value lost beyond the initial
    shock, with ``v_j`` the relative economic value of j: by default, as in the paper,
    ``v_i = A_i / sum_j A_j`` with ``A_i = sum_j A_ij`` the total exposure of the others to
    i.

    Parameters
    ----------
    W : networkx.DiGraph or networkx.MultiDiGraph
        Exposure graph, as above.
    buffers : mapping
        ``{node: E}``, the loss-absorbing equity of every node that has an incoming exposure:
        an amount (0, or within the range of :data:`~dealgraph.analysis.AMOUNT_MIN` to
        :data:`~dealgraph.analysis.AMOUNT_MAX`). 0 means any loss is a full hit. A negative
        equity (a firm already insolvent) is refused rather than read as a full hit: put the
        firm among the ``shocked`` instead. NaN is refused too: it is not a buffer.
    shocked : iterable
        The initially distressed nodes.
    psi : float, default 1.0
        Initial distress of the shocked nodes, in (0, 1] (1 = default).
    max_iter : int, optional
        Stop after this many update steps. Default: the number of nodes plus one, which is
        always enough (each node is distressed for one step at most).
    exposure : str, default "exposure"
        Edge attribute holding ``A_ij``; missing or None counts as no exposure.
    values : mapping, optional
        ``{node: v}`` relative economic values, amounts as the buffers are (normalised to sum
        to 1 here; a node left out has 0). Default: see above.

    Returns
    -------
    DebtRankResult

    Raises
    ------
    networkx.NetworkXNotImplemented
        If W is undirected.
    networkx.NodeNotFound
        If a shocked node is not in W.
    ValueError
        If ``psi`` is outside (0, 1] or NaN, ``max_iter`` is negative, an exposure is
        negative, infinite or outside the accepted range, a node with an incoming exposure
        has no buffer (missing or None), or a buffer or value is NaN, negative, infinite or
        outside the accepted range (each message names the node or edge).
    TypeError
        If ``buffers`` or ``values`` is not a mapping, or ``psi``, an exposure, a buffer or a
        value is not a number (a string is not one).

    References
    ----------
    Battiston, S., Puliga, M., Kaushik, R., Tasca, P. and Caldarelli, G. (2012). DebtRank:
    Too Central to Fail? Financial Networks, the FED and Systemic Risk. Scientific Reports 2,
    541. doi:10.1038/srep00541

    Examples
    --------
    B lost 5 on A and has a buffer of 10 (W_AB = 0.5); C has 20 on B and a buffer of 10
    (W_BC = 1). A defaults: B's distress becomes 0.5, then C's 0.5. Values: A_A = 5,
    A_B = 20, A_C = 0, so v = (0.2, 0.8, 0), and R = 0.5 * 0.8 + 0.5 * 0 = 0.4.

    >>> import networkx as nx
    >>> W = nx.DiGraph()
    >>> W.add_edge("a", "b", exposure=5.0)
    >>> W.add_edge("b", "c", exposure=20.0)
    >>> r = debt_rank(W, {"a": 10.0, "b": 10.0, "c": 10.0}, ["a"])
    >>> round(r.debtrank, 12), r.distress, r.rounds
    (0.4, {'a': 1.0, 'b': 0.5, 'c': 0.5}, 3)
    """
    p = _number(psi, "psi")
    if p is None or not 0.0 < p <= 1.0:
        raise ValueError(f"psi must be in (0, 1], got {psi!r}")
    psi = p
    if max_iter is not None and (
        isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 0
    ):
        raise ValueError(f"max_iter must be a non-negative int or None, got {max_iter!r}")
    for name, m in (("buffers", buffers), ("values", values)):
        if m is not None and not isinstance(m, Mapping):
            raise TypeError(f"{name} must be a mapping {{node: amount}}, not {type(m).__name__}")
    shocked = list(dict.fromkeys(shocked))
    for n in shocked:
        if n not in W:
            raise nx.NodeNotFound(f"shocked node {n!r} is not in the graph")

    A, _ = _positive_flows(W, exposure)
    impact: dict[Hashable, list[tuple[Hashable, float]]] = {n: [] for n in W}
    for (i, j), a in A.items():
        e = _required(
            buffers.get(j),
            f"buffer of {j!r}",
            f"{j!r} has an exposure to {i!r} but no buffer",
            hint="; a firm already insolvent is one of the shocked, not a negative buffer",
        )
        impact[i].append((j, 1.0 if e == 0 else min(1.0, a / e)))

    if values is None:
        raw = {n: 0.0 for n in W}
        for (i, _), a in A.items():
            raw[i] += a
    else:
        raw = {
            n: _required(values.get(n, 0.0), f"value of {n!r}", f"value of {n!r} is None")
            for n in W
        }
    norm = math.fsum(raw.values())
    v = {n: (x / norm if norm > 0 else 0.0) for n, x in raw.items()}

    h = {n: 0.0 for n in W}
    state = {n: "U" for n in W}
    for n in shocked:
        h[n] = psi
        state[n] = "D"
    h1 = dict(h)
    limit = len(W) + 1 if max_iter is None else max_iter
    rounds = 0
    while rounds < limit and any(s == "D" for s in state.values()):
        rounds += 1
        new_h = dict(h)
        for i, s in state.items():
            if s == "D" and h[i] > 0:
                for j, w in impact[i]:
                    new_h[j] += w * h[i]
        for n in new_h:
            new_h[n] = min(1.0, new_h[n])
        for n, s in state.items():
            if s == "D":
                state[n] = "I"
            elif s == "U" and new_h[n] > 0:
                state[n] = "D"
        h = new_h

    order = _node_order(W)
    nodes = sorted(W, key=order.__getitem__)
    R = math.fsum(h[n] * v[n] for n in nodes) - math.fsum(h1[n] * v[n] for n in nodes)
    return DebtRankResult(
        debtrank=R,
        distress={n: h[n] for n in nodes},
        initial_distress={n: h1[n] for n in nodes},
        values={n: v[n] for n in nodes},
        rounds=rounds,
    )
