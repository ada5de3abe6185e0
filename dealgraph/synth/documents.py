"""The files: each document's text and extraction (its claims, now and then a commentary and a
stated total), and the seeds' ``documents.yaml``, ``entities.yaml`` and ``deals.yaml``.

A document's text is a header line and one numbered line per item, each item's sentence being
the quote its extraction gives, so every quote is found verbatim. Stated totals sum two to four
deals the document reports with undisputed amounts, rounded to four significant digits (within
the 0.5 % the checks allow).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..models import Claim as ClaimRecord
from .figures import Money, plain, scaled, share_text
from .network import Cast, Deal, Network
from .prose import Prose, and_list, label
from .reports import Claim
from .tables import COMMENTARY
from .timeline import Group, Timeline
from .yaml_writer import records, scalar

__all__ = ["StatedTotal", "Corpus", "write_documents", "seed_files"]

#: The longest quote the seeds take (the Claim model's own limit).
MAX_QUOTE = next(m.max_length for m in ClaimRecord.model_fields["quote"].metadata if hasattr(m, "max_length"))


@dataclass
class StatedTotal:
    """A document's "together, the N deals above add up to ..." and the deals it sums."""

    id: str
    label: str
    stated: Money
    parts: list[Deal]
    quote: str
    document: str = ""  # its document's id, known once the text is

    def record(self) -> dict[str, Any]:
        """The total as the seeds hold it."""
        return {"id": self.id, "label": self.label, "measure": "amount", "amount": self.stated.record(),
                "parts": [d.id for d in self.parts], "quote": self.quote}


@dataclass
class Corpus:
    """What :func:`write_documents` wrote, in document order, and what the manifest needs of it."""

    documents: list[dict[str, Any]] = field(default_factory=list)  # documents.yaml's records
    extractions: list[tuple[str, str]] = field(default_factory=list)  # (document id, YAML)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (document id, text)
    #: Each deal's claims as written: deal number -> [(document id, claim)].
    claims: dict[int, list[tuple[str, Claim]]] = field(default_factory=lambda: defaultdict(list))
    totals: list[StatedTotal] = field(default_factory=list)
    statements: int = 0


def write_documents(rng: random.Random, network: Network, timeline: Timeline, seed: int) -> Corpus:
    """Every document's text and extraction, in publication order."""
    docs = timeline.docs
    wanted = max(2, len(network.deals) // 1000) if len(network.deals) >= 20 else 0
    # Three times as many candidates as totals: a document may report too few undisputed amounts.
    candidates = set(rng.sample(range(len(docs)), min(len(docs), wanted * 3)))
    writer = _DocumentWriter(rng, network, timeline, seed)
    for i, groups in enumerate(docs):
        writer.write(i, groups, with_total=i in candidates and len(writer.corpus.totals) < wanted)
    return writer.corpus


def seed_files(network: Network, corpus: Corpus, seed: int) -> dict[str, str]:
    """Every file of the output folder but the manifest: relative path -> text."""
    cast = network.cast
    files = {
        "documents.yaml": _yaml_file(f"Synthetic source documents (dealgraph synth, seed {seed}); texts in documents/.",
                                     "documents", corpus.documents),
        "entities.yaml": _yaml_file(f"Synthetic companies and people (dealgraph synth, seed {seed}).",
                                    "entities", _entity_records(cast)),
        "deals.yaml": _yaml_file(f"Synthetic deals (dealgraph synth, seed {seed}).",
                                 "deals", [_deal_record(d, cast) for d in network.deals]),
    }
    files.update((f"extractions/{doc_id}.yaml", body) for doc_id, body in corpus.extractions)
    files.update((f"documents/{doc_id}.txt", text) for doc_id, text in corpus.texts)
    return files


def _yaml_file(comment: str, key: str, items: list[dict[str, Any]]) -> str:
    return f"# {comment}\n" + records(key, items)


def _entity_records(cast: Cast) -> list[dict[str, Any]]:
    items = [{"id": cast.ids[i], "name": cast.names[i], "kind": "company", "aliases": [cast.names[i], cast.aliases[i]]}
             for i in range(cast.count)]
    for p in cast.persons:
        rec: dict[str, Any] = {"id": p.id, "name": p.name, "kind": "person", "position": p.position}
        if p.affiliation is not None:
            rec["affiliation"] = cast.ids[p.affiliation]
        rec["aliases"] = [p.name]
        items.append(rec)
    return items


def _deal_record(d: Deal, cast: Cast) -> dict[str, Any]:
    several = not (d.kind.flow_from or d.kind.flow_to)  # partners: always a list
    parties = {role: [cast.ids[c] for c in who] if several else cast.ids[who[0]] for role, who in d.parties.items()}
    rec = {"id": d.id, "kind": d.kind.name, "label": label(d, cast), "parties": parties}
    if d.loop is not None:
        rec["note"] = f"Planted on loop-{d.loop:04d}."
    return rec


class _DocumentWriter:
    """Writes one document after another into ``corpus``."""

    def __init__(self, rng: random.Random, network: Network, timeline: Timeline, seed: int):
        self.rng = rng
        self.cast = network.cast
        self.tickets = network.tickets
        self.timeline = timeline
        self.seed = seed
        self.prose = Prose(rng, network.cast)
        # Three digits and a hash, like the curated seeds' ids (the report shows the first three).
        self.id_width = max(3, len(str(len(timeline.docs) - 1)))
        self.corpus = Corpus()

    def write(self, i: int, groups: list[Group], *, with_total: bool) -> None:
        """Document ``i``: the claims of ``groups``, maybe a commentary, a stated total if asked
        and the document reports enough undisputed amounts."""
        lines = [f"Synthetic report {i}. Generated by dealgraph synth (seed {self.seed}); "
                 "every company, person and figure in it is made up."]
        said: list[tuple[Deal, Claim]] = []
        claims = []
        quoted: dict[str, str] = {}  # quote -> the deal it backs in this document
        for g in groups:
            for c in g.claims:
                c = self._dated(g.deal, c, i)
                quote = self._quote(g.deal, c)
                if quoted.setdefault(quote, g.deal.id) != g.deal.id:
                    # two deals between the same companies read alike: a quote backs one deal only
                    quote = self._quote(g.deal, c, recorded_as=g.deal.id)
                    quoted[quote] = g.deal.id
                _add_item(lines, i, quote)
                claims.append(self._claim_record(g.deal, c, quote))
                said.append((g.deal, c))
        statements = self._commentary(i, lines)
        total = self._total(i, groups, len(self.corpus.totals)) if with_total else None
        if total:
            _add_item(lines, i, total.quote)
        # The id ends with the text's hash, so claims and total learn their document only now.
        text = "\n".join(lines) + "\n"
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc_id = f"{i:0{self.id_width}d}_{sha[:16]}"
        for d, c in said:
            self.corpus.claims[d.n].append((doc_id, c))
        body = (f"# Synthetic extraction of report {i} (dealgraph synth, seed {self.seed}).\n"
                f"document: {scalar(doc_id)}\n" + records("claims", claims))
        if statements:
            body += records("statements", statements)
        if total:
            total.document = doc_id
            self.corpus.totals.append(total)
            body += records("totals", [total.record()])
        self.corpus.documents.append(self._document_record(i, doc_id, sha, groups))
        self.corpus.extractions.append((doc_id, body))
        self.corpus.texts.append((doc_id, text))

    def _dated(self, d: Deal, c: Claim, doc: int) -> Claim:
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
            c.event_date = self.timeline.days[doc].isoformat()
        return c

    def _quote(self, d: Deal, c: Claim, recorded_as: str | None = None) -> str:
        """The claim's sentence; with ``recorded_as``, naming the deal's record, for a deal that
        reads like another one of the same document."""
        for short in (False, True):
            quote = self.prose.sentence(d, c, short=short)
            if recorded_as:
                quote = f"{quote[:-1]} (recorded as {recorded_as})."
            if len(quote) <= MAX_QUOTE:
                return quote
        raise AssertionError(f"quote too long ({len(quote)}): {quote}")

    def _claim_record(self, d: Deal, c: Claim, quote: str) -> dict[str, Any]:
        """The claim as the seeds hold it."""
        rec: dict[str, Any] = {"deal": d.id, "quote": quote}
        if c.modality != "reported":
            rec["modality"] = c.modality
        if c.speaker:
            rec["speaker"] = c.speaker
        if c.according_to:
            rec["according_to"] = c.according_to
        if c.amount:
            rec["amount"] = c.amount.record()
        if c.share:
            pct, of, q = c.share
            rec["share"] = {"percent": pct, "of": of, **({"qualifier": q} if q != "exact" else {}),
                            "text": share_text(pct, q)}
        if c.price:
            rec["price"] = {"value": c.price, "currency": "USD", "per": "share", "text": f"{plain(c.price)} dollars"}
        if c.capacity:
            rec["capacity"] = {"value": c.capacity, "unit": "GW", "qualifier": "about",
                               "text": f"about {plain(c.capacity)} GW"}
        for name in ("date", "until", "period"):
            if getattr(c, name):
                rec[name] = getattr(c, name)
        if c.status:
            rec["status"] = c.status
        if c.event:
            kind, who, role = c.event
            event: dict[str, Any] = {"kind": kind, "by": self.cast.ids[who]}
            if role:
                event["role"] = role
            if c.event_date:
                event["date"] = c.event_date
            rec["event"] = event
        if c.doubtful:
            rec["doubtful"] = True
            rec["note"] = c.note
        return rec

    def _commentary(self, i: int, lines: list[str]) -> list[dict[str, Any]]:
        """Now and then a person's remark on two companies (a statement, not a claim)."""
        if self.rng.random() >= 0.3:
            return []
        speaker = self.cast.random_person(self.rng)
        about = sorted({self.cast.ids[c] for c in (self.tickets.pick(), self.tickets.pick())})
        names = and_list([self.cast.names[self.cast.index[a]] for a in about])
        quote = f"{self.cast.person_name(speaker)} says that {names} {self.rng.choice(COMMENTARY)}."
        _add_item(lines, i, quote)
        self.corpus.statements += 1
        return [{"speaker": speaker, "about": about, "topic": "Synthetic commentary planted by dealgraph synth.",
                 "quote": quote}]

    def _total(self, i: int, groups: list[Group], n: int) -> StatedTotal | None:
        """Total number ``n``, over deals this document reports with undisputed amounts."""
        candidates = [g.deal for g in groups if g.deal.money is not None and "amount" not in g.deal.planted
                      and any(c.amount is not None for c in g.claims)]
        if len(candidates) < 2:
            return None
        parts = self.rng.sample(candidates, min(len(candidates), self.rng.randint(2, 4)))
        parts.sort(key=lambda d: d.n)
        value, scale = scaled(float(sum((d.money.units for d in parts), Decimal(0))), 4)
        stated = Money(value, scale)
        return StatedTotal(f"synthetic-total-{n:05d}", f"Total of {len(parts)} deals in synthetic report {i}", stated,
                           parts, f"Together, the {len(parts)} deals above add up to {stated.text()}.")

    def _document_record(self, i: int, doc_id: str, sha: str, groups: list[Group]) -> dict[str, Any]:
        """The document as documents.yaml holds it, titled after the first two deals' parties."""
        parties = sorted({self.cast.names[c] for g in groups[:2] for who in g.deal.parties.values() for c in who})
        return {
            "id": doc_id,
            "title": f"Synthetic report {i}: {and_list(parties)} and {max(0, len(groups) - 2)} more deals",
            "language": "en",
            "publisher": "dealgraph synth",
            "published": self.timeline.published[i],
            "published_basis": f"Synthetic: dated by its place ({i + 1} of {len(self.timeline.docs)}) in the "
                               "generated 2023-2025 timeline.",
            "sha256": sha,
            "note": f"Generated by dealgraph synth (seed {self.seed}); not a real article.",
        }


def _add_item(lines: list[str], i: int, text: str) -> None:
    """The next numbered line of document ``i`` (items count from 1, after the header line)."""
    lines.append(f"Synthetic report {i}, item {len(lines)}: {text}")
