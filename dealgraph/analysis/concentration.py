"""Customer concentration of a supplier's revenue: Herfindahl-Hirschman index and friends.

A ``revenue_share`` edge ``customer -> supplier`` carries, in its ``share`` attribute, the
fraction of the supplier's revenue that comes from that customer (Microsoft was 62% of
CoreWeave's 2024 revenue). From those shares this module computes, per supplier, the
Herfindahl-Hirschman index (HHI) and reads it against the thresholds of the 2010 US
Horizontal Merger Guidelines.

Shares are rarely known for every customer. The shares that are known sum to
``known_share``; the rest, ``1 - known_share``, belongs to customers whose shares are unknown.
The HHI over the known customers is then a *lower bound* of the full HHI (the unknown rest
adds squares, never removes any), and ``hhi_high`` is the upper bound reached if the whole
rest belonged to a single customer (a sum of squares with a fixed total is largest when
one term takes it all).

Known shares of one supplier that sum to more than 1 describe more than all its revenue: a
share is wrong, or the shares are of different periods. No HHI of them means anything, so
they are refused, beyond what rounding explains (each share may be off by ``rounding``, half
a percentage point by default: shares are quoted in whole percent).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable
from dataclasses import dataclass

import networkx as nx
from networkx.utils import not_implemented_for

from dealgraph.analysis._graph import _node_order, _number

__all__ = ["SupplierConcentration", "revenue_concentration", "classify_hhi"]

#: 2010 US Horizontal Merger Guidelines, section 5.3: above 2500 is highly concentrated,
#: 1500 to 2500 moderately concentrated, below 1500 unconcentrated.
HIGHLY_CONCENTRATED = 2500
MODERATELY_CONCENTRATED = 1500


def classify_hhi(hhi: float | None) -> str | None:
    """Classify an HHI (on the 0-10 000 scale) by the 2010 US Horizontal Merger Guidelines.

    U.S. Department of Justice and Federal Trade Commission, *Horizontal Merger
    Guidelines* (19 August 2010), section 5.3: "Highly Concentrated Markets: HHI above
    2500", "Moderately Concentrated Markets: HHI between 1500 and 2500", "Unconcentrated
    Markets: HHI below 1500". The boundary values 1500 and 2500 are moderately concentrated.
    (The 2023 Merger Guidelines lowered the "highly concentrated" threshold to 1800; this
    function keeps the 2010 bands.)

    Parameters
    ----------
    hhi : float or None
        The index, ``sum(s_i^2) * 10_000`` for shares ``s_i`` in [0, 1].

    Returns
    -------
    str or None
        "highly concentrated", "moderately concentrated", "unconcentrated", or None for None.

    Examples
    --------
    >>> classify_hhi(3844.0), classify_hhi(2500), classify_hhi(1499.9)
    ('highly concentrated', 'moderately concentrated', 'unconcentrated')
    """
    if hhi is None:
        return None
    if hhi > HIGHLY_CONCENTRATED:
        return "highly concentrated"
    if hhi >= MODERATELY_CONCENTRATED:
        return "moderately concentrated"
    return "unconcentrated"


@dataclass(frozen=True)
class SupplierConcentration:
    """How concentrated one supplier's revenue is across its customers.

    Attributes
    ----------
    supplier : hashable
        The company whose revenue is split.
    customers : tuple of (customer, share)
        Every customer with a revenue-share edge, largest known share first, then the
        customers whose share is unknown (share None), by id.
    known_share : float
        Sum of the known shares. Below 1, the rest of the revenue comes from customers
        whose shares are unknown (listed or not).
    hhi : float
        ``sum(s^2) * 10_000`` over the known shares: a lower bound of the full HHI.
    hhi_high : float
        Upper bound of the full HHI: ``hhi + (1 - known_share)^2 * 10_000``, the whole
        unknown rest in one customer. Equal to ``hhi`` when ``known_share >= 1``.
    top1 : float
        The largest known share.
    top2 : float
        The two largest known shares combined (the two-customer concentration ratio).
    effective_customers : float or None
        ``known_share^2 / sum(s^2)``: how many equal-sized customers would give the same
        concentration among the known ones (shares renormalised to sum to 1). Equals
        ``10_000 / hhi`` when ``known_share == 1``. None when no share is known or all
        known shares are zero.
    classification : str or None
        :func:`classify_hhi` of ``hhi``, the lower bound: the full market is at least this
        concentrated. None when no share is known.
    classification_high : str or None
        :func:`classify_hhi` of ``hhi_high``. When the two agree, the classification holds
        whatever the unknown shares are.
    unknown_customers : int
        Customers listed with an unknown share.
    """

    supplier: Hashable
    customers: tuple
    known_share: float
    hhi: float
    hhi_high: float
    top1: float
    top2: float
    effective_customers: float | None
    classification: str | None
    classification_high: str | None
    unknown_customers: int


@not_implemented_for("undirected")
def revenue_concentration(
    G: nx.DiGraph,
    share: str = "share",
    kind: str | None = "revenue_share",
    largest_known: Collection = (),
    *,
    rounding: float = 0.005,
    refused: dict | None = None,
) -> dict:
    """Per supplier, the concentration of its revenue across customers.

    Reads every edge ``customer -> supplier`` whose ``kind`` attribute equals ``kind`` (any
    edge when ``kind`` is None) and takes its ``share`` attribute as the customer's fraction
    of the supplier's revenue. When several such edges join the same customer and supplier
    (restated figures, different years), the largest known share counts.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.MultiDiGraph
        Money-flow graph, edges customer -> supplier.
    share : str, default "share"
        Edge attribute holding the share, a fraction in [0, 1]; missing or None is unknown.
    kind : str or None, default "revenue_share"
        Only edges of this kind are read.
    largest_known : collection of suppliers, default ()
        Suppliers whose known customers are their largest (a source says so): the unattributed
        rest is then spread over customers no larger than the smallest known one, which lowers
        ``hhi_high``. Otherwise the rest may be one customer.
    rounding : float, default 0.005
        How far each known share may be from the true one (half a percentage point: shares
        quoted in whole percent). A supplier's known shares may sum to at most
        ``1 + rounding * (number of known shares)``; more is refused.
    refused : dict, optional
        Where to put the suppliers whose known shares are refused, ``{supplier: reason}``,
        instead of raising: the others are still measured (a report of many suppliers need
        not stop at one that its sources contradict).

    Returns
    -------
    dict
        ``{supplier: SupplierConcentration}``, suppliers in sorted order.

    Raises
    ------
    networkx.NetworkXNotImplemented
        If G is undirected.
    ValueError
        If a share is outside [0, 1], a supplier's known shares sum to more than 1 beyond
        ``rounding`` (the message names the supplier and the customers), or ``rounding`` is
        negative or not finite.
    TypeError
        If a share is not a number (a string is not one).

    References
    ----------
    U.S. Department of Justice and Federal Trade Commission (2010). Horizontal Merger
    Guidelines, section 5.3 "Market Concentration".

    Examples
    --------
    Microsoft is 62% of CoreWeave's revenue and OpenAI an unknown part of it:

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("microsoft", "coreweave", key="r1", kind="revenue_share", share=0.62)
    'r1'
    >>> G.add_edge("openai", "coreweave", key="r2", kind="revenue_share", share=None)
    'r2'
    >>> c = revenue_concentration(G)["coreweave"]
    >>> c.customers
    (('microsoft', 0.62), ('openai', None))
    >>> round(c.hhi, 6), round(c.hhi_high, 6), c.classification, c.classification_high
    (3844.0, 5288.0, 'highly concentrated', 'highly concentrated')
    >>> c.top1, c.top2, c.effective_customers, c.unknown_customers
    (0.62, 0.62, 1.0, 1)

    If 62% and 15% are its two largest customers, the other 23% is at most 15% + 8%:

    >>> G.add_edge("nvidia", "coreweave", key="r3", kind="revenue_share", share=0.15)
    'r3'
    >>> round(revenue_concentration(G)["coreweave"].hhi_high), round(revenue_concentration(G, largest_known={"coreweave"})["coreweave"].hhi_high)
    (4598, 4358)
    """
    if not (isinstance(rounding, (int, float)) and math.isfinite(rounding) and rounding >= 0):
        raise ValueError(f"rounding must be a non-negative finite number, got {rounding!r}")
    by_supplier: dict[Hashable, dict[Hashable, float | None]] = {}
    for u, v, data in G.edges(data=True):
        if kind is not None and data.get("kind") != kind:
            continue
        s = _number(data.get(share), f"edge {u!r} -> {v!r}: {share}")
        if s is not None and not 0.0 <= s <= 1.0:
            raise ValueError(f"edge {u!r} -> {v!r}: {share}={s!r} is not a fraction in [0, 1]")
        customers = by_supplier.setdefault(v, {})
        old = customers.get(u)
        customers[u] = s if old is None else (old if s is None else max(old, s))

    order = _node_order(G)
    result = {}
    for supplier in sorted(by_supplier, key=order.__getitem__):
        customers = by_supplier[supplier]
        known = sorted(
            ((c, s) for c, s in customers.items() if s is not None),
            key=lambda cs: (-cs[1], order[cs[0]]),
        )
        unknown = sorted((c for c, s in customers.items() if s is None), key=order.__getitem__)
        shares = [s for _, s in known]
        known_share = math.fsum(shares)
        if known_share > 1.0 + rounding * len(shares):
            parts = ", ".join(f"{c!r} {s:.4g}" for c, s in known)
            reason = (
                f"the known revenue shares of its customers sum to {known_share:.4g}, more than "
                f"all its revenue even allowing {rounding:g} of rounding a share ({parts}): one "
                f"is wrong, or they are of different periods"
            )
            if refused is None:
                raise ValueError(f"supplier {supplier!r}: {reason}")
            refused[supplier] = reason
            continue
        squares = math.fsum(s * s for s in shares)
        hhi = squares * 10_000
        rest = max(1.0 - known_share, 0.0)
        if supplier in largest_known and shares and shares[-1] > 0:
            # the rest in pieces no larger than the smallest known share: as few as can be
            whole, left = divmod(rest, shares[-1])
            hhi_high = hhi + (whole * shares[-1] ** 2 + left * left) * 10_000
        else:
            hhi_high = hhi + rest * rest * 10_000
        result[supplier] = SupplierConcentration(
            supplier=supplier,
            customers=tuple(known) + tuple((c, None) for c in unknown),
            known_share=known_share,
            hhi=hhi,
            hhi_high=hhi_high,
            top1=shares[0] if shares else 0.0,
            top2=math.fsum(shares[:2]),
            effective_customers=(known_share**2 / squares) if squares > 0 else None,
            classification=classify_hhi(hhi) if shares else None,
            classification_high=classify_hhi(hhi_high) if shares else None,
            unknown_customers=len(unknown),
        )
    return result
