"""The codes the records are written with: how a source holds a fact (modality, basis), a
deal's status, a figure's qualifier, their orderings and how a qualifier is written before a
figure, and the currencies and periods an amount may be in.

Plain Python, no pydantic: :mod:`dealgraph.models` checks the seeds against these codes, and a
reader of a built graph (the formatter every listing is written with) takes them from here
without importing pydantic (20 ms) and building every record model (30 ms).
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

__all__ = ["amount_range", "Modality", "Basis", "Status", "EventKind", "Qualifier", "MODALITY_RANK", "QUALIFIER_RANK",
           "STATUS_ORDER", "QUALIFIER_WORDS", "ISO_4217", "PERIOD_MONTHS"]


class Modality(str, Enum):
    """How the source holds the fact: as done, as expected, as hoped for, or as denied."""

    reported = "reported"
    expected = "expected"
    target = "target"
    denied = "denied"


class Basis(str, Enum):
    """How an assertion rests on its quote: the quote says it, or the curator concluded it from
    the document (and says why). Only stated assertions count as corroboration."""

    stated = "stated"
    inferred = "inferred"


class Status(str, Enum):
    """Declared in lifecycle order, the same-day tie-break between statuses: a deal is
    announced, then signed, runs, may be withdrawn by one party and assumed by another, and is
    completed last."""

    announced = "announced"
    signed = "signed"
    active = "active"
    withdrawn = "withdrawn"
    assumed = "assumed"
    completed = "completed"


#: Events change a deal's status; an event's kind is the status it leaves the deal in.
EventKind = Status


class Qualifier(str, Enum):
    """Declared from the most precise figure to the least."""

    exact = "exact"
    about = "about"
    nearly = "nearly"
    more_than = "more_than"
    up_to = "up_to"


def _rank(enum: type[Enum]) -> dict[str, int]:
    return {member.value: i for i, member in enumerate(enum)}


#: The enum orderings, in one place: the resolved view prefers the stronger modality and the
#: more precise qualifier; status steps on one day follow the lifecycle; conflicts list the
#: reported value first.
MODALITY_RANK: dict[str, int] = _rank(Modality)
QUALIFIER_RANK: dict[str, int] = _rank(Qualifier)
STATUS_ORDER: dict[str, int] = _rank(Status)

#: How each qualifier is written before a figure: in words ("about 100 bn USD") and as a
#: sign where room is short (table cells, edge labels).
QUALIFIER_WORDS: dict[str, tuple[str, str]] = {
    "exact": ("", ""),
    "about": ("about ", "~"),
    "nearly": ("nearly ", "≲"),
    "more_than": ("more than ", ">"),
    "up_to": ("up to ", "≤"),
}


# Active ISO 4217 alphabetic codes (the amendment list as of 2024), plus XAU/XAG for metals.
ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG XAU XAG""".split()
)

#: What an amount may be counted per, and how many months each period is: "1.5 bn a year" is
#: a rate, not a sum, and is never added to sums as if it were one (dealgraph.flows turns it
#: into the sum over a stated term, or leaves it unknown). "share" is a price per share.
PERIOD_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}


def amount_range(value: Decimal, qualifier: str, minimum: Decimal | None, maximum: Decimal | None
                 ) -> tuple[Decimal, Decimal]:
    """The smallest and the largest sum a statement of ``value`` allows (:attr:`dealgraph.models.Amount.low` and
    :attr:`~dealgraph.models.Amount.high`): a function of plain values, so the money-flow projection applies the
    rule to the figures it reads without building an :class:`~dealgraph.models.Amount` for each."""
    # "up to 4 bn" allows nothing at all; "more than X" has no stated ceiling, so X.
    low = minimum if minimum is not None else Decimal(0) if qualifier == Qualifier.up_to.value else value
    return low, maximum if maximum is not None else value
