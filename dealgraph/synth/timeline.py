"""Reports into documents, documents onto 2023-2025: each document holds 20-50 claims about
different deals, in publication order; a deal's first report dates it, later ones follow a
few documents on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from dataclasses import dataclass

from .figures import partial_date
from .network import Deal
from .reports import Claim
from .tables import END, START

__all__ = ["Group", "Timeline", "place_documents"]


@dataclass
class Group:
    """What one document says about one deal: the claims of one of its reports."""

    deal: Deal
    claims: list[Claim]


@dataclass
class Timeline:
    docs: list[list[Group]]  # the documents in publication order
    days: list[dt.date]  # each document's publication day
    published: list[str]  # each document's publication date, as a partial date


def place_documents(rng: random.Random, deals: list[Deal]) -> Timeline:
    """Pack the deals' reports into documents, date the documents, then date each deal a
    little before the first document that reports it (``d.docs``, ``d.day``, ``d.date``)."""
    docs = _pack(rng, _in_publication_order(rng, deals))
    span = (END - START).days
    days = [START + dt.timedelta(days=min(span, int((i + rng.random()) * span / len(docs))))
            for i in range(len(docs))]
    published = [partial_date(day, rng, (0.75, 0.25, 0.0)) for day in days]
    for i, doc in enumerate(docs):
        for g in doc:
            g.deal.docs.append(i)
    for d in deals:
        d.day = max(START, days[min(d.docs)] - dt.timedelta(days=rng.randint(0, 120)))
        d.date = partial_date(d.day, rng)
    return Timeline(docs, days, published)


def _in_publication_order(rng: random.Random, deals: list[Deal]) -> list[Group]:
    """Every report at a place on the timeline: a deal's first anywhere, later ones a few
    documents further on; sorted (stably) by that place."""
    groups = [Group(d, claims) for d in deals for claims in d.reports]
    width = 35 / max(sum(len(g.claims) for g in groups), 1)  # the share of the timeline one document covers
    places = []
    for d in deals:
        t = rng.random()
        places.append(t)
        for _ in range(1, len(d.reports)):
            t += width * rng.uniform(1.5, 8)
            places.append(t)
    order = sorted(range(len(groups)), key=places.__getitem__)
    return [groups[i] for i in order]


def _pack(rng: random.Random, groups: list[Group]) -> list[list[Group]]:
    """Fill documents of 20-50 claims in order, one report per deal a document; a deal's next
    report waits for the next document."""
    docs: list[list[Group]] = []
    stream = deque(groups)
    carry: deque[Group] = deque()
    while stream or carry:
        capacity = rng.randint(20, 50)
        doc: list[Group] = []
        seen: set[int] = set()
        size = 0
        held: deque[Group] = deque()
        for source in (carry, stream):
            while source and size < capacity:
                g = source.popleft()
                if g.deal.n in seen:
                    held.append(g)
                    continue
                doc.append(g)
                seen.add(g.deal.n)
                size += len(g.claims)
        carry.extendleft(reversed(held))
        docs.append(doc)
    return docs
