"""Money, percentages, capacities and dates found in text, in five languages.

Tables of (sentence, expected) written for these tests, one row per number form, qualifier,
currency, period, month and range in each language; generated numbers and texts for what no
table can list; and recall on the five source articles against the curated seeds.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dealgraph.draft import (CapacityMention, DateMention, MoneyMention, PercentMention, find_mentions,
                             parse_number)
from dealgraph.draft.lexicon import LEXICON
from dealgraph.models import SCALES

D = Decimal
B, M, T = D(10) ** 9, D(10) ** 6, D(10) ** 12
DOCUMENTS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


def money(text: str, lang: str) -> list[MoneyMention]:
    return [m for m in find_mentions(text, lang) if isinstance(m, MoneyMention)]


def only_money(text: str, lang: str) -> MoneyMention:
    found = money(text, lang)
    assert len(found) == 1, (text, found)
    return found[0]


# ---------------------------------------------------------------------------------------------
# Money: the forms the issue names, then one table per language

#: (text, language, surface, low, high, currency, qualifier, per)
MUST_PARSE = [
    ("près de 12 milliards de dollars", "fr", "près de 12 milliards de dollars", 12 * B, 12 * B, "USD", "nearly", None),
    ("$ 12 billion", "en", "$ 12 billion", 12 * B, 12 * B, "USD", "exact", None),
    ("6,5 miliardi di dollari", "it", "6,5 miliardi di dollari", D("6.5") * B, D("6.5") * B, "USD", "exact", None),
    ("5 Milliarden US-Dollar", "de", "5 Milliarden US-Dollar", 5 * B, 5 * B, "USD", "exact", None),
    ("30.000 millones de dólares", "es", "30.000 millones de dólares", 30 * B, 30 * B, "USD", "exact", None),
    ("$1.3B", "en", "$1.3B", D("1.3") * B, D("1.3") * B, "USD", "exact", None),
    ("USD 40bn", "en", "USD 40bn", 40 * B, 40 * B, "USD", "exact", None),
    ("$20–25 billion", "en", "$20–25 billion", 20 * B, 25 * B, "USD", "exact", None),
    ("$30 billion a year", "en", "$30 billion a year", 30 * B, 30 * B, "USD", "exact", "year"),
    ("100 milliards", "fr", "100 milliards", 100 * B, 100 * B, None, "exact", None),
    ("1,5 Mrd. Euro", "de", "1,5 Mrd. Euro", D("1.5") * B, D("1.5") * B, "EUR", "exact", None),
    ("€2.5bn", "en", "€2.5bn", D("2.5") * B, D("2.5") * B, "EUR", "exact", None),
    ("mille milliards", "fr", "mille milliards", T, T, None, "exact", None),
    ("22,4 miliardi", "it", "22,4 miliardi", D("22.4") * B, D("22.4") * B, None, "exact", None),
    ("between 20 and 25 billion", "en", "between 20 and 25 billion", 20 * B, 25 * B, None, "exact", None),
    ("entre 20 et 25 milliards", "fr", "entre 20 et 25 milliards", 20 * B, 25 * B, None, "exact", None),
    ("30,000 million", "en", "30,000 million", 30 * B, 30 * B, None, "exact", None),
    ("1\u202f500 millions d’euros", "fr", "1\u202f500 millions d’euros", D(1500) * M, D(1500) * M, "EUR", "exact", None),
]


@pytest.mark.parametrize("text, lang, surface, low, high, currency, qualifier, per", MUST_PARSE)
def test_the_forms_the_issue_names(text, lang, surface, low, high, currency, qualifier, per):
    m = only_money(f"Selon le texte, {text}.", lang)
    assert (m.surface, m.low, m.high, m.currency, m.qualifier, m.per) == (surface, low, high, currency, qualifier, per)


#: (sentence, language, value in units or (low, high), currency, qualifier, per)
MONEY = [
    # English: symbols, codes, words, abbreviations, spelled numbers, qualifiers, periods
    ("Nvidia will invest up to $100 billion in OpenAI.", "en", 100 * B, "USD", "up_to", None),
    ("The deal is worth about US$ 6.3 billion.", "en", D("6.3") * B, "USD", "about", None),
    ("It raised more than USD 1,250 million last year.", "en", 1250 * M, "USD", "more_than", None),
    ("Oracle pays roughly £3.2bn for the site.", "en", D("3.2") * B, "GBP", "about", None),
    ("a contract of ¥500 billion", "en", 500 * B, "JPY", "exact", None),
    ("CoreWeave borrowed $7.5 billion from Blackstone.", "en", D("7.5") * B, "USD", "exact", None),
    ("The fund has 2.4 trillion dollars under management.", "en", D("2.4") * T, "USD", "exact", None),
    ("a $5M seed round", "en", 5 * M, "USD", "exact", None),
    ("a €750m loan", "en", 750 * M, "EUR", "exact", None),
    ("They agreed on a billion dollars.", "en", B, "USD", "exact", None),
    ("They agreed on twelve billion euros.", "en", 12 * B, "EUR", "exact", None),
    ("Microsoft spends $80 billion per year on AI.", "en", 80 * B, "USD", "exact", "year"),
    ("CoreWeave will pay $1.5 billion annually.", "en", D("1.5") * B, "USD", "exact", "year"),
    ("shares priced at $40 per share", "en", D(40), "USD", "exact", "share"),
    ("a commitment of nearly 10 billion Swiss francs", "en", 10 * B, "CHF", "nearly", None),
    ("spending at least 5 billion yuan", "en", 5 * B, "CNY", "more_than", None),
    ("an order of $500 million to $1 billion", "en", (500 * M, B), "USD", "exact", None),
    ("a facility of 2,300,000 dollars", "en", D(2300000), "USD", "exact", None),
    ("a round of C$ 40 million", "en", 40 * M, "CAD", "exact", None),
    ("an estimated $4.25 billion", "en", D("4.25") * B, "USD", "about", None),
    ("in excess of 3 bn USD", "en", 3 * B, "USD", "more_than", None),
    # French: decimal comma, spaces in thousands, "milliard", "Md€", "M€", qualifiers
    ("Microsoft investira environ 80 milliards de dollars.", "fr", 80 * B, "USD", "about", None),
    ("un contrat de plus de 4 milliards d'euros", "fr", 4 * B, "EUR", "more_than", None),
    ("une levée de 1,25 milliard de dollars", "fr", D("1.25") * B, "USD", "exact", None),
    ("une dette de 2 500 millions d'euros", "fr", 2500 * M, "EUR", "exact", None),
    ("un prêt de 12\u00a0000 euros", "fr", D(12000), "EUR", "exact", None),
    ("un budget de 3,5 Md€", "fr", D("3.5") * B, "EUR", "exact", None),
    ("un tour de table de 40 M€", "fr", 40 * M, "EUR", "exact", None),
    ("jusqu'à 6 milliards de dollars par an", "fr", 6 * B, "USD", "up_to", "year"),
    ("un milliard de livres sterling", "fr", B, "GBP", "exact", None),
    ("un prix de 40 $ par action", "fr", D(40), "USD", "exact", "share"),
    ("moins de 500 millions de francs suisses", "fr", 500 * M, "CHF", "up_to", None),
    ("de 20 à 25 milliards de dollars", "fr", (20 * B, 25 * B), "USD", "exact", None),
    ("quelque 7,2 milliards de dollars canadiens", "fr", D("7.2") * B, "CAD", "about", None),
    # Italian
    ("un investimento di circa 100 miliardi di dollari", "it", 100 * B, "USD", "about", None),
    ("un contratto da 6,3 miliardi di euro", "it", D("6.3") * B, "EUR", "exact", None),
    ("oltre 2.500 milioni di euro", "it", 2500 * M, "EUR", "more_than", None),
    ("quasi un miliardo di dollari", "it", B, "USD", "nearly", None),
    ("fino a 15 miliardi di dollari all'anno", "it", 15 * B, "USD", "up_to", "year"),
    ("tra 10 e 12 miliardi di euro", "it", (10 * B, 12 * B), "EUR", "exact", None),
    ("un finanziamento di 750 mln di euro", "it", 750 * M, "EUR", "exact", None),
    ("un accordo da 3 mld di dollari", "it", 3 * B, "USD", "exact", None),
    ("più di 40 milioni di sterline", "it", 40 * M, "GBP", "more_than", None),
    ("un prezzo di 12 euro per azione", "it", D(12), "EUR", "exact", "share"),
    # German: "Milliarde(n)", "Mrd.", "Mio.", currency before or after, "rund", "knapp"
    ("Nvidia investiert rund 100 Milliarden US-Dollar in OpenAI.", "de", 100 * B, "USD", "about", None),
    ("ein Auftrag über knapp 12 Mrd. Dollar", "de", 12 * B, "USD", "nearly", None),
    ("eine Anleihe von 2,75 Milliarden Euro", "de", D("2.75") * B, "EUR", "exact", None),
    ("mehr als 500 Mio. Euro", "de", 500 * M, "EUR", "more_than", None),
    ("bis zu 1.500 Millionen Euro", "de", 1500 * M, "EUR", "up_to", None),
    ("eine Milliarde Schweizer Franken", "de", B, "CHF", "exact", None),
    ("Kosten von 4 Mrd. € pro Jahr", "de", 4 * B, "EUR", "exact", "year"),
    ("zwischen 20 und 25 Milliarden Dollar", "de", (20 * B, 25 * B), "USD", "exact", None),
    ("der Preis lag bei 32 Euro je Aktie", "de", D(32), "EUR", "exact", "share"),
    ("mindestens 3 Billionen Dollar", "de", 3 * T, "USD", "more_than", None),
    # Spanish: "mil millones", "millones", "billón" (10¹²), "al año"
    ("una inversión de 100.000 millones de dólares", "es", 100 * B, "USD", "exact", None),
    ("casi 12.000 millones de dólares", "es", 12 * B, "USD", "nearly", None),
    ("unos 6,5 mil millones de euros", "es", D("6.5") * B, "EUR", "about", None),
    ("más de 2 billones de dólares", "es", 2 * T, "USD", "more_than", None),
    ("hasta 30.000 millones de dólares al año", "es", 30 * B, "USD", "up_to", "year"),
    ("entre 20.000 y 25.000 millones de euros", "es", (20 * B, 25 * B), "EUR", "exact", None),
    ("mil millones de dólares", "es", B, "USD", "exact", None),
    ("un préstamo de 1,2 millones de libras esterlinas", "es", D("1.2") * M, "GBP", "exact", None),
    ("a 40 dólares por acción", "es", D(40), "USD", "exact", "share"),
    ("alrededor de 300 millones de euros", "es", 300 * M, "EUR", "about", None),
]


@pytest.mark.parametrize("text, lang, value, currency, qualifier, per", MONEY)
def test_money_in_each_language(text, lang, value, currency, qualifier, per):
    m = only_money(text, lang)
    low, high = value if isinstance(value, tuple) else (value, value)
    assert (m.low, m.high, m.currency, m.qualifier, m.per) == (low, high, currency, qualifier, per), m
    assert text[m.start:m.end] == m.surface


@pytest.mark.parametrize("text, lang, years", [
    ("$10 billion over five years", "en", 5),
    ("$10 billion over the next 4 years", "en", 4),
    ("10 milliards de dollars sur cinq ans", "fr", 5),
    ("10 miliardi di dollari in cinque anni", "it", 5),
    ("10 Milliarden Euro über fünf Jahre", "de", 5),
    ("10.000 millones de dólares en cinco años", "es", 5),
])
def test_a_term_is_read(text, lang, years):
    assert only_money(text, lang).term_years == years


@pytest.mark.parametrize("text, lang", [
    ("it raised 2 million last year", "en"),      # no currency: kept, with currency None
    ("OpenAI has 800 million weekly users", "en"),  # a word between: the counted noun is not next
])
def test_a_scale_without_currency_is_kept_without_one(text, lang):
    assert only_money(text, lang).currency is None


@pytest.mark.parametrize("text, lang", [
    ("The H100 and the A100 chips, GPT-4 and 2025 models.", "en"),
    ("It had 40 employees and 5 offices in 3 cities.", "en"),
    ("Il a 12 ans et 3 enfants.", "fr"),
    ("the 5 m cable", "en"),                     # a single letter is a scale only beside a currency
    ("Das Modell B 5 kam 2024.", "de"),
])
def test_no_money_where_there_is_none(text, lang):
    assert money(text, lang) == []


def test_a_scale_is_one_of_the_models_scales_and_the_amount_validates():
    for text, lang, *_ in MONEY:
        m = only_money(text, lang)
        assert m.scale in SCALES
        amount = m.to_amount("USD")
        assert (amount.low, amount.high) == (m.low, m.high) if m.is_range else amount.value == m.value


def test_without_a_currency_to_amount_asks_for_one():
    with pytest.raises(ValueError, match="states no currency"):
        only_money("100 milliards", "fr").to_amount()
    assert only_money("100 milliards", "fr").to_amount("EUR").value == 100 * B


# ---------------------------------------------------------------------------------------------
# Numbers as each language writes them

@pytest.mark.parametrize("raw, mark, value", [
    ("1,500", ".", D(1500)), ("1,500", ",", D("1.5")), ("1.500", ",", D(1500)), ("1.500", ".", D("1.5")),
    ("1,234,567.89", ",", D("1234567.89")), ("1.234.567,89", ".", D("1234567.89")),
    ("1 234 567,5", ",", D("1234567.5")), ("1\u202f500", ",", D(1500)), ("1'500.25", ".", D("1500.25")),
    ("0,500", ".", D("0.5")), ("6,5", ".", D("6.5")), ("22,4", ",", D("22.4")), ("1.3", ",", D("1.3")),
    ("12", ".", D(12)), ("1,25", ".", D("1.25")), ("1234,567", ".", D("1234.567")),
])
def test_parse_number(raw, mark, value):
    assert parse_number(raw, mark) == value


def _written(value: Decimal, lang: str, group: str) -> str:
    """``value`` written the way ``lang`` writes numbers, grouped with ``group``."""
    whole, _, frac = f"{value:f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    mark = LEXICON[lang].decimal_mark
    return group.join(groups) + (mark + frac if frac else "")


GROUPS = {"en": [",", ""], "fr": ["\u202f", "\u00a0", " ", ""], "it": [".", ""], "de": [".", ""], "es": [".", " ", ""]}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(lang=st.sampled_from(sorted(GROUPS)), data=st.data(),
       value=st.decimals(min_value=0, max_value=10 ** 12, places=2, allow_nan=False, allow_infinity=False))
@example(lang="es", data=None, value=D(30000))
def test_any_number_in_a_languages_conventions_parses_back(lang, data, value):
    group = GROUPS[lang][0] if data is None else data.draw(st.sampled_from(GROUPS[lang]))
    value = value.normalize() if value == value.to_integral_value() else value
    written = _written(value, lang, group)
    assert parse_number(written, LEXICON[lang].decimal_mark) == value
    # and inside a sentence, as money with a currency the language writes after the figure
    currency = {"en": "dollars", "fr": "d'euros", "it": "di euro", "de": "Euro", "es": "de euros"}[lang]
    scale = {"en": "million", "fr": "millions", "it": "milioni", "de": "Millionen", "es": "millones"}[lang]
    m = only_money(f"Une somme de {written} {scale} {currency} fut versée.", lang)
    assert m.value == value * M and m.surface.startswith(written)


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300) | st.lists(
    st.sampled_from(["$", "€", "12", "1,5", "1.500", " ", "\u202f", "milliards", "billion", "de", "dollars",
                     "%", "per cent", "GW", "bn", "B", "2025", "mars", "March", "22", ",", "-", "–", "to",
                     "between", "and", "et", "entre", "près de", "Mrd.", "a year", "par an", "Q3", "über"]),
    max_size=40).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, lang=st.sampled_from(sorted(LEXICON)))
def test_arbitrary_text_never_raises_and_offsets_slice_to_the_surface(text, lang):
    found = find_mentions(text, lang)
    last = 0
    for m in found:
        assert text[m.start:m.end] == m.surface and m.surface
        assert m.start >= last  # in order, none overlapping
        last = m.end
        if isinstance(m, (MoneyMention, PercentMention, CapacityMention)):
            assert m.low <= m.high
        if isinstance(m, DateMention):
            assert len(m.value) in (4, 7, 10)


@settings(max_examples=100, deadline=None)  # the first call loads the detector's models
@given(text=st.text(max_size=200))
def test_arbitrary_text_without_a_language_never_raises(text):
    for m in find_mentions(text):
        assert text[m.start:m.end] == m.surface


# ---------------------------------------------------------------------------------------------
# Percentages, capacities, dates

PERCENT = [
    ("Microsoft made up 62% of revenue", "en", D(62), "exact", False),
    ("some 62 per cent of revenue", "en", D(62), "about", False),
    ("more than 5 percent of the shares", "en", D(5), "more_than", False),
    ("up 2.5 percentage points", "en", D("2.5"), "exact", True),
    ("a quarter of its revenue", "en", D(25), "exact", False),
    ("près de 77 % des revenus", "fr", D(77), "nearly", False),
    ("une baisse de 1,5%", "fr", D("1.5"), "exact", False),
    ("15 pour cent du capital", "fr", D(15), "exact", False),
    ("un quart des revenus", "fr", D(25), "exact", False),
    ("oltre il 5% delle azioni", "it", D(5), "more_than", False),
    ("il 15 percento delle entrate", "it", D(15), "exact", False),
    ("circa il 7,5 per cento", "it", D("7.5"), "about", False),
    ("rund 15 Prozent der Anteile", "de", D(15), "about", False),
    ("mehr als 10,5 % der Aktien", "de", D("10.5"), "more_than", False),
    ("um 3 Prozentpunkte", "de", D(3), "exact", True),
    ("el 15 por ciento de los ingresos", "es", D(15), "exact", False),
    ("casi el 49 % del capital", "es", D(49), "nearly", False),
    ("al menos un 20% de participación", "es", D(20), "more_than", False),
]


@pytest.mark.parametrize("text, lang, percent, qualifier, points", PERCENT)
def test_percentages(text, lang, percent, qualifier, points):
    found = [m for m in find_mentions(text, lang) if isinstance(m, PercentMention)]
    assert len(found) == 1, found
    m = found[0]
    assert (m.percent, m.qualifier, m.points) == (percent, qualifier, points)
    if not points:
        assert m.to_share("revenue").percent == percent


def test_a_percentage_range():
    (m,) = find_mentions("between 20 and 25%", "en")
    assert (m.low, m.high) == (20, 25)


CAPACITY = [
    ("a 10 GW data-centre plan", "en", D(10), "GW", "exact"),
    ("10 gigawatts of Nvidia systems", "en", D(10), "GW", "exact"),
    ("at least 500 MW", "en", D(500), "MW", "more_than"),
    ("une capacité de 1,2 gigawatt", "fr", D("1.2"), "GW", "exact"),
    ("circa 7 GW nei prossimi tre anni", "it", D(7), "GW", "about"),
    ("rund 2,5 Gigawatt", "de", D("2.5"), "GW", "about"),
    ("unos 300 megavatios", "es", D(300), "MW", "about"),
]


@pytest.mark.parametrize("text, lang, value, unit, qualifier", CAPACITY)
def test_capacities(text, lang, value, unit, qualifier):
    (m,) = [m for m in find_mentions(text, lang) if isinstance(m, CapacityMention)]
    assert (m.value, m.unit, m.qualifier) == (value, unit, qualifier)
    assert m.to_quantity().value == value


def test_energy_is_no_capacity():
    assert not [m for m in find_mentions("it used 5 GWh last year", "en") if isinstance(m, CapacityMention)]


DATES = [
    ("on September 22, 2025,", "en", "2025-09-22"), ("on 22 September 2025", "en", "2025-09-22"),
    ("in March 2025", "en", "2025-03"), ("by Sept. 3, 2024", "en", "2024-09-03"), ("on 1st May 2025", "en", "2025-05-01"),
    ("le 22 septembre 2025", "fr", "2025-09-22"), ("le 1er mars 2025", "fr", "2025-03-01"), ("en août 2024", "fr", "2024-08"),
    ("Février 2025", "fr", "2025-02"), ("le 22 settembre 2025", "it", "2025-09-22"), ("nel marzo 2025", "it", "2025-03"),
    ("fino all'aprile 2032", "it", "2032-04"), ("am 22. September 2025", "de", "2025-09-22"), ("im März 2025", "de", "2025-03"),
    ("el 22 de septiembre de 2025", "es", "2025-09-22"), ("en mayo de 2025", "es", "2025-05"), ("desde 2023", "es", "2023"),
    ("on 2025-03-28", "en", "2025-03-28"), ("in 2024", "en", "2024"),
]


@pytest.mark.parametrize("text, lang, value", DATES)
def test_dates(text, lang, value):
    (m,) = [m for m in find_mentions(text, lang) if isinstance(m, DateMention)]
    assert m.value == value


@pytest.mark.parametrize("text, lang, year, quarter", [
    ("in Q3 2025", "en", "2025", 3), ("in the third quarter of 2025", "en", "2025", 3),
    ("au troisième trimestre 2025", "fr", "2025", 3), ("T2 2024", "fr", "2024", 2),
    ("nel terzo trimestre del 2025", "it", "2025", 3), ("im dritten Quartal 2025", "de", "2025", 3),
    ("en el tercer trimestre de 2025", "es", "2025", 3),
])
def test_quarters(text, lang, year, quarter):
    (m,) = [m for m in find_mentions(text, lang) if isinstance(m, DateMention)]
    assert (m.value, m.quarter) == (year, quarter)


@pytest.mark.parametrize("text, lang, values", [
    ("investors may 2025 be wrong", "en", ["2025"]),  # "may" the verb is no month
    ("on 31 February 2025", "en", ["2025-02"]),       # no such day: the month alone, not "1 February"
    ("le 32 mars 2025", "fr", ["2025-03"]),
])
def test_no_false_day_or_month(text, lang, values):
    assert [m.value for m in find_mentions(text, lang) if isinstance(m, DateMention)] == values


@pytest.mark.parametrize("lang", sorted(LEXICON))
def test_every_month_of_every_language(lang):
    for name, number in LEXICON[lang].months.items():
        (m,) = [m for m in find_mentions(f"x {name} 2025 x", lang) if isinstance(m, DateMention)]
        assert m.value == f"2025-{number:02d}", name


# ---------------------------------------------------------------------------------------------
# Recall on the source articles, against the curated seeds


def _curated():
    from dealgraph.seeds import load_seeds

    seeds = load_seeds(SEEDS_DIR)
    out = []
    for document, rec in [*seeds.claims, *seeds.statements, *seeds.totals]:
        for field in ("amount", "price"):
            a = getattr(rec, field, None)
            if a is not None:
                out.append((document, "money", a.value, a.text))
        s = getattr(rec, "share", None)
        if s is not None:
            out.append((document, "percent", s.percent, s.text))
        c = getattr(rec, "capacity", None)
        if c is not None:
            out.append((document, "capacity", c.value, c.text))
    return out


def test_every_curated_figure_is_found_in_its_article_with_its_value():
    if not DOCUMENTS_DIR.is_dir():
        pytest.skip("the source articles (../shared/seeds) are not beside this checkout")
    curated = _curated()
    assert len(curated) >= 30
    missed = []
    found_by_doc = {}
    for document, kind, value, text in curated:
        if document not in found_by_doc:
            article = (DOCUMENTS_DIR / f"{document}.txt").read_text(encoding="utf-8")
            found_by_doc[document] = find_mentions(article)  # the language detected, as the drafter will
        values = {m.value if kind != "percent" else m.percent for m in found_by_doc[document] if m.kind == kind}
        if value not in values:
            missed.append((document, kind, value, text))
    assert missed == []


def test_an_article_is_read_quickly():
    if not DOCUMENTS_DIR.is_dir():
        pytest.skip("the source articles (../shared/seeds) are not beside this checkout")
    for path in sorted(DOCUMENTS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        find_mentions(text)  # the first call loads the detector's models and compiles the grammar
        started = time.perf_counter()
        find_mentions(text)
        assert time.perf_counter() - started < 0.5, path.name
