"""What the model holds since warrants and leases (commit 357a96f), drafted in the five
languages: a warrant's and a lease's own kinds and statuses, a warrant's count of shares and
price per share, rates per period and terms, tranches, and currencies kept as stated, never
guessed. Every sentence is written here; each table states one rule, and every drafted claim
is checked against ``models.Claim`` as the seeds would check it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealgraph.draft.claims import find_claims
from dealgraph.draft.drafter import _claim, _context_currency
from dealgraph.draft.mentions import CountMention, MoneyMention, TrancheMention, find_cues, find_mentions
from dealgraph.draft.organisations import find_organisations
from dealgraph.kinds import DEAL_KINDS
from dealgraph.models import Claim

NAMES = ["Nvidia", "OpenAI", "CoreWeave", "Microsoft", "AMD", "Oracle"]
KNOWN = [{"id": n.lower(), "name": n, "kind": "company", "aliases": [n]} for n in NAMES]
M, B = 10 ** 6, 10 ** 9


def drafted(text: str, language: str) -> list[tuple[str, dict, dict]]:
    """(kind, {role: party}, claim) of every claim drafted from ``text``; each claim validated."""
    orgs = find_organisations(text, language, KNOWN).parties()
    figures = find_mentions(text, language)
    cues = find_cues(text, language, figures=figures, organisations=orgs)
    stated = {m.currency for m in figures if isinstance(m, MoneyMention) and m.currency}
    out = []
    for p in find_claims(text, language, orgs, figures, cues):
        claim = _claim(text, p, "a-deal", _context_currency(p, figures, stated))
        Claim(**claim)  # what `dealgraph validate` checks of a claim
        out.append((p.kind, {role: o.key for role, o in p.roles.items()}, claim))
    return out


def the_one(text: str, language: str, kind: str) -> dict:
    claims = [c for k, _, c in drafted(text, language) if k == kind]
    assert len(claims) == 1, drafted(text, language)
    return claims[0]


# ---------------------------------------------------------------------------------------------
# Warrants and leases are kinds of their own, in the money direction kinds.py gives them


#: (language, sentence, kind, payer, payee)
OWN_KINDS = [
    ("en", "AMD issued warrants to OpenAI.", "warrant", "openai", "amd"),
    ("fr", "AMD accorde à OpenAI des bons de souscription.", "warrant", "openai", "amd"),
    ("it", "AMD ha concesso a OpenAI dei warrant.", "warrant", "openai", "amd"),
    ("de", "AMD gibt OpenAI Optionsscheine.", "warrant", "openai", "amd"),
    ("es", "AMD otorgó warrants a OpenAI.", "warrant", "openai", "amd"),
    ("en", "Oracle leases servers to OpenAI.", "lease", "openai", "oracle"),
    ("fr", "OpenAI loue des serveurs à Oracle.", "lease", "openai", "oracle"),
    ("it", "OpenAI noleggia server da Oracle.", "lease", "openai", "oracle"),
    ("de", "Oracle vermietet Server an OpenAI.", "lease", "openai", "oracle"),
    ("es", "Oracle arrienda servidores a OpenAI.", "lease", "openai", "oracle"),
]


@pytest.mark.parametrize("language, sentence, kind, payer, payee", OWN_KINDS)
def test_warrants_and_leases_are_drafted_as_their_own_kinds(language, sentence, kind, payer, payee):
    row = DEAL_KINDS[kind]
    found = {(k, parties.get(row.flow_from), parties.get(row.flow_to)) for k, parties, _ in drafted(sentence, language)}
    assert (kind, payer, payee) in found
    # and no review note speaks of a kind dealgraph lacks
    assert not any("lacks" in c["review"] for _, _, c in drafted(sentence, language))


#: (language, sentence, status): exercising a warrant completes it (its money moved); a vested
#: or exercisable one runs (kinds.py: a running warrant's money is still only announced).
WARRANT_STATUS = [
    ("en", "OpenAI exercised its warrants in AMD.", "completed"),
    ("fr", "AMD accorde à OpenAI des bons de souscription, exercés en mars.", "completed"),
    ("it", "AMD ha concesso a OpenAI dei warrant, già esercitati.", "completed"),
    ("de", "AMD gibt OpenAI Optionsscheine, die bereits ausgeübt wurden.", "completed"),
    ("es", "AMD otorgó warrants a OpenAI, ya ejercidos.", "completed"),
    ("en", "AMD issued warrants to OpenAI that have vested.", "active"),
    ("fr", "AMD accorde à OpenAI des bons de souscription exerçables dès mars.", "active"),
    ("it", "AMD ha concesso a OpenAI dei warrant esercitabili da marzo.", "active"),
    ("de", "AMD gibt OpenAI Optionsscheine, die ab März ausübbar sind.", "active"),
    ("es", "AMD otorgó warrants a OpenAI, ejercitables desde marzo.", "active"),
]


@pytest.mark.parametrize("language, sentence, status", WARRANT_STATUS)
def test_an_exercised_warrant_is_completed_and_a_vested_one_active(language, sentence, status):
    claim = the_one(sentence, language, "warrant")
    assert claim["status"] == status and "event" not in claim


# ---------------------------------------------------------------------------------------------
# A warrant's count of shares and its price per share


#: (language, sentence, shares, qualifier, price per share, currency)
WARRANT_FIGURES = [
    ("en", "AMD granted OpenAI warrants for up to 160 million shares at $0.01 per share.", 160 * M, "up_to",
     Decimal("0.01"), "USD"),
    ("fr", "AMD accorde à OpenAI des bons de souscription sur 160 millions d'actions à 0,01 euro par action.",
     160 * M, "exact", Decimal("0.01"), "EUR"),
    ("it", "AMD ha concesso a OpenAI warrant per un massimo di 160 milioni di azioni a 0,01 dollari per azione.",
     160 * M, "up_to", Decimal("0.01"), "USD"),
    ("de", "AMD gibt OpenAI Optionsscheine auf 160 Millionen Aktien zu 0,01 Franken je Aktie.", 160 * M, "exact",
     Decimal("0.01"), "CHF"),
    ("es", "AMD otorgó warrants a OpenAI sobre 160 millones de acciones a 0,01 libras por acción.", 160 * M,
     "exact", Decimal("0.01"), "GBP"),
]


@pytest.mark.parametrize("language, sentence, shares, qualifier, price, currency", WARRANT_FIGURES)
def test_a_warrant_carries_its_count_of_shares_and_its_price_per_share(language, sentence, shares, qualifier,
                                                                       price, currency):
    claim = the_one(sentence, language, "warrant")
    q = Claim(**claim).quantity
    assert (q.unit, q.value, q.qualifier) == ("shares", shares, qualifier)
    assert claim["price"]["per"] == "share" and claim["price"]["currency"] == currency
    assert Claim(**claim).price.value == price
    assert "amount" not in claim  # a price is never what the deal is worth


#: (language, sentence, kind): a count of shares or of things beside a kind that holds no count
#: of shares is left in the mentions, not written on the claim.
NO_QUANTITY = [
    ("en", "Nvidia invested $2 billion in OpenAI, buying 160 million shares.", "equity_investment"),
    ("fr", "Nvidia investit 2 milliards de dollars dans OpenAI, soit 160 millions d'actions.", "equity_investment"),
    ("it", "AMD ha concesso a OpenAI dei warrant, e OpenAI ha 800 milioni di utenti.", "warrant"),
    ("de", "AMD gibt OpenAI Optionsscheine für 10.000 Chips.", "warrant"),
    ("es", "Nvidia invierte 2.000 millones de dólares en OpenAI por 160 millones de acciones.", "equity_investment"),
]


@pytest.mark.parametrize("language, sentence, kind", NO_QUANTITY)
def test_a_count_goes_only_where_the_model_holds_one(language, sentence, kind):
    claim = the_one(sentence, language, kind)
    assert "quantity" not in claim
    assert any(isinstance(m, CountMention) for m in find_mentions(sentence, language))


#: (language, text, value, unit): counts read as counts, with the model's unit when it has one.
COUNTS = [
    ("en", "160 million shares", 160 * M, "shares"),
    ("en", "160m shares", 160 * M, "shares"),
    ("fr", "160 millions d'actions", 160 * M, "shares"),
    ("it", "160 milioni di azioni", 160 * M, "shares"),
    ("de", "160 Millionen Aktien", 160 * M, "shares"),
    ("es", "160 millones de acciones", 160 * M, "shares"),
    ("en", "2 million users", 2 * M, None),
    ("de", "10.000 Chips", 10_000, None),
]


@pytest.mark.parametrize("language, text, value, unit", COUNTS)
def test_counts_are_count_mentions(language, text, value, unit):
    (m,) = find_mentions(text, language)
    assert isinstance(m, CountMention) and (m.value, m.unit, m.surface) == (value, unit, text)


# ---------------------------------------------------------------------------------------------
# Rates and terms


#: (language, sentence, kind, value, per, term)
RATES = [
    ("en", "Microsoft rents servers from CoreWeave for $1 billion a year over five years.", "lease", 1 * B, "year",
     "P5Y"),
    ("fr", "Microsoft loue des serveurs à CoreWeave pour 1 milliard d'euros par an sur cinq ans.", "lease", 1 * B,
     "year", "P5Y"),
    ("it", "Microsoft noleggia server da CoreWeave per 1 miliardo di euro all'anno in cinque anni.", "lease", 1 * B,
     "year", "P5Y"),
    ("de", "Microsoft mietet Server von CoreWeave für 1 Milliarde Euro pro Jahr über fünf Jahre.", "lease", 1 * B,
     "year", "P5Y"),
    ("es", "Microsoft alquila servidores a CoreWeave por 1.000 millones de euros al año durante cinco años.",
     "lease", 1 * B, "year", "P5Y"),
    ("en", "Microsoft rents servers from CoreWeave for $80 million per month.", "lease", 80 * M, "month", None),
    ("en", "Microsoft signed a contract with CoreWeave worth $2 billion annually.", "compute_contract", 2 * B,
     "year", None),
    ("fr", "Microsoft loue des serveurs à CoreWeave pour 20 millions d'euros par mois.", "lease", 20 * M, "month",
     None),
    ("it", "Microsoft noleggia server da CoreWeave per 300 milioni di euro al trimestre.", "lease", 300 * M,
     "quarter", None),
    ("de", "Microsoft mietet Server von CoreWeave für 300 Millionen Euro pro Quartal.", "lease", 300 * M, "quarter",
     None),
    ("es", "Microsoft alquila servidores a CoreWeave por 90 millones de euros al mes.", "lease", 90 * M, "month",
     None),
    # a sum over a term, no rate
    ("en", "Microsoft signed a contract with CoreWeave for $10 billion over 18 months.", "compute_contract", 10 * B,
     None, "P18M"),
]


@pytest.mark.parametrize("language, sentence, kind, value, per, term", RATES)
def test_a_rate_is_per_its_period_and_a_term_is_an_iso_duration(language, sentence, kind, value, per, term):
    claim = the_one(sentence, language, kind)
    amount = Claim(**claim).amount
    assert (amount.value, amount.per, amount.term) == (value, per, term)
    if per is not None and term is None:
        assert "no total" in claim["review"]  # the curator is told a rate alone sums to nothing


# ---------------------------------------------------------------------------------------------
# Tranches


#: (language, sentence, kind, number, of, amount, status)
TRANCHES = [
    ("en", "Nvidia invested the first tranche of $10 billion in OpenAI.", "equity_investment", 1, None, 10 * B, None),
    ("en", "Nvidia invested $10 billion in OpenAI, the first of ten tranches.", "equity_investment", 1, 10, 10 * B,
     None),
    ("fr", "Nvidia a investi la deuxième tranche de 10 milliards de dollars dans OpenAI, versement finalisé.",
     "equity_investment", 2, None, 10 * B, "completed"),
    ("it", "Nvidia ha investito in OpenAI la prima tranche da 10 miliardi di dollari, su dieci tranche.",
     "equity_investment", 1, 10, 10 * B, None),
    ("de", "Nvidia investiert die erste Tranche von 10 Milliarden Dollar in OpenAI, die erste von zehn Tranchen.",
     "equity_investment", 1, 10, 10 * B, None),
    ("es", "Nvidia invirtió el primer tramo de 10.000 millones de dólares en OpenAI, ya completado.",
     "equity_investment", 1, None, 10 * B, "completed"),
]


@pytest.mark.parametrize("language, sentence, kind, number, of, amount, status", TRANCHES)
def test_a_claim_about_one_tranche_says_which(language, sentence, kind, number, of, amount, status):
    claim = the_one(sentence, language, kind)
    tranche = Claim(**claim).tranche
    assert (tranche.number, tranche.of) == (number, of)
    assert Claim(**claim).amount.value == amount
    assert claim.get("status") == status and "event" not in claim  # a tranche's status, never an event
    assert "tranche" in claim["review"]


#: (language, text, number, of): the tranche words each language reads; "a tranche" is no count.
TRANCHE_WORDS = [
    ("en", "the first tranche", 1, None),
    ("en", "the second of three tranches", 2, 3),
    ("en", "in ten instalments", None, 10),
    ("fr", "la première tranche", 1, None),
    ("fr", "la première des trois tranches", 1, 3),
    ("it", "la prima tranche", 1, None),
    ("it", "in tre tranche", None, 3),
    ("de", "die erste Tranche", 1, None),
    ("de", "der zweiten Tranche", 2, None),
    ("de", "in drei Tranchen", None, 3),
    ("es", "el primer tramo", 1, None),
    ("es", "el segundo de tres tramos", 2, 3),
    # an ordinal past the count is no tranche of it: only the count is read
    ("en", "the fourth of two tranches", None, 2),
]


@pytest.mark.parametrize("language, text, number, of", TRANCHE_WORDS)
def test_tranche_words(language, text, number, of):
    found = [m for m in find_mentions(text, language) if isinstance(m, TrancheMention)]
    assert [(m.number, m.of) for m in found] == [(number, of)]


@pytest.mark.parametrize("language, text", [
    ("en", "a tranche of debt"), ("fr", "une tranche d'âge"), ("de", "eine Tranche"),
])
def test_no_tranche_where_none_is_said(language, text):
    assert not [m for m in find_mentions(text, language) if isinstance(m, TrancheMention)]


# ---------------------------------------------------------------------------------------------
# Currencies: as stated, never converted, never guessed


#: (language, sentence, kind, currency): each figure keeps the currency it is stated in.
STATED_CURRENCIES = [
    ("en", "Nvidia invests £2 billion in OpenAI.", "equity_investment", "GBP"),
    ("en", "Nvidia invests ¥300 billion in OpenAI.", "equity_investment", "JPY"),
    ("fr", "Nvidia investit 2 milliards de francs suisses dans OpenAI.", "equity_investment", "CHF"),
    ("fr", "Nvidia investit 2 milliards d'euros dans OpenAI.", "equity_investment", "EUR"),
    ("it", "Nvidia investirà 300 miliardi di yen in OpenAI.", "equity_investment", "JPY"),
    ("it", "Nvidia investirà 2 miliardi di sterline in OpenAI.", "equity_investment", "GBP"),
    ("de", "Nvidia investiert 5 Milliarden Yuan in OpenAI.", "equity_investment", "CNY"),
    ("de", "Nvidia investiert 5 Milliarden Franken in OpenAI.", "equity_investment", "CHF"),
    ("es", "Nvidia invertirá 500 millones de libras en OpenAI.", "equity_investment", "GBP"),
    ("es", "Nvidia invertirá 5.000 millones de yuanes en OpenAI.", "equity_investment", "CNY"),
]


@pytest.mark.parametrize("language, sentence, kind, currency", STATED_CURRENCIES)
def test_a_currency_is_kept_as_stated(language, sentence, kind, currency):
    assert the_one(sentence, language, kind)["amount"]["currency"] == currency


#: (language, text, kind): a figure with no currency in a text that states none, or states
#: several: the claim leaves the amount out and says so, instead of guessing one.
NO_CURRENCY = [
    ("en", "Nvidia invests 5 billion in OpenAI.", "equity_investment"),
    ("fr", "Nvidia investit 5 milliards dans OpenAI.", "equity_investment"),
    ("it", "Nvidia investirà 5 miliardi in OpenAI.", "equity_investment"),
    ("de", "Nvidia investiert 5 Milliarden in OpenAI.", "equity_investment"),
    ("es", "Nvidia invertirá 5.000 millones en OpenAI.", "equity_investment"),
    # two currencies in the text, none in the figure's sentence: still unknown
    ("en", "Oracle earned €3 billion. Nvidia invests 5 billion in OpenAI. AMD earned $2 billion.",
     "equity_investment"),
    ("de", "Oracle verdiente 3 Milliarden Euro. Nvidia investiert 5 Milliarden in OpenAI. AMD verdiente "
           "2 Milliarden Dollar.", "equity_investment"),
]


@pytest.mark.parametrize("language, text, kind", NO_CURRENCY)
def test_a_figure_without_a_currency_is_left_out_not_guessed(language, text, kind):
    claim = the_one(text, language, kind)
    assert "amount" not in claim
    assert "states no currency" in claim["review"] and "left out" in claim["review"]


#: (language, text, kind, currency): the context states one currency only, so the figure is in
#: it, and the review note says why.
CONTEXT_CURRENCY = [
    # the sentence's other figure
    ("en", "Nvidia invests 5 billion in OpenAI, after €2 billion last year.", "equity_investment", "EUR"),
    ("it", "Nvidia investirà 5 miliardi in OpenAI, dopo 2 miliardi di euro nel 2024.", "equity_investment", "EUR"),
    # the article's one currency
    ("fr", "Oracle a gagné 3 milliards de francs suisses. Nvidia investit 5 milliards dans OpenAI.",
     "equity_investment", "CHF"),
    ("es", "Oracle ganó 3.000 millones de libras. Nvidia invertirá 5.000 millones en OpenAI.", "equity_investment",
     "GBP"),
    ("de", "Oracle verdiente 3 Milliarden Yen. Nvidia investiert 5 Milliarden in OpenAI.", "equity_investment",
     "JPY"),
]


@pytest.mark.parametrize("language, text, kind, currency", CONTEXT_CURRENCY)
def test_a_figure_without_a_currency_takes_the_one_its_context_states(language, text, kind, currency):
    claim = the_one(text, language, kind)
    assert claim["amount"]["currency"] == currency
    assert f"states no currency: {currency} because" in claim["review"]


def test_the_json_says_a_rate_is_one_and_never_takes_a_tranche_for_the_deal():
    from dealgraph.draft.drafter import public_json

    deal = {"id": "ms-cw", "kind": "lease", "label": "Lease", "parties": {"lessee": "microsoft", "lessor": "coreweave"}}
    tranche = {"deal": "ms-cw", "quote": "the first tranche", "tranche": {"number": 1}, "status": "completed",
               "amount": {"value": 1, "scale": "billion", "currency": "EUR"}}
    rate = {"deal": "ms-cw", "quote": "1 billion euros a year over five years",
            "amount": {"value": 1, "scale": "billion", "currency": "EUR", "per": "year", "term": "P5Y"}}
    data = {"document": {"id": "doc"}, "deals": [deal], "claims": [tranche, rate]}
    (record,) = public_json(data)["deals"]
    # the deal's amount is the rate's (the tranche's comes first but is a part), with its period
    assert record["amount"] == {"value": 1_000_000_000, "currency": "EUR", "qualifier": "exact", "min": None,
                                "max": None, "per": "year", "term": "P5Y"}
    assert record["status"] is None
