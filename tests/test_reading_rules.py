"""The fast paths of reading and projecting the deal records keep the one rule of each step.

* An amount is projected from plain values (flows.StatedAmount), not from a pydantic Amount:
  the same bounds (models.amount_range, Amount's rule) and the same sums in any currency
  (flows.money_rule) as the Amount the seeds state.
* A table's column is python_value of each of its terms, as SPARQL's rows give them, though
  only the typed literals are converted one by one.
* The readers take an answer by column where the select gives one, else by row; the claims of a
  deal are ordered by the whole claim when two tie, however few keys that takes.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from dealgraph import DealGraph
from dealgraph.flows import (CHOSEN, CLAIMS, LABELS, FlowRecords, _stated_amount, add_claims, money_rule, row_key,
                             select_columns)
from dealgraph.namespace import IRI
from dealgraph.seeds import load_seeds
from dealgraph.sparql import XSD, QueryResult, Term, columns_of, python_value
from money_seeds import write_seeds

# One claim per deal, so the resolved view's amount is that claim's: every qualifier, bounds
# given and not, each period with and without a term, a price per share, three currencies.
AMOUNTS = [
    {"value": 10, "scale": "billion", "currency": "USD"},
    {"value": 4, "scale": "billion", "currency": "EUR", "qualifier": "up_to"},
    {"value": 2.5, "scale": "billion", "currency": "USD", "qualifier": "about", "min": 2, "max": 3},
    {"value": 12, "scale": "billion", "currency": "GBP", "qualifier": "nearly"},
    {"value": 7, "scale": "million", "currency": "USD", "qualifier": "more_than", "max": 9},
    {"value": 1.5, "scale": "billion", "currency": "USD", "per": "year", "term": "P5Y"},
    {"value": 300, "scale": "million", "currency": "EUR", "per": "quarter", "term": "P18M", "qualifier": "up_to"},
    {"value": 100, "scale": "million", "currency": "USD", "per": "month"},
    {"value": 20.25, "currency": "USD", "per": "share"},
    {"value": 0.1, "currency": "GBP"},
]
DEALS = [{"id": f"deal-{i}", "kind": "compute_contract", "label": f"Deal {i}",
          "parties": {"customer": "alpha", "supplier": "beta"}} for i in range(len(AMOUNTS))]
CLAIMS_WRITTEN = [{"deal": f"deal-{i}", "amount": amount, "status": "signed"} for i, amount in enumerate(AMOUNTS)]
VIEWS = [("USD", {}), ("USD", {"EUR": Decimal("1.08"), "GBP": Decimal("1.27")}), ("EUR", {"USD": Decimal("0.92")})]


def test_a_records_amount_is_projected_as_the_seeds_amount_states_it(tmp_path):
    root = write_seeds(tmp_path / "seeds", DEALS, CLAIMS_WRITTEN, ("alpha", "beta"))
    stated = {claim.deal: claim.amount for _, claim in load_seeds(root).claims}
    graph = DealGraph.memory(root)
    try:
        records = graph._read()
    finally:
        graph.close()
    assert len(records.deals) == len(AMOUNTS)
    for r in records.deals:
        a, plain = stated[r["id"]], _stated_amount(r)
        assert tuple(plain) == (a.value, a.currency, a.low, a.high, a.per, a.term_months), r["id"]
        for currency, rates in VIEWS:
            assert money_rule(plain, currency, rates) == money_rule(a, currency, rates), (r["id"], currency)


def test_a_tables_column_is_python_value_of_each_term():
    from dealgraph.tables import _table, _values

    terms = [Term("uri", "http://e/a"), Term("bnode", "b0"), Term("literal", "5"), Term("literal", "true"),
             Term("literal", "5", None, "en"), Term("literal", "5", XSD + "integer"),
             Term("literal", "abc", XSD + "integer"), Term("literal", "1.50", XSD + "decimal"),
             Term("literal", "2.0", XSD + "decimal"), Term("literal", "1e3", XSD + "double"),
             Term("literal", "true", XSD + "boolean"), Term("literal", "0", XSD + "boolean"),
             Term("literal", "2025-06-01", XSD + "date"), Term("literal", "2025-06", XSD + "gYearMonth"), None]
    cells = terms + terms[::-1] + terms[5:9]  # each term repeated, in another order
    result = QueryResult(["x", "y"], [{k: t for k, t in (("x", x), ("y", y)) if t is not None}
                                      for x, y in zip(cells, reversed(cells))])
    table = _table(result)
    for name in ("x", "y"):
        got = _values(table.column(name), table.column(name + ":term"))
        expected = [python_value(b.get(name)) for b in result.bindings]
        assert [(type(v), v) for v in got] == [(type(v), v) for v in expected], name


def test_the_readers_take_an_answer_by_column_where_the_select_gives_one():
    rows = [{"e": "http://e/a", "label": "A"}, {"e": "http://e/b", "label": None}]

    class Columnar:
        def __call__(self, query, bindings=None):
            raise AssertionError("asked by row")

        def columns(self, query, names):
            return columns_of(rows, names)

    assert select_columns(lambda query, bindings=None: rows, LABELS, "label", "e") == \
        [["A", None], ["http://e/a", "http://e/b"]]
    assert select_columns(Columnar(), LABELS, "label", "e") == [["A", None], ["http://e/a", "http://e/b"]]


@pytest.mark.parametrize("seed", range(4))
def test_a_deals_claims_that_tie_on_document_and_quote_are_ordered_by_the_whole_claim(seed):
    deal, doc = "https://w3id.org/dealgraph/id/deal/d", "https://w3id.org/dealgraph/id/document/"
    speakers = {f"http://e/s{i}": name for i, name in enumerate(["Zed", "Amy", "Bob"])}

    def claim(i, document, quote, speaker=None, **more):
        return {"claim": f"http://e/c{i}", "d": deal, "doc": doc + document, "quote": quote, "language": "en",
                "modality": str(IRI.dg.Reported), "speaker": speaker, "doubtful": more.get("doubtful", False),
                "basis": str(IRI.dg.Stated)}

    claims = [claim(0, "b", "same words", "http://e/s0"), claim(1, "b", "same words", "http://e/s1"),
              claim(2, "b", "same words", "http://e/s2"), claim(3, "b", "same words", doubtful=True),
              claim(4, "a", "other words"), claim(5, "c", "chosen words")]
    rng = random.Random(seed)
    rng.shuffle(claims)
    answers = {LABELS: [{"e": e, "label": label} for e, label in speakers.items()],
               CHOSEN: [{"c": "http://e/c5"}], CLAIMS: claims}
    records = FlowRecords(companies={}, deals=[])
    add_claims(records, lambda query, bindings=None: answers[query])
    found = records.claims["d"]
    assert found == sorted(found, key=lambda c: (not c["resolved"], c["document"], c["quote"], row_key(c)))
    # the chosen claim, then by document; the four that tie on document and quote by the rest of
    # the claim, field by field in name order (doubtful, then speaker)
    assert [(c["document"], c["doubtful"], c["speaker"]) for c in found] == [
        ("c", False, None), ("a", False, None), ("b", False, "Amy"), ("b", False, "Bob"), ("b", False, "Zed"),
        ("b", True, None)]
