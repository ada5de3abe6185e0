"""``planted.json``: what was planted, in the terms the analyses report it, so tests and
benchmarks can check their outputs against it.

The conflicts are computed from the claims as written, by the rule
:func:`dealgraph.conflicts.find_conflicts` applies (:func:`dealgraph.conflicts.classify_conflict`),
so they are exactly what a correct build must report, planted or not.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator

from ..conflicts import classify_conflict
from ..kinds import DEAL_KINDS
from .documents import Corpus
from .figures import as_number
from .network import Cast, Deal, Network
from .reports import Claim

__all__ = ["FORMAT_VERSION", "build_manifest"]

FORMAT_VERSION = 1


@dataclass
class _Value:
    """One distinct value the claims give for a deal property, as the conflict rule reads it."""

    value: Any
    qualifier: str | None
    modality: str
    documents: list[str] = field(default_factory=list)
    doubtful: bool = False


def build_manifest(parameters: dict[str, Any], network: Network, corpus: Corpus) -> dict[str, Any]:
    """The manifest of a generated network: ``parameters`` as given to ``generate``."""
    cast, deals = network.cast, network.deals
    loops = [_loop(i, loop, cast) for i, loop in enumerate(network.loops)]
    conflicts = _conflicts(network, corpus)
    degree = network.tickets.degree
    hubs = sorted(((degree[c], cast.ids[c]) for c in range(cast.count)), key=lambda x: (-x[0], x[1]))
    by_kind = Counter(d.kind.name for d in deals)
    ordered = sorted(degree)
    return {
        "generator": "dealgraph.synth",
        "format": FORMAT_VERSION,
        "parameters": parameters,
        "counts": {
            "companies": cast.count, "persons": len(cast.persons), "deals": len(deals),
            "documents": len(corpus.documents), "claims": sum(len(v) for v in corpus.claims.values()),
            "statements": corpus.statements, "totals": len(corpus.totals), "loops": len(loops),
            "loop_deals": sum(len(x) for x in network.loops),
            "conflicts": len(conflicts),
            "conflicts_by_kind": dict(sorted(Counter(c["kind"] for c in conflicts).items())),
            "deals_by_kind": {k: by_kind.get(k, 0) for k in DEAL_KINDS},
            "deals_without_amount": sum(1 for d in deals if d.money is None),
            "deals_reported_by": {str(k): v for k, v in sorted(Counter(len(d.docs) for d in deals).items())},
            "withdrawn": sum(1 for d in deals if d.withdrawn_by is not None and d.assumed_by is None),
            "assumed": sum(1 for d in deals if d.assumed_by is not None),
            "denied": sum(1 for c in conflicts if c["kind"] == "denied"),
        },
        "degrees": {"max": ordered[-1] if ordered else 0, "median": ordered[len(ordered) // 2] if ordered else 0,
                    "hubs": [{"id": cid, "deals": n} for n, cid in hubs[:10]]},
        "background": "acyclic: every deal outside the planted loops flows from a lower- to a "
                      "higher-ranked company",
        "loops": loops,
        "conflicts": conflicts,
        "totals": [{"id": t.id, "document": t.document, "measure": "amount", "currency": "USD",
                    "stated": as_number(t.stated.units),
                    "parts": {d.id: as_number(d.money.units) for d in t.parts},
                    "parts_sum": as_number(sum((d.money.units for d in t.parts), Decimal(0)))}
                   for t in corpus.totals],
    }


def _loop(i: int, loop: list[Deal], cast: Cast) -> dict[str, Any]:
    members = [d.party(d.kind.flow_from) for d in loop]
    amounts = [as_number(d.money.units) for d in loop]
    return {"id": f"loop-{i:04d}", "length": len(loop), "members": [cast.ids[c] for c in members],
            "names": [cast.names[c] for c in members], "deals": [d.id for d in loop],
            "kinds": [d.kind.name for d in loop], "amounts": amounts, "bottleneck": min(amounts)}


def _conflicts(network: Network, corpus: Corpus) -> list[dict[str, Any]]:
    """The conflicts :func:`dealgraph.conflicts.find_conflicts` must report, deal by deal."""
    out = []
    for d in sorted(network.deals, key=lambda d: d.id):
        said = corpus.claims[d.n]
        if len(said) == 1 and not said[0][1].doubtful and said[0][1].modality != "denied":
            continue  # one plain claim cannot disagree with itself
        values: dict[str, dict[tuple, _Value]] = defaultdict(dict)
        for doc, c in said:
            for prop, value, qualifier, unit in _stated(c, network.cast):
                v = values[prop].setdefault((value, qualifier, unit, c.modality), _Value(value, qualifier, c.modality))
                if doc not in v.documents:
                    v.documents.append(doc)
                v.doubtful |= c.doubtful
        for prop in sorted(values):
            found = classify_conflict(prop, list(values[prop].values()))
            if found:
                kind, listed = found
                out.append({"deal": d.id, "property": prop, "kind": kind, "planted_as": d.planted.get(prop),
                            "values": [{"value": v.value, "qualifier": v.qualifier, "modality": v.modality,
                                        "documents": v.documents} for v in listed]})
    return out


def _stated(c: Claim, cast: Cast) -> Iterator[tuple[str, Any, str | None, str | None]]:
    """(property, value, qualifier, unit) for each value the claim gives, as the store holds it
    (amounts in units, shares as fractions, events as "withdrawn by <name>")."""
    if c.amount:
        yield "amount", as_number(c.amount.units), c.amount.qualifier, "USD"
    if c.price:
        yield "price", as_number(c.price), "exact", "USD"
    if c.capacity:
        yield "capacity", as_number(c.capacity), "about", "GW"
    if c.share:
        yield "share", as_number(c.share[0] / 100), c.share[2], None
    for name in ("date", "until", "period"):
        if getattr(c, name):
            yield name, getattr(c, name), None, None
    if c.event:
        kind, who, _ = c.event
        yield "event", f"{kind} by {cast.names[who]}", None, None
