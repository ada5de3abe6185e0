"""The resolved view: one value per deal property, chosen from competing claims by a stated rule.

The rule, which the README repeats:

* Claims a curator marked ``doubtful`` and claims whose modality is ``denied`` never supply a
  value (a denial is kept in the claims graphs and shows up as a conflict).
* Claims about one tranche of a deal paid in instalments describe a part of it: they supply
  no value and no status step of the deal (its amount is the whole, so a tranche's amount never
  competes with it or adds to it, and "the first tranche was paid" does not complete the deal).
  They stay the deal's claims and sources.
* Values (amount, share, price, capacity, quantity, date, until, period): the claim with the strongest
  modality wins (reported > expected > target); among equals, the newer document; then the
  more precise figure (exact > about > nearly > more than > up to); then the document id.
* Status: every status or event claim is a step in the deal's life, dated by the event's date,
  else the claim's date, else its document's publication date; the latest step wins, and on the
  same date the later stage of the lifecycle (announced < signed < active < withdrawn < assumed
  < completed).
* Parties: those curated in ``deals.yaml``, then each ``assumed`` event, in date order, hands
  its role to its actor.
* ``as_of``: the deals as they stood that day, by what the sources say now. A deal counts from
  its date (or the start of its period), or, undated, from its earliest dated step or source; status steps and assumptions
  count from their dates (a partial date counts from its first day). Values are timeless: a
  figure published later about a deal made earlier still describes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .codes import MODALITY_RANK, QUALIFIER_RANK, STATUS_ORDER
from .dates import date_start

if TYPE_CHECKING:  # pragma: no cover
    from .models import Claim, Deal
    from .seeds import Seeds

__all__ = ["Chosen", "Step", "ResolvedDeal", "resolve", "state_at", "VALUE_PROPERTIES"]

VALUE_PROPERTIES = ("amount", "share", "price", "capacity", "quantity", "date", "until", "period")


@dataclass(frozen=True)
class Chosen:
    """A resolved value and the claim it was taken from."""

    value: Any
    document: str
    claim: Claim


@dataclass(frozen=True)
class Step:
    """One step of a deal's life: on ``date`` (a full ISO day) it reached ``status``; for an
    assumption, ``actor`` took over ``role``."""

    date: str
    status: str
    actor: str | None
    role: str | None
    document: str
    claim: Claim
    #: Where ``date`` comes from: "event", "claim", or "publication" (the document's, possibly
    #: estimated, publication date: not an event date).
    dated_by: str = "publication"


@dataclass
class ResolvedDeal:
    deal: Deal
    parties: dict[str, list[str]]
    values: dict[str, Chosen] = field(default_factory=dict)
    status: Chosen | None = None
    sources: list[str] = field(default_factory=list)
    claims: list[tuple[str, Claim]] = field(default_factory=list)
    former_parties: dict[str, list[str]] = field(default_factory=dict)
    timeline: list[Step] = field(default_factory=list)
    known_from: str = ""

    @property
    def id(self) -> str:
        return self.deal.id

    @property
    def kind(self) -> str:
        return self.deal.kind

    def value(self, name: str) -> Any:
        chosen = self.values.get(name)
        return None if chosen is None else chosen.value


def _when(seeds: Seeds, doc: str, claim: Claim) -> tuple[str, str]:
    """When a claim's step happened, for ordering and as-of filtering, and what dates it."""
    if claim.event and claim.event.date:
        return date_start(claim.event.date), "event"
    if claim.date and (claim.status or claim.event):
        return date_start(claim.date), "claim"
    return date_start(seeds.documents[doc].published), "publication"


def state_at(steps: list["Step"], parties: dict[str, list[str]], cutoff: str | None = None
             ) -> tuple[str | None, dict[str, list[str]], dict[str, list[str]]]:
    """Status and parties after the ``steps`` (sorted) dated on or before ``cutoff``.

    Returns (status, parties, former parties). Shared by :func:`resolve` and the money-flow
    projection, which reads the same steps back from the store.
    """
    status, parties, former = None, {k: list(v) for k, v in parties.items()}, {}
    for step in steps:
        if cutoff and step.date > cutoff:
            break
        status = step.status
        if step.status == "assumed" and step.role and step.actor:
            before = parties.get(step.role, [])
            if before != [step.actor]:
                former.setdefault(step.role, []).extend(before)
            parties[step.role] = [step.actor]
    return status, parties, former


def resolve(seeds: Seeds, as_of: str | None = None) -> dict[str, ResolvedDeal]:
    """Resolve every deal of ``seeds``; see the module docstring for the rule."""
    cutoff = date_start(as_of) if as_of else None
    order = {id(c): i for i, (_, c) in enumerate(seeds.claims)}
    published = {d: date_start(doc.published) for d, doc in seeds.documents.items()}
    out: dict[str, ResolvedDeal] = {}
    for deal in seeds.deals.values():
        claims = seeds.claims_of(deal.id)
        usable = [(d, c) for d, c in claims if not c.doubtful and c.modality != "denied" and c.tranche is None]
        curated = {role: deal.party_ids(role) for role in deal.parties}
        # only what a quote states corroborates: an inferred claim is no source of the deal
        stated = sorted({d for d, c in claims if c.basis == "stated"})
        r = ResolvedDeal(deal, curated, sources=stated, claims=claims)
        for name in VALUE_PROPERTIES:
            candidates = [(d, c) for d, c in usable if getattr(c, name) is not None]
            if not candidates:
                continue

            def rank(item: tuple[str, Claim]) -> tuple:
                d, c = item
                v = getattr(c, name)
                qualifier = getattr(v, "qualifier", "exact")
                return (MODALITY_RANK[c.modality], _neg(published[d]), QUALIFIER_RANK[qualifier],
                        d, order[id(c)])

            d, c = min(candidates, key=rank)
            r.values[name] = Chosen(getattr(c, name), d, c)
        dated = r.value("date") or r.value("period")
        r.known_from = date_start(dated) if dated else min(_when(seeds, d, c)[0] for d, c in claims)
        if cutoff and r.known_from > cutoff:
            continue  # not made yet on the as-of day
        keyed = []
        for d, c in usable:
            status = c.event.kind if c.event else c.status
            if status:
                when, dated_by = _when(seeds, d, c)
                step = Step(when, status, c.event.by if c.event else None,
                            c.event.role if c.event else None, d, c, dated_by)
                keyed.append(((step.date, STATUS_ORDER[status], published[d], order[id(c)]), step))
        r.timeline = [step for _, step in sorted(keyed, key=lambda k: k[0])]
        status, r.parties, r.former_parties = state_at(r.timeline, curated, cutoff)
        if status:
            last = [s for s in r.timeline if not cutoff or s.date <= cutoff][-1]
            r.status = Chosen(status, last.document, last.claim)
        out[deal.id] = r
    return out


def _neg(date: str) -> str:
    """Sort key that puts newer ISO dates first under ``min``."""
    return "".join(chr(0x7F - ord(ch)) for ch in date)
