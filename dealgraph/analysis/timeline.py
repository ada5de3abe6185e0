"""Timeline: how the money and its loops grew, one snapshot of the graph at a time.

Deals accumulate: the money-flow graph as of March holds every deal known by March. Given
the graph as of each month, :func:`timeline` gives one row per month with the known money in
all flows, the part of it on edges that lie on some cycle
(:func:`~dealgraph.analysis.circularity.cyclic_share`), the number of loops
(:func:`~dealgraph.analysis.loops.find_loops`) and the number of deals. Building the
snapshots (which months, and the graph as of each) is the caller's job;
:func:`dealgraph.dates.month_range` lists the months between two dates.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from dealgraph.analysis.circularity import cyclic_share
from dealgraph.analysis.loops import find_loops

__all__ = ["timeline"]


def timeline(
    snapshots: Iterable[tuple[str, nx.DiGraph]],
    *,
    weight: str = "amount",
    max_length: int | None = 6,
    max_cycles: int | None = 10_000,
    time_limit: float | None = 30.0,
) -> list[dict]:
    """One row per snapshot: the money, the part of it on cycles, the loops and the deals.

    Parameters
    ----------
    snapshots : iterable of (month, G) pairs
        ``month`` labels the row ("YYYY-MM"; passed through as given); ``G`` is the
        money-flow graph as of that month (a :class:`networkx.MultiDiGraph` with one edge per
        deal, payer -> payee, or a plain :class:`networkx.DiGraph`). Read one pair at a time:
        a generator that builds each graph when asked keeps one graph in memory at a time.
    weight : str, default "amount"
        Edge attribute holding the amount. Missing, None or NaN means unknown.
    max_length, max_cycles, time_limit
        Bounds of each month's loop search, as in :func:`~dealgraph.analysis.loops.find_loops`.

    Returns
    -------
    list of dict
        In the order of ``snapshots``, one dict per month with the keys ``month``;
        ``total_amount``, all known money in G; ``cyclic_amount``, the known money on edges
        that lie on some cycle (both as in
        :func:`~dealgraph.analysis.circularity.cyclic_share`); ``loops``, the number of
        loops found within the bounds; and ``deals``, the number of edges of G (one per
        deal in a money-flow MultiDiGraph).

    Raises
    ------
    TypeError
        If an item of ``snapshots`` is not a ``(month, G)`` pair, or an amount is not a
        number.
    networkx.NetworkXNotImplemented
        If a G is undirected.
    ValueError
        If an amount is negative, infinite or outside the accepted range (see
        :data:`~dealgraph.analysis.AMOUNT_MAX`), or a bound is not positive.

    See Also
    --------
    dealgraph.analysis.circularity.cyclic_share
    dealgraph.analysis.loops.find_loops

    Examples
    --------
    In January Nvidia invests 100 in OpenAI; in February OpenAI buys 40 of Nvidia's chips,
    which closes a loop, and Microsoft invests an unknown amount in OpenAI.

    >>> import networkx as nx
    >>> jan = nx.MultiDiGraph()
    >>> jan.add_edge("nvidia", "openai", key="d1", amount=100.0)
    'd1'
    >>> feb = jan.copy()
    >>> feb.add_edge("openai", "nvidia", key="d2", amount=40.0)
    'd2'
    >>> feb.add_edge("microsoft", "openai", key="d3", amount=None)
    'd3'
    >>> for row in timeline([("2025-01", jan), ("2025-02", feb)]):
    ...     print(row)
    {'month': '2025-01', 'total_amount': 100.0, 'cyclic_amount': 0.0, 'loops': 0, 'deals': 1}
    {'month': '2025-02', 'total_amount': 140.0, 'cyclic_amount': 140.0, 'loops': 1, 'deals': 3}
    """
    rows = []
    for item in snapshots:
        try:
            month, G = item
        except (TypeError, ValueError):
            raise TypeError(f"snapshots must be (month, graph) pairs, got {item!r}") from None
        share = cyclic_share(G, weight=weight)
        loops = find_loops(
            G, max_length=max_length, max_cycles=max_cycles, time_limit=time_limit, weight=weight
        )
        rows.append(
            {
                "month": month,
                "total_amount": share.total_amount,
                "cyclic_amount": share.cyclic_amount,
                "loops": len(loops.cycles),
                "deals": G.number_of_edges(),
            }
        )
    return rows
