"""Records -> RDF quads: the ontology, curated definitions, claims per document, resolved view.

Every node gets an IRI minted in ``namespace.py`` (never a blank node: remote SPARQL stores
reject them), so building twice yields the same quads and a store can be diffed or re-pushed.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Literal, URIRef

from .kinds import DEAL_KINDS
from .models import Amount, Claim, Entity, Quantity, Share, Statement, Total
from .namespace import (
    CURATION_GRAPH,
    DCTERMS,
    DG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WD,
    XSD,
    ONTOLOGY_GRAPH,
    PREFIXES,
    RESOLVED_GRAPH,
    assertion_iri,
    claims_graph,
    deal_iri,
    document_iri,
    entity_iri,
    enum_term,
    role_term,
    total_iri,
)
from .resolve import ResolvedDeal, resolve
from .seeds import Seeds, gc_paused

__all__ = ["build_quads", "build_dataset", "default_ontology_path",
           "partial_date_literal", "entity_class"]

Quad = tuple[URIRef, URIRef, object, URIRef]

ENTITY_CLASS = {"company": DG.Company, "person": DG.Person, "project": DG.Project,
                "publication": DG.Publication}


def entity_class(kind: str) -> URIRef:
    return ENTITY_CLASS[kind]


def default_ontology_path() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "ontology", here.parent / "ontology"):
        if (candidate / "dealgraph.ttl").is_file():
            return candidate / "dealgraph.ttl"
    raise FileNotFoundError("ontology/dealgraph.ttl is missing from this installation")


def partial_date_literal(value: str) -> Literal:
    """2025 -> xsd:gYear, 2025-03 -> xsd:gYearMonth, 2025-03-28 -> xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


def _decimal(value) -> Literal:
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


class _Writer:
    """Collects quads; knows the seeds so entity ids become IRIs of the right kind."""

    def __init__(self, seeds: Seeds):
        self.seeds = seeds
        self.quads: list[Quad] = []
        self._claim_iris: dict[int, URIRef] = {}

    def add(self, s, p, o, g) -> None:
        self.quads.append((s, p, o, g))

    def entity(self, slug: str) -> URIRef:
        return entity_iri(self.seeds.entities[slug].kind, slug)

    def lang(self, doc: str) -> str:
        return self.seeds.documents[doc].language

    # -- value nodes ----------------------------------------------------------------------

    def amount(self, node: URIRef, a: Amount, lang: str, g: URIRef) -> None:
        self.add(node, RDF.type, DG.MonetaryAmount, g)
        self.add(node, SCHEMA.value, _decimal(a.value), g)
        self.add(node, SCHEMA.currency, Literal(a.currency), g)
        self.add(node, DG.qualifier, enum_term(a.qualifier), g)
        if a.min is not None:
            self.add(node, SCHEMA.minValue, _decimal(a.min), g)
        if a.max is not None:
            self.add(node, SCHEMA.maxValue, _decimal(a.max), g)
        if a.per:
            self.add(node, DG.per, Literal(a.per), g)
        if a.text:
            self.add(node, DG.surfaceText, Literal(a.text, lang=lang), g)

    def share(self, node: URIRef, s: Share, lang: str, g: URIRef) -> None:
        self.add(node, RDF.type, DG.Percentage, g)
        self.add(node, DG.fraction, _decimal(s.fraction), g)
        self.add(node, DG.shareOf, Literal(s.of), g)
        self.add(node, DG.qualifier, enum_term(s.qualifier), g)
        if s.text:
            self.add(node, DG.surfaceText, Literal(s.text, lang=lang), g)

    def quantity(self, node: URIRef, q: Quantity, lang: str, g: URIRef) -> None:
        self.add(node, RDF.type, DG.Quantity, g)
        self.add(node, SCHEMA.value, _decimal(q.value), g)
        self.add(node, SCHEMA.unitText, Literal(q.unit), g)
        self.add(node, DG.qualifier, enum_term(q.qualifier), g)
        if q.text:
            self.add(node, DG.surfaceText, Literal(q.text, lang=lang), g)

    def values(self, subject: URIRef, rec, lang: str, g: URIRef, names) -> None:
        """Write the value properties ``names`` of a claim-like record onto ``subject``."""
        for name in names:
            v = getattr(rec, name, None)
            if v is None:
                continue
            node = URIRef(f"{subject}/{name}")
            if isinstance(v, Amount):
                self.amount(node, v, lang, g)
            elif isinstance(v, Share):
                self.share(node, v, lang, g)
            elif isinstance(v, Quantity):
                self.quantity(node, v, lang, g)
            else:  # partial dates
                self.add(subject, DG[name], partial_date_literal(v), g)
                continue
            self.add(subject, DG[name], node, g)

    # -- records --------------------------------------------------------------------------

    def entity_record(self, e: Entity) -> None:
        g, s = CURATION_GRAPH, self.entity(e.id)
        self.add(s, RDF.type, entity_class(e.kind), g)
        self.add(s, RDFS.label, Literal(e.name), g)
        self.add(s, SKOS.prefLabel, Literal(e.name), g)
        for alias in sorted(set(e.aliases)):
            self.add(s, SKOS.altLabel, Literal(alias), g)
        if e.wikidata:
            self.add(s, SCHEMA.sameAs, WD[e.wikidata], g)
        if e.affiliation:
            self.add(s, SCHEMA.affiliation, self.entity(e.affiliation), g)
        if e.position:
            self.add(s, SCHEMA.jobTitle, Literal(e.position, lang="en"), g)

    def document_record(self, doc) -> None:
        g, s = CURATION_GRAPH, document_iri(doc.id)
        self.add(s, RDF.type, DG.SourceDocument, g)
        self.add(s, DCTERMS.identifier, Literal(doc.id), g)
        self.add(s, DCTERMS.title, Literal(doc.title, lang=doc.language), g)
        self.add(s, DCTERMS.language, Literal(doc.language, datatype=XSD.language), g)
        self.add(s, DCTERMS.issued, partial_date_literal(doc.published), g)
        self.add(s, DG.publishedBasis, Literal(doc.published_basis, lang="en"), g)
        self.add(s, DG.sha256, Literal(doc.sha256), g)
        self.add(s, DG.machineTranslated, Literal(doc.machine_translated), g)
        self.add(s, DG.curatorTitle, Literal(doc.curator_title), g)
        if doc.publisher:
            self.add(s, SCHEMA.publisher, Literal(doc.publisher), g)
        if doc.wire:
            self.add(s, DG.wire, Literal(doc.wire), g)
        if doc.note:
            self.add(s, SKOS.editorialNote, Literal(doc.note, lang="en"), g)

    def deal_node(self, s: URIRef, kind: str, label: str, parties: dict[str, list[str]], g: URIRef) -> None:
        self.add(s, RDF.type, DG.Deal, g)
        self.add(s, RDF.type, DG[DEAL_KINDS[kind].term], g)
        self.add(s, RDFS.label, Literal(label, lang="en"), g)
        self.add(s, DCTERMS.identifier, Literal(str(s).rsplit("/", 1)[-1]), g)
        for role, who in parties.items():
            for party in who:
                # dg:party too, so "any party" needs no RDFS inference (in SPARQL or SHACL)
                self.add(s, role_term(role), self.entity(party), g)
                self.add(s, DG.party, self.entity(party), g)

    def claim_iri(self, doc: str, rec: Claim | Statement) -> URIRef:
        """The claim's content hash (computed once per claim: the resolved view cites it too)."""
        iri = self._claim_iris.get(id(rec))
        if iri is None:
            canonical = json.dumps(rec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
            iri = self._claim_iris[id(rec)] = assertion_iri(doc, canonical)
        return iri

    def assertion(self, doc: str, rec: Claim | Statement, cls: URIRef) -> URIRef:
        g = claims_graph(doc)
        s = self.claim_iri(doc, rec)
        lang = self.lang(doc)
        self.add(s, RDF.type, cls, g)
        self.add(s, PROV.wasDerivedFrom, document_iri(doc), g)
        self.add(s, DG.quote, Literal(rec.quote, lang=lang), g)
        self.add(s, DG.modality, enum_term(rec.modality), g)
        self.add(s, DG.asOf, partial_date_literal(self.seeds.documents[doc].published), g)
        if rec.speaker:
            self.add(s, DG.speaker, self.entity(rec.speaker), g)
        if rec.according_to:
            self.add(s, DG.accordingTo, Literal(rec.according_to), g)
        basis = getattr(rec, "basis", "stated")
        self.add(s, DG.basis, enum_term(basis), g)
        if basis == "inferred":
            self.add(s, DG.inferenceReason, Literal(rec.reason, lang="en"), g)
        return s

    def claim(self, doc: str, c: Claim) -> None:
        g, s = claims_graph(doc), self.assertion(doc, c, DG.Claim)
        self.add(s, DG.about, deal_iri(c.deal), g)
        self.values(s, c, self.lang(doc), g, ("amount", "share", "price", "capacity", "date", "until", "period"))
        if c.status:
            self.add(s, DG.status, enum_term(c.status), g)
        if c.doubtful:
            self.add(s, DG.doubtful, Literal(True), g)
        for other in c.contradicts:
            self.add(s, DG.contradicts, deal_iri(other), g)
        if c.note:
            self.add(s, SKOS.editorialNote, Literal(c.note, lang="en"), g)
        if c.event:
            ev = URIRef(f"{s}/event")
            self.add(s, DG.event, ev, g)
            self.add(ev, RDF.type, DG.Event, g)
            self.add(ev, DG.eventKind, enum_term(c.event.kind), g)
            self.add(ev, DG.actor, self.entity(c.event.by), g)
            if c.event.role:
                self.add(ev, DG.takesRole, role_term(c.event.role), g)
            if c.event.date:
                self.add(ev, DG.date, partial_date_literal(c.event.date), g)

    def statement(self, doc: str, st: Statement) -> None:
        g, s = claims_graph(doc), self.assertion(doc, st, DG.Observation)
        for who in st.about:
            self.add(s, DG.mentions, self.entity(who), g)
        self.add(s, DG.topic, Literal(st.topic, lang="en"), g)
        self.values(s, st, self.lang(doc), g, ("amount", "share"))

    def total(self, doc: str, t: Total) -> None:
        g, s = claims_graph(doc), total_iri(t.id)
        self.add(s, RDF.type, DG.StatedTotal, g)
        self.add(s, RDFS.label, Literal(t.label, lang="en"), g)
        self.add(s, PROV.wasDerivedFrom, document_iri(doc), g)
        self.add(s, DG.quote, Literal(t.quote, lang=self.lang(doc)), g)
        self.add(s, DG.modality, enum_term("reported"), g)
        for part in t.parts:
            self.add(s, DG.part, deal_iri(part), g)
        self.add(s, DG.basis, enum_term(t.basis), g)
        if t.largest_parts:
            self.add(s, DG.largestParts, Literal(True), g)
        if t.basis == "inferred":
            self.add(s, DG.inferenceReason, Literal(t.reason, lang="en"), g)
        self.values(s, t, self.lang(doc), g, (t.measure,))

    def resolved(self, r: ResolvedDeal) -> None:
        g, s = RESOLVED_GRAPH, deal_iri(r.id)
        self.deal_node(s, r.kind, r.deal.label, r.parties, g)
        for name, chosen in r.values.items():
            self.values(s, chosen.claim, self.lang(chosen.document), g, (name,))
            if not isinstance(chosen.value, str):
                self.add(URIRef(f"{s}/{name}"), DG.resolvedFrom, self.claim_iri(chosen.document, chosen.claim), g)
        if r.status:
            self.add(s, DG.status, enum_term(r.status.value), g)
        kind = DEAL_KINDS[r.kind]
        if kind.layer:
            self.add(s, DG.layer, Literal(kind.layer), g)
        for prop, role in ((DG.payer, kind.flow_from), (DG.payee, kind.flow_to)):
            for party in r.parties.get(role, []) if role else []:
                self.add(s, prop, self.entity(party), g)
        for doc in r.sources:
            self.add(s, DG.source, document_iri(doc), g)
        self.add(s, DG.knownFrom, Literal(r.known_from, datatype=XSD.date), g)
        for n, step in enumerate(r.timeline):
            node = URIRef(f"{s}/step/{n}")
            self.add(s, DG.step, node, g)
            self.add(node, RDF.type, DG.Event, g)
            self.add(node, DG.sequence, Literal(n), g)
            self.add(node, DG.eventKind, enum_term(step.status), g)
            self.add(node, DG.date, Literal(step.date, datatype=XSD.date), g)
            self.add(node, DG.datedBy, Literal(step.dated_by), g)
            if step.claim.basis == "inferred":
                self.add(node, DG.basis, DG.Inferred, g)
                self.add(node, DG.inferenceReason, Literal(step.claim.reason, lang="en"), g)
            if step.actor:
                self.add(node, DG.actor, self.entity(step.actor), g)
            if step.role:
                self.add(node, DG.takesRole, role_term(step.role), g)
            self.add(node, DG.resolvedFrom, self.claim_iri(step.document, step.claim), g)


@gc_paused
def build_quads(seeds: Seeds, ontology: Path | None = None) -> list[Quad]:
    """Every quad of the dataset for ``seeds``, in a deterministic order."""
    w = _Writer(seeds)
    onto = Dataset()
    onto.parse(ontology or default_ontology_path(), format="turtle")
    for s, p, o, _ in onto.quads((None, None, None, None)):
        w.add(s, p, o, ONTOLOGY_GRAPH)
    for doc in seeds.documents.values():
        w.document_record(doc)
    for e in seeds.entities.values():
        w.entity_record(e)
    for d in seeds.deals.values():
        w.deal_node(deal_iri(d.id), d.kind, d.label, {r: d.party_ids(r) for r in d.parties}, CURATION_GRAPH)
        if d.note:
            w.add(deal_iri(d.id), SKOS.editorialNote, Literal(d.note, lang="en"), CURATION_GRAPH)
        for role, reason in d.inferred.items():
            node = URIRef(f"{deal_iri(d.id)}/inferred/{role}")
            w.add(node, RDF.type, DG.RoleInference, CURATION_GRAPH)
            w.add(node, DG.about, deal_iri(d.id), CURATION_GRAPH)
            w.add(node, DG.inferredRole, role_term(role), CURATION_GRAPH)
            w.add(node, DG.basis, DG.Inferred, CURATION_GRAPH)
            w.add(node, DG.inferenceReason, Literal(reason, lang="en"), CURATION_GRAPH)
    for doc, c in seeds.claims:
        w.claim(doc, c)
    for doc, st in seeds.statements:
        w.statement(doc, st)
    for doc, t in seeds.totals:
        w.total(doc, t)
    for r in resolve(seeds).values():
        w.resolved(r)
    return list(dict.fromkeys(w.quads))  # the same quote may back two claims: no duplicates


def build_dataset(seeds: Seeds, ontology: Path | None = None) -> Dataset:
    """The dataset in rdflib's in-memory store (for SHACL, tests and notebooks)."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ds.addN((s, p, o, ds.graph(g)) for s, p, o, g in build_quads(seeds, ontology))
    return ds
