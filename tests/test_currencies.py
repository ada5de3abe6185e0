"""Money in one currency: amounts in another count as unknown unless the user gives a rate, and
rates per period count only over a stated term (dealgraph.flows.money_rule). Every expected
figure is computed by hand in the comment beside it, from the seeds written in the fixture."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dealgraph import DealGraph
from dealgraph.cli import app
from dealgraph.errors import InvalidInput
from dealgraph.render import loops_summary, money_lines

from money_seeds import write_seeds

# A loop of three: alpha invests 10 bn USD in beta, beta buys 4 bn EUR of hardware from gamma,
# gamma buys 6 bn USD of compute from alpha.
DEALS = [
    {"id": "alpha-beta", "kind": "equity_investment", "label": "Alpha invests in Beta",
     "parties": {"investor": "alpha", "investee": "beta"}},
    {"id": "beta-gamma", "kind": "hardware_purchase", "label": "Beta buys from Gamma",
     "parties": {"buyer": "beta", "seller": "gamma"}},
    {"id": "gamma-alpha", "kind": "compute_contract", "label": "Gamma rents from Alpha",
     "parties": {"customer": "gamma", "supplier": "alpha"}},
]
CLAIMS = [
    {"deal": "alpha-beta", "amount": {"value": 10, "scale": "billion", "currency": "USD"}, "status": "completed"},
    {"deal": "beta-gamma", "amount": {"value": 4, "scale": "billion", "currency": "EUR"}, "status": "signed"},
    {"deal": "gamma-alpha", "amount": {"value": 6, "scale": "billion", "currency": "USD"}, "status": "signed"},
]


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> DealGraph:
    root = write_seeds(tmp_path_factory.mktemp("eur"), DEALS, CLAIMS, ("alpha", "beta", "gamma"))
    return DealGraph.memory(root)


def test_a_leg_in_another_currency_without_a_rate_is_unknown(graph):
    result = graph.loops()
    (loop,) = result["cycles"]
    # the EUR leg has no USD amount: the loop exists, its bottleneck is not on record
    assert loop["bottleneck"] is None
    assert loop["circulation"]["known_legs"] == 2
    assert result["metrics"]["coverage"]["edges_with_amount"] == 2
    # the known money is the two USD legs only, never 4 "EUR dollars" added in: 10 + 6 = 16 bn
    assert result["metrics"]["cyclic_share"]["total_amount"] == pytest.approx(16e9)
    money = result["money"]
    assert money["currency"] == "USD" and money["rates"] == {}
    assert money["unknown"] == [{"deal": "beta-gamma", "label": "Beta buys from Gamma",
                                 "reason": "in EUR: no rate to USD given", "stated_amount": 4e9,
                                 "stated_currency": "EUR", "per": None}]
    assert any("in EUR: no rate to USD given" in line for line in loops_summary(result))


def test_a_rate_the_user_gives_converts_the_leg(graph):
    result = graph.loops(rates={"EUR": "1.08"})
    (loop,) = result["cycles"]
    # 4 bn EUR x 1.08 USD/EUR = 4.32 bn USD; bottleneck min(10, 4.32, 6) bn = 4.32 bn
    assert sorted(loop["hop_amounts"]) == [4.32e9, 6e9, 10e9]
    assert loop["bottleneck"] == 4.32e9
    # all three legs known: 10 + 4.32 + 6 = 20.32 bn
    assert result["metrics"]["cyclic_share"]["total_amount"] == pytest.approx(20.32e9)
    money = result["money"]
    assert money["rates"] == {"EUR": "1.08"}  # as the user gave it
    assert money["unknown"] == []
    assert [(d["deal"], d["stated_amount"], d["stated_currency"], d["rate"], d["amount"])
            for d in money["converted"]] == [("beta-gamma", 4e9, "EUR", 1.08, 4.32e9)]
    assert money_lines(result)[0] == "Amounts are in USD: 1 EUR = 1.08 USD (rates as given)."


def test_another_reporting_currency(graph):
    result = graph.loops(currency="EUR", rates={"USD": "0.92"})
    (loop,) = result["cycles"]
    # 10 bn USD x 0.92 = 9.2 bn EUR, 6 bn USD x 0.92 = 5.52 bn EUR, 4 bn EUR as is: bottleneck 4 bn
    assert sorted(loop["hop_amounts"]) == pytest.approx([4e9, 5.52e9, 9.2e9])
    assert loop["bottleneck"] == 4e9
    assert result["money"]["currency"] == "EUR"


def test_stress_and_report_say_the_currency(graph):
    stress = graph.stress("Gamma")
    assert stress["money"]["unknown"][0]["deal"] == "beta-gamma"
    # with the rate, what Gamma's removal costs Beta is the converted 4.32 bn of capacity
    stress = graph.stress("Gamma", rates={"EUR": "1.08"})
    beta = next(row for row in stress["losses"] if row["company"] == "Beta")
    assert beta["capacity"]["amount"] == pytest.approx(4.32e9)
    report = graph.report(rates={"EUR": "1.08"})
    assert report["money"]["rates"] == {"EUR": "1.08"}
    # 10 + 4.32 + 6 = 20.32 bn known, all of it in USD
    assert report["holds"]["known_flow_amount"] == pytest.approx(20.32e9)
    assert report["holds"]["currencies"] == ["USD"]


def test_view_and_network_export_use_the_rate(graph, tmp_path):
    page = graph.view(rates={"EUR": "1.08"})
    assert "1 EUR = 1.08 USD as given" in page
    G = graph.money_flows(rates={"EUR": "1.08"}, with_claims=False)
    edge = G.edges["beta", "gamma", "beta-gamma"]
    assert (edge["amount"], edge["currency"], edge["stated_amount"], edge["stated_currency"], edge["rate"]) == \
        (4.32e9, "USD", 4e9, "EUR", 1.08)
    path = graph.export(tmp_path / "deals.csv", "csv", rates={"EUR": "1.08"})
    assert "4320000000" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("rates", "currency", "message"), [
    ({"EUR": "abc"}, "USD", "not a number"),
    ({"EUR": "-1"}, "USD", "not a positive number"),
    ({"EUR": "0"}, "USD", "not a positive number"),
    ({"EUR": "inf"}, "USD", "not a positive number"),
    ({"XYZ": "1"}, "USD", "not an ISO 4217"),
    ({"USD": "1"}, "USD", "is the reporting currency"),
    ({}, "DOLLARS", "not an ISO 4217"),
])
def test_bad_rates_are_refused(graph, rates, currency, message):
    with pytest.raises(InvalidInput, match=message):
        graph.loops(currency=currency, rates=rates)


def test_the_cli_passes_rates(tmp_path):
    root = write_seeds(tmp_path / "seeds", DEALS, CLAIMS, ("alpha", "beta", "gamma"))
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--seeds", str(root), "--store", str(store)]).exit_code == 0
    out = runner.invoke(app, ["loops", "--store", str(store), "--rate", "EUR=1.08", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["cycles"][0]["bottleneck"] == 4.32e9
    out = runner.invoke(app, ["loops", "--store", str(store)])
    assert "no rate to USD given" in out.stdout  # the left-out leg is named, with why
    bad = runner.invoke(app, ["loops", "--store", str(store), "--rate", "EUR"])
    assert bad.exit_code != 0 and "CODE=RATE" in bad.output


# ---------------------------------------------------------------------------------------------
# Amounts per period

PERIOD_DEALS = [
    {"id": "lease-5y", "kind": "lease", "label": "Beta leases from Alpha for five years",
     "parties": {"lessor": "alpha", "lessee": "beta"}},
    {"id": "lease-open", "kind": "lease", "label": "Gamma leases from Alpha, no term",
     "parties": {"lessor": "alpha", "lessee": "gamma"}},
    {"id": "contract-quarterly", "kind": "compute_contract", "label": "Gamma pays Beta each quarter",
     "parties": {"customer": "gamma", "supplier": "beta"}},
]
PERIOD_CLAIMS = [
    {"deal": "lease-5y", "status": "signed",
     "amount": {"value": 1.5, "scale": "billion", "currency": "USD", "per": "year", "term": "P5Y"}},
    {"deal": "lease-open", "status": "signed",
     "amount": {"value": 2, "scale": "billion", "currency": "USD", "per": "year"}},
    {"deal": "contract-quarterly", "status": "signed",
     "amount": {"value": 0.5, "scale": "billion", "currency": "USD", "per": "quarter", "term": "P2Y",
                "qualifier": "up_to"}},
]


@pytest.fixture(scope="module")
def periods(tmp_path_factory) -> DealGraph:
    root = write_seeds(tmp_path_factory.mktemp("per"), PERIOD_DEALS, PERIOD_CLAIMS, ("alpha", "beta", "gamma"))
    return DealGraph.memory(root)


def test_a_rate_per_year_over_a_term_is_its_sum(periods):
    G = periods.money_flows(with_claims=False)
    # 1.5 bn a year for 5 years (60 months / 12) = 7.5 bn
    assert G.edges["beta", "alpha", "lease-5y"]["amount"] == 7.5e9
    # up to 0.5 bn a quarter for 2 years (24 months / 3 = 8 quarters) = up to 4 bn: low 0, high 4 bn
    quarterly = G.edges["gamma", "beta", "contract-quarterly"]
    assert (quarterly["amount"], quarterly["amount_low"], quarterly["amount_high"]) == (4e9, 0.0, 4e9)


def test_a_rate_with_no_term_has_no_total(periods):
    G = periods.money_flows(with_claims=False)
    edge = G.edges["gamma", "alpha", "lease-open"]
    assert edge["amount"] is None
    assert edge["amount_unknown"] == "yearly amount with no stated term: no total"
    # the known money: 7.5 + 4 = 11.5 bn, the 2 bn a year never added to the sums
    assert periods.loops()["metrics"]["cyclic_share"]["total_amount"] == pytest.approx(11.5e9)


def test_the_deals_listing_keeps_the_rate_as_stated(periods):
    listed = {d["id"]: d["amount"] for d in periods.deals()}
    assert listed["lease-5y"]["per"] == "year" and listed["lease-5y"]["term_months"] == 60
    assert listed["lease-open"]["per"] == "year"
    assert "term_months" not in listed["lease-open"]
