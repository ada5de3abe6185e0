"""revenue_concentration and classify_hhi, by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from dealgraph.analysis.concentration import classify_hhi, revenue_concentration


def revenue(G, customer, supplier, key, share, kind="revenue_share"):
    G.add_edge(customer, supplier, key=key, deal=key, kind=kind, share=share, amount=None)


@pytest.fixture
def three_customers():
    """s's revenue: a 50%, b 30%, c 20% (fully known)."""
    G = nx.MultiDiGraph()
    revenue(G, "a", "s", "ra", 0.5)
    revenue(G, "b", "s", "rb", 0.3)
    revenue(G, "c", "s", "rc", 0.2)
    return G


def test_fully_known(three_customers):
    c = revenue_concentration(three_customers)["s"]
    # HHI = (0.25 + 0.09 + 0.04) * 10^4 = 3800 > 2500: highly concentrated.
    assert c.hhi == pytest.approx(3800)
    assert c.hhi_high == pytest.approx(3800)  # nothing unknown
    assert c.known_share == pytest.approx(1.0)
    assert c.customers == (("a", 0.5), ("b", 0.3), ("c", 0.2))
    assert (c.top1, c.top2) == pytest.approx((0.5, 0.8))
    # 1 / 0.38 = 2.63 equal-sized customers; = 10^4 / HHI since the shares sum to 1.
    assert c.effective_customers == pytest.approx(1 / 0.38)
    assert c.effective_customers == pytest.approx(10_000 / c.hhi)
    assert c.classification == c.classification_high == "highly concentrated"
    assert c.unknown_customers == 0


def test_partly_known_gives_bounds():
    G = nx.MultiDiGraph()
    revenue(G, "a", "s", "ra", 0.3)
    revenue(G, "b", "s", "rb", 0.2)
    revenue(G, "c", "s", "rc", None)
    c = revenue_concentration(G)["s"]
    # Known: (0.09 + 0.04) * 10^4 = 1300, unconcentrated, a lower bound. The unknown rest,
    # 1 - 0.5 = 0.5, adds at most 0.25 * 10^4: 3800, highly concentrated.
    assert c.known_share == pytest.approx(0.5)
    assert c.hhi == pytest.approx(1300)
    assert c.hhi_high == pytest.approx(3800)
    assert (c.classification, c.classification_high) == ("unconcentrated", "highly concentrated")
    # Renormalised to the known half: 0.6 and 0.4, 1 / (0.36 + 0.16) = 1.923.
    assert c.effective_customers == pytest.approx(0.25 / 0.13)
    assert c.customers == (("a", 0.3), ("b", 0.2), ("c", None))
    assert c.unknown_customers == 1


def test_only_unknown_shares():
    G = nx.MultiDiGraph()
    revenue(G, "a", "s", "ra", None)
    c = revenue_concentration(G)["s"]
    assert c.hhi == 0.0 and c.hhi_high == 10_000
    assert c.classification is None and c.effective_customers is None and c.top1 == 0.0


def test_other_kinds_are_ignored_unless_kind_is_none(three_customers):
    three_customers.add_edge("d", "s", key="x", kind="compute_contract", share=0.9)
    assert revenue_concentration(three_customers)["s"].hhi == pytest.approx(3800)
    # kind=None reads every edge with a share: 0.5 + 0.3 + 0.2 + 0.9 = 1.9 of s's revenue,
    # which no HHI can be made of (it gave 11 900 before issue 11): refused, naming them.
    with pytest.raises(ValueError, match=r"'s'.* sum to 1\.9.*'d' 0\.9"):
        revenue_concentration(three_customers, kind=None)
    three_customers["d"]["s"]["x"]["share"] = 0.0  # now the sum is 1: read, and counted
    c = revenue_concentration(three_customers, kind=None)["s"]
    assert c.hhi == pytest.approx(3800) and ("d", 0.0) in c.customers


def test_repeated_customer_keeps_the_largest_share():
    G = nx.MultiDiGraph()
    revenue(G, "a", "s", "r2023", 0.4)
    revenue(G, "a", "s", "r2024", 0.62)
    revenue(G, "a", "s", "r-unknown", None)
    c = revenue_concentration(G)["s"]
    assert c.customers == (("a", 0.62),)
    assert c.hhi == pytest.approx(3844)


def test_several_suppliers_sorted():
    G = nx.MultiDiGraph()
    revenue(G, "x", "t", "1", 0.1)
    revenue(G, "x", "s", "2", 0.1)
    assert list(revenue_concentration(G)) == ["s", "t"]


def test_digraph_same_as_multidigraph(three_customers):
    single = nx.DiGraph(three_customers)
    assert revenue_concentration(single)["s"] == revenue_concentration(three_customers)["s"]


def test_no_revenue_share_edges(triangle):
    assert revenue_concentration(triangle) == {}


def test_share_out_of_range():
    G = nx.MultiDiGraph()
    revenue(G, "a", "s", "r", 62)  # a percentage, not a fraction
    with pytest.raises(ValueError, match="fraction"):
        revenue_concentration(G)


@pytest.mark.parametrize(
    "hhi, label",
    [
        (0, "unconcentrated"),
        (1499.99, "unconcentrated"),
        (1500, "moderately concentrated"),
        (2500, "moderately concentrated"),
        (2500.01, "highly concentrated"),
        (10_000, "highly concentrated"),
        (None, None),
    ],
)
def test_2010_merger_guidelines_bands(hhi, label):
    assert classify_hhi(hhi) == label
