"""The pydantic records alone (dealgraph.models): every check one record can make on itself."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dealgraph.kinds import DEAL_KINDS
from dealgraph.models import (
    ID_PATTERN,
    MAX_FIGURE,
    Amount,
    Claim,
    Deal,
    Document,
    Entity,
    Event,
    Extraction,
    Quantity,
    Share,
    Statement,
    Total,
)

QUOTE = "a quote of at least eight characters"


def errors_of(exc: pytest.ExceptionInfo) -> str:
    """Every message of a ValidationError, one per line, with its location."""
    return "\n".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.value.errors())


# ---------------------------------------------------------------------------------------------
# Amounts


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (11.9, "billion", Decimal("11900000000")),  # 004: "11,9 miliardi di dollari"
        (Decimal("11.9"), "billion", Decimal("11900000000")),
        ("11.9", "billion", Decimal("11900000000")),
        (12, "billion", Decimal("12000000000")),
        (6.3, "billion", Decimal("6300000000")),
        (2.5, "million", Decimal("2500000")),
        (1.5, "thousand", Decimal("1500")),
        (1.2, "trillion", Decimal("1200000000000")),
        (40, "unit", Decimal("40")),  # 003: "40 $ par action"
        (0.1, "billion", Decimal("100000000")),  # a float that is not exact in binary
    ],
)
def test_amount_value_is_held_in_units(value, scale, expected):
    a = Amount(value=value, scale=scale, currency="USD")
    assert a.value == expected
    assert a.scale == "unit"


def test_amount_default_scale_is_unit():
    assert Amount(value=80, currency="USD").value == Decimal(80)


def test_amount_bounds_are_scaled_with_the_value():
    a = Amount(value=12, min="11.5", max=12, scale="billion", currency="USD", qualifier="nearly")
    assert (a.min, a.value, a.max) == (Decimal("11500000000"), Decimal("12000000000"), Decimal("12000000000"))


def test_amount_rebuilt_from_its_dump_keeps_its_value():
    """A record dumped and validated again (as the RDF mapping hashes it) is not scaled twice."""
    a = Amount(value=6.5, scale="billion", currency="USD")
    assert Amount.model_validate(a.model_dump()).value == Decimal("6500000000")


@pytest.mark.parametrize(
    ("fields", "low", "high"),
    [
        ({"qualifier": "exact"}, 10, 10),
        ({"qualifier": "about"}, 10, 10),
        ({"qualifier": "nearly"}, 10, 10),
        ({"qualifier": "more_than"}, 10, 10),  # a floor with no stated ceiling
        ({"qualifier": "up_to"}, 0, 10),  # "up to 10" allows nothing at all
        ({"qualifier": "about", "min": 8, "max": 12}, 8, 12),
        ({"qualifier": "up_to", "min": 2}, 2, 10),
        ({"qualifier": "more_than", "max": 15}, 10, 15),
    ],
)
def test_amount_low_and_high_follow_the_qualifier(fields, low, high):
    a = Amount(value=10, currency="USD", **fields)
    assert (a.low, a.high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": -1}, "value is negative"),
        ({"value": "-6.5", "scale": "billion"}, "value is negative"),
        ({"value": 1, "min": -1}, "min is negative"),
        ({"value": 1, "max": -2}, "max is negative"),
    ],
)
def test_negative_amounts_are_refused(fields, message):
    with pytest.raises(ValidationError) as exc:
        Amount(currency="USD", **fields)
    assert message in errors_of(exc)


@pytest.mark.parametrize(
    "fields",
    [{"value": "-6.5", "scale": "billion"}, {"value": 6.5, "min": 7, "max": 6, "scale": "billion"}],
    ids=["negative", "min-over-max"],
)
def test_amount_messages_write_figures_plainly(fields):
    """A curator who wrote 6.5 billion reads 6500000000 (or 6.5 billion), not 6.5E+9."""
    with pytest.raises(ValidationError) as exc:
        Amount(currency="USD", **fields)
    assert "E+" not in errors_of(exc)


@pytest.mark.parametrize("currency", ["XYZ", "usd", "US", "USDT", "", "DOLLARS"])
def test_unknown_currency_is_refused(currency):
    with pytest.raises(ValidationError) as exc:
        Amount(value=1, currency=currency)
    assert "is not an ISO 4217 currency code" in errors_of(exc)
    assert "currency" in errors_of(exc)


@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY", "GBP", "CHF", "CNY"])
def test_iso_currencies_are_accepted(currency):
    assert Amount(value=1, currency=currency).currency == currency


@pytest.mark.parametrize(("low", "high"), [(7, 6), ("12.1", "11.9"), (1, 0)])
def test_min_greater_than_max_is_refused(low, high):
    with pytest.raises(ValidationError) as exc:
        Amount(value=6.5, min=low, max=high, currency="USD", scale="billion")
    assert "is greater than max" in errors_of(exc)


def test_min_equal_to_max_is_accepted():
    assert Amount(value=5, min=5, max=5, currency="USD").low == Decimal(5)


@pytest.mark.parametrize("qualifier", ["roughly", "EXACT", "", "up to"])
def test_unknown_qualifier_is_refused(qualifier):
    with pytest.raises(ValidationError):
        Amount(value=1, currency="USD", qualifier=qualifier)


@pytest.mark.parametrize("scale", ["billions", "bn", "milliard", 1000])
def test_unknown_scale_is_refused(scale):
    with pytest.raises(ValidationError) as exc:
        Amount(value=1, currency="USD", scale=scale)
    assert "scale" in errors_of(exc)


@pytest.mark.parametrize("value", ["twelve", "12 bn", None])
def test_amount_value_must_be_a_number(value):
    with pytest.raises(ValidationError):
        Amount(value=value, currency="USD", scale="billion")


# ---------------------------------------------------------------------------------------------
# Percentages and quantities


@pytest.mark.parametrize("percent", [-1, -0.5, 100.5, 120, 1000])
def test_percent_outside_0_to_100_is_refused(percent):
    with pytest.raises(ValidationError) as exc:
        Share(percent=percent, of="revenue")
    assert "percent must be between 0 and 100" in errors_of(exc)


@pytest.mark.parametrize(("percent", "fraction"), [(0, "0"), (62, "0.62"), (15, "0.15"), (100, "1"), (5.5, "0.055")])
def test_percent_in_range_gives_its_fraction(percent, fraction):
    assert Share(percent=percent, of="revenue").fraction == Decimal(fraction)


@pytest.mark.parametrize("of", ["profit", "Revenue", ""])
def test_share_of_something_unknown_is_refused(of):
    with pytest.raises(ValidationError):
        Share(percent=5, of=of)


@pytest.mark.parametrize("unit", ["kW", "gw", "TWh"])
def test_quantity_unit_is_gw_or_mw(unit):
    with pytest.raises(ValidationError):
        Quantity(value=7, unit=unit)


# ---------------------------------------------------------------------------------------------
# Partial dates (on every field that holds one)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2025, "2025"),
        ("2025", "2025"),
        ("2025-03", "2025-03"),
        ("2025-03-28", "2025-03-28"),
        (datetime.date(2025, 3, 28), "2025-03-28"),  # what YAML hands over for 2025-03-28
        ("2024-02-29", "2024-02-29"),  # a leap day
        ("2032-04", "2032-04"),  # 004: "fino all'aprile 2032"
    ],
)
@pytest.mark.parametrize("field", ["date", "until", "period"])
def test_valid_partial_dates(field, value, expected):
    assert getattr(Claim(deal="d", quote=QUOTE, **{field: value}), field) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2025-13",  # no 13th month
        "2025-00",
        "2025-02-30",  # no 30 February
        "2025-02-29",  # 2025 is no leap year
        "2025-04-31",
        "2025-03-32",
        "25-03",  # two-digit year
        "2025-3",
        "2025/03",
        "03-2025",
        "2025-03-28T10:00",
        "",
        "March 2025",
        pytest.param("2025\n", id="trailing-newline"),  # a YAML block scalar keeps its line break
    ],
)
@pytest.mark.parametrize("field", ["date", "until", "period"])
def test_invalid_partial_dates(field, value):
    with pytest.raises(ValidationError) as exc:
        Claim(deal="d", quote=QUOTE, **{field: value})
    assert field in errors_of(exc)


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "25-03"])
def test_invalid_dates_are_refused_on_events_and_documents(value):
    with pytest.raises(ValidationError):
        Event(kind="withdrawn", by="microsoft", date=value)
    with pytest.raises(ValidationError):
        Document(id="x", title="t", language="en", published=value, published_basis="b", sha256="0" * 64)


# ---------------------------------------------------------------------------------------------
# Unknown fields: every record is strict


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Amount, {"value": 1, "currency": "USD"}),
        (Share, {"percent": 5, "of": "revenue"}),
        (Quantity, {"value": 7, "unit": "GW"}),
        (Event, {"kind": "withdrawn", "by": "microsoft"}),
        (Document, {"id": "x", "title": "t", "language": "en", "published": "2025",
                    "published_basis": "b", "sha256": "a" * 64}),
        (Entity, {"id": "x", "name": "X", "kind": "company"}),
        (Deal, {"id": "x", "kind": "loan", "label": "l", "parties": {"lender": "a", "borrower": "b"}}),
        (Claim, {"deal": "x", "quote": QUOTE}),
        (Statement, {"about": ["x"], "topic": "t", "quote": QUOTE}),
        (Total, {"id": "t", "label": "l", "measure": "share", "share": {"percent": 5, "of": "revenue"},
                 "parts": ["a", "b"], "quote": QUOTE}),
        (Extraction, {"document": "000"}),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
def test_unknown_fields_are_refused(model, fields):
    model.model_validate(fields)  # the record is valid without the stray field
    with pytest.raises(ValidationError) as exc:
        model.model_validate({**fields, "perod": 2024})
    assert [e["type"] for e in exc.value.errors()] == ["extra_forbidden"]
    assert exc.value.errors()[0]["loc"] == ("perod",)


# ---------------------------------------------------------------------------------------------
# Deals: roles must fit the kind (the table in dealgraph/kinds.py)


@pytest.mark.parametrize("kind", sorted(DEAL_KINDS))
def test_a_deal_with_its_required_roles_is_valid(kind):
    k = DEAL_KINDS[kind]
    deal = Deal(id="d", kind=kind, label="l", parties={r: f"party-{i}" for i, r in enumerate(k.required_roles)})
    assert set(deal.parties) == set(k.required_roles)


@pytest.mark.parametrize(
    ("kind", "missing"),
    [(k.name, r) for k in DEAL_KINDS.values() for r in k.required_roles],
)
def test_a_deal_missing_a_required_role_is_refused(kind, missing):
    parties = {r: "someone" for r in DEAL_KINDS[kind].required_roles if r != missing}
    with pytest.raises(ValidationError) as exc:
        Deal(id="d", kind=kind, label="l", parties=parties)
    assert f"a {kind} needs the role(s) {missing}" in errors_of(exc)


@pytest.mark.parametrize(
    ("kind", "stranger"),
    [
        ("loan", "investor"),  # a loan has a lender and a borrower
        ("equity_investment", "customer"),
        ("ipo", "investor"),
        ("compute_contract", "buyer"),
        ("capacity_backstop", "customer"),
        ("revenue_share", "owner"),
        ("infrastructure_partnership", "spender"),
        ("spending_commitment", "supplier"),
        ("loan", "payer"),  # payer/payee belong to the resolved view, not to curation
    ],
)
def test_a_role_that_does_not_fit_the_kind_is_refused(kind, stranger):
    parties = {r: "someone" for r in DEAL_KINDS[kind].required_roles}
    parties[stranger] = "someone-else"
    with pytest.raises(ValidationError) as exc:
        Deal(id="d", kind=kind, label="l", parties=parties)
    assert f"a {kind} has no role {stranger!r}" in errors_of(exc)


@pytest.mark.parametrize("role", ["underwriter", "anchor_investor"])
def test_optional_roles_are_accepted(role):
    deal = Deal(id="coreweave-ipo", kind="ipo", label="l", parties={"issuer": "coreweave", role: ["a", "b"]})
    assert deal.party_ids(role) == ["a", "b"]
    assert deal.party_ids("issuer") == ["coreweave"]


@pytest.mark.parametrize("kind", ["gift", "equity-investment", "Loan", ""])
def test_unknown_deal_kind_is_refused(kind):
    with pytest.raises(ValidationError) as exc:
        Deal(id="d", kind=kind, label="l", parties={"lender": "a", "borrower": "b"})
    assert "unknown deal kind" in errors_of(exc)


@pytest.mark.parametrize("slug", ["Bad Id", "UPPER", "trailing-", "-leading", "a--b", "é"])
def test_ids_are_slugs(slug):
    with pytest.raises(ValidationError):
        Deal(id=slug, kind="loan", label="l", parties={"lender": "a", "borrower": "b"})
    with pytest.raises(ValidationError):
        Deal(id="ok", kind="loan", label="l", parties={"lender": slug, "borrower": "b"})


# ---------------------------------------------------------------------------------------------
# Events and claims


def test_an_assumed_event_without_a_role_is_refused():
    with pytest.raises(ValidationError) as exc:
        Event(kind="assumed", by="openai")
    assert "an 'assumed' event names the role its party takes over" in errors_of(exc)


@pytest.mark.parametrize("kind", ["announced", "signed", "active", "withdrawn", "completed"])
def test_other_events_need_no_role(kind):
    assert Event(kind=kind, by="microsoft").role is None


def test_an_assumed_event_with_its_role():
    # 000: "OpenAI a repris une option d'investissement de près de 12 milliards de dollars"
    e = Event(kind="assumed", by="openai", role="customer", date="2025-03")
    assert (e.kind, e.by, e.role, e.date) == ("assumed", "openai", "customer", "2025-03")


@pytest.mark.parametrize("kind", ["cancelled", "ASSUMED", "denied"])
def test_unknown_event_kind_is_refused(kind):
    with pytest.raises(ValidationError):
        Event(kind=kind, by="x", role="customer")


def test_a_doubtful_claim_without_a_note_is_refused():
    with pytest.raises(ValidationError) as exc:
        Claim(deal="d", quote=QUOTE, date="2023", doubtful=True)
    assert "a doubtful claim carries a note saying why" in errors_of(exc)


def test_a_doubtful_claim_with_a_note():
    c = Claim(deal="d", quote=QUOTE, date="2023", doubtful=True, note="contradicted by its own article")
    assert c.doubtful and c.note


@pytest.mark.parametrize(("quote", "ok"), [("x" * 7, False), ("x" * 8, True), ("x" * 240, True), ("x" * 241, False)])
def test_quote_length_is_8_to_240(quote, ok):
    if ok:
        assert Claim(deal="d", quote=quote).quote == quote
    else:
        with pytest.raises(ValidationError):
            Claim(deal="d", quote=quote)


@pytest.mark.parametrize("modality", ["rumoured", "Reported", "hoped"])
def test_unknown_modality_is_refused(modality):
    with pytest.raises(ValidationError):
        Claim(deal="d", quote=QUOTE, modality=modality)


def test_claim_defaults():
    c = Claim(deal="d", quote=QUOTE)
    assert (c.modality, c.doubtful, c.amount, c.status, c.event) == ("reported", False, None, None, None)


def test_a_nested_amount_error_is_located_under_the_claim():
    with pytest.raises(ValidationError) as exc:
        Claim(deal="d", quote=QUOTE, amount={"value": 1, "currency": "XYZ"})
    assert exc.value.errors()[0]["loc"] == ("amount", "currency")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"measure": "amount", "share": {"percent": 77, "of": "revenue"}}, "gives amount"),
        ({"measure": "share", "amount": {"value": 22.4, "scale": "billion", "currency": "USD"}}, "gives share"),
    ],
)
def test_a_total_gives_the_value_of_its_measure(fields, message):
    with pytest.raises(ValidationError) as exc:
        Total(id="t", label="l", parts=["a", "b"], quote=QUOTE, **fields)
    assert message in errors_of(exc)


def test_a_total_has_at_least_two_parts():
    with pytest.raises(ValidationError):
        Total(id="t", label="l", measure="share", share={"percent": 77, "of": "revenue"}, parts=["a"], quote=QUOTE)


def test_a_statement_is_about_someone():
    with pytest.raises(ValidationError):
        Statement(about=[], topic="t", quote=QUOTE)


@pytest.mark.parametrize(
    ("fields", "ok"),
    [({"sha256": "A" * 64}, False), ({"sha256": "a" * 63}, False), ({"sha256": "0a" * 32}, True),
     ({"language": "pt"}, False), ({"language": "it"}, True)],
)
def test_document_fields(fields, ok):
    base = {"id": "x", "title": "t", "language": "en", "published": "2025-03", "published_basis": "b",
            "sha256": "0" * 64}
    if ok:
        Document(**{**base, **fields})
    else:
        with pytest.raises(ValidationError):
            Document(**{**base, **fields})


@pytest.mark.parametrize(("wikidata", "ok"), [("Q182477", True), ("182477", False), ("q95", False)])
def test_entity_wikidata_id(wikidata, ok):
    if ok:
        assert Entity(id="nvidia", name="Nvidia", kind="company", wikidata=wikidata).wikidata == wikidata
    else:
        with pytest.raises(ValidationError):
            Entity(id="nvidia", name="Nvidia", kind="company", wikidata=wikidata)


def test_records_are_frozen():
    a = Amount(value=1, currency="USD")
    with pytest.raises(ValidationError):
        a.value = Decimal(2)


# ---------------------------------------------------------------------------------------------
# Bounds (issue 11): figures, texts and ids a hostile seed file could make unbounded


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": Decimal(10) ** 18}, None),  # the bound itself
        ({"value": 1_000_000_000, "scale": "billion"}, None),
        ({"value": "0.000001"}, None),  # six places
        ({"value": "0.1", "scale": "billion"}, None),
        ({"value": Decimal(10) ** 18 + 1}, "value is too large (at most 1000000000000000000)"),
        ({"value": 1_000_000_001, "scale": "billion"}, "value is too large"),
        ({"value": "1.0e+999999"}, "value is too large"),
        ({"value": "-1.0e+999999"}, "value is too large"),
        ({"value": "1e+999999", "scale": "trillion"}, "value is too large"),  # scaling overflows the context
        ({"value": "1e9999999999"}, "value is too large"),  # beyond Decimal's own exponent range
        ({"value": "0.0000001"}, "value has more than 6 decimal places"),
        ({"value": "1e-999999"}, "value has more than 6 decimal places"),
        ({"value": "1e-9999999999"}, "value has more than 6 decimal places"),  # not rounded to zero
        ({"value": "1e-9999999999", "scale": "billion"}, "value has more than 6 decimal places"),
        ({"value": "1.0000000000000000000000000000001"}, "value has more than 6 decimal places"),  # not rounded
        ({"value": 1, "min": "1e30"}, "min is too large"),
        ({"value": 1, "max": "0.12345678"}, "max has more than 6 decimal places"),
        ({"value": "NaN"}, "Input should be a finite number"),
        ({"value": float("inf")}, "Input should be a finite number"),
    ],
)
def test_amounts_are_bounded(fields, message):
    if message is None:
        assert Amount(currency="USD", **fields).value <= Decimal(10) ** 18
        return
    with pytest.raises(ValidationError) as exc:
        Amount(currency="USD", **fields)
    assert message in errors_of(exc)
    assert len(errors_of(exc)) < 200, "a figure out of bounds is not written out in full"


@pytest.mark.parametrize("model", [lambda v: Amount(value=v, currency="USD").value,
                                   lambda v: Share(percent=v, of="revenue").percent,
                                   lambda v: Quantity(value=v, unit="GW").value])
@pytest.mark.parametrize("zero", ["-0", "0E-9999999999", "0E+999999", "0.000000000"])
def test_a_zero_is_held_as_0(model, zero):
    assert str(model(zero)) == "0"


@pytest.mark.parametrize("scale", [[], {}, ["billion"], None, 3.5])
def test_an_unhashable_or_odd_scale_is_a_validation_error(scale):
    """`scale: []` once raised TypeError (unhashable) from the scaling step."""
    with pytest.raises(ValidationError) as exc:
        Amount(value=1, currency="USD", scale=scale)
    assert "scale" in errors_of(exc)


@pytest.mark.parametrize(
    ("percent", "message"),
    [("62.000001", None), ("62.0000001", "percent has more than 6 decimal places"),
     ("1e999999", "percent must be between 0 and 100, not 1.000E+999999"),
     ("-1e-999999", "percent must be between 0 and 100, not -1.000E-999999")],
)
def test_percent_precision_is_bounded(percent, message):
    if message is None:
        assert Share(percent=percent, of="revenue").percent == Decimal(percent)
        return
    with pytest.raises(ValidationError) as exc:
        Share(percent=percent, of="revenue")
    assert message in errors_of(exc)


@pytest.mark.parametrize(("value", "message"), [(7, None), (10**6, None), (-7, "value is negative (-7)"),
                                                (10**6 + 1, "value is too large (at most 1000000)")])
def test_quantities_are_bounded(value, message):
    if message is None:
        assert Quantity(value=value, unit="GW").value == value
        return
    with pytest.raises(ValidationError) as exc:
        Quantity(value=value, unit="GW")
    assert message in errors_of(exc)


DOC = {"id": "x", "title": "t", "language": "en", "published": "2025", "published_basis": "b", "sha256": "a" * 64}
ENTITY = {"id": "x", "name": "X", "kind": "company"}
DEAL = {"id": "x", "kind": "loan", "label": "l", "parties": {"lender": "a", "borrower": "b"}}
CLAIM = {"deal": "x", "quote": QUOTE}
STATEMENT = {"about": ["x"], "topic": "t", "quote": QUOTE}
TOTAL = {"id": "t", "label": "l", "measure": "share", "share": {"percent": 5, "of": "revenue"}, "parts": ["a", "b"],
         "quote": QUOTE}

#: (model, its other fields, a path to a text field, the longest text it takes)
TEXT_FIELDS = [
    (Entity, ENTITY, ("name",), 300), (Entity, ENTITY, ("aliases", 0), 300), (Entity, ENTITY, ("position",), 300),
    (Deal, DEAL, ("label",), 300), (Deal, DEAL, ("note",), 5000), (Deal, {**DEAL, "inferred": {"lender": "r"}},
                                                                   ("inferred", "lender"), 5000),
    (Deal, DEAL, ("kind",), 60),
    (Document, DOC, ("title",), 300), (Document, DOC, ("publisher",), 300), (Document, DOC, ("wire",), 300),
    (Document, DOC, ("published_basis",), 5000), (Document, DOC, ("note",), 5000),
    (Claim, CLAIM, ("according_to",), 300), (Claim, CLAIM, ("note",), 5000),
    (Claim, {**CLAIM, "basis": "inferred", "reason": "r"}, ("reason",), 5000),
    (Claim, {**CLAIM, "amount": {"value": 1, "currency": "USD"}}, ("amount", "text"), 300),
    (Claim, {**CLAIM, "amount": {"value": 1, "currency": "USD"}}, ("amount", "currency"), 20),
    (Claim, {**CLAIM, "share": {"percent": 1, "of": "revenue"}}, ("share", "text"), 300),
    (Claim, {**CLAIM, "capacity": {"value": 1, "unit": "GW"}}, ("capacity", "text"), 300),
    (Statement, STATEMENT, ("topic",), 300), (Statement, STATEMENT, ("according_to",), 300),
    (Total, TOTAL, ("label",), 300), (Total, {**TOTAL, "basis": "inferred", "reason": "r"}, ("reason",), 5000),
]


def _with(fields: dict, path: tuple, value) -> dict:
    fields = copy.deepcopy(fields)
    target = fields
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return fields


@pytest.mark.parametrize(("model", "fields", "path", "longest"), TEXT_FIELDS,
                         ids=[f"{m.__name__}.{'.'.join(map(str, p))}" for m, _, p, _ in TEXT_FIELDS])
def test_every_text_field_is_bounded(model, fields, path, longest):
    if path == ("aliases", 0):
        fields = {**fields, "aliases": ["a"]}  # the alias to replace
    # the longest text passes the length check (a currency of 20 letters is then no ISO code)
    try:
        model.model_validate(_with(fields, path, "A" * longest))
    except ValidationError as exc:
        assert "at most" not in str(exc)
    with pytest.raises(ValidationError) as exc:
        model.model_validate(_with(fields, path, "A" * 1_000_000))
    assert f"String should have at most {longest} characters" in errors_of(exc)


@pytest.mark.parametrize(("model", "fields", "path"), [(Entity, ENTITY, ("name",)), (Deal, DEAL, ("label",)),
                                                       (Document, DOC, ("title",)), (Statement, STATEMENT, ("topic",))])
def test_names_labels_and_titles_are_not_empty(model, fields, path):
    with pytest.raises(ValidationError):
        model.model_validate(_with(fields, path, ""))


DOCUMENT_IDS_OK = ["004_9cb071e2598439fe", "x", "000", "reuters-2025-03-28", "a" * 100]
DOCUMENT_IDS_BAD = ["004 9cb071e2598439fe", "../004", "004/9cb", "004.txt", "004_über", "Ü", "004_9CB",
                    "004>\n<x", "004\n", "\n004", "004\r", "", "-004", "004-", "004__9cb", "a" * 101,
                    "004\u00a0x", "004\x00", "004\x1b[2J"]


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS_OK)
def test_document_ids_that_are_ids(doc_id):
    assert Document.model_validate({**DOC, "id": doc_id}).id == doc_id
    assert Extraction(document=doc_id).document == doc_id


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS_BAD, ids=repr)
def test_document_ids_that_are_not_ids_are_refused(doc_id):
    """A document id names an IRI and two files: free text once injected quads (`>` and a line
    break) and named files outside the seeds (`../`)."""
    with pytest.raises(ValidationError):
        Document.model_validate({**DOC, "id": doc_id})
    with pytest.raises(ValidationError):
        Extraction(document=doc_id)


@pytest.mark.parametrize(("role", "ok"), [("customer", True), ("backstop_buyer", True), ("Customer", False),
                                          ("customer\n", False), ("back-stop", False), ("customer> <x", False),
                                          ("a" * 41, False), ("", False)])
def test_event_roles_are_role_names(role, ok):
    """A role becomes an ontology term (dg:backstopBuyer): only role-shaped names get that far."""
    if ok:
        assert Event(kind="assumed", by="openai", role=role).role == role
    else:
        with pytest.raises(ValidationError):
            Event(kind="assumed", by="openai", role=role)


@pytest.mark.parametrize(
    ("lender", "message"),
    [([], "names no party (an empty list)"),
     (["magnetar", "magnetar"], "lists a party twice"),
     (5, "is an entity id or a list of entity ids"),
     (None, "is an entity id or a list of entity ids"),
     ([["magnetar"]], "is an entity id or a list of entity ids"),
     (["Magnetar Capital"], "'Magnetar Capital' is not an id"),
     ("magnetar\n", "is not an id")],
)
def test_party_lists_name_parties(lender, message):
    """`lender: []` once built a loan with no lender. One message per mistake, not one per
    member of the str-or-list union."""
    with pytest.raises(ValidationError) as exc:
        Deal(id="d", kind="loan", label="l", parties={"lender": lender, "borrower": "coreweave"})
    assert len(exc.value.errors()) == 1
    assert message in errors_of(exc)


@pytest.mark.parametrize("lender", ["magnetar", ["magnetar"], ["magnetar", "blackstone"]])
def test_party_lists_that_are_fine(lender):
    deal = Deal(id="d", kind="loan", label="l", parties={"lender": lender, "borrower": "coreweave"})
    assert deal.party_ids("lender") == ([lender] if isinstance(lender, str) else lender)


@pytest.mark.parametrize("value", ["2" * 1_000_000, ["2025"], {"y": 2025}, 10_000, -1, True, 3.5,
                                   [[[[["2025"]]]]]], ids=["1MB", "list", "mapping", "10000", "-1", "bool", "float",
                                                           "nested"])
def test_a_date_that_cannot_be_one_has_a_short_message(value):
    with pytest.raises(ValidationError) as exc:
        Claim(deal="d", quote=QUOTE, date=value)
    assert "not a date of the form YYYY, YYYY-MM or YYYY-MM-DD" in errors_of(exc)
    assert len(errors_of(exc)) < 200


# Generated cases

IRI_SAFE = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=120) | st.from_regex(ID_PATTERN, fullmatch=True))
def test_whatever_an_id_field_accepts_is_safe_in_an_iri_and_a_file_name(text):
    try:
        accepted = [Document.model_validate({**DOC, "id": text}).id, Entity(id=text, name="X", kind="company").id,
                    Claim(deal=text, quote=QUOTE).deal, Extraction(document=text).document]
    except ValidationError:
        return
    assert all(a == text for a in accepted)
    assert set(text) <= IRI_SAFE and 0 < len(text) <= 100
    assert not text.startswith(("-", "_")) and ".." not in text


@settings(max_examples=500, deadline=None)
@given(value=st.decimals(allow_nan=True, allow_infinity=True) | st.integers(-10**40, 10**40)
       | st.builds(lambda m, e: Decimal(f"{m}E{e}"), st.integers(-10**6, 10**6), st.integers(-10**6, 10**6)),
       scale=st.sampled_from(["unit", "thousand", "million", "billion", "trillion"]))
def test_any_figure_is_held_within_bounds_or_refused_in_a_short_message(value, scale):
    try:
        a = Amount(value=value, scale=scale, currency="USD")
    except ValidationError as exc:
        assert len(str(exc.errors()[0]["msg"])) < 200
        return
    assert a.value.is_finite() and 0 <= a.value <= MAX_FIGURE
    assert a.value % Decimal("0.000001") == 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=6000))
def test_a_note_is_accepted_exactly_up_to_its_bound(note):
    try:
        Deal(**{**DEAL, "note": note})
    except ValidationError:
        assert len(note) > 5000
    else:
        assert len(note) <= 5000
