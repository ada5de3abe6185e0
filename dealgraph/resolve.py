"""The resolved view: one value per deal property, chosen from competing claims by a stated rule.

The rule, which the README repeats:

* Claims a curator marked ``doubtful`` and claims whose modality is ``denied`` never supply a
  value (a denial is kept in the claims graphs and shows up as a conflict).
* Values (amount, share, price, capacity, date, until, period): the claim with the strongest
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
from typing import Any

from .models import STATUS_ORDER, Claim, Deal
from .seeds import Seeds

__all__ = ["Chosen", "ResolvedDeal", "resolve", "date_start", "VALUE_PROPERTIES"]

VALUE_PROPERTIES = ("amount", "share", "price", "capacity", "date", "until", "period")
MODALITY_RANK = {"reported": 0, "expected": 1, "target": 2}
QUALIFIER_RANK = {"exact": 0, "about": 1, "nearly": 2, "more_than": 3, "up_to": 4}


def date_start(partial: str) -> str:
    """The first day a partial date covers, for comparisons: "2025-03" -> "2025-03-01"."""
    return (partial + "-01-01")[:10] if len(partial) == 4 else (partial + "-01")[:10]


@dataclass(frozen=True)
class Chosen:
    """A resolved value and the claim it was taken from."""

    value: Any
    document: str
    claim: Claim


@dataclass
class ResolvedDeal:
    deal: Deal
    parties: dict[str, list[str]]
    values: dict[str, Chosen] = field(default_factory=dict)
    status: Chosen | None = None
    sources: list[str] = field(default_factory=list)
    claims: list[tuple[str, Claim]] = field(default_factory=list)
    former_parties: dict[str, list[str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.deal.id

    @property
    def kind(self) -> str:
        return self.deal.kind

    def value(self, name: str) -> Any:
        chosen = self.values.get(name)
        return None if chosen is None else chosen.value


def _when(seeds: Seeds, doc: str, claim: Claim) -> str:
    """When a claim's step happened, for ordering and as-of filtering."""
    if claim.event and claim.event.date:
        return date_start(claim.event.date)
    if claim.date and (claim.status or claim.event):
        return date_start(claim.date)
    return date_start(seeds.documents[doc].published)


def resolve(seeds: Seeds, as_of: str | None = None) -> dict[str, ResolvedDeal]:
    """Resolve every deal of ``seeds``; see the module docstring for the rule."""
    cutoff = date_start(as_of) if as_of else None
    order = {id(c): i for i, (_, c) in enumerate(seeds.claims)}
    published = {d: date_start(doc.published) for d, doc in seeds.documents.items()}
    out: dict[str, ResolvedDeal] = {}
    for deal in seeds.deals.values():
        claims = seeds.claims_of(deal.id)
        usable = [(d, c) for d, c in claims if not c.doubtful and c.modality != "denied"]
        r = ResolvedDeal(deal, {role: deal.party_ids(role) for role in deal.parties},
                         sources=sorted({d for d, _ in claims}), claims=claims)
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
        if cutoff:
            dated = r.value("date") or r.value("period")
            known_from = date_start(dated) if dated else min(_when(seeds, d, c) for d, c in claims)
            if known_from > cutoff:
                continue  # not made yet on the as-of day
        steps = []
        for d, c in usable:
            status = c.event.kind if c.event else c.status
            if status:
                steps.append((_when(seeds, d, c), STATUS_ORDER[status], published[d], order[id(c)], d, c))
        if cutoff:
            steps = [s for s in steps if s[0] <= cutoff]
        steps.sort(key=lambda s: s[:4])
        if steps:
            *_, d, c = steps[-1]
            r.status = Chosen(c.event.kind if c.event else c.status, d, c)
        for *_, d, c in steps:
            if c.event and c.event.kind == "assumed" and c.event.role:
                before = r.parties.get(c.event.role, [])
                if before != [c.event.by]:
                    r.former_parties.setdefault(c.event.role, []).extend(before)
                r.parties[c.event.role] = [c.event.by]
        out[deal.id] = r
    return out


def _neg(date: str) -> str:
    """Sort key that puts newer ISO dates first under ``min``."""
    return "".join(chr(0x7F - ord(ch)) for ch in date)
