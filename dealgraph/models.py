"""pydantic records for everything the seeds hold.

The seeds are written by people, so the records are strict (unknown fields are errors) and
every check that can be made on one record alone is made here; checks that need several
records (references, duplicates, quotes against documents, totals) live in ``seeds.py``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .dates import check_partial_date
from .kinds import DEAL_KINDS

__all__ = [
    "Modality",
    "Basis",
    "Status",
    "EventKind",
    "Qualifier",
    "PartialDate",
    "Amount",
    "Share",
    "Quantity",
    "Event",
    "Document",
    "Entity",
    "Deal",
    "Claim",
    "Statement",
    "Total",
    "Extraction",
    "ISO_4217",
    "SCALES",
]

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

SCALES: dict[str, Decimal] = {
    "unit": Decimal(1),
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}


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


PartialDate = Annotated[str, BeforeValidator(check_partial_date)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


def _plain(value: Decimal) -> str:
    """6.5E+9 -> '6500000000': messages show figures as people write them."""
    return format(value.normalize(), "f")


def _scaled(value: Decimal | None, scale: Decimal) -> Decimal | None:
    return None if value is None else (Decimal(value) * scale).normalize()


class Amount(Record):
    """A sum of money as a source states it.

    ``value``, ``min`` and ``max`` are given in ``scale`` units in the seeds (``11.9`` with
    ``scale: billion``) and held in units after loading, so 12 billion is 12000000000.
    """

    value: Decimal
    currency: str
    qualifier: Qualifier = Qualifier.exact
    min: Decimal | None = None
    max: Decimal | None = None
    scale: Literal["unit", "thousand", "million", "billion", "trillion"] = "unit"
    per: Literal["share", "year"] | None = None
    text: str | None = Field(default=None, description="the figure as written in the source")

    @model_validator(mode="before")
    @classmethod
    def _apply_scale(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("scale", "unit") in SCALES and "value" in data:
            factor = SCALES[data.get("scale", "unit")]
            data = dict(data)
            for key in ("value", "min", "max"):
                if isinstance(data.get(key), (int, float, Decimal, str)):
                    try:
                        data[key] = _scaled(Decimal(str(data[key])), factor)
                    except ArithmeticError:
                        pass  # left for the field validator to report
            data["scale"] = "unit"
        return data

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, v: str) -> str:
        if v not in ISO_4217:
            raise ValueError(f"{v!r} is not an ISO 4217 currency code")
        return v

    @field_validator("value", "min", "max")
    @classmethod
    def _not_negative(cls, v: Decimal | None, info) -> Decimal | None:
        if v is not None and v < 0:
            raise ValueError(f"{info.field_name} is negative ({_plain(v)})")
        return v

    @field_validator("max")
    @classmethod
    def _max_not_below_min(cls, v: Decimal | None, info) -> Decimal | None:
        low = info.data.get("min")
        if v is not None and low is not None and low > v:
            raise ValueError(f"min ({_plain(low)}) is greater than max ({_plain(v)})")
        return v

    @property
    def low(self) -> Decimal:
        """The smallest sum the statement allows ("up to 4 bn" allows nothing at all)."""
        if self.min is not None:
            return self.min
        return Decimal(0) if self.qualifier == Qualifier.up_to.value else self.value

    @property
    def high(self) -> Decimal:
        """The largest sum the statement allows; "more than X" has no stated ceiling, so X."""
        return self.max if self.max is not None else self.value


class Share(Record):
    """A percentage: of a supplier's revenue, or of a company's ownership."""

    percent: Decimal
    of: Literal["revenue", "ownership"]
    qualifier: Qualifier = Qualifier.exact
    text: str | None = None

    @field_validator("percent")
    @classmethod
    def _in_range(cls, v: Decimal) -> Decimal:
        if not 0 <= v <= 100:
            raise ValueError(f"percent must be between 0 and 100, not {v}")
        return v

    @property
    def fraction(self) -> Decimal:
        return self.percent / 100


class Quantity(Record):
    """A physical quantity other than money (data-centre power in GW, say)."""

    value: Decimal
    unit: Literal["GW", "MW"]
    qualifier: Qualifier = Qualifier.exact
    text: str | None = None


class Event(Record):
    """A change of status: ``by`` did ``kind``; for ``assumed``, ``by`` takes over ``role``."""

    kind: EventKind
    by: Slug
    role: str | None = None
    date: PartialDate | None = None

    @model_validator(mode="after")
    def _role_for_assumed(self) -> "Event":
        if self.kind == Status.assumed.value and not self.role:
            raise ValueError("an 'assumed' event names the role its party takes over")
        return self


class Document(Record):
    """A source document (one of the articles the extractions are drawn from)."""

    id: str
    title: str
    language: Literal["en", "fr", "it", "de", "es"]
    publisher: str | None = None
    wire: str | None = None
    published: PartialDate
    published_basis: str = Field(description="why we date it so: the text carries no date line")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    machine_translated: bool = False
    #: True when the text has no headline and ``title`` is the curator's own.
    curator_title: bool = False
    note: str | None = None


class Entity(Record):
    """A company, a person quoted, or a named project; aliases as spelled in the sources."""

    id: Slug
    name: str
    kind: Literal["company", "person", "project", "publication"]
    aliases: list[str] = []
    affiliation: Slug | None = None
    position: str | None = None
    wikidata: str | None = Field(default=None, pattern=r"^Q[0-9]+$")


class Deal(Record):
    """A deal as an n-ary node: its kind and its parties in roles.

    What a deal is worth, when and in what state it is, comes from claims, never from here.
    """

    id: Slug
    kind: str
    label: str
    parties: dict[str, Slug | list[Slug]]
    #: Roles whose holder no source names, with the curator's reason for the choice
    #: ({backstop_buyer: "the buyer is not named; Nvidia from context"}).
    inferred: dict[str, str] = {}
    note: str | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in DEAL_KINDS:
            raise ValueError(f"unknown deal kind {v!r} (one of: {', '.join(DEAL_KINDS)})")
        return v

    @field_validator("parties")
    @classmethod
    def _roles_fit_kind(cls, parties: dict[str, Any], info) -> dict[str, Any]:
        name = info.data.get("kind")
        if name not in DEAL_KINDS:
            return parties  # the kind itself is reported
        kind = DEAL_KINDS[name]
        for role in parties:
            if role not in kind.roles:
                raise ValueError(f"a {name} has no role {role!r} (roles: {', '.join(kind.roles)})")
        missing = [r for r in kind.required_roles if r not in parties]
        if missing:
            raise ValueError(f"a {name} needs the role(s) {', '.join(missing)}")
        return parties

    @model_validator(mode="after")
    def _inferred_roles_are_parties(self) -> "Deal":
        unknown = [role for role in self.inferred if role not in self.parties]
        if unknown:
            raise ValueError(f"inferred names role(s) the deal has no party in: {', '.join(unknown)}")
        if any(not reason.strip() for reason in self.inferred.values()):
            raise ValueError("an inferred role carries the reason for it")
        return self

    def party_ids(self, role: str) -> list[str]:
        v = self.parties.get(role)
        return [] if v is None else [v] if isinstance(v, str) else list(v)


class Claim(Record):
    """What one document says about one deal, backed by a verbatim quote."""

    deal: Slug
    quote: str = Field(min_length=8, max_length=240)
    modality: Modality = Modality.reported
    speaker: Slug | None = None
    according_to: str | None = Field(default=None, description="the outlet the document cites")
    amount: Amount | None = None
    share: Share | None = None
    price: Amount | None = Field(default=None, description="per-share price, for offerings")
    capacity: Quantity | None = None
    date: PartialDate | None = None
    until: PartialDate | None = None
    period: PartialDate | None = None
    status: Status | None = None
    event: Event | None = None
    doubtful: bool = False
    #: For a doubtful claim: the deals whose claims contradict it (listed beside it in reports).
    contradicts: list[Slug] = []
    basis: Basis = Basis.stated
    reason: str | None = Field(default=None, description="why the curator inferred it (basis: inferred)")
    note: str | None = None

    @model_validator(mode="after")
    def _doubt_is_explained(self) -> "Claim":
        if self.doubtful and not self.note:
            raise ValueError("a doubtful claim carries a note saying why")
        _check_basis(self)
        return self


def _check_basis(record: Any) -> None:
    """An inferred assertion says why; a stated one needs no reason."""
    if record.basis == Basis.inferred and not (record.reason or "").strip():
        raise ValueError("an inferred assertion carries a reason (what the quote does not say, and why it holds)")
    if record.basis == Basis.stated and record.reason:
        raise ValueError("a reason goes with basis: inferred")


class Statement(Record):
    """A claim that is not about one deal: a commentator's view, a market move, a denial."""

    speaker: Slug | None = None
    about: list[Slug] = Field(min_length=1)
    topic: str = Field(description="what is said, in our own words")
    quote: str = Field(min_length=8, max_length=240)
    modality: Modality = Modality.reported
    according_to: str | None = None
    amount: Amount | None = None
    share: Share | None = None


class Total(Record):
    """A stated total and the deals that make it up, checked when the seeds load."""

    id: Slug
    label: str
    measure: Literal["amount", "share"]
    amount: Amount | None = None
    share: Share | None = None
    parts: list[Slug] = Field(min_length=2)
    quote: str = Field(min_length=8, max_length=240)
    #: ``inferred`` when the quote states the total but not which deals make it up.
    basis: Basis = Basis.stated
    reason: str | None = None
    #: True when the parts are the largest of what the total measures (a supplier's largest
    #: customers): every other part is no larger than the smallest of them.
    largest_parts: bool = False

    @model_validator(mode="after")
    def _one_value(self) -> "Total":
        if getattr(self, self.measure) is None:
            raise ValueError(f"a total of measure {self.measure!r} gives {self.measure}")
        _check_basis(self)
        return self


class Extraction(Record):
    """Everything one document states, as curated: one file per document."""

    document: str
    claims: list[Claim] = []
    statements: list[Statement] = []
    totals: list[Total] = []
