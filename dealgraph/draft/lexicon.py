"""The words the drafter reads, as data: one table per language, and one for what no language owns.

Each table (``EN``, ``FR``, ``IT``, ``DE``, ``ES``) says, for its language, how numbers are
written (decimal mark, scale words, spelled numbers), which words name a currency, a qualifier,
a period, a percentage, a unit of power, a month; and which verbs cue a deal (the relation cue
table). ``COMMON`` holds what every language shares: currency symbols and ISO codes, the
abbreviations of financial prose (``bn``, ``B``, ``M``), ``%``, ``GW``. The grammar in
``mentions.py`` is built from these tables and holds no word of its own, so a language is
extended here, not there.

Why per language and not one merged table: the same word means different things in different
languages. "billion" is 10⁹ in English and 10¹² in French and German ("Billion", "billón");
"a" is an article in English and a range word ("da 20 a 25") in Italian and Spanish; "May" is
a month in English and a verb.

Phrases are written plainly; in a phrase, a space matches any run of spaces (including no-break
spaces) and ``'`` matches both apostrophes (``'`` and ``’``). The phrases of the cue, modality
and status tables add a notation, compiled by one function (:func:`compile_phrase`):

- ``*`` at the end of a word matches any ending (``invest*``: invest, invests, invested,
  investment); at its start, any beginning (``*rà``: sarà, fornirà);
- ``~`` is a gap of up to five words, a figure counting as one word (``invest* ~ in``:
  "invests up to $100 billion in"; ``take* ~ stake``: "takes a 10 % stake"). A gap never
  crosses a comma or a sentence's end;
- ``@`` is a party named inside the cue: one to three words of which one is an organisation
  (``von @ finanziert``: "von Microsoft finanziert"). It is read only where the caller gives
  the organisations (``mentions.find_cues``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Literal

__all__ = ["Cue", "Language", "LEXICON", "COMMON", "LANGUAGES", "Common", "money_direction",
           "compile_phrase", "mask", "FIGURE_MARK", "GAP_WORDS"]

#: The five languages the drafter reads (ISO 639-1), the same as ``models.Document.language``.
LANGUAGES: tuple[str, ...] = ("en", "fr", "it", "de", "es")

Scale = Literal["unit", "thousand", "million", "billion", "trillion"]
Period = Literal["year", "month", "quarter", "share"]
Qual = Literal["exact", "about", "nearly", "more_than", "up_to"]


@dataclass(frozen=True)
class Cue:
    """A phrase that signals a deal, and who is who in it.

    ``subject_role`` is the role of the party named before the cue (the grammatical subject in
    active voice), ``object_role`` the role of the party after it, ``slot_role`` that of the
    party inside it (at ``@``). The money direction follows
    from the kind's ``flow_from``/``flow_to`` (see :func:`money_direction`), so it is written
    once, in ``kinds.py``.
    """

    phrase: str
    kind: str
    subject_role: str | None
    object_role: str | None
    #: The role of the party named inside the cue, at its ``@`` ("von @ finanziert": the
    #: investor; "investment by @ in": the investor, the investee after the cue).
    slot_role: str | None = None
    #: The one-party kind drafted when the cue names no organisation after it but states a sum
    #: ("Microsoft will invest $80 billion in AI": a spending commitment, not an investment).
    alone: str | None = None


@dataclass(frozen=True)
class Language:
    code: str
    #: The mark between a number's whole and its fraction; the other of "." and "," groups
    #: thousands. Only decides "1,500" and "1.500" (one mark, three digits after it): every
    #: other form is unambiguous ("6,5", "1,234,567.8", "30.000,5").
    decimal_mark: Literal[".", ","]
    scales: dict[str, Scale]
    #: Spelled numbers: read only before a scale word, a currency, a percent word or a unit
    #: ("a billion", "mille milliards", "eine Milliarde", "cinq pour cent").
    numbers: dict[str, Decimal]
    #: Currency words, written after the number (or before it: "dollars 5 million" is rare
    #: but "US-Dollar" and "Euro" may stand on either side in German).
    currencies: dict[str, str]
    #: Words between a scale and the currency ("milliards de dollars", "miliardi di dollari").
    of: tuple[str, ...]
    qualifiers: dict[str, Qual]
    #: Small words that may stand between a qualifier and the figure ("oltre il 5%",
    #: "superano i 400 miliardi", "more than the $5 billion").
    articles: tuple[str, ...]
    between: tuple[str, ...]
    and_: tuple[str, ...]
    #: Range words without "between": "20 to 25 billion", "de 20 à 25 milliards".
    to: tuple[str, ...]
    periods: dict[str, Period]
    #: "over five years", "over 18 months": the words before the number of years or months,
    #: and the words for years and for months.
    term_before: tuple[str, ...]
    years: tuple[str, ...]
    term_months: tuple[str, ...]
    percent: tuple[str, ...]
    points: tuple[str, ...]
    #: Fractions written as words, read as a percentage only before "of" ("a quarter of").
    fractions: dict[str, Decimal]
    fraction_of: tuple[str, ...]
    units: dict[str, Literal["GW", "MW"]]
    months: dict[str, int]
    #: Words between the parts of a date ("22 de septiembre de 2025"); ordinal day marks ("1er").
    date_of: tuple[str, ...]
    ordinals: tuple[str, ...]
    quarters: dict[str, int]
    quarter_words: tuple[str, ...]
    cues: tuple[Cue, ...] = field(default=())
    #: Phrases that look like a cue's first word but say no deal ("backs out", "livraison",
    #: "venerdì"): a cue that starts inside one is not read.
    not_cues: tuple[str, ...] = field(default=())
    #: The word that introduces the agent of a passive ("supplied by", "fournies par"): a cue
    #: followed by it and an organisation has its roles the other way round.
    passive_agents: tuple[str, ...] = field(default=())
    #: Modality words: "expected" for what is planned, likely or forecast, "target" for what is
    #: hoped or aimed at, "denied" for a denial.
    modality: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Status words: what state the sentence puts the deal in (signed, completed, ...).
    status: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Nouns of counted things, each with the unit ``models.Quantity`` holds its count in, or
    #: None for a count the model holds nowhere (users, chips). A figure with no currency
    #: followed by one (through the language's "of") is a count, not money ("160 million
    #: shares", "160 milioni di azioni"): a count mention (``mentions.CountMention``), which a
    #: warrant's claim takes as its ``quantity`` when the unit is "shares". They are no
    #: organisations either, capitalised or not ("Chips", "Aktien").
    counted: dict[str, str | None] = field(default_factory=dict)
    #: Which part of a deal paid in instalments a sentence is about: ordinal words (in every
    #: gender the nouns below take: "premier versement", "première tranche") before one of the
    #: tranche nouns ("first tranche", "erste Tranche"), or before the language's ``fraction_of``
    #: and a count of them ("the first of three tranches"); a count before the plural alone
    #: ("in ten tranches") says how many there are. Read by ``mentions.find_mentions`` as a
    #: tranche mention, written on the claim as ``tranche: {number, of}``.
    part_ordinals: dict[str, int] = field(default_factory=dict)
    tranche_nouns: tuple[str, ...] = field(default=())
    #: Subjects that refer back to an organisation named before: pronouns and definite
    #: descriptions ("It", "the company", "Quest'ultima", "Der Chipkonzern"), in the cue
    #: notation (``~`` a gap: "the ~ group" is "the software group"). A cue with no organisation
    #: before it in its sentence takes, for its subject, the organisation that was the subject of
    #: the sentence(s) before, with a review note (``claims.py``).
    anaphora: tuple[str, ...] = field(default=())
    #: True where every noun is capitalised (German): a capital marks no name there, and a
    #: capitalised common word of the language is no organisation without other evidence
    #: (``organisations.py``).
    capitalises_nouns: bool = False
    #: Prepositions of place ("in Texas", "en Aragón", "a Narvik", "im Raum"): a capitalised
    #: name after one (not where a relation cue ends with it: "invests in Meta") that the
    #: gazetteer of places knows (``organisations._places``) is a place, not an organisation;
    #: so is a gazetteer name joined to such a place by "and" or a comma ("in Pennsylvania
    #: und Texas", "in Abilene, Texas").
    place_prepositions: tuple[str, ...] = field(default=())
    #: Descriptive nouns a text puts before a company's name ("the utility Iberdrola", "la
    #: eléctrica Iberdrola", "der US-Cloudanbieter CoreWeave"): a definite description with the
    #: same noun later ("La eléctrica", "mit dem Anbieter") stands for that company, not for
    #: the last subject. Compounds count by their last part ("Cloudanbieter" is an "Anbieter").
    #: Nouns too general to tell companies apart ("company", "group") are not in the table.
    descriptive_nouns: tuple[str, ...] = field(default=())
    #: Verbs of speech ("said", "a déclaré", "sagte"): a first name and a name that is itself a
    #: first name ("Kevin Scott"; "Morgan Stanley" is a bank) are a person when one stands
    #: near them (``organisations.py``).
    speech_verbs: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Common:
    #: Written before the number ("$5", "US$ 5", "USD 40bn", "€2.5bn"); longest first is the
    #: grammar's job, not the table's.
    currency_prefixes: dict[str, str]
    #: Written after it ("40 $", "5 Mrd. €", "10 M€" once the scale is read).
    currency_suffixes: dict[str, str]
    #: Abbreviations shared by financial prose in every language. Single letters are read only
    #: glued to a figure that has a currency ("$1.3B", "€5m"): "5 m" alone is five metres.
    scales: dict[str, Scale]
    letter_scales: dict[str, Scale]
    percent: tuple[str, ...]
    units: dict[str, Literal["GW", "MW"]]
    dashes: tuple[str, ...]


# ISO codes a journalist writes beside a figure. Not all of ISO 4217: "ALL", "TOP", "CUP" are
# also English words in capitals ("ALL 5 FIRMS").
_CODES = ("USD EUR GBP JPY CNY CHF CAD AUD HKD SGD INR KRW BRL SEK NOK DKK PLN CZK HUF RUB TRY "
          "SAR AED QAR ILS ZAR MXN NZD TWD THB IDR MYR PHP VND").split()

COMMON = Common(
    currency_prefixes={
        **{c: c for c in _CODES},
        "US$": "USD", "U.S.$": "USD", "U.S. $": "USD", "US $": "USD", "$US": "USD", "$": "USD",
        "C$": "CAD", "CA$": "CAD", "CAN$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
        "HK$": "HKD", "S$": "SGD", "R$": "BRL", "MX$": "MXN", "NT$": "TWD",
        "€": "EUR", "£": "GBP", "¥": "JPY", "JP¥": "JPY", "CN¥": "CNY", "RMB": "CNY", "₹": "INR",
        "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "CHF": "CHF", "Fr.": "CHF", "SFr.": "CHF",
    },
    currency_suffixes={
        **{c: c for c in _CODES},
        "$": "USD", "US$": "USD", "$US": "USD", "$ US": "USD", "$CA": "CAD", "$ CA": "CAD",
        "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "RMB": "CNY",
    },
    scales={"bn": "billion", "bln": "billion", "mn": "million", "mln": "million", "tn": "trillion",
            "trn": "trillion", "tr": "trillion"},
    letter_scales={"B": "billion", "b": "billion", "M": "million", "m": "million", "K": "thousand",
                   "k": "thousand", "T": "trillion"},
    percent=("%", "％"),
    units={"GW": "GW", "MW": "MW"},
    dashes=("-", "–", "—", "‒", "−"),
)

_EN_NUMBERS = {w: Decimal(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_NUMBERS.update({"a": Decimal(1), "an": Decimal(1), "thirty": Decimal(30), "forty": Decimal(40),
                    "fifty": Decimal(50), "sixty": Decimal(60), "seventy": Decimal(70), "eighty": Decimal(80),
                    "ninety": Decimal(90), "a hundred": Decimal(100), "one hundred": Decimal(100),
                    "a thousand": Decimal(1000), "half a": Decimal("0.5"), "a half": Decimal("0.5"),
                    "a dozen": Decimal(12)})

EN = Language(
    code="en",
    decimal_mark=".",
    scales={"thousand": "thousand", "million": "million", "millions": "million", "billion": "billion",
            "billions": "billion", "trillion": "trillion", "trillions": "trillion"},
    numbers=_EN_NUMBERS,
    currencies={"dollars": "USD", "dollar": "USD", "US dollars": "USD", "U.S. dollars": "USD",
                "American dollars": "USD", "Canadian dollars": "CAD", "Australian dollars": "AUD",
                "Hong Kong dollars": "HKD", "Singapore dollars": "SGD", "euros": "EUR", "euro": "EUR",
                "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP", "yen": "JPY",
                "yuan": "CNY", "renminbi": "CNY", "Swiss francs": "CHF", "francs": "CHF", "rupees": "INR",
                "won": "KRW", "riyals": "SAR", "dirhams": "AED"},
    of=("of", "in"),
    qualifiers={"nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
                "just shy of": "nearly", "about": "about", "around": "about", "roughly": "about",
                "approximately": "about", "approx.": "about", "some": "about", "an estimated": "about",
                "circa": "about", "c.": "about", "more than": "more_than", "over": "more_than",
                "above": "more_than", "in excess of": "more_than", "upwards of": "more_than",
                "at least": "more_than", "just over": "more_than", "exceeding": "more_than",
                "exceeds": "more_than", "exceed": "more_than", "north of": "more_than",
                "up to": "up_to", "as much as": "up_to", "as many as": "up_to", "as high as": "up_to",
                "less than": "up_to", "under": "up_to", "below": "up_to", "at most": "up_to",
                "no more than": "up_to", "potentially": "up_to", "could reach": "up_to"},
    articles=("the", "a", "an"),
    between=("between",),
    and_=("and",),
    to=("to",),
    periods={"a year": "year", "per year": "year", "each year": "year", "every year": "year",
             "per annum": "year", "annually": "year", "a yr": "year", "/year": "year", "/yr": "year",
             "yearly": "year", "a month": "month", "per month": "month", "monthly": "month",
             "/month": "month", "a quarter": "quarter", "per quarter": "quarter", "quarterly": "quarter",
             "per share": "share", "a share": "share", "/share": "share"},
    term_before=("over the next", "over the coming", "over the following", "over", "across", "in the next",
                 "within", "spread over", "for"),
    years=("years", "year", "yrs"),
    term_months=("months", "month"),
    percent=("per cent", "percent", "pct"),
    points=("percentage points", "percentage point"),
    fractions={"a quarter": Decimal(25), "one quarter": Decimal(25), "half": Decimal(50),
               "one half": Decimal(50), "three quarters": Decimal(75)},
    fraction_of=("of",),
    units={"gigawatts": "GW", "gigawatt": "GW", "megawatts": "MW", "megawatt": "MW"},
    months={"January": 1, "Jan.": 1, "Jan": 1, "February": 2, "Feb.": 2, "Feb": 2, "March": 3, "Mar.": 3,
            "April": 4, "Apr.": 4, "May": 5, "June": 6, "July": 7, "August": 8, "Aug.": 8, "September": 9,
            "Sept.": 9, "Sep.": 9, "Sept": 9, "October": 10, "Oct.": 10, "Oct": 10, "November": 11, "Nov.": 11,
            "Nov": 11, "December": 12, "Dec.": 12, "Dec": 12},
    date_of=("of",),
    ordinals=("st", "nd", "rd", "th"),
    quarters={"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4},
    quarter_words=("quarter",),
    part_ordinals={"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                   "eighth": 8, "ninth": 9, "tenth": 10},
    tranche_nouns=("tranche", "tranches", "instalment", "instalments", "installment", "installments"),
    cues=(
        # equity investment: "Nvidia invests $5 billion in OpenAI"; passives and nouns that name
        # the investor after the investee ("backed by", "funding from") swap the roles
        Cue("invest* ~ in", "equity_investment", "investor", "investee", alone="spending_commitment"),
        Cue("investment* by @ in", "equity_investment", None, "investee", slot_role="investor"),
        # "back" and "fund" only as verbs: "back out", "funds from", "funding model" say no deal
        Cue("backs", "equity_investment", "investor", "investee"),
        Cue("backed", "equity_investment", "investor", "investee"),
        Cue("funded", "equity_investment", "investor", "investee"),
        Cue("led ~ round in", "equity_investment", "investor", "investee"),
        # "raised $1.38 billion in a round led by Mubadala": the round's lead is an investor
        Cue("round* ~ led by", "equity_investment", "investee", "investor"),
        Cue("funded by", "equity_investment", "investee", "investor"),
        Cue("backed by", "equity_investment", "investee", "investor"),
        Cue("supported by", "equity_investment", "investee", "investor"),
        Cue("funding from", "equity_investment", "investee", "investor"),
        Cue("backing from", "equity_investment", "investee", "investor"),
        Cue("raise* ~ from", "equity_investment", "investee", "investor"),
        Cue("investment* ~ from", "equity_investment", "investee", "investor"),
        Cue("own* ~ stake in", "equity_stake", "owner", "owned"),
        Cue("hold* ~ stake in", "equity_stake", "owner", "owned"),
        Cue("take* ~ stake in", "equity_stake", "owner", "owned"),
        Cue("took ~ stake in", "equity_stake", "owner", "owned"),
        Cue("acquire* ~ stake in", "equity_stake", "owner", "owned"),
        Cue("stake in", "equity_stake", "owner", "owned"),
        Cue("own* ~ of", "equity_stake", "owner", "owned"),
        Cue("shareholder* in", "equity_stake", "owner", "owned"),
        Cue("shareholder* of", "equity_stake", "owner", "owned"),
        Cue("acquired by", "equity_stake", "owned", "owner"),
        Cue("buy* ~ from", "hardware_purchase", "buyer", "seller"),
        Cue("purchas* ~ from", "hardware_purchase", "buyer", "seller"),
        Cue("order* ~ from", "hardware_purchase", "buyer", "seller"),
        Cue("bought ~ from", "hardware_purchase", "buyer", "seller"),
        Cue("sell* ~ to", "hardware_purchase", "seller", "buyer"),
        Cue("sold ~ to", "hardware_purchase", "seller", "buyer"),
        Cue("supplie* ~ to", "hardware_purchase", "seller", "buyer"),
        Cue("supply*", "hardware_purchase", "seller", "buyer"),
        Cue("supplie*", "hardware_purchase", "seller", "buyer"),
        Cue("provide* ~ to", "compute_contract", "supplier", "customer"),
        Cue("provide*", "compute_contract", "supplier", "customer"),
        Cue("customer of", "compute_contract", "customer", "supplier"),
        Cue("client of", "compute_contract", "customer", "supplier"),
        Cue("contract* ~ with", "compute_contract", "customer", "supplier"),
        Cue("agreement* ~ with", "compute_contract", "customer", "supplier"),
        Cue("rent* ~ from", "lease", "lessee", "lessor"),
        Cue("rent* back ~ from", "lease", "lessee", "lessor"),
        Cue("lease* ~ from", "lease", "lessee", "lessor"),
        Cue("lease* ~ to", "lease", "lessor", "lessee"),
        Cue("rent* ~ to", "lease", "lessor", "lessee"),
        Cue("lend* ~ to", "loan", "lender", "borrower"),
        Cue("lent ~ to", "loan", "lender", "borrower"),
        Cue("lent", "loan", "lender", "borrower"),
        Cue("loan* ~ to", "loan", "lender", "borrower"),
        Cue("borrow* ~ from", "loan", "borrower", "lender"),
        Cue("loan* ~ from", "loan", "borrower", "lender"),
        Cue("credit facility ~ from", "loan", "borrower", "lender"),
        Cue("commit* to spend*", "spending_commitment", "spender", None),
        Cue("plan* to spend*", "spending_commitment", "spender", None),
        Cue("spend* ~ on", "spending_commitment", "spender", None),
        Cue("capital expenditure*", "spending_commitment", "spender", None),
        Cue("capex", "spending_commitment", "spender", None),
        Cue("warrant* to", "warrant", "issuer", "holder"),
        Cue("warrant* in", "warrant", "holder", "issuer"),
        Cue("warrant*", "warrant", "issuer", "holder"),
        Cue("grant* @ ~ warrant*", "warrant", "issuer", None, slot_role="holder"),
        Cue("backstop*", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("buy* ~ unsold capacity", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("guarantee* to buy", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("initial public offering", "ipo", "issuer", None),
        Cue("IPO", "ipo", "issuer", None),
        Cue("go* public", "ipo", "issuer", None),
        Cue("went public", "ipo", "issuer", None),
        Cue("listing", "ipo", "issuer", None),
        # "62% of CoreWeave's revenue came from Microsoft"; "Microsoft accounted for 58% of
        # Lumen's revenue": a customer's share of its supplier's revenue
        Cue("revenue* ~ came from", "revenue_share", "supplier", "customer"),
        Cue("revenue* ~ come* from", "revenue_share", "supplier", "customer"),
        Cue("sales ~ came from", "revenue_share", "supplier", "customer"),
        Cue("account* for ~ of", "revenue_share", "customer", "supplier"),
        Cue("represent* ~ of", "revenue_share", "customer", "supplier"),
    ),
    # "backs out", "backed away": a withdrawal, not an investment
    not_cues=("back* out", "back* away", "back* off"),
    passive_agents=("by",),
    modality={"expected": ("will", "would", "could", "may", "might", "plans to", "planned", "plan to", "expect*",
                           "is set to", "are set to", "intends to", "is to", "aims to", "proposed", "potential*",
                           "in talks", "considering", "forecast*", "projected"),
              "target": ("hope*", "seek*", "aiming for", "target*", "wants to"),
              "denied": ("denied", "denies", "deny", "rejected", "dismissed")},
    status={"signed": ("signed", "signs", "sign", "agreed", "struck", "inked", "sealed"),
            # an exercised warrant is money that moved (kinds.py: warrant's stage_overrides)
            "completed": ("completed", "closed", "bought", "acquired", "purchased", "raised", "went public",
                          "exercised"),
            "announced": ("announc*", "unveil*", "plans to", "will"),
            "withdrawn": ("withdr*", "walked away", "pulled out", "backed out", "cancel*", "dropped"),
            # a vested warrant may be exercised now: running, not yet paid
            "active": ("remains", "still", "ongoing", "continues", "vested")},
    counted={"shares": "shares", "share": "shares", "users": None, "customers": None, "subscribers": None,
             "employees": None, "jobs": None, "workers": None, "people": None, "GPUs": None, "GPU": None,
             "chips": None, "processors": None, "accelerators": None, "servers": None, "units": None,
             "devices": None, "parameters": None, "tokens": None, "downloads": None, "homes": None,
             "barrels": None, "tonnes": None, "tons": None, "square feet": None, "square metres": None},
    speech_verbs=("said", "says", "told", "added", "wrote", "according to"),
    place_prepositions=("in", "at", "near", "outside", "based in", "across"),
    descriptive_nouns=("utility", "chipmaker", "maker", "provider", "supplier", "operator", "developer", "lab",
                       "bank", "lender", "insurer", "retailer", "carmaker", "automaker", "manufacturer",
                       "designer", "startup", "start-up", "giant", "landlord", "fund", "investor", "miner",
                       "hyperscaler", "neocloud", "telecom", "carrier", "broadcaster", "publisher"),
    anaphora=("it", "the company", "the firm", "the group", "the startup", "the start-up", "the ~ company",
              "the ~ firm", "the ~ group", "the ~ startup", "the ~ start-up", "the ~ maker", "the chipmaker",
              "the ~ giant", "the ~ provider", "the ~ developer", "the ~ operator", "the ~ manager",
              "the lab", "the ~ lab", "the utility", "the bank", "the lender", "the supplier", "the manufacturer"),
)

_FR_NUMBERS = {w: Decimal(i + 1) for i, w in enumerate(
    "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split())}
_FR_NUMBERS.update({"une": Decimal(1), "vingt": Decimal(20), "trente": Decimal(30), "quarante": Decimal(40),
                    "cinquante": Decimal(50), "soixante": Decimal(60), "cent": Decimal(100),
                    "mille": Decimal(1000), "un demi": Decimal("0.5"), "une dizaine de": Decimal(10),
                    "une centaine de": Decimal(100)})

FR = Language(
    code="fr",
    decimal_mark=",",
    # "billion" is 10¹² in French; "milliard" is 10⁹
    scales={"mille": "thousand", "million": "million", "millions": "million", "milliard": "billion",
            "milliards": "billion", "Md": "billion", "Mds": "billion", "Mrd": "billion", "Mrds": "billion",
            "Mdr": "billion", "billion": "trillion", "billions": "trillion", "Mio": "million"},
    numbers=_FR_NUMBERS,
    currencies={"dollars": "USD", "dollar": "USD", "dollars américains": "USD", "dollars US": "USD",
                "dollars des États-Unis": "USD", "dollars canadiens": "CAD", "dollars australiens": "AUD",
                "euros": "EUR", "euro": "EUR", "livres sterling": "GBP", "livres": "GBP", "livre sterling": "GBP",
                "yens": "JPY", "yen": "JPY", "yuans": "CNY", "yuan": "CNY", "francs suisses": "CHF",
                "francs": "CHF", "franc suisse": "CHF", "roupies": "INR", "wons": "KRW"},
    of=("de", "d'"),
    qualifiers={"près de": "nearly", "presque": "nearly", "quasiment": "nearly", "quasi": "nearly",
                "pas loin de": "nearly", "un peu moins de": "nearly", "environ": "about", "autour de": "about",
                "quelque": "about", "quelques": "about", "approximativement": "about", "à peu près": "about",
                "de l'ordre de": "about", "aux alentours de": "about", "dans les": "about", "env.": "about",
                "plus de": "more_than", "au moins": "more_than", "au-delà de": "more_than", "dépassant": "more_than",
                "dépasse": "more_than", "dépassent": "more_than", "supérieur à": "more_than",
                "supérieure à": "more_than", "un peu plus de": "more_than", "pas moins de": "more_than",
                "jusqu'à": "up_to", "moins de": "up_to", "au plus": "up_to", "au maximum": "up_to",
                "pourrait atteindre": "up_to", "pouvant atteindre": "up_to", "potentiellement": "up_to",
                "inférieur à": "up_to", "pas plus de": "up_to",
                "un maximum de": "up_to"},
    articles=("les", "le", "la", "l'", "un", "une", "des"),
    between=("entre",),
    and_=("et",),
    to=("à",),
    periods={"par an": "year", "par année": "year", "l'an": "year", "chaque année": "year", "annuels": "year",
             "annuellement": "year", "par mois": "month", "mensuels": "month", "par trimestre": "quarter",
             "trimestriels": "quarter",
             "par action": "share", "l'action": "share"},
    term_before=("sur les prochaines", "sur les", "sur", "en", "d'ici", "au cours des prochaines",
                 "au cours des", "dans les"),
    years=("ans", "années", "an"),
    term_months=("mois",),
    percent=("pour cent", "pour-cent", "pourcent", "pc"),
    points=("points de pourcentage", "point de pourcentage"),
    fractions={"un quart": Decimal(25), "la moitié": Decimal(50), "trois quarts": Decimal(75)},
    fraction_of=("de", "du", "des", "d'"),
    units={"gigawatts": "GW", "gigawatt": "GW", "mégawatts": "MW", "mégawatt": "MW", "megawatts": "MW"},
    months={"janvier": 1, "janv.": 1, "février": 2, "fevrier": 2, "févr.": 2, "mars": 3, "avril": 4, "avr.": 4,
            "mai": 5, "juin": 6, "juillet": 7, "juil.": 7, "août": 8, "aout": 8, "septembre": 9, "sept.": 9,
            "octobre": 10, "oct.": 10, "novembre": 11, "nov.": 11, "décembre": 12, "decembre": 12, "déc.": 12},
    date_of=(),
    ordinals=("er", "ᵉʳ"),
    quarters={"premier": 1, "deuxième": 2, "second": 2, "troisième": 3, "quatrième": 4},
    quarter_words=("trimestre",),
    part_ordinals={"premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3,
                   "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9,
                   "dixième": 10},
    tranche_nouns=("tranche", "tranches", "versement", "versements"),
    cues=(
        Cue("invest* ~ dans", "equity_investment", "investor", "investee", alone="spending_commitment"),
        # "l'investissement d'OpenAI dans CoreWeave": the investor is named inside the cue
        Cue("investissement* d' @ dans", "equity_investment", None, "investee", slot_role="investor"),
        Cue("investissement* de @ dans", "equity_investment", None, "investee", slot_role="investor"),
        Cue("financ* par", "equity_investment", "investee", "investor"),
        Cue("soutenu* par", "equity_investment", "investee", "investor"),
        Cue("lev* ~ auprès de", "equity_investment", "investee", "investor"),
        Cue("tour de table ~ mené* par", "equity_investment", "investee", "investor"),
        Cue("levée de fonds ~ mené* par", "equity_investment", "investee", "investor"),
        Cue("détien* ~ participation ~ dans", "equity_stake", "owner", "owned"),
        Cue("détien* ~ du capital de", "equity_stake", "owner", "owned"),
        Cue("possède* ~ de", "equity_stake", "owner", "owned"),
        Cue("particip* ~ dans", "equity_stake", "owner", "owned"),
        Cue("prend* ~ participation", "equity_stake", "owner", "owned"),
        Cue("pris ~ participation", "equity_stake", "owner", "owned"),
        Cue("acquier* ~ participation", "equity_stake", "owner", "owned"),
        Cue("actionnaire* de", "equity_stake", "owner", "owned"),
        Cue("racheté* par", "equity_stake", "owned", "owner"),
        Cue("achèt* ~ à", "hardware_purchase", "buyer", "seller"),
        Cue("achet* ~ auprès de", "hardware_purchase", "buyer", "seller"),
        Cue("acquis ~ auprès de", "hardware_purchase", "buyer", "seller"),
        Cue("command* ~ à", "hardware_purchase", "buyer", "seller"),
        Cue("vend* ~ à", "hardware_purchase", "seller", "buyer"),
        Cue("fourni* ~ à", "hardware_purchase", "seller", "buyer"),
        Cue("fourni*", "hardware_purchase", "seller", "buyer"),
        Cue("livr* ~ à", "hardware_purchase", "seller", "buyer"),
        Cue("client* de", "compute_contract", "customer", "supplier"),
        Cue("contrat* ~ avec", "compute_contract", "customer", "supplier"),
        Cue("accord* ~ avec", "compute_contract", "customer", "supplier"),
        # "a signé avec Fluidstack un contrat": the other party before the contract
        Cue("sign* avec @ ~ contrat*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("conclu* avec @ ~ contrat*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("conclu* avec @ ~ accord*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("lou* ~ à", "lease", "lessee", "lessor"),
        Cue("lou* ~ auprès de", "lease", "lessee", "lessor"),
        Cue("reloue* ~ à", "lease", "lessee", "lessor"),
        Cue("prend* en location", "lease", "lessee", "lessor"),
        Cue("bail", "lease", "lessee", "lessor"),
        Cue("prêt* ~ à", "loan", "lender", "borrower"),
        Cue("prête*", "loan", "lender", "borrower"),
        Cue("emprunt* ~ auprès de", "loan", "borrower", "lender"),
        Cue("prêts ~ de", "loan", "borrower", "lender"),
        Cue("prêt ~ de", "loan", "borrower", "lender"),
        Cue("s'engage* à dépenser", "spending_commitment", "spender", None),
        Cue("prévoi* de dépenser", "spending_commitment", "spender", None),
        Cue("dépenser ~ dans", "spending_commitment", "spender", None),
        Cue("dépenses d'investissement", "spending_commitment", "spender", None),
        Cue("bons de souscription", "warrant", "issuer", "holder"),
        Cue("warrant*", "warrant", "issuer", "holder"),
        Cue("accord* à @ ~ bons de souscription", "warrant", "issuer", None, slot_role="holder"),
        Cue("garanti* l'achat", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("capacités invendues", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("filet de sécurité", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("introduction en bourse", "ipo", "issuer", None),
        Cue("IPO", "ipo", "issuer", None),
        Cue("entr* en bourse", "ipo", "issuer", None),
        Cue("cotation", "ipo", "issuer", None),
        Cue("revenus ~ provien* de", "revenue_share", "supplier", "customer"),
        Cue("chiffre d'affaires ~ provien* de", "revenue_share", "supplier", "customer"),
        Cue("revenus d' @ ~ provien* de", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("revenus de @ ~ provien* de", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("représent* ~ du chiffre d'affaires d*", "revenue_share", "customer", "supplier"),
        Cue("représent* ~ des revenus d*", "revenue_share", "customer", "supplier"),
    ),
    # "livraison" is a noun, "vendredi" a day, "prêt à" is "ready to": not the cues they look like
    not_cues=("livraison*", "vendredi*", "prêt à", "prête à", "prêts à", "prêtes à", "fournisseur*"),
    passive_agents=("par",),
    modality={"expected": ("pourrait", "pourraient", "devrait", "devraient", "va", "vont", "prévoit", "prévu*",
                           "envisage*", "compte", "projet*", "attendu*", "serait", "seraient", "*era", "*eront",
                           "*ira", "*iront"),
              "target": ("espoir*", "espère*", "vise*", "ambitionne*", "objectif"),
              "denied": ("dément*", "démenti", "nié", "nie", "rejeté*")},
    status={"signed": ("signé*", "signe", "conclu*", "scellé*"),
            "completed": ("finalisé*", "achevé*", "acquis", "acheté*", "levé*", "devenue publique", "exercé*"),
            "announced": ("annonc*", "dévoil*"),
            "withdrawn": ("retir*", "retrait", "abandon*", "annulé*", "renonc*"),
            "active": ("reste", "toujours", "en cours", "continue", "exerçable*")},
    counted={"actions": "shares", "action": "shares", "titres": "shares", "utilisateurs": None, "clients": None,
             "abonnés": None, "salariés": None, "employés": None, "emplois": None, "postes": None, "puces": None,
             "GPU": None, "processeurs": None, "accélérateurs": None, "serveurs": None, "unités": None,
             "paramètres": None, "jetons": None, "foyers": None, "barils": None, "tonnes": None,
             "mètres carrés": None},
    speech_verbs=("a déclaré", "a affirmé", "a indiqué", "a expliqué", "a ajouté", "déclare", "affirme", "explique", "selon"),
    place_prepositions=("à", "en", "dans", "près de", "au", "aux", "depuis"),
    descriptive_nouns=("fournisseur", "fabricant", "opérateur", "éditeur", "électricien", "énergéticien",
                       "équipementier", "constructeur", "développeur", "banque", "assureur", "distributeur",
                       "hébergeur", "start-up", "jeune pousse", "géant", "fonds", "investisseur",
                       "spécialiste", "concepteur", "laboratoire", "bailleur", "foncière"),
    anaphora=("elle", "il", "la société", "l'entreprise", "le groupe", "la start-up", "la jeune pousse",
              "le ~ groupe", "la ~ société", "le géant", "le fabricant", "le fournisseur",
              "le spécialiste", "l'éditeur", "celle-ci", "celui-ci"),
)

_IT_NUMBERS = {w: Decimal(i + 1) for i, w in enumerate(
    "uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici".split())}
_IT_NUMBERS.update({"un": Decimal(1), "una": Decimal(1), "venti": Decimal(20), "trenta": Decimal(30),
                    "quaranta": Decimal(40), "cinquanta": Decimal(50), "cento": Decimal(100),
                    "mille": Decimal(1000), "mezzo": Decimal("0.5"), "una decina di": Decimal(10)})

IT = Language(
    code="it",
    decimal_mark=",",
    # "bilione" is 10¹² in Italian
    scales={"mila": "thousand", "milione": "million", "milioni": "million", "mln": "million", "mio": "million",
            "miliardo": "billion", "miliardi": "billion", "mld": "billion", "mlrd": "billion", "mrd": "billion",
            "bilione": "trillion", "bilioni": "trillion"},
    numbers=_IT_NUMBERS,
    currencies={"dollari": "USD", "dollaro": "USD", "dollari statunitensi": "USD", "dollari americani": "USD",
                "dollari USA": "USD", "dollari Usa": "USD", "dollari canadesi": "CAD", "dollari australiani": "AUD",
                "euro": "EUR", "sterline": "GBP", "sterlina": "GBP", "sterline britanniche": "GBP",
                "lire sterline": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
                "franchi svizzeri": "CHF", "franchi": "CHF", "rupie": "INR"},
    of=("di", "d'"),
    qualifiers={"quasi": "nearly", "poco meno di": "nearly", "circa": "about", "intorno a": "about",
                "intorno ai": "about", "attorno ai": "about", "approssimativamente": "about",
                "all'incirca": "about", "qualche": "about", "nell'ordine di": "about", "sui": "about",
                "oltre": "more_than", "più di": "more_than", "almeno": "more_than", "superiore a": "more_than",
                "superiori a": "more_than", "superano": "more_than", "supera": "more_than",
                "superando": "more_than", "superare": "more_than", "oltrepassano": "more_than",
                "poco più di": "more_than", "ben": "more_than", "fino a": "up_to", "fino ad": "up_to",
                "meno di": "up_to", "al massimo": "up_to", "potenzialmente": "up_to",
                "potrebbe raggiungere": "up_to", "inferiore a": "up_to", "un massimo di": "up_to"},
    articles=("i", "il", "gli", "lo", "la", "le", "l'", "un", "una", "dei", "degli"),
    between=("tra", "fra"),
    and_=("e",),
    to=("a",),
    periods={"all'anno": "year", "l'anno": "year", "ogni anno": "year", "annui": "year", "annue": "year",
             "annuali": "year", "per anno": "year", "al mese": "month", "mensili": "month",
             "al trimestre": "quarter", "a trimestre": "quarter", "ogni trimestre": "quarter",
             "trimestrali": "quarter", "ogni mese": "month", "per azione": "share", "ad azione": "share",
             "l'azione": "share"},
    term_before=("nei prossimi", "nell'arco di", "in", "entro", "su", "per"),
    years=("anni", "anno"),
    term_months=("mesi", "mese"),
    percent=("per cento", "percento", "per-cento"),
    points=("punti percentuali", "punto percentuale"),
    fractions={"un quarto": Decimal(25), "la metà": Decimal(50), "tre quarti": Decimal(75)},
    fraction_of=("di", "del", "dei", "della", "delle", "degli", "d'"),
    units={"gigawatt": "GW", "megawatt": "MW"},
    months={"gennaio": 1, "genn.": 1, "febbraio": 2, "febbr.": 2, "marzo": 3, "aprile": 4, "maggio": 5,
            "giugno": 6, "luglio": 7, "agosto": 8, "settembre": 9, "sett.": 9, "ottobre": 10, "ott.": 10,
            "novembre": 11, "nov.": 11, "dicembre": 12, "dic.": 12},
    date_of=("del",),
    ordinals=("°", "º"),
    quarters={"primo": 1, "secondo": 2, "terzo": 3, "quarto": 4},
    quarter_words=("trimestre",),
    part_ordinals={"primo": 1, "prima": 1, "secondo": 2, "seconda": 2, "terzo": 3, "terza": 3, "quarto": 4,
                   "quarta": 4, "quinto": 5, "quinta": 5, "sesto": 6, "sesta": 6, "settimo": 7, "settima": 7,
                   "ottavo": 8, "ottava": 8, "nono": 9, "nona": 9, "decimo": 10, "decima": 10},
    # "tranche" is invariable in Italian ("tre tranche"); "rata" a payment in instalments
    tranche_nouns=("tranche", "rata", "rate"),
    cues=(
        Cue("invest* ~ in", "equity_investment", "investor", "investee", alone="spending_commitment"),
        Cue("investiment* di @ in", "equity_investment", None, "investee", slot_role="investor"),
        Cue("finanziat* da", "equity_investment", "investee", "investor"),
        Cue("sostenut* da", "equity_investment", "investee", "investor"),
        Cue("raccolt* ~ da", "equity_investment", "investee", "investor"),
        Cue("round ~ guidat* da", "equity_investment", "investee", "investor"),
        Cue("partecipazione ~ in", "equity_stake", "owner", "owned"),
        Cue("partecipazione azionaria", "equity_stake", "owner", "owned"),
        Cue("possied* ~ di", "equity_stake", "owner", "owned"),
        Cue("detien* ~ di", "equity_stake", "owner", "owned"),
        Cue("azionist* di", "equity_stake", "owner", "owned"),
        Cue("acquisit* da", "equity_stake", "owned", "owner"),
        Cue("acquist* ~ da", "hardware_purchase", "buyer", "seller"),
        Cue("compr* ~ da", "hardware_purchase", "buyer", "seller"),
        Cue("ordin* ~ a", "hardware_purchase", "buyer", "seller"),
        Cue("vend* ~ a", "hardware_purchase", "seller", "buyer"),
        Cue("fornir* ~ a", "hardware_purchase", "seller", "buyer"),
        Cue("fornisc* ~ a", "hardware_purchase", "seller", "buyer"),
        Cue("fornir*", "hardware_purchase", "seller", "buyer"),
        Cue("fornisc*", "hardware_purchase", "seller", "buyer"),
        Cue("fornitore di", "compute_contract", "supplier", "customer"),
        Cue("cliente di", "compute_contract", "customer", "supplier"),
        Cue("contratt* ~ con", "compute_contract", "customer", "supplier"),
        Cue("accord* ~ con", "compute_contract", "customer", "supplier"),
        Cue("affid* a", "compute_contract", "customer", "supplier"),
        # "ha firmato con la britannica Nscale un contratto": the other party before the contract
        Cue("firm* con @ ~ contratt*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("siglat* con @ ~ contratt*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("firm* con @ ~ accord*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("affitt* ~ da", "lease", "lessee", "lessor"),
        Cue("noleggi* ~ da", "lease", "lessee", "lessor"),
        Cue("locazione", "lease", "lessee", "lessor"),
        Cue("leasing", "lease", "lessee", "lessor"),
        Cue("prest* ~ a", "loan", "lender", "borrower"),
        Cue("prestit* ~ da", "loan", "borrower", "lender"),
        Cue("finanziamento ~ da", "loan", "borrower", "lender"),
        Cue("si impegn* a spendere", "spending_commitment", "spender", None),
        Cue("prevede di spendere", "spending_commitment", "spender", None),
        Cue("spender* ~ in", "spending_commitment", "spender", None),
        Cue("spese in conto capitale", "spending_commitment", "spender", None),
        Cue("warrant", "warrant", "issuer", "holder"),
        Cue("conce* a @ ~ warrant", "warrant", "issuer", None, slot_role="holder"),
        Cue("capacità ~ non vendut*", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("garanti* l'acquisto", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("offerta pubblica iniziale", "ipo", "issuer", None),
        Cue("quotazione in borsa", "ipo", "issuer", None),
        Cue("IPO", "ipo", "issuer", None),
        Cue("sbarc* in borsa", "ipo", "issuer", None),
        # "il 62% del fatturato di CoreWeave è arrivato da Microsoft": the supplier inside the cue
        Cue("ricav* ~ di @ ~ proven* da", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("ricav* ~ di @ ~ prover* da", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("ricav* ~ di @ ~ arrivat* da", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("fatturato ~ di @ ~ proven* da", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("fatturato ~ di @ ~ prover* da", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("fatturato ~ di @ ~ arrivat* da", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("rappresent* ~ del fatturato di", "revenue_share", "customer", "supplier"),
        Cue("rappresent* ~ dei ricavi di", "revenue_share", "customer", "supplier"),
    ),
    # "venerdì" is a day, "prestigio" and "prestazioni" no loans, "compromess*" no purchase
    not_cues=("venerdì", "prestigi*", "prestazion*", "comprens*", "compromess*"),
    passive_agents=("da", "dal", "dalla", "dallo", "dai", "dagli", "dalle"),
    modality={"expected": ("potrebbe", "potrebbero", "dovrebbe", "dovrebbero", "prevede", "previst*",
                           "pianifica*", "intende", "intenzionat*", "piano di", "*rà", "*ranno", "sarebbe",
                           "atteso", "attesa"),
              "target": ("spera*", "speranz*", "punta a", "obiettivo", "mira a"),
              "denied": ("smentit*", "smentisce", "nega*", "respint*")},
    status={"signed": ("firmat*", "firma", "siglat*", "stipulat*", "concluso"),
            "completed": ("completat*", "acquistat*", "acquisit*", "raccolt*", "chiuso", "esercitat*"),
            "announced": ("annunciat*", "annuncia*", "presentat*"),
            "withdrawn": ("ritirat*", "ritiro", "abbandonat*", "annullat*", "rinunciat*"),
            "active": ("rimane", "rimaneva", "ancora", "in corso", "continua", "esercitabil*", "vested")},
    counted={"azioni": "shares", "azione": "shares", "titoli": "shares", "utenti": None, "clienti": None,
             "abbonati": None, "dipendenti": None, "posti": None, "lavoratori": None, "chip": None, "GPU": None,
             "processori": None, "acceleratori": None, "server": None, "unità": None, "parametri": None,
             "token": None, "famiglie": None, "barili": None, "tonnellate": None, "metri quadrati": None},
    speech_verbs=("ha detto", "ha dichiarato", "ha affermato", "ha spiegato", "ha aggiunto", "dice", "afferma", "secondo"),
    place_prepositions=("a", "in", "nel", "nella", "presso", "vicino a"),
    descriptive_nouns=("fornitore", "produttore", "operatore", "sviluppatore", "banca", "assicuratore",
                       "colosso", "gigante", "startup", "start-up", "fondo", "investitore", "utility",
                       "costruttore", "laboratorio", "locatore", "specialista"),
    anaphora=("quest'ultima", "quest'ultimo", "la società", "l'azienda", "il gruppo", "la startup",
              "la start-up", "il colosso", "il produttore", "il fornitore",
              "il gigante", "essa"),
)

_DE_NUMBERS = {w: Decimal(i + 1) for i, w in enumerate(
    "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf".split())}
_DE_NUMBERS.update({"ein": Decimal(1), "eine": Decimal(1), "einer": Decimal(1), "zwanzig": Decimal(20),
                    "dreißig": Decimal(30), "fünfzig": Decimal(50), "hundert": Decimal(100),
                    "tausend": Decimal(1000), "einhundert": Decimal(100), "eintausend": Decimal(1000),
                    "einer halben": Decimal("0.5"), "eine halbe": Decimal("0.5")})

DE = Language(
    code="de",
    decimal_mark=",",
    # "Billion" is 10¹² in German; "Milliarde" is 10⁹
    scales={"Tausend": "thousand", "Tsd.": "thousand", "Tsd": "thousand", "Million": "million",
            "Millionen": "million", "Mio.": "million", "Mio": "million", "Milliarde": "billion",
            "Milliarden": "billion", "Mrd.": "billion", "Mrd": "billion", "Mia.": "billion", "Mia": "billion",
            "Billion": "trillion", "Billionen": "trillion", "Bio.": "trillion"},
    numbers=_DE_NUMBERS,
    currencies={"US-Dollar": "USD", "US-Dollars": "USD", "US Dollar": "USD", "Dollar": "USD", "Dollars": "USD",
                "amerikanische Dollar": "USD", "kanadische Dollar": "CAD", "australische Dollar": "AUD",
                "Euro": "EUR", "Euros": "EUR", "britische Pfund": "GBP", "Pfund Sterling": "GBP", "Pfund": "GBP",
                "Yen": "JPY", "Yuan": "CNY", "Renminbi": "CNY", "Schweizer Franken": "CHF", "Franken": "CHF",
                "Rupien": "INR"},
    of=(),
    qualifiers={"fast": "nearly", "beinahe": "nearly", "knapp": "nearly", "nahezu": "nearly",
                "annähernd": "nearly", "etwa": "about", "rund": "about", "ungefähr": "about", "ca.": "about",
                "circa": "about", "zirka": "about", "gut": "more_than", "schätzungsweise": "about",
                "mehr als": "more_than", "über": "more_than", "mindestens": "more_than", "knapp über": "more_than",
                "weit über": "more_than", "gut über": "more_than", "übersteigt": "more_than",
                "bis zu": "up_to", "höchstens": "up_to", "weniger als": "up_to", "unter": "up_to",
                "maximal": "up_to", "potenziell": "up_to", "möglicherweise": "up_to"},
    articles=("die", "der", "den", "dem", "das", "ein", "eine", "einen", "einem"),
    between=("zwischen",),
    and_=("und",),
    to=("bis",),
    periods={"pro Jahr": "year", "im Jahr": "year", "jährlich": "year", "jedes Jahr": "year", "per annum": "year",
             "p.a.": "year", "jährliche": "year", "pro Monat": "month", "im Monat": "month", "monatlich": "month",
             "vierteljährlich": "quarter",
             "pro Quartal": "quarter", "im Quartal": "quarter", "je Aktie": "share", "pro Aktie": "share"},
    term_before=("in den nächsten", "über die nächsten", "über", "in", "binnen", "innerhalb von"),
    years=("Jahren", "Jahre", "Jahr"),
    term_months=("Monaten", "Monate", "Monat"),
    percent=("Prozent", "v. H.", "vH"),
    points=("Prozentpunkte", "Prozentpunkten", "Prozentpunkt"),
    fractions={"ein Viertel": Decimal(25), "die Hälfte": Decimal(50), "drei Viertel": Decimal(75)},
    fraction_of=("der", "des", "von"),
    units={"Gigawatt": "GW", "Megawatt": "MW"},
    months={"Januar": 1, "Jänner": 1, "Jan.": 1, "Februar": 2, "Feber": 2, "Feb.": 2, "März": 3, "Maerz": 3,
            "April": 4, "Apr.": 4, "Mai": 5, "Juni": 6, "Juli": 7, "August": 8, "Aug.": 8, "September": 9,
            "Sept.": 9, "Sep.": 9, "Oktober": 10, "Okt.": 10, "November": 11, "Nov.": 11, "Dezember": 12,
            "Dez.": 12},
    date_of=(),
    ordinals=(".",),
    quarters={"ersten": 1, "zweiten": 2, "dritten": 3, "vierten": 4, "erste": 1, "zweite": 2, "dritte": 3,
              "vierte": 4},
    quarter_words=("Quartal", "Quartals"),
    # declined as the article before them asks ("die erste Tranche", "der ersten Tranche")
    part_ordinals={"erste": 1, "ersten": 1, "erster": 1, "zweite": 2, "zweiten": 2, "zweiter": 2, "dritte": 3,
                   "dritten": 3, "dritter": 3, "vierte": 4, "vierten": 4, "fünfte": 5, "fünften": 5, "sechste": 6,
                   "sechsten": 6, "siebte": 7, "siebten": 7, "achte": 8, "achten": 8, "neunte": 9, "neunten": 9,
                   "zehnte": 10, "zehnten": 10},
    tranche_nouns=("Tranche", "Tranchen", "Rate", "Raten"),
    cues=(
        Cue("investier* ~ in", "equity_investment", "investor", "investee", alone="spending_commitment"),
        Cue("Investition* ~ in", "equity_investment", "investor", "investee", alone="spending_commitment"),
        # German puts the participle or, in a subordinate clause, the verb last: the other party
        # stands inside the cue ("hat in OpenAI investiert", "wird von Microsoft finanziert")
        Cue("in @ investier*", "equity_investment", "investor", None, slot_role="investee"),
        Cue("Investition* von @ in", "equity_investment", None, "investee", slot_role="investor"),
        Cue("beteilig* sich ~ an", "equity_investment", "investor", "investee"),
        Cue("finanziert von", "equity_investment", "investee", "investor"),
        Cue("unterstützt von", "equity_investment", "investee", "investor"),
        Cue("von @ finanziert", "equity_investment", "investee", None, slot_role="investor"),
        Cue("von @ unterstützt", "equity_investment", "investee", None, slot_role="investor"),
        Cue("Beteiligung ~ an", "equity_stake", "owner", "owned"),
        Cue("Anteil* ~ an", "equity_stake", "owner", "owned"),
        Cue("hält ~ an", "equity_stake", "owner", "owned"),
        Cue("besitzt ~ an", "equity_stake", "owner", "owned"),
        Cue("erwirbt ~ an", "equity_stake", "owner", "owned"),
        Cue("an @ beteiligt", "equity_stake", "owner", None, slot_role="owned"),
        Cue("Aktionär* von", "equity_stake", "owner", "owned"),
        Cue("von @ übernommen", "equity_stake", "owned", None, slot_role="owner"),
        Cue("kauf* ~ bei", "hardware_purchase", "buyer", "seller"),
        Cue("kauf* ~ von", "hardware_purchase", "buyer", "seller"),
        Cue("bestell* ~ bei", "hardware_purchase", "buyer", "seller"),
        Cue("erwirbt ~ von", "hardware_purchase", "buyer", "seller"),
        Cue("bei @ ~ gekauft", "hardware_purchase", "buyer", None, slot_role="seller"),
        Cue("bei @ ~ bestellt", "hardware_purchase", "buyer", None, slot_role="seller"),
        Cue("verkauf* ~ an", "hardware_purchase", "seller", "buyer"),
        Cue("an @ ~ verkauft", "hardware_purchase", "seller", None, slot_role="buyer"),
        Cue("liefer* ~ an", "hardware_purchase", "seller", "buyer"),
        Cue("an @ ~ geliefert", "hardware_purchase", "seller", None, slot_role="buyer"),
        Cue("liefer*", "hardware_purchase", "seller", "buyer"),
        Cue("Kunde* von", "compute_contract", "customer", "supplier"),
        Cue("Vertrag ~ mit", "compute_contract", "customer", "supplier"),
        Cue("Verträge ~ mit", "compute_contract", "customer", "supplier"),
        Cue("Vereinbarung ~ mit", "compute_contract", "customer", "supplier"),
        # "hat mit CoreWeave Verträge über 22,4 Milliarden Dollar abgeschlossen"
        Cue("mit @ ~ Vertrag*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("mit @ ~ Verträge*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("Finanzierungsrunde ~ angeführt von", "equity_investment", "investee", "investor"),
        Cue("Finanzierungsrunde ~ unter Führung von", "equity_investment", "investee", "investor"),
        Cue("miet* ~ von", "lease", "lessee", "lessor"),
        Cue("miet* ~ bei", "lease", "lessee", "lessor"),
        Cue("vermiet* ~ an", "lease", "lessor", "lessee"),
        Cue("least ~ von", "lease", "lessee", "lessor"),
        Cue("von @ ~ gemietet", "lease", "lessee", None, slot_role="lessor"),
        Cue("leih* ~ von", "loan", "borrower", "lender"),
        Cue("Kredit* ~ von", "loan", "borrower", "lender"),
        Cue("Darlehen ~ von", "loan", "borrower", "lender"),
        Cue("Kredit* ~ an", "loan", "lender", "borrower"),
        Cue("Darlehen ~ an", "loan", "lender", "borrower"),
        Cue("verleih* ~ an", "loan", "lender", "borrower"),
        Cue("gewähr* @ ~ Kredit*", "loan", "lender", None, slot_role="borrower"),
        Cue("gewähr* @ ~ Darlehen", "loan", "lender", None, slot_role="borrower"),
        Cue("will ~ ausgeben", "spending_commitment", "spender", None),
        Cue("investitionsausgaben", "spending_commitment", "spender", None),
        Cue("plant ~ auszugeben", "spending_commitment", "spender", None),
        Cue("Optionsschein*", "warrant", "issuer", "holder"),
        Cue("Warrant*", "warrant", "issuer", "holder"),
        Cue("gewähr* @ ~ Optionsschein*", "warrant", "issuer", None, slot_role="holder"),
        Cue("gib* @ ~ Optionsschein*", "warrant", "issuer", None, slot_role="holder"),
        Cue("gibt @ ~ Optionsschein*", "warrant", "issuer", None, slot_role="holder"),
        Cue("Abnahmegarantie", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("gab @ ~ Abnahmegarantie", "capacity_backstop", "backstop_buyer", None, slot_role="provider"),
        Cue("gibt @ ~ Abnahmegarantie", "capacity_backstop", "backstop_buyer", None, slot_role="provider"),
        Cue("nicht verkaufte ~ Kapazität*", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("nicht verkaufte ~ *kapazität*", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("Börsengang", "ipo", "issuer", None),
        Cue("geht an die Börse", "ipo", "issuer", None),
        Cue("IPO", "ipo", "issuer", None),
        # "62 Prozent der Umsätze von CoreWeave stammen von Microsoft"; "Microsoft steuerte
        # 62 Prozent der Umsätze von CoreWeave bei"
        Cue("Umsätze von @ ~ stamm* von", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("Umsatzes von @ ~ stamm* von", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("der Umsätze von @ von", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("des Umsatzes von @ von", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("der Umsätze von", "revenue_share", "customer", "supplier"),
        Cue("des Umsatzes von", "revenue_share", "customer", "supplier"),
        Cue("der Erlöse von", "revenue_share", "customer", "supplier"),
    ),
    # "Lieferung*" is a noun: "Lieferprobleme an" says no sale
    not_cues=("Lieferprobleme*", "Lieferverzug*", "Lieferschwierigkeit*"),
    passive_agents=("von", "vom"),
    modality={"expected": ("wird", "werden", "würde", "würden", "könnte", "könnten", "soll", "sollen", "plant",
                           "geplant*", "erwartet*", "beabsichtigt", "will"),
              "target": ("hofft*", "Hoffnung*", "strebt ~ an", "Ziel"),
              "denied": ("dementiert*", "bestreitet", "bestritten", "weist ~ zurück")},
    status={"signed": ("unterzeichnet*", "unterschrieben", "vereinbart*", "abgeschlossen"),
            "completed": ("vollzogen", "gekauft", "erworben", "übernommen", "eingesammelt", "ausgeübt"),
            "announced": ("angekündigt", "kündigt* ~ an", "gab ~ bekannt", "bekanntgegeben"),
            "withdrawn": ("zurückgezogen", "zieht sich", "ausgestiegen", "storniert", "abgesagt"),
            "active": ("bleibt", "weiterhin", "laufend*", "noch", "ausübbar", "unverfallbar")},
    counted={"Aktien": "shares", "Aktie": "shares", "Anteile": "shares", "Nutzer": None, "Kunden": None,
             "Abonnenten": None, "Mitarbeiter": None, "Beschäftigte": None, "Arbeitsplätze": None, "Stellen": None,
             "Chips": None, "GPUs": None, "GPU": None, "Prozessoren": None, "Beschleuniger": None, "Server": None,
             "Einheiten": None, "Parameter": None, "Token": None, "Haushalte": None, "Barrel": None,
             "Tonnen": None, "Quadratmeter": None},
    # the article declines ("der Konzern", "dem Konzern", "den Anbieter"): "d*" is any of them
    speech_verbs=("sagte", "sagt", "erklärte", "erklärt", "schrieb", "betonte", "so"),
    place_prepositions=("in", "im", "nahe", "aus"),
    descriptive_nouns=("Anbieter", "Hersteller", "Betreiber", "Entwickler", "Versorger", "Bank", "Versicherer",
                       "Konzern", "Start-up", "Startup", "Riese", "Investor", "Fonds", "Händler", "Ausrüster",
                       "Spezialist", "Vermieter", "Labor"),
    anaphora=("es", "er", "sie", "d* Unternehmen", "d* Konzern", "d* Firma", "d* Gruppe", "d* Start-up",
              "d* ~ Konzern", "d* *konzern", "d* *hersteller", "d* Anbieter", "d* *anbieter", "d* *betreiber",
              "d* ~ Unternehmen", "dieser", "diese", "d* Versorger", "d* *versorger", "d* Hersteller",
              "d* Bank", "d* Betreiber", "d* Entwickler"),
    capitalises_nouns=True,
)

_ES_NUMBERS = {w: Decimal(i + 1) for i, w in enumerate(
    "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince".split())}
_ES_NUMBERS.update({"un": Decimal(1), "una": Decimal(1), "veinte": Decimal(20), "treinta": Decimal(30),
                    "cuarenta": Decimal(40), "cincuenta": Decimal(50), "cien": Decimal(100),
                    "mil": Decimal(1000), "medio": Decimal("0.5")})

ES = Language(
    code="es",
    decimal_mark=",",
    # "mil millones" is 10⁹; "billón" is 10¹²
    scales={"mil": "thousand", "millón": "million", "millon": "million", "millones": "million",
            "mil millones": "billion", "billón": "trillion", "billon": "trillion", "billones": "trillion"},
    numbers=_ES_NUMBERS,
    currencies={"dólares": "USD", "dólar": "USD", "dolares": "USD", "dólares estadounidenses": "USD",
                "dólares americanos": "USD", "dólares canadienses": "CAD", "dólares australianos": "AUD",
                "euros": "EUR", "euro": "EUR", "libras esterlinas": "GBP", "libras": "GBP", "yenes": "JPY",
                "yen": "JPY", "yuanes": "CNY", "yuan": "CNY", "francos suizos": "CHF", "rupias": "INR",
                "pesos mexicanos": "MXN", "reales": "BRL"},
    of=("de",),
    qualifiers={"casi": "nearly", "cerca de": "nearly", "poco menos de": "nearly", "alrededor de": "about",
                "unos": "about", "unas": "about", "aproximadamente": "about", "en torno a": "about",
                "en torno a los": "about", "del orden de": "about", "más de": "more_than", "mas de": "more_than",
                "al menos": "more_than", "por lo menos": "more_than", "superior a": "more_than",
                "superiores a": "more_than", "supera": "more_than", "superan": "more_than",
                "poco más de": "more_than", "hasta": "up_to", "menos de": "up_to", "como máximo": "up_to",
                "potencialmente": "up_to", "podría alcanzar": "up_to", "inferior a": "up_to",
                "un máximo de": "up_to"},
    articles=("los", "las", "el", "la", "un", "una", "unos"),
    between=("entre",),
    and_=("y",),
    to=("a",),
    periods={"al año": "year", "por año": "year", "anuales": "year", "cada año": "year", "anualmente": "year",
             "al mes": "month", "por mes": "month", "mensuales": "month", "al trimestre": "quarter",
             "por trimestre": "quarter", "trimestrales": "quarter",
             "por acción": "share", "por accion": "share"},
    term_before=("durante los próximos", "en los próximos", "a lo largo de", "durante", "en"),
    years=("años", "año"),
    term_months=("meses", "mes"),
    percent=("por ciento", "por cien"),
    points=("puntos porcentuales", "punto porcentual"),
    fractions={"una cuarta parte": Decimal(25), "un cuarto": Decimal(25), "la mitad": Decimal(50),
               "tres cuartas partes": Decimal(75)},
    fraction_of=("de", "del"),
    units={"gigavatios": "GW", "gigavatio": "GW", "gigawatts": "GW", "gigawatt": "GW", "megavatios": "MW",
           "megavatio": "MW", "megawatts": "MW"},
    months={"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
            "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12},
    date_of=("de", "del"),
    ordinals=("º", "°"),
    quarters={"primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4},
    quarter_words=("trimestre",),
    part_ordinals={"primer": 1, "primera": 1, "primero": 1, "segundo": 2, "segunda": 2, "tercer": 3,
                   "tercera": 3, "tercero": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6,
                   "sexta": 6, "séptimo": 7, "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9,
                   "décimo": 10, "décima": 10},
    tranche_nouns=("tramo", "tramos", "tranche", "tranches"),
    cues=(
        Cue("invert* ~ en", "equity_investment", "investor", "investee", alone="spending_commitment"),
        Cue("invier* ~ en", "equity_investment", "investor", "investee", alone="spending_commitment"),
        # the preterite's stem: "invirtió", "invirtieron"
        Cue("invirti* ~ en", "equity_investment", "investor", "investee", alone="spending_commitment"),
        Cue("inversión ~ en", "equity_investment", "investor", "investee", alone="spending_commitment"),
        Cue("inversión de @ en", "equity_investment", None, "investee", slot_role="investor"),
        Cue("financiad* por", "equity_investment", "investee", "investor"),
        Cue("respaldad* por", "equity_investment", "investee", "investor"),
        Cue("ronda ~ liderad* por", "equity_investment", "investee", "investor"),
        Cue("ronda ~ encabezad* por", "equity_investment", "investee", "investor"),
        Cue("participación ~ en", "equity_stake", "owner", "owned"),
        Cue("particip* ~ en", "equity_stake", "owner", "owned"),
        Cue("posee ~ de", "equity_stake", "owner", "owned"),
        Cue("accionista* de", "equity_stake", "owner", "owned"),
        Cue("adquirid* por", "equity_stake", "owned", "owner"),
        Cue("compr* ~ a", "hardware_purchase", "buyer", "seller"),
        Cue("adquier* ~ a", "hardware_purchase", "buyer", "seller"),
        Cue("vend* ~ a", "hardware_purchase", "seller", "buyer"),
        Cue("suministr* ~ a", "hardware_purchase", "seller", "buyer"),
        Cue("suministr*", "hardware_purchase", "seller", "buyer"),
        Cue("proporcion* ~ a", "compute_contract", "supplier", "customer"),
        Cue("cliente* de", "compute_contract", "customer", "supplier"),
        Cue("contrato* ~ con", "compute_contract", "customer", "supplier"),
        Cue("acuerdo* ~ con", "compute_contract", "customer", "supplier"),
        # "ha firmado con Iberdrola un contrato": the other party before the contract
        Cue("firm* con @ ~ contrato*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("suscrit* con @ ~ contrato*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("firm* con @ ~ acuerdo*", "compute_contract", "customer", None, slot_role="supplier"),
        Cue("alquil* ~ a", "lease", "lessee", "lessor"),
        # "arrendar algo a alguien" is to let it to them ("alquilar a" reads both ways; the
        # table keeps the renter's reading for it)
        Cue("arrend* ~ a", "lease", "lessor", "lessee"),
        Cue("arriend* ~ a", "lease", "lessor", "lessee"),  # the stem's diphthong: "arrienda"
        Cue("arrendamiento", "lease", "lessee", "lessor"),
        Cue("prest* ~ a", "loan", "lender", "borrower"),
        Cue("préstamo* ~ de", "loan", "borrower", "lender"),
        Cue("crédito* ~ de", "loan", "borrower", "lender"),
        Cue("se compromet* a gastar", "spending_commitment", "spender", None),
        Cue("prevé gastar", "spending_commitment", "spender", None),
        Cue("gastar* ~ en", "spending_commitment", "spender", None),
        Cue("gasto de capital", "spending_commitment", "spender", None),
        Cue("warrant*", "warrant", "issuer", "holder"),
        Cue("capacidad ~ no vendida", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("garantiz* la compra", "capacity_backstop", "backstop_buyer", "provider"),
        Cue("salida a bolsa", "ipo", "issuer", None),
        Cue("oferta pública inicial", "ipo", "issuer", None),
        Cue("OPV", "ipo", "issuer", None),
        Cue("IPO", "ipo", "issuer", None),
        Cue("ingresos de @ ~ proced* de", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("ingresos de @ ~ provien* de", "revenue_share", None, "customer", slot_role="supplier"),
        Cue("representa* ~ de los ingresos de", "revenue_share", "customer", "supplier"),
        Cue("representa* ~ de la facturación de", "revenue_share", "customer", "supplier"),
    ),
    # "comprometer" is no purchase, "prestigio" no loan
    not_cues=("compromet*", "comprend*", "prestigi*", "prestacion*"),
    passive_agents=("por",),
    modality={"expected": ("podría", "podrían", "debería", "prevé", "previst*", "planea*", "planific*", "*rá",
                           "*rán", "espera que", "sería"),
              "target": ("espera*", "esperanza*", "aspira*", "pretende*", "objetivo"),
              "denied": ("desmint*", "negó", "niega*", "rechaz*")},
    status={"signed": ("firmad*", "firmó", "firma", "suscrit*", "cerrad*"),
            "completed": ("completad*", "adquirid*", "comprad*", "recaudad*", "ejercid*", "ejerció"),
            "announced": ("anunci*", "present*"),
            "withdrawn": ("retirad*", "retiró", "abandon*", "cancelad*", "renunci*"),
            "active": ("sigue", "continúa", "todavía", "en curso", "ejercitable*")},
    counted={"acciones": "shares", "acción": "shares", "títulos": "shares", "usuarios": None, "clientes": None,
             "abonados": None, "empleados": None, "empleos": None, "puestos": None, "trabajadores": None,
             "chips": None, "GPU": None, "procesadores": None, "aceleradores": None, "servidores": None,
             "unidades": None, "parámetros": None, "tokens": None, "hogares": None, "barriles": None,
             "toneladas": None, "metros cuadrados": None, "metros cúbicos": None},
    speech_verbs=("afirmó", "declaró", "dijo", "explicó", "añadió", "señaló", "según"),
    place_prepositions=("en", "cerca de", "desde"),
    descriptive_nouns=("eléctrica", "energética", "proveedor", "proveedora", "fabricante", "operador",
                       "operadora", "desarrollador", "desarrolladora", "banco", "entidad", "aseguradora",
                       "gigante", "startup", "fondo", "inversor", "socimi", "inmobiliaria", "tecnológica",
                       "teleco", "operadora", "constructora", "especialista", "arrendador"),
    anaphora=("la compañía", "la empresa", "el grupo", "la startup", "la firma", "la sociedad", "la ~ compañía",
              "el ~ grupo", "la eléctrica", "el gigante", "el fabricante", "el proveedor", "esta última",
              "este último", "ésta"),
)

LEXICON: dict[str, Language] = {lang.code: lang for lang in (EN, FR, IT, DE, ES)}

# ---------------------------------------------------------------------------------------------
# The one compiler of the tables' phrases (cues, not-cues, modality, status)

#: What a figure reads as in the text the phrases are matched against (:func:`mask`): one
#: character of the Unicode private use area, repeated to the figure's length, so offsets stay
#: the text's and a figure is one word of a gap. Organisations are not masked: a capitalised
#: German noun ("Anteil", "Vertrag") may be taken for one, and it is a cue's word.
FIGURE_MARK = "\ue000"
#: The most words a ``~`` gap holds; a masked figure or name is one word.
GAP_WORDS = 5
#: The most words an ``@`` slot holds, the organisation included ("der Microsoft").
SLOT_WORDS = 3

_WS = r"[^\S\r\n]"
_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"
# A word of a gap: a masked figure or name, or a run of characters with no space, no comma and no
# sentence end in it ("U.S." and "6.3" keep their inner dots).
_PLAIN = rf"[^\s,!?;.:{FIGURE_MARK}]"
_GAP_WORD = rf"(?:{FIGURE_MARK}+|{_PLAIN}+(?:\.{_PLAIN}+)*)"
# the shortest reading first: "gewährt CoreWeave einen Kredit" is "CoreWeave" and a gap
_SLOT = rf"(?P<slot>{_GAP_WORD}(?:{_WS}+{_GAP_WORD}){{0,{SLOT_WORDS - 1}}}?)"


def _word(word: str) -> str:
    lead, tail = word.startswith("*") and len(word) > 1, word.endswith("*")
    stem = word[1:] if lead else word
    stem = stem[:-1] if tail else stem
    body = "".join("['’]" if ch in "'’" else re.escape(ch) for ch in stem)
    if lead:
        body = r"[^\W\d_]+" + body
    if tail:
        return body + r"[\w'’-]*"
    return body + (_LETTER_AFTER if stem[-1:].isalnum() else "")


def phrase_pattern(phrase: str) -> str:
    """The regular expression of a table's phrase (see the module's notation). Words are
    parted by spaces, except after an apostrophe ("d' @" reads "d'OpenAI")."""
    words = phrase.split(" ")
    if words[0] in ("~", "@") or words[-1] in ("~", "@") or words.count("@") > 1:
        raise ValueError(f"{phrase!r}: a gap or a party slot stands between words, and a cue has one slot")
    out = _LETTER_BEFORE
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if word == "~":
            out += rf"(?:{_GAP_WORD}{_WS}+){{0,{GAP_WORDS}}}"
        elif word == "@":
            out += _SLOT + f"{_WS}+"
        else:
            out += _word(word)
            if not last:
                out += f"{_WS}*" if word[-1:] in "'’" else f"{_WS}+"
    return out


@lru_cache(maxsize=None)
def compile_phrase(phrase: str) -> re.Pattern:
    """A table's phrase, compiled once. Case is ignored except in acronyms ("IPO", "OPV"),
    which stay acronyms."""
    return re.compile(phrase_pattern(phrase), 0 if phrase.isupper() else re.IGNORECASE)


def mask(text: str, figures: Iterable = ()) -> str:
    """``text`` with each figure (anything with ``start`` and ``end``) replaced by
    ``FIGURE_MARK`` repeated to its length: the text the phrases are matched against, so that
    "invests up to $6.3 billion in" is a cue with a one-word gap."""
    chars = list(text)
    for m in figures:
        chars[m.start:m.end] = FIGURE_MARK * (m.end - m.start)
    return "".join(chars)

def money_direction(cue: Cue) -> tuple[str | None, str | None]:
    """Who pays whom when ``cue`` links a subject to an object: ``("subject", "object")`` for
    "A invests in B" (A pays B), ``("object", "subject")`` for "A supplies B" (B pays A),
    ``"slot"`` for the party inside the cue ("A wird von B finanziert": ``("slot", "subject")``),
    with None for a side outside the sentence (an IPO is paid by the market). Read from the kind's
    ``flow_from``/``flow_to`` in ``kinds.py``, so the rule is written once."""
    from ..kinds import DEAL_KINDS

    row = DEAL_KINDS[cue.kind]
    flow_from, flow_to = row.flow_from, row.flow_to
    side = {cue.subject_role: "subject", cue.object_role: "object", cue.slot_role: "slot"}
    return side.get(flow_from) if flow_from else None, side.get(flow_to) if flow_to else None
