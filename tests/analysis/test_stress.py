"""stress_test and debt_rank, by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from dealgraph.analysis.stress import debt_rank, stress_test

from .conftest import as_digraph


# --- stress_test ----------------------------------------------------------------------------


def test_remove_openai(ai_deals):
    r = stress_test(ai_deals, remove_node="openai")
    # openai's deals: d1 nvidia -> openai 100 (equity investment), d2 openai -> nvidia ?
    # (hardware purchase), d3 openai -> coreweave 22.4 (compute contract), d7 microsoft ->
    # openai 13 (equity investment).
    assert list(r.losses) == ["coreweave", "microsoft", "nvidia"]
    cw = r.losses["coreweave"]
    # coreweave loses the revenue of d3: 22.4 of its revenue 22.4 (d3) + 10 (d8) + 6.3
    # (d6, the backstop pays coreweave too) = 38.7.
    assert cw.revenue.amount == pytest.approx(22.4)
    assert cw.revenue.total == pytest.approx(38.7)
    assert cw.revenue.share == pytest.approx(22.4 / 38.7)
    assert cw.revenue.deals == ("d3",) and cw.revenue.counterparties == ("openai",)
    assert cw.funding is None and cw.capacity is None
    nv = r.losses["nvidia"]
    # nvidia loses the revenue of d2 (unknown amount) and the equity it put in (d1, 100 of
    # the 100 it invested; d6 is a backstop, a capacity purchase, not equity).
    assert nv.revenue.amount is None and nv.revenue.unknown_deals == 1 and nv.revenue.share is None
    assert nv.equity.amount == 100.0 and nv.equity.share == 1.0
    ms = r.losses["microsoft"]
    assert ms.equity.amount == 13.0 and ms.equity.total == 13.0
    # Loops through openai disappear; coreweave <-> nvidia stays.
    assert r.loops_before == 3
    assert [loop.members for loop in r.loops_lost] == [
        ("coreweave", "nvidia", "openai"),
        ("nvidia", "openai"),
    ]


def test_remove_supplier_costs_customers_capacity(ai_deals):
    r = stress_test(ai_deals, remove_node="coreweave")
    # microsoft bought 10 of compute from coreweave (d8): all its capacity purchases.
    assert r.losses["microsoft"].capacity.amount == 10.0
    assert r.losses["microsoft"].capacity.share == 1.0
    # nvidia: revenue 7.5 + 2.5 from coreweave's hardware purchases (of its known revenue
    # 10; d2 is unknown), and the 6.3 backstop capacity it bought from coreweave.
    nv = r.losses["nvidia"]
    assert nv.revenue.amount == pytest.approx(10.0) and nv.revenue.deals == ("d4", "d5")
    assert nv.revenue.share == pytest.approx(1.0)
    assert nv.capacity.amount == pytest.approx(6.3)
    # openai bought 22.4 of compute from coreweave.
    assert r.losses["openai"].capacity.amount == pytest.approx(22.4)


def test_remove_one_of_two_parallel_deals_keeps_the_loop(ai_deals):
    r = stress_test(ai_deals, remove_deal="d4")
    # coreweave -> nvidia still has d5: no loop is lost.
    assert r.loops_lost == ()
    assert r.losses["nvidia"].revenue.amount == 7.5
    assert r.losses["coreweave"].capacity.amount == 7.5
    assert r.removed_deal == "d4" and r.removed_node is None


def test_remove_the_backstop_breaks_the_pair_loop(ai_deals):
    r = stress_test(ai_deals, remove_deal="d6")
    assert [loop.members for loop in r.loops_lost] == [("coreweave", "nvidia")]
    # The backstop buyer loses capacity, the provider revenue.
    assert r.losses["nvidia"].capacity.amount == pytest.approx(6.3)
    assert r.losses["coreweave"].revenue.amount == pytest.approx(6.3)


def test_exposures_override_the_table(ai_deals):
    r = stress_test(ai_deals, remove_node="openai", exposures={"equity_investment": ("funding", None)})
    assert r.losses["nvidia"].equity is None  # the investor side now loses nothing
    assert "microsoft" not in r.losses


def test_unclassified_kind():
    G = nx.DiGraph()
    G.add_edge("a", "b", amount=3.0)  # no kind
    r = stress_test(G, remove_node="a")
    assert r.losses["b"].exposures["unclassified"].amount == 3.0


def test_digraph_same_losses(ai_deals):
    multi = stress_test(ai_deals, remove_node="openai")
    single = stress_test(as_digraph(ai_deals), remove_node="openai")
    assert single.losses["coreweave"].revenue.amount == multi.losses["coreweave"].revenue.amount
    assert single.losses["nvidia"].equity.amount == multi.losses["nvidia"].equity.amount
    assert len(single.loops_lost) == len(multi.loops_lost)


def test_company_with_no_deals(ai_deals):
    ai_deals.add_node("lonely")
    r = stress_test(ai_deals, remove_node="lonely")
    assert r.losses == {} and r.loops_lost == ()


def test_bad_calls(ai_deals):
    with pytest.raises(ValueError):
        stress_test(ai_deals)
    with pytest.raises(ValueError):
        stress_test(ai_deals, remove_node="openai", remove_deal="d1")
    with pytest.raises(nx.NodeNotFound):
        stress_test(ai_deals, remove_node="xai")
    with pytest.raises(KeyError):
        stress_test(ai_deals, remove_deal="nope")


# --- DebtRank -------------------------------------------------------------------------------


def test_debt_rank_chain_by_hand():
    W = nx.DiGraph()
    W.add_edge("a", "b", exposure=5.0)  # b loses 5 if a fails; b's buffer 10: W_ab = 0.5
    W.add_edge("b", "c", exposure=20.0)  # c loses 20 if b fails; c's buffer 10: W_bc = 1
    r = debt_rank(W, {"a": 10.0, "b": 10.0, "c": 10.0}, ["a"])
    # t=1: h = (1, 0, 0), a distressed.
    # t=2: h_b = 0.5 * 1 = 0.5; a inactive, b distressed.
    # t=3: h_c = 1 * 0.5 = 0.5; b inactive, c distressed.
    # t=4: c has no exposures to pass on; inactive. Stop.
    # v_i = A_i / sum A: A_a = 5, A_b = 20, A_c = 0 -> (0.2, 0.8, 0).
    # R = (1 * 0.2 + 0.5 * 0.8 + 0.5 * 0) - 1 * 0.2 = 0.4.
    assert r.distress == {"a": 1.0, "b": 0.5, "c": 0.5}
    assert r.values == {"a": 0.2, "b": 0.8, "c": 0.0}
    assert r.debtrank == pytest.approx(0.4)
    assert r.rounds == 3
    assert r.initial_distress == {"a": 1.0, "b": 0.0, "c": 0.0}


def test_debt_rank_cycle_passes_distress_once():
    W = nx.DiGraph()
    W.add_edge("a", "b", exposure=10.0)
    W.add_edge("b", "a", exposure=10.0)
    r = debt_rank(W, {"a": 10.0, "b": 10.0}, ["a"], psi=0.5)
    # W_ab = W_ba = 1, v = (0.5, 0.5).
    # t=1: h = (0.5, 0), a distressed.
    # t=2: h_b = 0.5; a inactive, b distressed.
    # t=3: h_a = min(1, 0.5 + 1 * 0.5) = 1; b inactive. Nobody distressed: stop.
    # a, already inactive, does not pass its new distress on again.
    # R = (1 * 0.5 + 0.5 * 0.5) - 0.5 * 0.5 = 0.5.
    assert r.distress == {"a": 1.0, "b": 0.5}
    assert r.debtrank == pytest.approx(0.5)
    assert r.rounds == 2


def test_debt_rank_exposure_above_buffer_caps_at_one():
    W = nx.DiGraph()
    W.add_edge("a", "b", exposure=50.0)  # 50 / 10 -> W_ab = min(1, 5) = 1
    r = debt_rank(W, {"b": 10.0}, ["a"], values={"a": 1.0, "b": 3.0})
    # v = (0.25, 0.75); h = (1, 1); R = 0.25 + 0.75 - 0.25 = 0.75.
    assert r.distress == {"a": 1.0, "b": 1.0}
    assert r.debtrank == pytest.approx(0.75)


def test_debt_rank_multidigraph_sums_parallel_exposures():
    W = nx.MultiDiGraph()
    W.add_edge("a", "b", exposure=2.0)
    W.add_edge("a", "b", exposure=3.0)  # 5 in all: W_ab = 0.5
    W.add_node("c")
    r = debt_rank(W, {"b": 10.0}, ["a"])
    assert r.distress["b"] == pytest.approx(0.5)


def test_debt_rank_no_exposure():
    W = nx.DiGraph()
    W.add_nodes_from("ab")
    r = debt_rank(W, {}, ["a"])
    assert r.debtrank == 0.0 and r.distress == {"a": 1.0, "b": 0.0}


def test_debt_rank_bad_calls():
    W = nx.DiGraph()
    W.add_edge("a", "b", exposure=1.0)
    with pytest.raises(ValueError, match="buffer"):
        debt_rank(W, {}, ["a"])
    with pytest.raises(ValueError):
        debt_rank(W, {"b": 1.0}, ["a"], psi=0.0)
    with pytest.raises(nx.NodeNotFound):
        debt_rank(W, {"b": 1.0}, ["z"])
