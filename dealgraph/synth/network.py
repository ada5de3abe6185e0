"""Who deals with whom: the companies and people, the background deals on a growing network,
and the planted loops.

The background grows Barabasi-Albert style: companies enter one at a time, in a random order,
each with a deal it is party to, and every other party is drawn by preferential attachment, so
early entrants become hubs. Every company has a random rank and background money flows from
the lower-ranked party to the higher-ranked one, so the background is acyclic and the only
loops are the planted ones (and the cycles a planted back edge closes with background paths).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, NamedTuple

from ..kinds import DEAL_KINDS, DealKind
from .figures import Money, scaled, significant, weighted
from .tables import AMOUNT_QUALIFIERS, KIND_DRAWS, POSITIONS, SHARE_QUALIFIERS, KindDraw

if TYPE_CHECKING:
    from .reports import Claim

__all__ = ["Person", "Cast", "Tickets", "Deal", "Network", "plan_network"]


class Person(NamedTuple):
    id: str
    name: str
    position: str
    affiliation: int | None  # a company index, for chiefs


class Cast:
    """The companies (by index: ids, names, aliases, ranks) and the people who speak of them."""

    def __init__(self, rng: random.Random, companies: int):
        width = max(4, len(str(companies - 1)))
        self.count = companies
        self.ids = [f"company-{i:0{width}d}" for i in range(companies)]
        self.names = [f"Company-{i:0{width}d}" for i in range(companies)]
        self.aliases = [f"Company {i} Inc." for i in range(companies)]
        self.index = {cid: i for i, cid in enumerate(self.ids)}
        rank = list(range(companies))
        rng.shuffle(rank)
        self.rank = rank  # money flows from lower to higher rank in the background
        self.by_rank = sorted(range(companies), key=rank.__getitem__)
        self.persons: list[Person] = []
        for i in range(min(500, max(3, companies // 20))):
            position = POSITIONS[i % len(POSITIONS)]
            affiliation = rng.randrange(companies) if position.startswith("chief") else None
            self.persons.append(Person(f"person-{i + 1:03d}", f"Person-{i + 1:03d}", position, affiliation))

    def random_person(self, rng: random.Random) -> str:
        """A person's id."""
        return self.persons[rng.randrange(len(self.persons))].id

    def person_name(self, person_id: str) -> str:
        return self.persons[int(person_id.split("-")[1]) - 1].name


class Tickets:
    """Preferential attachment: a company is drawn with probability proportional to its tickets,
    one for being in the network and one per deal it is party to."""

    def __init__(self, rng: random.Random, companies: int):
        self.rng = rng
        self.companies = companies
        self.pool: list[int] = []
        self.degree = [0] * companies  # deals per company

    def enter(self, companies: Iterable[int]) -> None:
        self.pool.extend(companies)

    def pick(self, exclude: Iterable[int] = ()) -> int:
        """A company by its tickets, not one of ``exclude`` (any other, once 50 draws miss)."""
        for _ in range(50):
            c = self.pool[self.rng.randrange(len(self.pool))]
            if c not in exclude:
                return c
        rest = sorted(set(self.pool) - set(exclude)) or [c for c in range(self.companies) if c not in exclude]
        return self.rng.choice(rest)

    def attach(self, deal: Deal) -> None:
        """A ticket more for each party of ``deal``."""
        for who in deal.parties.values():
            self.pool.extend(who)
            for c in who:
                self.degree[c] += 1


@dataclass
class Deal:
    """A deal as planned: its parties and terms, then what its reports say and where they stand."""

    n: int
    kind: DealKind
    parties: dict[str, list[int]]  # role -> company indices
    money: Money | None = None
    share: tuple[Decimal, str, str] | None = None  # (percent, of, qualifier)
    period: str | None = None
    until: str | None = None
    loop: int | None = None
    reports: list[list[Claim]] = field(default_factory=list)  # the claims of each report
    planted: dict[str, str] = field(default_factory=dict)  # property -> how its conflict was planted
    withdrawn_by: int | None = None
    assumed_by: int | None = None
    id: str = ""
    date: str | None = None  # as its first report gives it
    day: dt.date | None = None  # the day behind ``date``
    docs: list[int] = field(default_factory=list)  # the documents reporting it, by index

    @property
    def draw(self) -> KindDraw:
        return KIND_DRAWS[self.kind.name]

    def party(self, role: str | None) -> int | None:
        who = self.parties.get(role or "")
        return who[0] if who else None


@dataclass
class Network:
    cast: Cast
    tickets: Tickets
    deals: list[Deal]  # in id order
    loops: list[list[Deal]]  # each in money-flow order


def plan_network(rng: random.Random, companies: int, deals: int, loop_fraction: float) -> Network:
    """The companies and the deals, with about ``loop_fraction`` of the deals on planted loops."""
    cast = Cast(rng, companies)
    tickets = Tickets(rng, companies)
    lengths = _loop_lengths(rng, companies, deals, loop_fraction)
    background = _Background(rng, cast, tickets).plan(deals - sum(lengths))
    loops = _plan_loops(rng, tickets, lengths)
    planned = background + [d for loop in loops for d in loop]
    _number(rng, planned)
    return Network(cast, tickets, planned, loops)


def draw_amount(rng: random.Random, kind: str, *, plain: bool = False) -> Money:
    """A lognormal amount around the kind's median; unless ``plain``, maybe qualified or a range."""
    units = min(5e11, max(1e5, rng.lognormvariate(math.log(KIND_DRAWS[kind].median), 1.3)))
    value, scale = scaled(units, 3 if rng.random() < 0.25 else 2)
    if plain:
        return Money(value, scale)
    qualifier = weighted(rng, AMOUNT_QUALIFIERS)
    m = Money(value, scale, qualifier)
    if qualifier == "about" and rng.random() < 0.25:
        low = significant(float(value) * 0.85, 2)
        high = significant(float(value) * 1.15, 2)
        if low < high:
            m.min, m.max, m.value = low, high, (low + high) / 2
    elif qualifier == "up_to" and rng.random() < 0.5:
        m.max = value
    elif qualifier == "more_than" and rng.random() < 0.5:
        m.min = value
    return m


def _loop_lengths(rng: random.Random, companies: int, deals: int, loop_fraction: float) -> list[int]:
    """How many loops, how long: about ``loop_fraction`` of the deals, at least three loops once
    there are 60 deals, never more than half the deals."""
    count = max(min(3, deals // 20), round(deals * loop_fraction / 3.5))
    budget = deals // 2
    lengths: list[int] = []
    for _ in range(count):
        length = rng.randint(2, min(5, companies))
        if length > budget:
            break
        budget -= length
        lengths.append(length)
    return lengths


class _Background:
    """The deals off the planted loops, on a growing network (Barabasi-Albert style)."""

    def __init__(self, rng: random.Random, cast: Cast, tickets: Tickets):
        self.rng = rng
        self.cast = cast
        self.tickets = tickets
        self.ipo_done: set[int] = set()
        # The percent still free per (share of what, payee, period): shares stay below 100 %
        # per supplier and year, and per owned company.
        self.share_left: dict[tuple[str, int | None, str], Decimal] = defaultdict(lambda: Decimal(100))

    def plan(self, count: int) -> list[Deal]:
        """``count`` deals; companies enter one by one, each with a deal it is party to."""
        kinds = self._kinds(count)
        n = self.cast.count
        entry = list(range(n))
        self.rng.shuffle(entry)
        seeded = min(n, max(3, n // 50))
        self.tickets.enter(entry[:seeded])
        entered = seeded
        deals = []
        for j, name in enumerate(kinds):
            due = seeded + math.ceil((n - seeded) * (j + 1) / count)
            newcomer = entry[entered] if entered < due else None
            self.tickets.enter(entry[entered:due])  # newcomers join with one ticket each
            entered = max(entered, due)
            d = Deal(0, DEAL_KINDS[name], self._parties(DEAL_KINDS[name], newcomer))
            self._terms(d)
            self.tickets.attach(d)
            deals.append(d)
        self.tickets.enter(entry[entered:])
        return deals

    def _kinds(self, count: int) -> list[str]:
        """Kinds by their weights, every kind at least once when there is room."""
        names = list(DEAL_KINDS)
        odds = [(k, KIND_DRAWS[k].weight) for k in names]
        kinds = [weighted(self.rng, odds) for _ in range(count)]
        if count >= len(names):
            for k, i in zip(names, self.rng.sample(range(count), len(names))):
                kinds[i] = k
        return kinds

    def _parties(self, kind: DealKind, newcomer: int | None) -> dict[str, list[int]]:
        pick = self.tickets.pick
        if kind.flow_from and kind.flow_to:
            a = newcomer if newcomer is not None else pick()
            b = pick(exclude=(a,))
            payer, payee = (a, b) if self.cast.rank[a] < self.cast.rank[b] else (b, a)
            return {kind.flow_from: [payer], kind.flow_to: [payee]}
        if kind.flow_from or kind.flow_to:
            who = newcomer if newcomer is not None else pick()
            if kind.name == "ipo":  # a company goes public once, if another can be found
                for _ in range(10):
                    if who not in self.ipo_done:
                        break
                    who = pick()
                self.ipo_done.add(who)
            return {kind.flow_from or kind.flow_to: [who]}
        # several partners in one role
        count = min(self.cast.count, self.rng.choice((2, 2, 3, 3, 4)))
        members = [newcomer] if newcomer is not None else []
        while len(members) < count:
            members.append(pick(exclude=members))
        return {kind.required_roles[0]: sorted(members)}

    def _terms(self, d: Deal) -> None:
        """The deal's amount, period, share and end, as far as its kind has them."""
        rng = self.rng
        name = d.kind.name
        if rng.random() >= d.draw.unknown:
            d.money = draw_amount(rng, name)
        if name == "revenue_share":
            d.period = str(rng.choice((2023, 2024, 2025)))
        if d.kind.share_of:
            d.share = self._share(d)
        if name in ("capacity_backstop", "loan") and rng.random() < 0.4:
            d.until = str(rng.randint(2027, 2035)) + f"-{rng.randint(1, 12):02d}"

    def _share(self, d: Deal) -> tuple[Decimal, str, str]:
        of = d.kind.share_of
        key = (of, d.party(d.kind.flow_to), d.period or "")
        left = self.share_left[key]
        pct = max(Decimal(1), significant(float(left) * self.rng.uniform(0.05, 0.45), 2)) if left >= 2 else Decimal(1)
        pct = min(pct, Decimal(100))
        self.share_left[key] = max(Decimal(0), left - pct)
        return pct, of, weighted(self.rng, SHARE_QUALIFIERS)


def _plan_loops(rng: random.Random, tickets: Tickets, lengths: list[int]) -> list[list[Deal]]:
    """Close the planted loops among companies drawn by preferential attachment (hubs, mostly),
    with known, undisputed amounts and no shares (a share says nothing of the money)."""
    kinds = [k for k in DEAL_KINDS.values() if k.flow_from and k.flow_to and k.layer == "flow" and not k.share_of]
    loops = []
    for i, length in enumerate(lengths):
        members: list[int] = []
        while len(members) < length:
            members.append(tickets.pick(exclude=members))
        loop = []
        for j in range(length):
            kind = rng.choice(kinds)
            d = Deal(0, kind, {kind.flow_from: [members[j]], kind.flow_to: [members[(j + 1) % length]]},
                     money=draw_amount(rng, kind.name, plain=True), loop=i)
            tickets.attach(d)
            loop.append(d)
        loops.append(loop)
    return loops


def _number(rng: random.Random, deals: list[Deal]) -> None:
    """Shuffle the deals (so loop deals do not come last) and give them their ids."""
    rng.shuffle(deals)
    width = max(6, len(str(len(deals))))
    for i, d in enumerate(deals):
        d.n = i
        d.id = f"{d.kind.name.replace('_', '-')}-{i:0{width}d}"
