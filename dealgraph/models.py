"""pydantic records for everything the seeds hold.

The seeds are written by people, so the records are strict (unknown fields are errors) and
every check that can be made on one record alone is made here; checks that need several
records (references, duplicates, quotes against documents, totals) live in ``seeds.py``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, Inexact, Overflow, Underflow, localcontext
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, field_validator, model_serializer,
                      model_validator)

# The codes the records are written with, kept free of pydantic for the readers of a built
# graph; their orderings and words too, for the modules that read them from here.
from .codes import (ISO_4217, MODALITY_RANK, amount_range, PERIOD_MONTHS, QUALIFIER_RANK, QUALIFIER_WORDS,  # noqa: F401
                    STATUS_ORDER, Basis, EventKind, Modality, Qualifier, Status)
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
    "amount_range",
    "Share",
    "Quantity",
    "Tranche",
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
    "PERIOD_MONTHS",
    "UNITS",
    "Slug",
    "ID_PATTERN",
    "PATTERN_RULES",
    "shown",
    "id_problem",
]

SCALES: dict[str, Decimal] = {
    "unit": Decimal(1),
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}


#: The units a Quantity may be in: what the unit measures, and the largest value a source can
#: mean (past it, a unit or scale error). Power is a capacity (a million GW is a thousand times
#: the world's generating capacity); shares are a count (no company has 10^13 shares; the
#: largest have about 10^10), the shares a warrant covers.
UNITS: dict[str, tuple[str, Decimal]] = {
    "GW": ("power", Decimal(10) ** 6),
    "MW": ("power", Decimal(10) ** 6),
    "shares": ("count", Decimal(10) ** 13),
}

_TERM = re.compile(r"^P([1-9][0-9]{0,2})([YM])$")


def _partial_date(value: Any) -> str:
    """A partial date, refused before ``check_partial_date`` sees anything that cannot be one:
    its message quotes the value, and a list or a megabyte of text would make a message no one
    can read (or, nested deep enough, a RecursionError when it is written out)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, datetime.date)) \
            or (isinstance(value, int) and not 0 <= value <= 9999) or len(str(value)) > 10:
        raise ValueError("not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    return check_partial_date(value)


PartialDate = Annotated[str, BeforeValidator(_partial_date)]

#: Every id ends up in an IRI (``id:deal/<id>``), a SPARQL query and, for documents, a file
#: name (``extractions/<id>.yaml``): lowercase ASCII letters and digits joined by single ``-``
#: or ``_``, so nothing in an id needs escaping anywhere, and short. ``004_9cb071e2598439fe``,
#: ``coreweave-ipo-2025``.
ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
MAX_ID_LENGTH = 100
Slug = Annotated[str, Field(max_length=MAX_ID_LENGTH, pattern=ID_PATTERN)]
#: A role of a party in a deal (``backstop_buyer``); it becomes a term of the ontology.
ROLE_PATTERN = r"^[a-z]+(?:_[a-z]+)*$"
Role = Annotated[str, Field(max_length=40, pattern=ROLE_PATTERN)]
#: What each pattern asks, in words: messages say this, not the regular expression.
#: A source's web address: absolute http(s), and nothing an IRI cannot hold (a space, <>"{}|\^`),
#: since the graph links the document to it as an IRI.
URL_PATTERN = r"^https?://[^\s<>\"{}|\\^`]+$"
PATTERN_RULES = {ID_PATTERN: ("an id", "lowercase letters and digits joined by single - or _"),
                 ROLE_PATTERN: ("a role", "lowercase words joined by _"),
                 URL_PATTERN: ("a web address", "absolute http:// or https://, without spaces or <>\"{}|\\^`")}


_ID = re.compile(ID_PATTERN)


def shown(value: Any, limit: int = 60) -> str:
    """Input quoted in a message: cut short and with control characters escaped, so a problem
    stays one readable line whatever the seeds hold (a megabyte key, a newline, an ESC)."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def id_problem(value: Any) -> str | None:
    """Why ``value`` is not an id, or None when it is one."""
    if not isinstance(value, str):
        return "is not an id"
    if len(value) > MAX_ID_LENGTH:
        return f"an id has at most {MAX_ID_LENGTH} characters"
    if _ID.fullmatch(value):  # fullmatch: `$` alone lets a final newline through
        return None
    what, rule = PATTERN_RULES[ID_PATTERN]
    return f"'{shown(value)}' is not {what} ({rule})"


def _parties(value: Any) -> str | list[str]:
    """The holder of a role: one entity id, or a list of several. Never an empty list, which
    would make a deal without the party its kind needs (a loan with no lender). Checked here
    in one step so that a mistake gives one message, not one per shape of the union."""
    ids = value if isinstance(value, list) else [value]
    if not ids:
        raise ValueError("names no party (an empty list)")
    for v in ids:
        problem = id_problem(v)
        if problem:
            raise ValueError(problem if isinstance(v, str) else "is an entity id or a list of entity ids")
    if len(set(ids)) < len(ids):
        raise ValueError("lists a party twice")
    return value if isinstance(value, str) else list(ids)


Parties = Annotated[str | list[str], PlainValidator(_parties)]

# Texts are bounded so that one field cannot swell a message, a table or the store: a name,
# a label or a title is one line (the longest in the seeds is under 100 characters); a note or
# a reason is a paragraph (the longest is about 500).
MAX_LINE = 300
MAX_PROSE = 5000
Line = Annotated[str, Field(min_length=1, max_length=MAX_LINE)]
Prose = Annotated[str, Field(max_length=MAX_PROSE)]

#: Figures are bounded: no source states a sum near 10^18 units (the largest deals are under
#: 10^13 USD, under 10^17 in the currencies of smallest unit), and no figure needs more than
#: six decimal places. Within these bounds every figure is exact in 24 digits, so sums, JSON
#: and the analyses' integer scaling stay finite and fast (an amount of 1e+999999 once made
#: `deals --format json` run for a minute and die).
MAX_FIGURE = Decimal(10) ** 18
MAX_DECIMALS = 6


def _decimal_places(value: Decimal) -> int:
    """Exact, whatever the exponent: arithmetic in the default context would overflow on
    1E+9999999999 and round 1E-9999999999 to zero."""
    _, digits, exponent = value.as_tuple()
    significant = "".join(map(str, digits)).rstrip("0")
    return max(0, -(exponent + len(digits) - len(significant))) if significant else 0


def _bounded(value: Decimal | None, name: str, high: Decimal = MAX_FIGURE) -> Decimal | None:
    if value is None:
        return None
    if value.copy_abs() > high:  # copy_abs and comparisons are exact: no context, no overflow
        raise ValueError(f"{name} is too large (at most {_plain(high)})")
    if value.as_tuple().exponent < -MAX_DECIMALS and _decimal_places(value) > MAX_DECIMALS:
        raise ValueError(f"{name} has more than {MAX_DECIMALS} decimal places")
    return value if value else Decimal(0)  # -0 and 0E-999999 are written 0


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)

    #: Fields added after the first claims were minted: a claim's IRI is a hash of its dump
    #: (dealgraph.rdf), so these are left out of the dump while at their default, and a claim
    #: that does not use them keeps the IRI it had ("the same claim, the same IRI").
    _added_later: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        data = handler(self)
        for name in self._added_later:
            if name in data and getattr(self, name) == type(self).model_fields[name].default:
                del data[name]
        return data


def _plain(value: Decimal) -> str:
    """6.5E+9 -> '6500000000': messages show figures as people write them (bounded figures;
    one out of bounds is written short, in scientific notation)."""
    if abs(value.adjusted()) > 30:
        return f"{value:.3E}"
    return format(value.normalize(), "f")


def _scaled(value: Decimal | None, scale: Decimal) -> Decimal | None:
    """``value`` × ``scale``, exactly or not at all: a figure within the bounds has at most
    25 digits, so any rounding, overflow or underflow here means a figure out of bounds,
    which is then left as written for the field validators to report (rounding would have
    made 1e-9999999999 a zero, silently)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.traps[Inexact] = ctx.traps[Overflow] = ctx.traps[Underflow] = True
        return (Decimal(value) * scale).normalize()


def _apply_scale(data: Any, keys: tuple[str, ...]) -> Any:
    """``keys`` of ``data`` multiplied by its ``scale`` (then ``unit``); a value that cannot be
    scaled is left as written for the field validators to report."""
    scale = data.get("scale", "unit") if isinstance(data, dict) else None
    if isinstance(scale, str) and scale in SCALES and "value" in data:  # any other scale is reported
        factor = SCALES[scale]
        data = dict(data)
        for key in keys:
            if isinstance(data.get(key), (int, float, Decimal, str)):
                try:
                    data[key] = _scaled(Decimal(str(data[key])), factor)
                except (ArithmeticError, ValueError):  # ValueError: str() of an int of 5000 digits
                    pass  # left for the field validator to report
        data["scale"] = "unit"
    return data


class Amount(Record):
    """A sum of money as a source states it.

    ``value``, ``min`` and ``max`` are given in ``scale`` units in the seeds (``11.9`` with
    ``scale: billion``) and held in units after loading, so 12 billion is 12000000000.

    ``per``: a price per share, or a rate per month, quarter or year ("1.5 bn a year"). ``term``:
    how long the deal runs, as an ISO 8601 duration in whole years or months ("over five
    years" is ``P5Y``); with a rate, the sum over the term is rate × term, which is what the
    money-flow graph counts; without a term, a rate has no total (see dealgraph.flows).
    """

    value: Decimal
    currency: Annotated[str, Field(max_length=20)]
    qualifier: Qualifier = Qualifier.exact
    min: Decimal | None = None
    max: Decimal | None = None
    scale: Literal["unit", "thousand", "million", "billion", "trillion"] = "unit"
    per: Literal["share", "month", "quarter", "year"] | None = None
    term: str | None = Field(default=None, description="how long the deal runs: P5Y, P18M")
    text: Line | None = Field(default=None, description="the figure as written in the source")
    _added_later = ("term",)

    @model_validator(mode="before")
    @classmethod
    def _apply_scale(cls, data: Any) -> Any:
        return _apply_scale(data, ("value", "min", "max"))

    @field_validator("term")
    @classmethod
    def _iso_term(cls, v: str | None) -> str | None:
        if v is not None and not _TERM.fullmatch(v):
            raise ValueError(f"term {shown(v)!r} is not a duration in whole years or months (P5Y, P18M)")
        return v

    @model_validator(mode="after")
    def _term_fits_per(self) -> "Amount":
        if self.term is not None and self.per == "share":
            raise ValueError("a price per share has no term")
        return self

    @property
    def term_months(self) -> int | None:
        """The term in months (P5Y -> 60), None when no term is stated."""
        if self.term is None:
            return None
        count, unit = _TERM.fullmatch(self.term).groups()
        return int(count) * (12 if unit == "Y" else 1)

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, v: str) -> str:
        if v not in ISO_4217:
            raise ValueError(f"{v!r} is not an ISO 4217 currency code")
        return v

    @field_validator("value", "min", "max")
    @classmethod
    def _not_negative(cls, v: Decimal | None, info) -> Decimal | None:
        v = _bounded(v, info.field_name)
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
        return amount_range(self.value, self.qualifier, self.min, self.max)[0]

    @property
    def high(self) -> Decimal:
        """The largest sum the statement allows; "more than X" has no stated ceiling, so X."""
        return amount_range(self.value, self.qualifier, self.min, self.max)[1]


class Share(Record):
    """A percentage: of a supplier's revenue, or of a company's ownership."""

    percent: Decimal
    of: Literal["revenue", "ownership"]
    qualifier: Qualifier = Qualifier.exact
    text: Line | None = None

    @field_validator("percent")
    @classmethod
    def _in_range(cls, v: Decimal) -> Decimal:
        if not 0 <= v <= 100:
            raise ValueError(f"percent must be between 0 and 100, not {_plain(v)}")
        return _bounded(v, "percent")

    @property
    def fraction(self) -> Decimal:
        return self.percent / 100


class Quantity(Record):
    """A quantity other than money: data-centre power in GW, or a count of shares (the shares
    a warrant covers). ``value`` is given in ``scale`` units, as an Amount's is."""

    # unit before value: the value's bound is the unit's, checked as the value's own error
    unit: Literal["GW", "MW", "shares"]
    value: Decimal
    qualifier: Qualifier = Qualifier.exact
    scale: Literal["unit", "thousand", "million", "billion", "trillion"] = "unit"
    text: Line | None = None
    _added_later = ("scale",)

    @model_validator(mode="before")
    @classmethod
    def _apply_scale(cls, data: Any) -> Any:
        return _apply_scale(data, ("value",))

    @field_validator("value")
    @classmethod
    def _in_range(cls, v: Decimal, info) -> Decimal:
        unit = info.data.get("unit")  # absent when the unit itself is wrong: the widest bound
        high = UNITS[unit][1] if unit in UNITS else max(high for _, high in UNITS.values())
        v = _bounded(v, "value", high)
        if v < 0:
            raise ValueError(f"value is negative ({_plain(v)})")
        return v

    @property
    def measures(self) -> str:
        """What the unit measures: "power" or "count" (:data:`UNITS`)."""
        return UNITS[self.unit][0]


class Tranche(Record):
    """Which part of a deal paid in instalments a claim is about: tranche ``number`` of ``of``
    (``of`` when the source says how many there are). A claim about one tranche describes a
    part, not the deal: its amount is never the deal's amount, nor its status the deal's."""

    number: int = Field(ge=1, le=1000)
    of: int | None = Field(default=None, ge=1, le=1000)

    @model_validator(mode="after")
    def _number_within(self) -> "Tranche":
        if self.of is not None and self.number > self.of:
            raise ValueError(f"tranche {self.number} of {self.of}: the number is larger than the count")
        return self


class Event(Record):
    """A change of status: ``by`` did ``kind``; for ``assumed``, ``by`` takes over ``role``."""

    kind: EventKind
    by: Slug
    role: Role | None = None
    date: PartialDate | None = None

    @model_validator(mode="after")
    def _role_for_assumed(self) -> "Event":
        if self.kind == Status.assumed.value and not self.role:
            raise ValueError("an 'assumed' event names the role its party takes over")
        return self


class Document(Record):
    """A source document (one of the articles the extractions are drawn from)."""

    #: names the document's IRI, its extraction file and its text file: an id, never free text
    id: Slug
    title: Line
    language: Literal["en", "fr", "it", "de", "es"]
    publisher: Line | None = None
    wire: Line | None = None
    #: where the text was read (``dealgraph draft --url``), linked from the graph and the report
    url: str | None = Field(default=None, max_length=2000, pattern=URL_PATTERN)
    published: PartialDate
    published_basis: Prose = Field(description="why we date it so: the text carries no date line")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    machine_translated: bool = False
    #: True when the text has no headline and ``title`` is the curator's own.
    curator_title: bool = False
    note: Prose | None = None
    #: What the curator still has to check in this record, written by ``dealgraph draft``;
    #: ``dealgraph validate`` lists it until the curator deletes it.
    review: Prose | None = None


class Entity(Record):
    """A company, a person quoted, or a named project; aliases as spelled in the sources."""

    id: Slug
    name: Line
    kind: Literal["company", "person", "project", "publication"]
    aliases: list[Line] = []
    affiliation: Slug | None = None
    position: Line | None = None
    wikidata: str | None = Field(default=None, max_length=20, pattern=r"^Q[0-9]+$")
    #: What the curator still has to check in this record, written by ``dealgraph draft``;
    #: ``dealgraph validate`` lists it until the curator deletes it.
    review: Prose | None = None


class Deal(Record):
    """A deal as an n-ary node: its kind and its parties in roles.

    What a deal is worth, when and in what state it is, comes from claims, never from here.
    """

    id: Slug
    kind: Annotated[str, Field(max_length=60)]
    label: Line
    #: a role holds one party or a list of them; an empty list would be a deal without the party
    parties: dict[Role, Parties]
    #: Roles whose holder no source names, with the curator's reason for the choice
    #: ({backstop_buyer: "the buyer is not named; Nvidia from context"}).
    inferred: dict[Role, Prose] = {}
    note: Prose | None = None
    #: What the curator still has to check in this record, written by ``dealgraph draft``;
    #: ``dealgraph validate`` lists it until the curator deletes it.
    review: Prose | None = None

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
    according_to: Line | None = Field(default=None, description="the outlet the document cites")
    amount: Amount | None = None
    share: Share | None = None
    price: Amount | None = Field(default=None, description="per-share price, for offerings")
    capacity: Quantity | None = None
    #: A count the deal is about other than capacity: the shares a warrant covers.
    quantity: Quantity | None = None
    #: For a deal paid in instalments (a letter of intent, a commitment): the tranche this claim
    #: is about; its amount and status are that tranche's, not the deal's.
    tranche: Tranche | None = None
    date: PartialDate | None = None
    until: PartialDate | None = None
    period: PartialDate | None = None
    status: Status | None = None
    event: Event | None = None
    doubtful: bool = False
    #: For a doubtful claim: the deals whose claims contradict it (listed beside it in reports).
    contradicts: list[Slug] = []
    basis: Basis = Basis.stated
    reason: Prose | None = Field(default=None, description="why the curator inferred it (basis: inferred)")
    note: Prose | None = None
    #: What the curator still has to check in this record, written by ``dealgraph draft``;
    #: ``dealgraph validate`` lists it until the curator deletes it.
    review: Prose | None = None
    _added_later = ("quantity", "tranche")

    @model_validator(mode="after")
    def _doubt_is_explained(self) -> "Claim":
        if self.doubtful and not self.note:
            raise ValueError("a doubtful claim carries a note saying why")
        _check_basis(self)
        # one field per dimension, so a count of shares is never read as a power capacity
        for name, measures in (("capacity", "power"), ("quantity", "count")):
            q = getattr(self, name)
            if q is not None and q.measures != measures:
                raise ValueError(f"{name} is a {measures} ({', '.join(u for u, (m, _) in UNITS.items() if m == measures)}), "
                                 f"not {q.unit}")
        if self.tranche is not None and self.event is not None:
            raise ValueError("an event changes the deal's status; a tranche claim states a tranche's (use status)")
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
    topic: Line = Field(description="what is said, in our own words")
    quote: str = Field(min_length=8, max_length=240)
    modality: Modality = Modality.reported
    according_to: Line | None = None
    amount: Amount | None = None
    share: Share | None = None


class Total(Record):
    """A stated total and the deals that make it up, checked when the seeds load."""

    id: Slug
    label: Line
    measure: Literal["amount", "share"]
    amount: Amount | None = None
    share: Share | None = None
    parts: list[Slug] = Field(min_length=2)
    quote: str = Field(min_length=8, max_length=240)
    #: ``inferred`` when the quote states the total but not which deals make it up.
    basis: Basis = Basis.stated
    reason: Prose | None = None
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

    document: Slug
    claims: list[Claim] = []
    statements: list[Statement] = []
    totals: list[Total] = []
