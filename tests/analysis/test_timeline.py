"""timeline, by hand: the ai_deals story told over three months."""

from __future__ import annotations

import networkx as nx
import pytest

from dealgraph.analysis.timeline import timeline
from dealgraph.dates import month_range

from .conftest import as_digraph, deal

# The deals of the ai_deals fixture, by the month they became known.
DEALS_BY_MONTH = {
    "2025-01": [
        ("nvidia", "openai", "d1", 100.0, "equity_investment"),
        ("microsoft", "openai", "d7", 13.0, "equity_investment"),
    ],
    "2025-02": [
        ("openai", "nvidia", "d2", None, "hardware_purchase"),
        ("openai", "coreweave", "d3", 22.4, "compute_contract"),
    ],
    "2025-03": [
        ("coreweave", "nvidia", "d4", 7.5, "hardware_purchase"),
        ("coreweave", "nvidia", "d5", 2.5, "hardware_purchase"),
        ("nvidia", "coreweave", "d6", 6.3, "capacity_backstop"),
        ("microsoft", "coreweave", "d8", 10.0, "compute_contract"),
    ],
}


def snapshots(months=DEALS_BY_MONTH):
    """``(month, graph as of that month)``, each graph holding every deal known by then."""
    G = nx.MultiDiGraph()
    for month in months:
        for u, v, key, amount, kind in DEALS_BY_MONTH.get(month, []):
            deal(G, u, v, key, amount, kind)
        yield month, G.copy()


def test_three_months_by_hand():
    rows = timeline(snapshots())
    assert [r["month"] for r in rows] == ["2025-01", "2025-02", "2025-03"]
    jan, feb, mar = rows
    # January: nvidia -> openai 100, microsoft -> openai 13. Nothing comes back.
    assert jan == {"month": "2025-01", "total_amount": 113.0, "cyclic_amount": 0.0, "loops": 0, "deals": 2}
    # February: openai -> nvidia (unknown amount) closes nvidia <-> openai, so d1's 100 is
    # on a cycle; d2 adds no money. Total 113 + 22.4 = 135.4.
    assert feb["total_amount"] == pytest.approx(135.4)
    assert feb["cyclic_amount"] == 100.0
    assert (feb["loops"], feb["deals"]) == (1, 4)
    # March: coreweave joins the component {nvidia, openai, coreweave}; on cycles: d1 100,
    # d3 22.4, d4 7.5, d5 2.5, d6 6.3 = 138.7 of 135.4 + 7.5 + 2.5 + 6.3 + 10 = 161.7.
    # Loops: nvidia <-> openai, coreweave <-> nvidia, coreweave -> nvidia -> openai -> coreweave.
    assert mar["total_amount"] == pytest.approx(161.7)
    assert mar["cyclic_amount"] == pytest.approx(138.7)
    assert (mar["loops"], mar["deals"]) == (3, 8)


def test_a_month_without_new_deals_repeats_the_last():
    rows = timeline(snapshots(month_range("2024-12", "2025-02")))
    # December: no deal yet. January as above; February as above.
    assert rows[0] == {"month": "2024-12", "total_amount": 0.0, "cyclic_amount": 0.0, "loops": 0, "deals": 0}
    assert [(r["month"], r["loops"], r["deals"]) for r in rows] == [
        ("2024-12", 0, 0),
        ("2025-01", 0, 2),
        ("2025-02", 1, 4),
    ]


def test_no_snapshot_no_row():
    assert timeline([]) == []


def test_loop_bounds_are_passed_on():
    *_, (month, G) = snapshots()
    # With at most two hops the 3-cycle through coreweave is not searched for.
    (row,) = timeline([(month, G)], max_length=2)
    assert row["loops"] == 2


def test_other_weight_attribute():
    G = nx.MultiDiGraph()
    deal(G, "a", "b", "ab", 10.0, amount_high=12.0)
    deal(G, "b", "a", "ba", 4.0, amount_high=None)
    deal(G, "b", "c", "bc", 6.0, amount_high=9.0)
    (row,) = timeline([("2025-01", G)], weight="amount_high")
    # High amounts: a -> b 12 and b -> c 9; b -> a unknown but still closes a <-> b.
    assert (row["total_amount"], row["cyclic_amount"], row["loops"]) == (21.0, 12.0, 1)


def test_digraph_counts_collapsed_edges():
    *_, (month, G) = snapshots()
    (multi,) = timeline([(month, G)])
    (single,) = timeline([(month, as_digraph(G))])
    # d4 and d5 become one edge coreweave -> nvidia: 7 edges, the same money and loops.
    assert single["deals"] == 7
    assert single["total_amount"] == pytest.approx(multi["total_amount"])
    assert single["cyclic_amount"] == pytest.approx(multi["cyclic_amount"])
    assert single["loops"] == multi["loops"]


@pytest.mark.parametrize(
    "items, error",
    [
        ([("2025-01", nx.Graph([("a", "b")]))], nx.NetworkXNotImplemented),
        ([nx.MultiDiGraph()], TypeError),
        ([("2025-01", nx.MultiDiGraph(), "extra")], TypeError),
    ],
)
def test_bad_snapshots(items, error):
    with pytest.raises(error):
        timeline(items)


def test_bad_bound():
    with pytest.raises(ValueError):
        timeline([("2025-01", nx.MultiDiGraph())], max_length=0)
