"""Money, percentages, capacities and dates in a text, with their exact surface and offsets.

The grammar is a handful of regular expressions assembled from the language tables in
``lexicon.py`` (compiled once per language): a qualifier, an optional "between", a currency
written before the figure, the figure (digits in the language's conventions, or a spelled
number before a scale word), a scale word, a range, a currency written after, a period and a
term. Every figure is parsed to a ``Decimal`` from its digits, never through a float, so
"6,5 miliardi" is 6.5 × 10⁹ exactly. No conversion of currencies, ever: a mention carries the
currency as stated, or None when the text states none ("100 milliards").

Why not a library: ``babel.numbers.parse_decimal`` reads one locale's format and refuses the
others, while news mixes them ("$1.3B" in a French article); text2num and dateparser guess
more than they parse (dateparser reads "22" alone as a date) and are slow on a whole article.
A table-driven grammar is exact, fast (milliseconds an article) and says why it read what it
read.

>>> [(m.kind, m.surface, str(m.value), m.currency) for m in find_mentions("près de 12 milliards de dollars", "fr")]
[('money', 'près de 12 milliards de dollars', '12000000000', 'USD')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, Sequence, Union

from ..dates import check_partial_date
from ..models import SCALES, Amount, Quantity, Share
from .lexicon import COMMON, LANGUAGES, LEXICON, Cue, Language, compile_phrase, mask

__all__ = ["Mention", "MoneyMention", "PercentMention", "CapacityMention", "CountMention", "TrancheMention",
           "DateMention", "CueMention", "AnyMention", "find_mentions", "find_cues", "parse_number", "iso_term"]

# ---------------------------------------------------------------------------------------------
# What a mention is


@dataclass(frozen=True, kw_only=True)
class Mention:
    """Where a mention is: ``text[start:end] == surface``, always."""

    start: int
    end: int
    surface: str


@dataclass(frozen=True, kw_only=True)
class MoneyMention(Mention):
    """A sum of money as stated. ``value``, ``low`` and ``high`` are in units (12 billion is
    12000000000); ``number`` is the figure as written, in ``scale`` units (12, "billion").
    A range ("$20–25 billion") has ``low`` < ``high`` and ``value`` == ``low``."""

    kind: Literal["money"] = "money"
    value: Decimal
    low: Decimal
    high: Decimal
    number: Decimal
    scale: str
    currency: str | None
    qualifier: str = "exact"
    qualifier_text: str | None = None
    #: "year", "month", "quarter" (a sum paid each period) or "share" (a price per share)
    per: str | None = None
    #: "over five years": the span the sum is spread over, in years
    term_years: Decimal | None = None
    #: the same span in months, as the text states it ("over 18 months": 18; five years: 60)
    term_months: Decimal | None = None

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def term(self) -> str | None:
        """The term as ``Amount.term`` holds it ("over five years": ``P5Y``), None when the text
        states none, or one no ISO duration in whole months says (see :func:`iso_term`). A
        price per share has no term."""
        return None if self.per == "share" else iso_term(self.term_months)

    def seed_fields(self, currency: str | None = None) -> dict:
        """The fields of a seed ``amount:`` in the figure's own scale (``{value: 12, scale:
        billion, ...}``), as curators write them, with its ``per`` and ``term`` when stated.
        ``currency`` fills in one the text leaves out (the caller says why it may)."""
        factor = SCALES[self.scale]
        fields: dict = {"value": self.number, "scale": self.scale, "currency": self.currency or currency,
                        "qualifier": self.qualifier}
        if self.is_range:
            fields["min"], fields["max"] = self.low / factor, self.high / factor
        if self.per is not None:  # every period the lexicon reads is one of Amount.per's
            fields["per"] = self.per
        if self.term is not None:
            fields["term"] = self.term
        fields["text"] = self.surface
        return fields

    def to_amount(self, currency: str | None = None) -> Amount:
        """The mention as a validated ``models.Amount`` (ValueError without a currency)."""
        fields = self.seed_fields(currency)
        if fields["currency"] is None:
            raise ValueError(f"{self.surface!r} states no currency: pass one")
        return Amount(**fields)


@dataclass(frozen=True, kw_only=True)
class PercentMention(Mention):
    kind: Literal["percent"] = "percent"
    percent: Decimal
    low: Decimal
    high: Decimal
    qualifier: str = "exact"
    qualifier_text: str | None = None
    #: "percentage points": a difference of percentages, not a share
    points: bool = False

    def to_share(self, of: Literal["revenue", "ownership"]) -> Share:
        return Share(percent=self.percent, of=of, qualifier=self.qualifier, text=self.surface)


@dataclass(frozen=True, kw_only=True)
class CapacityMention(Mention):
    kind: Literal["capacity"] = "capacity"
    value: Decimal
    low: Decimal
    high: Decimal
    unit: Literal["GW", "MW"]
    qualifier: str = "exact"
    qualifier_text: str | None = None
    term_years: Decimal | None = None

    def to_quantity(self) -> Quantity:
        return Quantity(value=self.value, unit=self.unit, qualifier=self.qualifier, text=self.surface)


@dataclass(frozen=True, kw_only=True)
class CountMention(Mention):
    """A count of things ("160 million shares", "10.000 Chips"): a figure before one of the
    language's counted nouns, never money. ``unit`` is the unit ``models.Quantity`` holds the
    count in ("shares"), or None for things the model counts nowhere (users, chips)."""

    kind: Literal["count"] = "count"
    value: Decimal
    low: Decimal
    high: Decimal
    number: Decimal
    scale: str
    noun: str
    unit: str | None
    qualifier: str = "exact"
    qualifier_text: str | None = None

    def seed_fields(self) -> dict:
        """The fields of a seed ``quantity:`` in the figure's own scale (``{unit: shares,
        value: 160, scale: million, ...}``); a count with no unit has none."""
        if self.unit is None:
            raise ValueError(f"{self.surface!r} counts {self.noun!r}, which no Quantity unit holds")
        return {"unit": self.unit, "value": self.number, "scale": self.scale, "qualifier": self.qualifier,
                "text": self.surface}

    def to_quantity(self) -> Quantity:
        return Quantity(**self.seed_fields())


@dataclass(frozen=True, kw_only=True)
class TrancheMention(Mention):
    """Which tranche of a deal paid in instalments ("first tranche": ``number`` 1; "the first of
    three tranches": 1 of 3), or only how many there are ("in ten tranches": ``of`` 10)."""

    kind: Literal["tranche"] = "tranche"
    number: int | None
    of: int | None


@dataclass(frozen=True, kw_only=True)
class DateMention(Mention):
    """A partial date (``dates.py``): "2025", "2025-03", "2025-03-28". A quarter ("Q3 2025")
    is its year with ``quarter`` set, since a partial date has no quarters."""

    kind: Literal["date"] = "date"
    value: str
    precision: Literal["year", "month", "day"]
    quarter: int | None = None


@dataclass(frozen=True, kw_only=True)
class CueMention(Mention):
    """A relation cue of ``lexicon.py`` found in a text ("invests in", "fornirà")."""

    kind: Literal["cue"] = "cue"
    cue: Cue = field(default=None)  # type: ignore[assignment]
    #: Where the party named inside the cue stands (its ``@``), for a cue that has one.
    slot: tuple[int, int] | None = None


AnyMention = Union[MoneyMention, PercentMention, CapacityMention, CountMention, TrancheMention, DateMention]


def iso_term(months: Decimal | None) -> str | None:
    """A term in months as an ISO 8601 duration, as ``models.Amount.term`` holds it: whole
    years as ``P5Y``, else whole months (18 months: ``P18M``); None when there is none or it
    is no whole number of months (``Amount`` holds no other).

    >>> iso_term(Decimal(60)), iso_term(Decimal(18)), iso_term(Decimal("0.5"))
    ('P5Y', 'P18M', None)
    """
    if months is None or months <= 0 or months != months.to_integral_value():
        return None
    if months % 12 == 0 and months // 12 <= 999:
        return f"P{int(months // 12)}Y"
    return f"P{int(months)}M" if months <= 999 else None

# ---------------------------------------------------------------------------------------------
# Numbers

#: Spaces that group digits: plain, no-break, narrow no-break (French), thin.
_GROUP_SPACES = " \u00a0\u202f\u2009"


def parse_number(raw: str, decimal_mark: str = ".") -> Decimal:
    """A figure as written, to an exact Decimal, reading "1,500" and "1.500" (one mark followed
    by exactly three digits) by ``decimal_mark``; every other form says itself.

    >>> parse_number("30.000", ","), parse_number("1,5", "."), parse_number("1 500,25", ",")
    (Decimal('30000'), Decimal('1.5'), Decimal('1500.25'))
    """
    s = raw
    for ch in _GROUP_SPACES + "'’":
        s = s.replace(ch, "")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:  # the last mark is the decimal one: 1,234.5 / 1.234,5
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        grp = "," if dec == "." else "."
        s = s.replace(grp, "").replace(dec, ".")
    elif dots + commas > 1:  # 1,234,567 / 1.234.567
        s = s.replace(".", "").replace(",", "")
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, frac = s.split(mark)
        grouped = len(frac) == 3 and whole != "0" and len(whole) <= 3 and raw.count(" ") == 0
        if grouped and mark != decimal_mark:
            s = whole + frac
        else:
            s = whole + "." + frac
    try:
        return Decimal(s)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None


# ---------------------------------------------------------------------------------------------
# The grammar, from the tables

# A word is not read inside a longer word; digits may touch it ("40bn", "7GW", "Q3").
_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"
_WS = r"[^\S\r\n]"                # any space but a line break (no-break spaces included)
_NUM = (r"(?<![\d.,])(?:"
        r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"           # 1,234,567.89
        r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"          # 1.234.567,89
        r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?"  # 1 234 567,89
        r"|\d{1,3}(?:['’]\d{3})+(?:[.,]\d+)?"     # 1'234'567.89 (Swiss)
        r"|\d+(?:[.,]\d+)?"                       # 1234.5 / 6,5
        r")(?![\d]|[.,]\d)")


def _phrase(p: str) -> str:
    """One table phrase as a pattern: spaces match any run of spaces, both apostrophes match,
    and a phrase that begins or ends with a letter is not read inside a longer word."""
    body = "".join(
        f"{_WS}+" if ch == " " else "['’]" if ch in "'’" else re.escape(ch) for ch in p)
    if p[:1].isalnum():
        body = _LETTER_BEFORE + body
    if p[-1:].isalnum():
        body += _LETTER_AFTER
    return body


def _alt(phrases) -> str:
    """Longest first, so "mil millones" wins over "mil" and "US$" over "$"."""
    items = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "(?:" + "|".join(_phrase(p) for p in items) + ")" if items else "(?!)"


@dataclass(frozen=True)
class _Grammar:
    lang: Language
    money: re.Pattern
    percent: re.Pattern
    capacity: re.Pattern
    count: re.Pattern
    tranche: re.Pattern
    date: re.Pattern
    # lower-cased phrase -> value, for reading the groups back
    scales: dict
    numbers: dict
    prefixes: dict
    suffixes: dict
    qualifiers: dict
    periods: dict
    units: dict
    months: dict
    quarters: dict
    fractions: dict
    counted: dict
    part_ordinals: dict


def _fold(table: dict) -> dict:
    out = {}
    for k, v in table.items():
        out.setdefault(_key(k), v)
    return out


def _key(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.replace("’", "'")).casefold()


@lru_cache(maxsize=None)
def _grammar(code: str) -> _Grammar:
    lang = LEXICON[code]
    scales = {**COMMON.scales, **lang.scales}
    suffixes = {**COMMON.currency_suffixes, **lang.currencies}
    prefixes = {**COMMON.currency_prefixes, **{k: v for k, v in lang.currencies.items() if code == "de"}}
    qual = (rf"(?:(?P<qual>{_alt(lang.qualifiers)})(?:{_WS}+{_alt(lang.articles)})?{_WS}*)?")
    between = rf"(?:(?P<between>{_alt(lang.between)}){_WS}+)?"
    spelled = _alt(lang.numbers)
    letters = "|".join(sorted(COMMON.letter_scales, key=len, reverse=True))
    # "40 M€", "5 B$": a spaced letter is a scale only when a currency sign follows it
    signs = "".join(re.escape(c) for c in sorted({k[0] for k in COMMON.currency_suffixes if not k[0].isalnum()}))
    scale = rf"(?:(?P<letter>{letters}){_LETTER_AFTER}|{_WS}(?P<sletter>{letters})(?=[{signs}])" \
            rf"|{_WS}*(?P<scale>{_alt(scales)}))"
    scale2 = scale.replace("?P<letter>", "?P<letter2>").replace("?P<scale>", "?P<scale2>").replace(
        "?P<sletter>", "?P<sletter2>")
    rsep = rf"(?:(?(between){_alt(lang.and_)}|(?:{_alt(COMMON.dashes)}|{_alt(lang.to)})))"
    term = (rf"(?:{_WS}*,?{_WS}*{_alt(lang.term_before)}{_WS}+(?P<term>{_NUM}|{spelled}){_WS}+"
            rf"(?:{_alt(lang.years)}|(?P<term_mo>{_alt(lang.term_months)})))?")
    period = rf"(?:{_WS}*(?P<per>{_alt(lang.periods)}))?"
    of = rf"(?:{_alt(lang.of)}{_WS}*)?" if lang.of else ""
    money = (
        qual + between
        + rf"(?:(?P<pre>{_alt(prefixes)}){_WS}*)?"
        + rf"(?:(?P<num>{_NUM})|(?P<word>{spelled}))"
        + rf"{scale}?"
        + rf"(?:{_WS}*{rsep}{_WS}*(?:{_alt(prefixes)}{_WS}*)?(?P<num2>{_NUM}){scale2}?)?"
        + rf"(?:{_WS}*{of}(?P<post>{_alt(suffixes)}))?"
        + period + term
        # a figure is money when it has a currency or a scale word; a single letter ("B", "m")
        # only beside a currency; a spelled number only before a scale word
        + r"(?(pre)|(?(post)|(?(scale)|(?(scale2)|(?!)))))"
        + r"(?(letter)(?(pre)|(?(post)|(?!))))"
        + r"(?(word)(?(scale)|(?(letter)|(?(sletter)|(?!)))))"
        # a figure with no currency before a noun of counted things is a count, not money
        # ("160 million shares", "160 milioni di azioni", "1.500 millones de parámetros")
        + rf"(?(pre)|(?(post)|(?!{_WS}*{of}{_alt(lang.counted)})))"
    )
    pct_words = _alt((*COMMON.percent, *lang.percent))
    percent = (
        qual + between
        + rf"(?:(?P<num>{_NUM})|(?P<word>{spelled}))"
        + rf"(?:{_WS}*(?:{pct_words})?{_WS}*{rsep}{_WS}*(?P<num2>{_NUM}))?"
        + rf"{_WS}*(?:(?P<pts>{_alt(lang.points)})|(?P<pct>{pct_words}))"
        + rf"|(?P<frac>{_alt(lang.fractions)})(?={_WS}+{_alt(lang.fraction_of)})"
    )
    units = {**COMMON.units, **lang.units}
    capacity = (
        qual + between
        + rf"(?:(?P<num>{_NUM})|(?P<word>{spelled}))"
        + rf"(?:{_WS}*{rsep}{_WS}*(?P<num2>{_NUM}))?"
        + rf"{_WS}*(?P<unit>{_alt(units)})" + term
    )
    # a count: a figure (a spelled one only before a scale word) before a counted noun; a
    # single-letter scale only glued to the figure ("160m shares")
    count = (
        qual + between
        + rf"(?:(?P<num>{_NUM})|(?P<word>{spelled}))"
        + rf"(?:(?P<letter>{letters}){_LETTER_AFTER}|{_WS}*(?P<scale>{_alt(scales)}))?"
        + rf"(?:{_WS}*{rsep}{_WS}*(?P<num2>{_NUM})(?:{_WS}*(?P<scale2>{_alt(scales)}))?)?"
        + rf"{_WS}*{of}(?P<noun>{_alt(lang.counted)})"
        + r"(?(word)(?(scale)|(?(letter)|(?!))))"
    )
    # a tranche: "first tranche", "the first of three tranches", "in ten tranches"
    nouns = _alt(lang.tranche_nouns)
    how_many = rf"(?:{_NUM}|{spelled})"
    part_of = _alt(lang.fraction_of)
    tranche = (
        rf"(?P<ord>{_alt(lang.part_ordinals)})(?:{_WS}+{nouns}"
        rf"|{_WS}+{part_of}{_WS}*(?:{_alt(lang.articles)}{_WS}+)?(?P<of1>{how_many}){_WS}+{nouns})"
        rf"|(?P<of2>{how_many}){_WS}+{nouns}"
    ) if lang.tranche_nouns else "(?!)"
    months = _alt(_month_variants(lang))
    ordinal = rf"(?:{_alt(lang.ordinals)})?" if lang.ordinals else ""
    date_of = rf"(?:{_alt(lang.date_of)}{_WS}+)?" if lang.date_of else ""
    year = r"(?<![\d.,])(?P<y>(?:1[89]|2[01])\d\d)(?!\d|[.,]\d)"
    qn = _alt(lang.quarters)
    date = (
        rf"{_LETTER_BEFORE}(?<!\d)(?P<iso>(?:1[89]|2[01])\d\d-[01]\d-[0-3]\d)(?!\d)"
        rf"|{_LETTER_BEFORE}(?<!\d)(?P<d>[0-3]?\d){ordinal}{_WS}*{date_of}(?P<m>{months}){_WS}*,?{_WS}*{date_of}{year.replace('?P<y>', '?P<y1>')}"
        rf"|(?P<m2>{months}){_WS}*(?P<d2>[0-3]?\d){ordinal}{_LETTER_AFTER},?{_WS}*{year.replace('?P<y>', '?P<y2>')}"
        rf"|(?P<m3>{months}){_WS}*,?{_WS}*{date_of}{year.replace('?P<y>', '?P<y3>')}"
        rf"|{_LETTER_BEFORE}(?:Q|T)(?P<q>[1-4]){_WS}*(?:{_alt(lang.date_of) if lang.date_of else '(?!)'}{_WS}*)?{year.replace('?P<y>', '?P<y4>')}"
        rf"|(?i:(?P<qw>{qn}){_WS}+{_alt(lang.quarter_words)}){_WS}*(?:(?i:{_alt((*lang.date_of, *lang.fraction_of, *lang.of))}){_WS}*)?{year.replace('?P<y>', '?P<y5>')}"
        rf"|{_LETTER_BEFORE}{year.replace('?P<y>', '?P<y6>')}(?!{_WS}*%)"
    )
    flags = re.IGNORECASE
    return _Grammar(
        lang=lang, money=re.compile(money, flags), percent=re.compile(percent, flags),
        capacity=re.compile(capacity, flags), count=re.compile(count, flags), tranche=re.compile(tranche, flags),
        date=re.compile(date),
        scales=_fold(scales), numbers=_fold(lang.numbers), prefixes=_fold(prefixes), suffixes=_fold(suffixes),
        qualifiers=_fold(lang.qualifiers), periods=_fold(lang.periods), units=_fold(units),
        months=_fold(lang.months), quarters=_fold(lang.quarters), fractions=_fold(lang.fractions),
        counted=_fold(lang.counted), part_ordinals=_fold(lang.part_ordinals))


def _month_variants(lang: Language) -> list[str]:
    """Month names as they are written: English and German ones capitalised (so "may" the verb
    is no month), the others in lower case or capitalised at a sentence's start; all in capitals
    in headlines."""
    out = []
    for name in lang.months:
        out += [name, name.upper(), name[:1].upper() + name[1:]]
        if lang.code not in ("en", "de"):
            out.append(name.lower())
    return out


# ---------------------------------------------------------------------------------------------
# Reading the matches


def _exact(v: Decimal) -> Decimal:
    """6.5 × 10⁹ written 6500000000, not 6500000000.0 nor 6.5E+9: equal values, one spelling."""
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v.normalize()


def _qualifier(g: _Grammar, m: re.Match) -> tuple[str, str | None]:
    q = m.group("qual")
    return (g.qualifiers[_key(q)], q) if q else ("exact", None)


def _figure(g: _Grammar, m: re.Match, group: str = "num") -> Decimal:
    raw = m.group(group)
    if raw is None:
        return g.numbers[_key(m.group("word"))]
    return parse_number(raw, g.lang.decimal_mark)


def _term(g: _Grammar, m: re.Match) -> tuple[Decimal, Decimal] | tuple[None, None]:
    """The stated term as (years, months): "five years" is (5, 60), "18 months" (1.5, 18)."""
    t = m.group("term")
    if t is None:
        return None, None
    n = g.numbers[_key(t)] if t[0].isalpha() else parse_number(t, g.lang.decimal_mark)
    if m.group("term_mo"):
        return n / 12, n
    return n, n * 12


def _scale_of(g: _Grammar, m: re.Match, n: str = "") -> str | None:
    letter, word = m.group("letter" + n) or m.group("sletter" + n), m.group("scale" + n)
    if letter:
        return COMMON.letter_scales[letter]
    return g.scales[_key(word)] if word else None


def _glued(text: str, m: re.Match) -> bool:
    """A figure glued to a word before it is part of a name ("H100", "GPT-4o"), unless the
    word is the currency ("USD40bn")."""
    at = m.start("num")
    return at > 0 and text[at - 1].isalpha() and not (m.re.groupindex.get("pre") and m.end("pre") == at)


def _money(g: _Grammar, m: re.Match, text: str) -> MoneyMention | None:
    if m.group("num") and _glued(text, m):
        return None
    number = _figure(g, m)
    scale = _scale_of(g, m) or _scale_of(g, m, "2") or "unit"
    low = _exact(number * SCALES[scale])
    high = low
    if m.group("num2"):
        number2 = parse_number(m.group("num2"), g.lang.decimal_mark)
        high = _exact(number2 * SCALES[_scale_of(g, m, "2") or scale])
        if high <= low:  # "5 to 3 billion" is no range: a list or a change, read the first alone
            return None
    pre, post = m.group("pre"), m.group("post")
    currency = g.prefixes[_key(pre)] if pre else g.suffixes[_key(post)] if post else None
    qual, qual_text = _qualifier(g, m)
    per = g.periods[_key(m.group("per"))] if m.group("per") else None
    return MoneyMention(start=m.start(), end=m.end(), surface=m.group(), value=low, low=low, high=high,
                        number=number, scale=scale, currency=currency, qualifier=qual, qualifier_text=qual_text,
                        per=per, term_years=_term(g, m)[0], term_months=_term(g, m)[1])


def _percent(g: _Grammar, m: re.Match, text: str) -> PercentMention | None:
    if m.group("num") and _glued(text, m):
        return None
    if m.group("frac"):
        v = g.fractions[_key(m.group("frac"))]
        return PercentMention(start=m.start(), end=m.end(), surface=m.group(), percent=v, low=v, high=v)
    low = _figure(g, m)
    high = parse_number(m.group("num2"), g.lang.decimal_mark) if m.group("num2") else low
    if high < low or (not m.group("pts") and high > 100):
        return None
    qual, qual_text = _qualifier(g, m)
    return PercentMention(start=m.start(), end=m.end(), surface=m.group(), percent=low, low=low, high=high,
                          qualifier=qual, qualifier_text=qual_text, points=bool(m.group("pts")))


def _capacity(g: _Grammar, m: re.Match, text: str) -> CapacityMention | None:
    if m.group("num") and _glued(text, m):
        return None
    low = _figure(g, m)
    high = parse_number(m.group("num2"), g.lang.decimal_mark) if m.group("num2") else low
    if high < low:
        return None
    qual, qual_text = _qualifier(g, m)
    return CapacityMention(start=m.start(), end=m.end(), surface=m.group(), value=low, low=low, high=high,
                           unit=g.units[_key(m.group("unit"))], qualifier=qual, qualifier_text=qual_text,
                           term_years=_term(g, m)[0])


def _count(g: _Grammar, m: re.Match, text: str) -> CountMention | None:
    if m.group("num") and _glued(text, m):
        return None
    number = _figure(g, m)
    scale = (COMMON.letter_scales[m.group("letter")] if m.group("letter") else
             g.scales[_key(m.group("scale"))] if m.group("scale") else
             g.scales[_key(m.group("scale2"))] if m.group("scale2") else "unit")
    low = _exact(number * SCALES[scale])
    high = low
    if m.group("num2"):
        scale2 = g.scales[_key(m.group("scale2"))] if m.group("scale2") else scale
        high = _exact(parse_number(m.group("num2"), g.lang.decimal_mark) * SCALES[scale2])
        if high <= low:
            return None
    qual, qual_text = _qualifier(g, m)
    noun = m.group("noun")
    return CountMention(start=m.start(), end=m.end(), surface=m.group(), value=low, low=low, high=high,
                        number=number, scale=scale, noun=noun, unit=g.counted[_key(noun)], qualifier=qual,
                        qualifier_text=qual_text)


def _how_many(g: _Grammar, raw: str) -> int | None:
    n = g.numbers.get(_key(raw)) if raw[0].isalpha() else parse_number(raw, g.lang.decimal_mark)
    # one is no count of tranches ("a tranche" is an article); the model allows up to 1000
    return int(n) if n is not None and n == n.to_integral_value() and 2 <= n <= 1000 else None


def _tranche(g: _Grammar, m: re.Match) -> TrancheMention | None:
    number = g.part_ordinals[_key(m.group("ord"))] if m.group("ord") else None
    raw_of = m.group("of1") or m.group("of2")
    of = _how_many(g, raw_of) if raw_of else None
    if (raw_of and of is None) or (number is not None and of is not None and number > of):
        return None
    return TrancheMention(start=m.start(), end=m.end(), surface=m.group(), number=number, of=of)


def _date(g: _Grammar, m: re.Match) -> DateMention | None:
    quarter = None
    if m.group("iso"):
        value = m.group("iso")
    elif m.group("y1"):
        value = f"{m.group('y1')}-{g.months[_key(m.group('m'))]:02d}-{int(m.group('d')):02d}"
    elif m.group("y2"):
        value = f"{m.group('y2')}-{g.months[_key(m.group('m2'))]:02d}-{int(m.group('d2')):02d}"
    elif m.group("y3"):
        value = f"{m.group('y3')}-{g.months[_key(m.group('m3'))]:02d}"
    elif m.group("y4"):
        value, quarter = m.group("y4"), int(m.group("q"))
    elif m.group("y5"):
        value, quarter = m.group("y5"), g.quarters[_key(m.group("qw"))]
    else:
        value = m.group("y6")
    try:
        value = check_partial_date(value)
    except ValueError:  # 31 February, month 13: not a date, whatever it looks like
        return None
    precision = {4: "year", 7: "month", 10: "day"}[len(value)]
    return DateMention(start=m.start(), end=m.end(), surface=m.group(), value=value, precision=precision,
                       quarter=quarter)


def _scan(pattern: re.Pattern, text: str, read) -> list:
    """Every match ``read`` accepts; a refused match gives its start position back, so a
    shorter reading from the next character is still tried."""
    out, pos = [], 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return out
        if m.end() == m.start():
            pos = m.end() + 1
            continue
        found = read(m)
        if found is None:
            pos = m.start() + 1
        else:
            out.append(found)
            pos = m.end()


#: When two readings overlap, the first kind wins: "$2025 million" is money, not a year; "in
#: 2025 GPUs" is a year, not a count.
_PRIORITY = {"money": 0, "percent": 1, "capacity": 2, "date": 3, "count": 4, "tranche": 5}


def find_mentions(text: str, language: str | None = None) -> list[AnyMention]:
    """Every money amount, percentage, capacity, count of things, tranche and date in ``text``,
    in the order they appear, none overlapping another.

    ``language`` (en, fr, it, de, es) chooses the table the text is read with; without it the
    language is detected (``language.detect_language``) and English is assumed for a text too
    short to tell. Arbitrary text never raises.

    >>> [(m.surface, str(m.low), str(m.high), m.per) for m in find_mentions("$20–25 billion a year")]
    [('$20–25 billion a year', '20000000000', '25000000000', 'year')]
    """
    if language is None:
        from .language import guess_language

        language = guess_language(text) or "en"
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    g = _grammar(language)
    found: list[AnyMention] = []
    found += _scan(g.money, text, lambda m: _money(g, m, text))
    found += _scan(g.percent, text, lambda m: _percent(g, m, text))
    found += _scan(g.capacity, text, lambda m: _capacity(g, m, text))
    found += _scan(g.count, text, lambda m: _count(g, m, text))
    found += _scan(g.tranche, text, lambda m: _tranche(g, m))
    found += _scan(g.date, text, lambda m: _date(g, m))
    found.sort(key=lambda x: (_PRIORITY[x.kind], -(x.end - x.start), x.start))
    kept: list[AnyMention] = []
    taken = [False] * (len(text) + 1)
    for mention in found:
        if not any(taken[mention.start:mention.end]):
            kept.append(mention)
            for i in range(mention.start, mention.end):
                taken[i] = True
    return sorted(kept, key=lambda x: x.start)


# ---------------------------------------------------------------------------------------------
# Relation cues


@lru_cache(maxsize=None)
def _cue_patterns(code: str) -> tuple[tuple[re.Pattern, Cue, int], ...]:
    # each with its literal length: of two readings of one span, the more specific phrase wins
    # ("backstop*" over "back*", "investissement* d' @ dans" over "invest* ~ dans")
    return tuple((compile_phrase(c.phrase), c, len(c.phrase.replace("*", "").replace("~", "").replace("@", "")))
                 for c in LEXICON[code].cues)


def find_cues(text: str, language: str, *, figures: Sequence[Mention] | None = None,
              organisations: Sequence = ()) -> list[CueMention]:
    """Every relation cue of the language's table in ``text``; where two overlap, the longer
    (the more specific: "rents back from" over "rents") is kept, and a cue that starts inside
    one of the language's not-cues ("backs out", "livraison") is dropped.

    ``figures`` (default: :func:`find_mentions` of the text) are read as one word in a cue's
    gap, so "invests up to $6.3 billion in" is "invest* ~ in"; ``organisations`` (anything with
    ``start`` and ``end``) fill the party slots of cues that name a party inside them
    ("von Microsoft finanziert"): without them those cues are not read. A cue whose gap holds
    one of them is not read either: the organisation is a party, not a word of the cue.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    if figures is None:
        figures = find_mentions(text, language)
    masked = mask(text, figures)
    found: list[tuple[int, int, CueMention]] = []
    for pattern, cue, literal in _cue_patterns(language):
        for m in pattern.finditer(masked):
            if m.end() > m.start():
                slot = m.span("slot") if "slot" in pattern.groupindex else None
                if slot and not any(slot[0] <= o.start and o.end <= slot[1] for o in organisations):
                    continue  # a party slot holds an organisation, or the cue is not this one
                if any(m.start() <= o.start and o.end <= m.end() and not (slot and slot[0] <= o.start < slot[1])
                       for o in organisations):
                    # a gap holds no party: "a loan from JPMorgan to finish a campus" is no
                    # "loan* ~ to" (a shorter cue, "loan* ~ from", reads it)
                    continue
                found.append((-(m.end() - m.start()), -literal, CueMention(
                    start=m.start(), end=m.end(), surface=text[m.start():m.end()], cue=cue, slot=slot)))
    # "a loan for a campus leased to Oracle": of two cues that end with the same word, the one
    # that starts later owns it (the nearer verb governs its preposition), not the one whose gap
    # holds the other's verb
    ends: dict[int, list[CueMention]] = {}
    for _, _, c in found:
        if " " in c.cue.phrase:  # a verb and its preposition, not one word ("warrant*")
            ends.setdefault(c.end, []).append(c)

    def governed_later(c: CueMention) -> bool:
        # the later cue starts in this one's gap, not on one of its own words ("own* ~ stake
        # in" holds "stake in", which starts on its word "stake")
        words = [compile_phrase(w) for w in c.cue.phrase.split(" ") if w not in ("~", "@")]
        return any(o.start > c.start and not any(w.match(masked, o.start) for w in words)
                   for o in ends.get(c.end, ()))

    found = [f for f in found if f[2].slot is not None or "~" not in f[2].cue.phrase or not governed_later(f[2])]
    not_cues = [m.span() for p in LEXICON[language].not_cues for m in compile_phrase(p).finditer(masked)]
    found.sort(key=lambda f: (f[0], f[1], f[2].start))
    kept: list[CueMention] = []
    for _, _, c in found:
        if any(s <= c.start < e for s, e in not_cues):
            continue
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)
