"""Synthetic deal networks in the seeds' own format, with what was planted written down.

``generate(out_dir, companies, deals, seed=...)`` writes a folder that every other command
reads like the bundled seeds (``documents.yaml``, ``entities.yaml``, ``deals.yaml``,
``extractions/<document id>.yaml``), plus ``documents/<document id>.txt``, a short, plainly
synthetic text per document in which every evidence quote appears verbatim, and
``planted.json``, the manifest of what was planted: loops, conflicting claims, stated totals
and counts. Tests and benchmarks check the analyses' outputs against that manifest.

How the network is made, and why:

* **Degrees are heavy-tailed**: the network grows (Barabasi-Albert style). Companies enter one
  at a time, in a random order, each with a deal it is party to; every other party is drawn by
  preferential attachment (with probability proportional to one plus the number of deals the
  company is already in), so early entrants become hubs that take many deals, as Nvidia,
  Microsoft and OpenAI do, while most companies have a deal or two.
* **Known loops, and only those by design**: every company gets a random rank, and every
  background deal's money flows from the lower-ranked party to the higher-ranked one (a party
  that takes over a role by an ``assumed`` event keeps that order too). The background is
  therefore acyclic; the loops are planted on purpose (about ``loop_fraction`` of the deals, at
  least three loops once there are 60 deals, of length 2-5, among companies drawn by
  preferential attachment, with known, undisputed amounts). A planted back edge can close further cycles with background paths, so
  ``loops`` finds a superset of the planted loops, never fewer.
* **Amounts** are lognormal around a median per deal kind, written with two or three
  significant digits in ``scale`` units (thousand, million, billion); some are unknown, some
  carry ``about``/``nearly``/``more_than``/``up_to`` with min/max where that makes sense.
  Revenue shares and ownership stakes carry a ``share``, kept below 100 % per supplier and
  year, and per owned company.
* **Several documents per deal** (1 to ``documents_per_deal``, most deals by one): later
  reports repeat the figure, or, where a conflict is planted, give a rounder, different or
  differently held figure (expected against reported), another share or another date.
  Withdrawals (some denied by the other party, some followed by another company assuming the
  role) and a few doubtful claims complete what :func:`dealgraph.conflicts.find_conflicts`
  reports. The manifest's conflicts are computed from the claims by the same rule, so they are
  exactly what a correct build must report.
* **Stated totals** sum two to four deals that the stating document reports with undisputed
  amounts, rounded to four significant digits (within the 0.5 % the checks allow).
* **Documents** hold 20-50 claims each, in publication order over 2023-2025; a deal's first
  report dates it, later reports follow.

Everything is drawn from one ``random.Random(seed)`` and written in a fixed order, so the same
arguments give byte-identical output.

>>> import tempfile
>>> from dealgraph.seeds import load_seeds
>>> with tempfile.TemporaryDirectory() as tmp:
...     manifest = generate(tmp, companies=30, deals=120, seed=7)
...     seeds = load_seeds(tmp, f"{tmp}/documents")
...     len(seeds.deals), manifest["counts"]["deals"]
(120, 120)
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import os
import random
import re
import shutil
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from .errors import DealGraphError
from .kinds import DEAL_KINDS, DealKind

__all__ = ["generate", "SynthError", "MANIFEST", "DEFAULT_DOCUMENTS_PER_DEAL"]

#: The manifest's file name in the output folder.
MANIFEST = "planted.json"
DEFAULT_DOCUMENTS_PER_DEAL = 3
FORMAT_VERSION = 1

#: What the output folder may hold (a folder holding only these and a manifest is ours to replace).
_OUTPUTS = {"documents.yaml", "entities.yaml", "deals.yaml", MANIFEST, "documents", "extractions"}

_START = dt.date(2023, 1, 1)
_END = dt.date(2025, 12, 31)
_SCALES = (("billion", Decimal(10) ** 9), ("million", Decimal(10) ** 6), ("thousand", Decimal(10) ** 3))

# Relative frequency, median amount in USD, and share of deals whose amount no source gives.
_KIND_WEIGHT = {"equity_investment": 20, "equity_stake": 8, "compute_contract": 18, "capacity_option": 5,
                "hardware_purchase": 14, "capacity_backstop": 4, "loan": 10, "ipo": 4, "revenue_share": 6,
                "infrastructure_partnership": 5, "spending_commitment": 6}
_KIND_MEDIAN = {"equity_investment": 4e8, "equity_stake": 1e9, "compute_contract": 1.5e9,
                "capacity_option": 3e9, "hardware_purchase": 6e8, "capacity_backstop": 2e9, "loan": 8e8,
                "ipo": 1.2e9, "revenue_share": 5e8, "infrastructure_partnership": 2e10,
                "spending_commitment": 8e9}
_KIND_UNKNOWN = {"revenue_share": 0.75, "equity_stake": 0.6}
_STATUS_PATH = {"equity_investment": ["announced", "signed", "completed"], "equity_stake": ["active"],
                "compute_contract": ["announced", "signed", "active", "completed"],
                "capacity_option": ["signed", "active"], "hardware_purchase": ["announced", "signed", "completed"],
                "capacity_backstop": ["signed", "active"], "loan": ["signed", "active", "completed"],
                "ipo": ["announced", "completed"], "revenue_share": ["active"],
                "infrastructure_partnership": ["announced", "active"],
                "spending_commitment": ["announced", "active"]}
_SHARE_OF = {"revenue_share": "revenue", "equity_stake": "ownership"}
_NO_WITHDRAWAL = {"equity_stake", "revenue_share", "ipo", "spending_commitment"}
_QUALIFIERS = (("exact", 0.62), ("about", 0.18), ("nearly", 0.07), ("more_than", 0.07), ("up_to", 0.06))
_QUALIFIER_WORD = {"exact": "", "about": "about ", "nearly": "nearly ", "more_than": "more than ", "up_to": "up to "}
_STATUS_WORD = {"announced": "has been announced", "signed": "has been signed", "active": "is running",
                "completed": "has been completed"}
_AMOUNT_PLANTS = ("rounding", "figure", "modality")
_OUTLETS = ("Synthetic Wire", "The Example Times", "Placeholder Daily")
_POSITIONS = ("chief executive", "chief financial officer", "analyst", "journalist")


class SynthError(DealGraphError, ValueError):
    """The generator's arguments or output folder are unusable."""


# ---------------------------------------------------------------------------------------------
# Plans: what each deal is and what each document says about it, before any text is written


@dataclass
class _Money:
    """An amount as a source writes it: ``value`` in ``scale`` units, and in units."""

    value: Decimal
    scale: str
    qualifier: str = "exact"
    min: Decimal | None = None
    max: Decimal | None = None

    @property
    def factor(self) -> Decimal:
        return dict(_SCALES).get(self.scale, Decimal(1))

    @property
    def units(self) -> Decimal:
        return self.value * self.factor

    def text(self) -> str:
        if self.min is not None and self.max is not None:
            return f"between {_dec(self.min)} and {_dec(self.max)} {self.scale} dollars"
        return f"{_QUALIFIER_WORD[self.qualifier]}{_dec(self.value)} {self.scale} dollars"

    def yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "scale": self.scale, "currency": "USD"}
        if self.qualifier != "exact":
            out["qualifier"] = self.qualifier
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        out["text"] = self.text()
        return out


@dataclass
class _Claim:
    """One claim to write: a deal, what is said, and how."""

    modality: str = "reported"
    amount: _Money | None = None
    share: tuple[Decimal, str, str] | None = None  # (percent, of, qualifier)
    date: str | None = None  # "DEAL" (the deal's date, filled in later) or a partial date
    until: str | None = None
    period: str | None = None
    price: Decimal | None = None
    capacity: Decimal | None = None
    status: str | None = None
    event: tuple[str, int, str | None] | None = None  # (kind, company index, role)
    speaker: str | None = None  # an entity id
    according_to: str | None = None
    doubtful: bool = False
    note: str | None = None
    event_date: str | None = None


@dataclass
class _Deal:
    n: int
    kind: DealKind
    parties: dict[str, list[int]]
    money: _Money | None = None
    share: tuple[Decimal, str, str] | None = None
    period: str | None = None
    until: str | None = None
    loop: int | None = None
    reports: list[list[_Claim]] = field(default_factory=list)
    planted: dict[str, str] = field(default_factory=dict)  # property -> how its conflict was planted
    withdrawn_by: int | None = None
    assumed_by: int | None = None
    id: str = ""
    label: str = ""
    date: str | None = None
    day: dt.date | None = None
    docs: list[int] = field(default_factory=list)

    def party(self, role: str | None) -> int | None:
        who = self.parties.get(role or "")
        return who[0] if who else None


@dataclass
class _Group:
    """What one document says about one deal: a few claims at a place on the timeline."""

    deal: _Deal
    report: int
    claims: list[_Claim]
    t: float = 0.0


# ---------------------------------------------------------------------------------------------
# Small helpers


def _dec(d: Decimal) -> str:
    """A Decimal as plain text, never in exponent form: 3.5E+2 -> '350'."""
    text = format(d.normalize(), "f")
    return text


def _sig(x: float, digits: int) -> Decimal:
    """``x`` rounded to ``digits`` significant digits, as an exact Decimal."""
    d = Decimal(repr(float(x)))
    exp = d.adjusted() - (digits - 1)
    return (d.scaleb(-exp).quantize(Decimal(1), rounding=ROUND_HALF_EVEN).scaleb(exp)).normalize()


def _scaled(units: float, digits: int) -> tuple[Decimal, str]:
    """Units -> (value, scale name) as a source would write them."""
    for name, factor in _SCALES:
        if units >= float(factor) or name == "thousand":
            return _sig(units / float(factor), digits), name
    raise AssertionError("unreachable")


def _py(d: Decimal) -> int | float:
    """A Decimal as the number the SPARQL results give for it (int when integral)."""
    return int(d) if d == d.to_integral_value() else float(d)


def _weighted(rng: random.Random, pairs) -> Any:
    x = rng.random() * sum(w for _, w in pairs)
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def _partial(day: dt.date, rng: random.Random, weights=(0.7, 0.2, 0.1)) -> str:
    """A day written as a month, a full date or a year, as sources do."""
    form = _weighted(rng, list(zip(("month", "day", "year"), weights)))
    if form == "month":
        return day.strftime("%Y-%m")
    if form == "day":
        return day.isoformat()
    return str(day.year)


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def _scalar(v: Any) -> str:
    if type(v) is str:
        return _short_text(v) if len(v) < 48 else _text(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return _dec(v)
    if isinstance(v, int):
        return str(v)
    return _text(str(v))


def _text(s: str) -> str:
    """Plain when YAML reads it back as the same string, else double-quoted."""
    if _DATE.match(s) or (_PLAIN.match(s) and s.casefold() not in _YAML_WORDS):
        return s
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


_short_text = functools.lru_cache(maxsize=1 << 16)(_text)  # ids, enums and units repeat a lot


def _flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return _scalar(v)


def _records(key: str, items: list[dict[str, Any]]) -> str:
    """A YAML block list of records, nested values in flow style (the seeds' layout)."""
    if not items:
        return f"{key}: []\n"
    out = [f"{key}:\n"]
    for item in items:
        first = True
        for k, v in item.items():
            out.append(("  - " if first else "    ") + f"{k}: {_flow(v)}\n")
            first = False
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# The generator


class _Synth:
    def __init__(self, companies: int, deals: int, seed: int, documents_per_deal: int, loop_fraction: float):
        self.n_companies = companies
        self.n_deals = deals
        self.seed = seed
        self.k = documents_per_deal
        self.loop_fraction = loop_fraction
        self.rng = random.Random(seed)
        width = max(4, len(str(companies - 1)))
        self.cid = [f"company-{i:0{width}d}" for i in range(companies)]
        self.cname = [f"Company-{i:0{width}d}" for i in range(companies)]
        self.calias = [f"Company {i} Inc." for i in range(companies)]
        self.cindex = {cid: i for i, cid in enumerate(self.cid)}
        self.short = False  # name companies canonically and drop leads, to keep quotes short
        rank = list(range(companies))
        self.rng.shuffle(rank)
        self.rank = rank  # money flows from lower to higher rank in the background
        self.by_rank = sorted(range(companies), key=rank.__getitem__)
        self.pool: list[int] = []  # preferential attachment: one ticket per company + one per deal
        self.degree = [0] * companies
        self.n_persons = min(500, max(3, companies // 20))
        self.persons = []
        for i in range(self.n_persons):
            position = _POSITIONS[i % len(_POSITIONS)]
            affiliation = self.rng.randrange(companies) if position.startswith("chief") else None
            self.persons.append((f"person-{i + 1:03d}", f"Person-{i + 1:03d}", position, affiliation))
        self.deals: list[_Deal] = []
        self.ipo_done: set[int] = set()
        self.revenue_left: dict[tuple[int, str], Decimal] = defaultdict(lambda: Decimal(100))
        self.ownership_left: dict[int, Decimal] = defaultdict(lambda: Decimal(100))

    # -- parties -------------------------------------------------------------------------

    def pick(self, exclude=()) -> int:
        for _ in range(50):
            c = self.pool[self.rng.randrange(len(self.pool))]
            if c not in exclude:
                return c
        rest = sorted(set(self.pool) - set(exclude)) or [c for c in range(self.n_companies) if c not in exclude]
        return self.rng.choice(rest)

    def attach(self, deal: _Deal) -> None:
        for who in deal.parties.values():
            for c in who:
                self.pool.append(c)
                self.degree[c] += 1

    def ordered_pair(self) -> tuple[int, int]:
        a = self.pick()
        b = self.pick(exclude=(a,))
        return (a, b) if self.rank[a] < self.rank[b] else (b, a)

    # -- values --------------------------------------------------------------------------

    def money(self, kind: str, *, plain: bool = False) -> _Money:
        median = _KIND_MEDIAN.get(kind, 1e9)
        units = min(5e11, max(1e5, self.rng.lognormvariate(math.log(median), 1.3)))
        value, scale = _scaled(units, 3 if self.rng.random() < 0.25 else 2)
        if plain:
            return _Money(value, scale)
        qualifier = _weighted(self.rng, _QUALIFIERS)
        m = _Money(value, scale, qualifier)
        if qualifier == "about" and self.rng.random() < 0.25:
            low = _sig(float(value) * 0.85, 2)
            high = _sig(float(value) * 1.15, 2)
            if low < high:
                m.min, m.max, m.value = low, high, (low + high) / 2
        elif qualifier == "up_to" and self.rng.random() < 0.5:
            m.max = value
        elif qualifier == "more_than" and self.rng.random() < 0.5:
            m.min = value
        return m

    def share(self, kind: str, deal: _Deal) -> tuple[Decimal, str, str]:
        of = _SHARE_OF[kind]
        if of == "revenue":
            key = (deal.party(deal.kind.flow_to), deal.period or "")
            left = self.revenue_left[key]
        else:
            key = deal.party(deal.kind.flow_to)
            left = self.ownership_left[key]
        pct = max(Decimal(1), _sig(float(left) * self.rng.uniform(0.05, 0.45), 2)) if left >= 2 else Decimal(1)
        pct = min(pct, Decimal(100))
        if of == "revenue":
            self.revenue_left[key] = max(Decimal(0), left - pct)
        else:
            self.ownership_left[key] = max(Decimal(0), left - pct)
        qualifier = _weighted(self.rng, (("exact", 0.8), ("about", 0.1), ("more_than", 0.1)))
        return pct, of, qualifier

    # -- deals ---------------------------------------------------------------------------

    def plan_loop_lengths(self) -> None:
        """How many loops, how long: about ``loop_fraction`` of the deals, at least three loops."""
        count = max(min(3, self.n_deals // 20), round(self.n_deals * self.loop_fraction / 3.5))
        budget = self.n_deals // 2
        self.loop_lengths: list[int] = []
        for _ in range(count):
            length = self.rng.randint(2, min(5, self.n_companies))
            if length > budget:
                break
            budget -= length
            self.loop_lengths.append(length)

    def plan_loops(self) -> None:
        """Close the planted loops among companies drawn by preferential attachment (hubs, mostly)."""
        self.loops: list[list[_Deal]] = []
        kinds = [k for k in DEAL_KINDS.values() if k.flow_from and k.flow_to and k.layer == "flow"
                 and k.name not in _SHARE_OF]
        for i, length in enumerate(self.loop_lengths):
            members: list[int] = []
            while len(members) < length:
                members.append(self.pick(exclude=members))
            loop = []
            for j in range(length):
                kind = self.rng.choice(kinds)
                d = _Deal(0, kind, {kind.flow_from: [members[j]], kind.flow_to: [members[(j + 1) % length]]},
                          money=self.money(kind.name, plain=True), loop=i)
                self.attach(d)
                loop.append(d)
            self.loops.append(loop)
            self.deals.extend(loop)

    def plan_background(self) -> None:
        """The deals off the planted loops, on a growing network (Barabasi-Albert style).

        Companies enter one by one, in a random order, each with a deal it is party to; every
        other party is drawn by preferential attachment. Early entrants become the hubs.
        """
        n = self.n_deals - sum(self.loop_lengths)
        names = list(DEAL_KINDS)
        weights = [(k, _KIND_WEIGHT.get(k, 5)) for k in names]
        kinds = [_weighted(self.rng, weights) for _ in range(n)]
        if n >= len(names):  # every kind appears at least once
            for k, i in zip(names, self.rng.sample(range(n), len(names))):
                kinds[i] = k
        entry = list(range(self.n_companies))
        self.rng.shuffle(entry)
        seeded = min(self.n_companies, max(3, self.n_companies // 50))
        self.pool = list(entry[:seeded])
        entered = seeded
        for j, name in enumerate(kinds):
            due = seeded + math.ceil((self.n_companies - seeded) * (j + 1) / n)
            newcomer = entry[entered] if entered < due else None
            while entered < due:  # newcomers join with one ticket each
                self.pool.append(entry[entered])
                entered += 1
            kind = DEAL_KINDS[name]
            if kind.flow_from and kind.flow_to:
                a = newcomer if newcomer is not None else self.pick()
                b = self.pick(exclude=(a,))
                payer, payee = (a, b) if self.rank[a] < self.rank[b] else (b, a)
                parties = {kind.flow_from: [payer], kind.flow_to: [payee]}
            elif kind.flow_from or kind.flow_to:
                role = kind.flow_from or kind.flow_to
                who = newcomer if newcomer is not None else self.pick()
                if name == "ipo":
                    for _ in range(10):
                        if who not in self.ipo_done:
                            break
                        who = self.pick()
                    self.ipo_done.add(who)
                parties = {role: [who]}
            else:  # several partners in one role
                count = min(self.n_companies, self.rng.choice((2, 2, 3, 3, 4)))
                members = [newcomer] if newcomer is not None else []
                while len(members) < count:
                    members.append(self.pick(exclude=members))
                parties = {kind.required_roles[0]: sorted(members)}
            d = _Deal(0, kind, parties)
            if self.rng.random() >= _KIND_UNKNOWN.get(name, 0.15):
                d.money = self.money(name)
            if name == "revenue_share":
                d.period = str(self.rng.choice((2023, 2024, 2025)))
            if name in _SHARE_OF:
                d.share = self.share(name, d)
            if name in ("capacity_backstop", "loan") and self.rng.random() < 0.4:
                d.until = str(self.rng.randint(2027, 2035)) + f"-{self.rng.randint(1, 12):02d}"
            self.attach(d)
            self.deals.append(d)
        self.pool.extend(entry[entered:])

    def number(self) -> None:
        self.rng.shuffle(self.deals)
        width = max(6, len(str(len(self.deals))))
        for i, d in enumerate(self.deals):
            d.n = i
            d.id = f"{d.kind.name.replace('_', '-')}-{i:0{width}d}"

    # -- what the documents say ----------------------------------------------------------

    def plan_reports(self) -> None:
        rng = self.rng
        for d in self.deals:
            r = 1
            while r < self.k and rng.random() < 0.4:
                r += 1
            path = _STATUS_PATH.get(d.kind.name, ["announced", "active"])
            at = rng.randrange(len(path))
            statuses = []
            for _ in range(r):
                statuses.append(path[at])
                if at + 1 < len(path) and rng.random() < 0.5:
                    at += 1
            reports: list[list[_Claim]] = [[] for _ in range(r)]
            clean = d.loop is not None
            # Events: a withdrawal (maybe denied), or a withdrawal and a take-over.
            withdraw = assume = deny = False
            if not clean and d.kind.name not in _NO_WITHDRAWAL:
                x = rng.random()
                if x < 0.03 and d.kind.flow_from and d.kind.flow_to and self.n_companies >= 3:
                    assume = True
                elif x < 0.09:
                    withdraw = True
                    deny = rng.random() < 0.3
            last_status = r - 1
            if withdraw or assume:
                last_status = r - 2 if (deny and r >= 2) else r - 1
            # The first report: what the deal is, and the status it had.
            first = _Claim(status=statuses[0] if d.kind.name != "revenue_share" or rng.random() < 0.5 else None)
            if d.kind.name != "revenue_share" and rng.random() < 0.7:  # a revenue share has a period
                first.date = "DEAL"
            if d.period:
                first.period = d.period
            if d.until:
                first.until = d.until
            if d.share:
                first.share = d.share
            if d.kind.name == "ipo" and rng.random() < 0.5:
                first.price = _sig(rng.uniform(8, 80), 2)
            if d.kind.name == "infrastructure_partnership" and rng.random() < 0.4:
                first.capacity = _sig(rng.uniform(0.2, 8), 2)
            amount_modality = "reported"
            if d.money and statuses[0] == "announced" and rng.random() < 0.4:
                amount_modality = "expected"
            if d.kind.name == "ipo" and d.money and statuses[0] == "announced":
                amount_modality = "expected"
            if d.money:
                if rng.random() < 0.25 and not clean:  # amount and status in separate sentences
                    reports[0].append(_Claim(modality=amount_modality, amount=d.money))
                else:
                    first.amount = d.money
                    first.modality = amount_modality
            if rng.random() < 0.08:
                first.speaker = self.person()
            reports[0].insert(0, first)
            if rng.random() < 0.1:
                first.according_to = rng.choice(_OUTLETS)
            # Which conflict, if any, the later reports plant.
            plant = None
            if r >= 2 and not clean:
                x = rng.random()
                if d.money and x < 0.25:
                    plant = rng.choice(_AMOUNT_PLANTS)
                elif d.share and x < 0.45:
                    plant = "share"
                elif first.date and x < 0.3:
                    plant = "date"
            for j in range(1, r):
                claim = _Claim()
                if j <= last_status and (statuses[j] != statuses[j - 1] or rng.random() < 0.3):
                    claim.status = statuses[j]
                if d.money and (plant in _AMOUNT_PLANTS or rng.random() < 0.6):
                    claim.amount, claim.modality = d.money, amount_modality
                    if plant in _AMOUNT_PLANTS and j == 1:
                        claim.amount, claim.modality = self.variant(d.money, plant, amount_modality)
                        d.planted["amount"] = plant
                # A share repeated under another modality would be a conflict nobody planted.
                if d.share and (plant == "share" or rng.random() < 0.5) and claim.modality == first.modality:
                    claim.share = d.share
                    if plant == "share" and j == 1:
                        pct, of, q = d.share
                        other = max(Decimal(1), min(Decimal(100), pct + rng.choice((-3, -2, -1, 1, 2, 3))))
                        if other == pct:
                            other = pct + 1 if pct < 100 else pct - 1
                        claim.share = (other, of, q)
                        d.planted["share"] = "share"
                if plant == "date" and j == 1:
                    claim.date = "OTHER"
                    d.planted["date"] = "date"
                if claim.status or claim.amount or claim.share or claim.date:
                    reports[j].append(claim)
            # Events, in the last reports.
            if withdraw or assume:
                payer = d.party(d.kind.flow_from) if d.kind.flow_from else rng.choice(next(iter(d.parties.values())))
                w = last_status if last_status >= 0 else 0
                d.withdrawn_by = payer
                reports[w].append(_Claim(event=("withdrawn", payer, None)))
                if assume:
                    payee = d.party(d.kind.flow_to)
                    taker = None  # a hub if one ranks below the payee (money keeps flowing "down")
                    for _ in range(20):
                        c = self.pick(exclude=(payer, payee))
                        if self.rank[c] < self.rank[payee]:
                            taker = c
                            break
                    if taker is None and self.rank[payee] >= 2:
                        taker = self.by_rank[rng.randrange(self.rank[payee])]
                        if taker == payer:
                            taker = self.by_rank[(self.rank[payer] + 1) % self.rank[payee]]
                    if taker is not None and taker not in (payer, payee):
                        d.assumed_by = taker
                        reports[w].append(_Claim(event=("assumed", taker, d.kind.flow_from)))
                if deny:
                    others = [c for who in d.parties.values() for c in who if c != payer]
                    speaker = d.party(d.kind.flow_to) if d.kind.flow_to else (others[0] if others else payer)
                    where = r - 1
                    reports[where].append(_Claim(modality="denied", event=("withdrawn", payer, None),
                                                 speaker=self.cid[speaker]))
                    d.planted["event"] = "denial"
            if not clean and rng.random() < 0.005 + (0.01 if self.n_deals < 2000 else 0):
                j = rng.randrange(r)
                reports[j].append(_Claim(date="DOUBTFUL", doubtful=True,
                                         note="Planted by dealgraph synth: the date contradicts the rest of "
                                              "the report."))
                d.planted["date"] = "doubtful"
            for claims in reports:
                if not claims:  # every report says at least that the deal exists
                    claims.append(_Claim())
            d.reports = reports

    def person(self) -> str:
        return self.persons[self.rng.randrange(len(self.persons))][0]

    def variant(self, m: _Money, plant: str, modality: str) -> tuple[_Money, str]:
        rng = self.rng
        if plant == "rounding":  # a rounder figure, held the same way
            value = _sig(float(m.value), 1)
            qualifier = "about" if value != m.value else rng.choice(("about", "nearly"))
            if qualifier == m.qualifier:
                qualifier = "nearly" if qualifier == "about" else "about"
            return _Money(value, m.scale, qualifier), modality
        if plant == "figure":  # another figure, 10 to 50 % away
            for _ in range(10):
                value = _sig(float(m.value) * rng.choice((rng.uniform(0.5, 0.9), rng.uniform(1.1, 1.5))), 2)
                if value > 0 and value != m.value:
                    return _Money(value, m.scale, m.qualifier if m.min is None else "exact"), modality
            return _Money(m.value * 2, m.scale), modality
        # "modality": the same deal held differently: hoped for, or expected, against reported
        other = "reported" if modality != "reported" else rng.choice(("expected", "target"))
        value = _sig(float(m.value) * rng.uniform(0.7, 1.3), 2)
        return _Money(value if value > 0 else m.value, m.scale, rng.choice(("exact", "up_to"))), other

    # -- documents -----------------------------------------------------------------------

    def assign_documents(self) -> None:
        rng = self.rng
        groups = [_Group(d, j, claims) for d in self.deals for j, claims in enumerate(d.reports)]
        total = sum(len(g.claims) for g in groups)
        width = 35 / max(total, 1)  # the share of the timeline one document covers
        # A place on the timeline for each report: the first anywhere, later ones a few
        # documents further on; sorted (stably) into publication order.
        t_of: dict[int, list[float]] = {}
        for d in self.deals:
            t = rng.random()
            ts = [t]
            for _ in range(1, len(d.reports)):
                t += width * rng.uniform(1.5, 8)
                ts.append(t)
            t_of[d.n] = ts
        for g in groups:
            g.t = t_of[g.deal.n][g.report]
        groups.sort(key=lambda g: g.t)
        docs: list[list[_Group]] = []
        stream = deque(groups)
        carry: deque[_Group] = deque()
        while stream or carry:
            capacity = rng.randint(20, 50)
            cur: list[_Group] = []
            seen: set[int] = set()
            size = 0
            held: deque[_Group] = deque()
            for source in (carry, stream):
                while source and size < capacity:
                    g = source.popleft()
                    if g.deal.n in seen:
                        held.append(g)
                        continue
                    cur.append(g)
                    seen.add(g.deal.n)
                    size += len(g.claims)
            carry.extendleft(reversed(held))
            if not cur:
                break
            docs.append(cur)
        self.docs = docs
        # Publication days, in document order over 2023-2025.
        span = (_END - _START).days
        self.doc_day = []
        for i in range(len(docs)):
            offset = int((i + rng.random()) * span / len(docs))
            self.doc_day.append(_START + dt.timedelta(days=min(span, offset)))
        self.doc_published = [_partial(day, rng, (0.75, 0.25, 0.0)) for day in self.doc_day]
        for i, doc in enumerate(docs):
            for g in doc:
                g.deal.docs.append(i)
        for d in self.deals:
            first = min(d.docs)
            day = self.doc_day[first] - dt.timedelta(days=rng.randint(0, 120))
            d.day = max(_START, day)
            d.date = _partial(d.day, rng)
            d.label = self.label(d)

    # -- text ----------------------------------------------------------------------------

    def mention(self, c: int) -> str:
        return self.calias[c] if not self.short and self.rng.random() < 0.2 else self.cname[c]

    def label(self, d: _Deal) -> str:
        p = {role: [self.cname[c] for c in who] for role, who in d.parties.items()}
        if d.kind.flow_from and d.kind.flow_to:
            return f"{d.kind.label}, {p[d.kind.flow_from][0]} to {p[d.kind.flow_to][0]}"
        return f"{d.kind.label} of {_join(p[d.kind.required_roles[0]])}"

    def phrase(self, d: _Deal) -> str:
        m = {role: [self.mention(c) for c in who] for role, who in d.parties.items()}
        f, t = d.kind.flow_from, d.kind.flow_to
        name = d.kind.name
        if name == "equity_investment":
            return f"the investment of {m[f][0]} in {m[t][0]}"
        if name == "equity_stake":
            return f"the stake {m[f][0]} holds in {m[t][0]}"
        if name == "compute_contract":
            return f"the compute contract of customer {m[f][0]} with supplier {m[t][0]}"
        if name == "capacity_option":
            return f"the option of {m[f][0]} on capacity from {m[t][0]}"
        if name == "hardware_purchase":
            return f"the hardware {m[f][0]} buys from {m[t][0]}"
        if name == "capacity_backstop":
            return f"the commitment of {m[f][0]} to buy the unsold capacity of {m[t][0]}"
        if name == "loan":
            return f"the loan from {m[f][0]} to {m[t][0]}"
        if name == "ipo":
            return f"the initial public offering of {m[t][0]}"
        if name == "revenue_share":
            return f"the business {m[f][0]} gives {m[t][0]}"
        if name == "spending_commitment":
            return f"the AI spending plan of {m[f][0]}"
        if f and t:
            return f"the {d.kind.label.lower()} from {m[f][0]} to {m[t][0]}"
        role = d.kind.required_roles[0]
        return f"the {d.kind.label.lower()} of {_join(m[role])}"

    def sentence(self, d: _Deal, c: _Claim) -> str:
        """What the claim says, as one sentence: its evidence quote."""
        lead = ""
        if c.speaker and c.speaker.startswith("person-") and not self.short:
            lead = f"according to {self.persons[int(c.speaker.split('-')[1]) - 1][1]}, "
        if c.event:
            kind, who, role = c.event
            if c.modality == "denied":
                speaker = self.cname[self.cindex[c.speaker]] if c.speaker else "a party"
                return _period(f"{speaker} denies that {self.mention(who)} has withdrawn from {self.phrase(d)}")
            if kind == "withdrawn":
                return _period(lead + f"{self.mention(who)} has withdrawn from {self.phrase(d)}")
            return _period(lead + f"{self.mention(who)} has taken over the place of "
                                  f"{role.replace('_', ' ')} in {self.phrase(d)}")
        if c.doubtful:
            return _period(f"{self.phrase(d)} is said to date from {c.date}")
        parts = []
        if c.amount:
            verb = {"reported": "is worth", "expected": "is expected to be worth", "target": "is hoped to reach"}
            parts.append(f"{verb[c.modality]} {c.amount.text()}")
        if c.share:
            pct, of, q = c.share
            whose = self.mention(d.party(d.kind.flow_to))
            what = f"of the revenue of {whose}" + (f" in {c.period}" if c.period else "") if of == "revenue" \
                else f"of {whose}"
            parts.append(f"stands for {_QUALIFIER_WORD[q]}{_dec(pct)} % {what}")
        elif c.period:
            parts.append(f"covers {c.period}")
        if c.price:
            parts.append(f"prices its shares at {_dec(c.price)} dollars each")
        if c.capacity:
            parts.append(f"aims at about {_dec(c.capacity)} GW")
        if c.date:
            parts.append(f"dates from {c.date}")
        if c.until:
            parts.append(f"runs until {c.until}")
        if c.status:
            parts.append(_STATUS_WORD[c.status])
        if not parts:
            parts.append("is on record")
        return _period(lead + f"{self.phrase(d)} {_join(parts)}")

    # -- writing -------------------------------------------------------------------------

    def render(self) -> None:
        rng = self.rng
        self.documents: list[dict[str, Any]] = []
        self.extractions: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []
        self.claims_by_deal: dict[int, list[tuple[str, dict[str, Any], _Claim]]] = defaultdict(list)
        self.totals: list[dict[str, Any]] = []
        self.statement_count = 0
        n_totals = max(2, self.n_deals // 1000) if self.n_deals >= 20 else 0
        total_docs = set(rng.sample(range(len(self.docs)), min(len(self.docs), n_totals * 3)))
        # Three digits and a hash, like the curated seeds' ids (the report shows the first three).
        id_width = max(3, len(str(len(self.docs) - 1)))
        for i, groups in enumerate(self.docs):
            lines = [f"Synthetic report {i}. Generated by dealgraph synth (seed {self.seed}); "
                     "every company, person and figure in it is made up."]
            claims: list[dict[str, Any]] = []
            pending: list[tuple[_Deal, dict[str, Any], _Claim]] = []
            item = 0
            for g in groups:
                d = g.deal
                for c in g.claims:
                    item += 1
                    c = self.dated(d, c, i)
                    quote = self.sentence(d, c)
                    if len(quote) > 240:  # a claim's quote holds at most 240 characters
                        self.short = True  # canonical names, no "according to"
                        quote = self.sentence(d, c)
                        self.short = False
                        if len(quote) > 240:
                            raise AssertionError(f"quote too long ({len(quote)}): {quote}")
                    lines.append(f"Synthetic report {i}, item {item}: {quote}")
                    rec = self.claim_record(d, c, quote)
                    claims.append(rec)
                    pending.append((d, rec, c))
            statements = []
            if rng.random() < 0.3:
                item += 1
                speaker = self.person()
                about = sorted({self.cid[c] for c in (self.pick(), self.pick())})
                names = _join([self.cname[self.cindex[a]] for a in about])
                quote = (f"{self.persons[int(speaker.split('-')[1]) - 1][1]} says that {names} "
                         f"{rng.choice(('depend too much on each other', 'are spending ahead of demand', 'lead the market'))}.")
                lines.append(f"Synthetic report {i}, item {item}: {quote}")
                statements.append({"speaker": speaker, "about": about,
                                   "topic": "Synthetic commentary planted by dealgraph synth.", "quote": quote})
                self.statement_count += 1
            totals = []
            if i in total_docs and len(self.totals) < n_totals:
                total = self.total(i, groups, item + 1)
                if total:
                    item += 1
                    lines.append(f"Synthetic report {i}, item {item}: {total['quote']}")
                    totals.append(total)
            text = "\n".join(lines) + "\n"
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            doc_id = f"{i:0{id_width}d}_{sha[:16]}"
            for d, rec, c in pending:
                self.claims_by_deal[d.n].append((doc_id, rec, c))
            for t in totals:
                t["_document"] = doc_id
            parties = sorted({self.cname[c] for g in groups[:2] for who in g.deal.parties.values() for c in who})
            self.documents.append({
                "id": doc_id,
                "title": f"Synthetic report {i}: {_join(parties)} and {max(0, len(groups) - 2)} more deals",
                "language": "en",
                "publisher": "dealgraph synth",
                "published": self.doc_published[i],
                "published_basis": f"Synthetic: dated by its place ({i + 1} of {len(self.docs)}) in the "
                                   "generated 2023-2025 timeline.",
                "sha256": sha,
                "note": f"Generated by dealgraph synth (seed {self.seed}); not a real article.",
            })
            body = f"# Synthetic extraction of report {i} (dealgraph synth, seed {self.seed}).\n"
            body += f"document: {json.dumps(doc_id)}\n"
            body += _records("claims", claims)
            if statements:
                body += _records("statements", statements)
            if totals:
                body += _records("totals", [{k: v for k, v in t.items() if not k.startswith("_")} for t in totals])
            self.extractions.append((doc_id, body))
            self.texts.append((doc_id, text))

    def dated(self, d: _Deal, c: _Claim, doc: int) -> _Claim:
        """Fill in the dates a claim refers to, now that the documents have days."""
        if c.date == "DEAL":
            c.date = d.date
        elif c.date == "OTHER":  # a planted date conflict: a month off
            day = d.day + dt.timedelta(days=self.rng.choice((-1, 1)) * self.rng.randint(31, 95))
            other = day.strftime("%Y-%m")
            c.date = other if other != d.date else (d.day + dt.timedelta(days=200)).strftime("%Y-%m")
        elif c.date == "DOUBTFUL":
            c.date = str(d.day.year - self.rng.randint(3, 6))
        if c.event and c.event[0] in ("withdrawn", "assumed") and c.modality != "denied":
            c.event_date = self.doc_day[doc].isoformat()
        return c

    def claim_record(self, d: _Deal, c: _Claim, quote: str) -> dict[str, Any]:
        rec: dict[str, Any] = {"deal": d.id, "quote": quote}
        if c.modality != "reported":
            rec["modality"] = c.modality
        if c.speaker:
            rec["speaker"] = c.speaker
        if c.according_to:
            rec["according_to"] = c.according_to
        if c.amount:
            rec["amount"] = c.amount.yaml()
        if c.share:
            pct, of, q = c.share
            rec["share"] = {"percent": pct, "of": of, **({"qualifier": q} if q != "exact" else {}),
                            "text": f"{_QUALIFIER_WORD[q]}{_dec(pct)} %"}
        if c.price:
            rec["price"] = {"value": c.price, "currency": "USD", "per": "share", "text": f"{_dec(c.price)} dollars"}
        if c.capacity:
            rec["capacity"] = {"value": c.capacity, "unit": "GW", "qualifier": "about",
                               "text": f"about {_dec(c.capacity)} GW"}
        for name in ("date", "until", "period"):
            if getattr(c, name):
                rec[name] = getattr(c, name)
        if c.status:
            rec["status"] = c.status
        if c.event:
            kind, who, role = c.event
            ev: dict[str, Any] = {"kind": kind, "by": self.cid[who]}
            if role:
                ev["role"] = role
            if c.event_date:
                ev["date"] = c.event_date
            rec["event"] = ev
        if c.doubtful:
            rec["doubtful"] = True
            rec["note"] = c.note
        return rec

    def total(self, doc: int, groups: list[_Group], item: int) -> dict[str, Any] | None:
        """A stated total over deals this document reports with undisputed amounts."""
        candidates = []
        for g in groups:
            d = g.deal
            if d.money is None or "amount" in d.planted:
                continue
            if not any(c.amount is not None for c in g.claims):
                continue
            candidates.append(d)
        if len(candidates) < 2:
            return None
        parts = self.rng.sample(candidates, min(len(candidates), self.rng.randint(2, 4)))
        parts.sort(key=lambda d: d.n)
        units = sum((d.money.units for d in parts), Decimal(0))
        value, scale = _scaled(float(units), 4)
        stated = _Money(value, scale)
        n = len(self.totals)
        quote = f"Together, the {len(parts)} deals above add up to {stated.text()}."
        t = {"id": f"synthetic-total-{n:05d}", "label": f"Total of {len(parts)} deals in synthetic report {doc}",
             "measure": "amount", "amount": stated.yaml(), "parts": [d.id for d in parts], "quote": quote,
             "_stated": stated.units, "_parts": {d.id: d.money.units for d in parts}}
        self.totals.append(t)
        return t

    # -- the manifest --------------------------------------------------------------------

    def conflicts(self) -> list[dict[str, Any]]:
        """The conflicts :func:`dealgraph.conflicts.find_conflicts` must report, by its rule."""
        out = []
        for d in sorted(self.deals, key=lambda d: d.id):
            items = self.claims_by_deal[d.n]
            if len(items) == 1 and not items[0][2].doubtful and items[0][2].modality != "denied":
                continue  # one plain claim cannot disagree with itself
            groups: dict[str, dict[tuple, dict[str, Any]]] = defaultdict(dict)
            for doc, rec, c in items:
                modality = c.modality
                values = []
                if c.amount:
                    values.append(("amount", _py(c.amount.units), c.amount.qualifier, "USD"))
                if c.price:
                    values.append(("price", _py(c.price), "exact", "USD"))
                if c.capacity:
                    values.append(("capacity", _py(c.capacity), "about", "GW"))
                if c.share:
                    values.append(("share", _py(c.share[0] / 100), c.share[2], None))
                for name in ("date", "until", "period"):
                    if getattr(c, name):
                        values.append((name, getattr(c, name), None, None))
                if c.event:
                    kind, who, _ = c.event
                    values.append(("event", f"{kind} by {self.cname[who]}", None, None))
                for prop, value, qualifier, unit in values:
                    cv = groups[prop].setdefault((value, qualifier, unit, modality), {
                        "value": value, "qualifier": qualifier, "modality": modality, "documents": [],
                        "doubtful": False})
                    if doc not in cv["documents"]:
                        cv["documents"].append(doc)
                    cv["doubtful"] |= c.doubtful
            for prop in sorted(groups):
                vs = list(groups[prop].values())
                kind = None
                if prop == "event":
                    denied = {v["value"] for v in vs if v["modality"] == "denied"}
                    if denied:
                        vs, kind = [v for v in vs if v["value"] in denied], "denied"
                elif any(v["doubtful"] for v in vs):
                    kind = "doubtful"
                elif len({(v["value"], v["qualifier"], v["modality"]) for v in vs}) >= 2:
                    kind = "values differ"
                    numbers = [v["value"] for v in vs if isinstance(v["value"], (int, float))]
                    if (len(numbers) == len(vs) and len({v["modality"] for v in vs}) == 1 and min(numbers) > 0
                            and max(numbers) / min(numbers) <= 1.05):
                        kind = "rounding"
                if kind:
                    out.append({"deal": d.id, "property": prop, "kind": kind,
                                "planted_as": d.planted.get(prop),
                                "values": [{k: v for k, v in x.items() if k != "doubtful"} for x in vs]})
        return out

    def manifest(self) -> dict[str, Any]:
        loops = []
        for i, loop in enumerate(self.loops):
            members = [d.party(d.kind.flow_from) for d in loop]
            amounts = [_py(d.money.units) for d in loop]
            loops.append({"id": f"loop-{i:04d}", "length": len(loop),
                          "members": [self.cid[c] for c in members],
                          "names": [self.cname[c] for c in members],
                          "deals": [d.id for d in loop], "kinds": [d.kind.name for d in loop],
                          "amounts": amounts, "bottleneck": min(amounts)})
        conflicts = self.conflicts()
        degrees = sorted(((self.degree[c], self.cid[c]) for c in range(self.n_companies)), key=lambda x: (-x[0], x[1]))
        by_kind = Counter(d.kind.name for d in self.deals)
        claims = sum(len(v) for v in self.claims_by_deal.values())
        ordered = sorted(self.degree)
        return {
            "generator": "dealgraph.synth",
            "format": FORMAT_VERSION,
            "parameters": {"companies": self.n_companies, "deals": self.n_deals, "seed": self.seed,
                           "documents_per_deal": self.k, "loop_fraction": self.loop_fraction},
            "counts": {
                "companies": self.n_companies, "persons": self.n_persons, "deals": len(self.deals),
                "documents": len(self.docs), "claims": claims, "statements": self.statement_count,
                "totals": len(self.totals), "loops": len(loops), "loop_deals": sum(len(x) for x in self.loops),
                "conflicts": len(conflicts),
                "conflicts_by_kind": dict(sorted(Counter(c["kind"] for c in conflicts).items())),
                "deals_by_kind": {k: by_kind.get(k, 0) for k in DEAL_KINDS},
                "deals_without_amount": sum(1 for d in self.deals if d.money is None),
                "deals_reported_by": {str(k): v for k, v in sorted(Counter(len(d.docs) for d in self.deals).items())},
                "withdrawn": sum(1 for d in self.deals if d.withdrawn_by is not None and d.assumed_by is None),
                "assumed": sum(1 for d in self.deals if d.assumed_by is not None),
                "denied": sum(1 for c in conflicts if c["kind"] == "denied"),
            },
            "degrees": {"max": ordered[-1] if ordered else 0, "median": ordered[len(ordered) // 2] if ordered else 0,
                        "hubs": [{"id": cid, "deals": n} for n, cid in degrees[:10]]},
            "background": "acyclic: every deal outside the planted loops flows from a lower- to a "
                          "higher-ranked company",
            "loops": loops,
            "conflicts": conflicts,
            "totals": [{"id": t["id"], "document": t["_document"], "measure": "amount", "currency": "USD",
                        "stated": _py(t["_stated"]), "parts": {k: _py(v) for k, v in t["_parts"].items()},
                        "parts_sum": _py(sum(t["_parts"].values(), Decimal(0)))} for t in self.totals],
        }

    def entities_yaml(self) -> str:
        items = []
        for i in range(self.n_companies):
            items.append({"id": self.cid[i], "name": self.cname[i], "kind": "company",
                          "aliases": [self.cname[i], self.calias[i]]})
        for pid, name, position, affiliation in self.persons:
            rec: dict[str, Any] = {"id": pid, "name": name, "kind": "person", "position": position}
            if affiliation is not None:
                rec["affiliation"] = self.cid[affiliation]
            rec["aliases"] = [name]
            items.append(rec)
        return (f"# Synthetic companies and people (dealgraph synth, seed {self.seed}).\n"
                + _records("entities", items))

    def deals_yaml(self) -> str:
        items = []
        for d in self.deals:
            several = not (d.kind.flow_from or d.kind.flow_to)  # partners: always a list
            parties = {role: [self.cid[c] for c in who] if several else self.cid[who[0]]
                       for role, who in d.parties.items()}
            rec = {"id": d.id, "kind": d.kind.name, "label": d.label, "parties": parties}
            if d.loop is not None:
                rec["note"] = f"Planted on loop-{d.loop:04d}."
            items.append(rec)
        return f"# Synthetic deals (dealgraph synth, seed {self.seed}).\n" + _records("deals", items)

    def documents_yaml(self) -> str:
        return (f"# Synthetic source documents (dealgraph synth, seed {self.seed}); texts in documents/.\n"
                + _records("documents", self.documents))


def _period(text: str) -> str:
    """A sentence: a capital first, one full stop last ("... Company 58 Inc." needs no second)."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _join(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------------------------
# The public function


def _check_out_dir(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise SynthError(f"{out} exists and is not a folder")
    entries = sorted(p.name for p in out.iterdir())
    if not entries:
        return
    foreign = [e for e in entries if e not in _OUTPUTS]
    marker = out / MANIFEST
    ours = False
    if marker.is_file():
        try:
            ours = json.loads(marker.read_text(encoding="utf-8")).get("generator") == "dealgraph.synth"
        except (OSError, ValueError, AttributeError):
            ours = False
    if foreign or not ours:
        raise SynthError(f"{out} is not empty and was not written by dealgraph synth; "
                         "give a new or empty folder")


def generate(out_dir: str | Path, companies: int, deals: int, seed: int = 0,
             documents_per_deal: int = DEFAULT_DOCUMENTS_PER_DEAL, *, loop_fraction: float = 0.01) -> dict[str, Any]:
    """Write a synthetic deal network into ``out_dir`` and return the planted manifest.

    Parameters
    ----------
    out_dir : a new or empty folder, or one an earlier ``generate`` wrote (it is replaced).
    companies : number of companies (at least 2).
    deals : number of deals (at least 1).
    seed : the random seed; the same arguments give byte-identical files.
    documents_per_deal : the most documents that report one deal (at least 1); most deals are
        reported by one, fewer by two, fewer still by three...
    loop_fraction : about this share of the deals lie on planted loops (at least three loops
        when there are 60 deals or more).

    Returns
    -------
    dict
        The manifest also written to ``planted.json``: ``parameters``, ``counts``, ``degrees``,
        ``loops`` (member ids in money-flow order, their deals, amounts in units, bottleneck),
        ``conflicts`` (deal, property, kind and competing values with their documents, as
        :func:`dealgraph.conflicts.find_conflicts` reports them) and ``totals`` (stated value
        and parts in units).

    Raises
    ------
    SynthError
        If a count is out of range or ``out_dir`` holds files that are not the generator's.
    """
    for name, value, least in (("companies", companies, 2), ("deals", deals, 1),
                               ("documents_per_deal", documents_per_deal, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise SynthError(f"{name} must be an integer of at least {least}, not {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SynthError(f"seed must be an integer, not {seed!r}")
    if not 0 <= loop_fraction <= 0.5:
        raise SynthError(f"loop_fraction must be between 0 and 0.5, not {loop_fraction!r}")
    out = Path(out_dir)
    _check_out_dir(out)

    s = _Synth(companies, deals, seed, documents_per_deal, loop_fraction)
    s.plan_loop_lengths()
    s.plan_background()
    s.plan_loops()
    s.number()
    s.plan_reports()
    s.assign_documents()
    s.render()
    manifest = s.manifest()

    # Write beside the target, then swap, so a failure never leaves half a network behind.
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.synth-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        (tmp / "extractions").mkdir(parents=True)
        (tmp / "documents").mkdir()
        _write(tmp / "documents.yaml", s.documents_yaml())
        _write(tmp / "entities.yaml", s.entities_yaml())
        _write(tmp / "deals.yaml", s.deals_yaml())
        for doc_id, body in s.extractions:
            _write(tmp / "extractions" / f"{doc_id}.yaml", body)
        for doc_id, text in s.texts:
            _write(tmp / "documents" / f"{doc_id}.txt", text)
        _write(tmp / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
