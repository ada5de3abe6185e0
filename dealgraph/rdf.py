"""Records -> RDF quads: the ontology, curated definitions, claims per document, resolved view.

Every node gets an IRI minted in ``namespace.py`` (never a blank node: remote SPARQL stores
reject them), so building twice yields the same quads and a store can be diffed or re-pushed.

The quads are pyoxigraph terms, made once from the records (:func:`dataset_quads`) and handed
to the store as they are: rdflib terms cost most of a large build (``URIRef``/``Literal``
construction and namespace look-ups, then a second conversion into pyoxigraph), so they are
made only for the callers that want rdflib (:func:`build_dataset` for SHACL, tests and
notebooks; :func:`build_quads`), converted from the same stream: one mapping from records to
triples. pyoxigraph checks each term as it is made (an IRI with ``>``, a space or a newline is
refused with the reason), and its serializers write every term escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import StoreError
from .gc_pause import collector_paused
from .kinds import DEAL_KINDS
from .models import Amount, Claim, Entity, Quantity, Share, Statement, Total
from .namespace import (
    IRI,
    Terms,
    assertion_iri,
    claims_graph,
    deal_iri,
    document_iri,
    entity_iri,
    enum_term,
    role_term,
    total_iri,
)
from .resolve import VALUE_PROPERTIES, ResolvedDeal, resolve
from .seeds import Seeds

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Dataset, Literal, URIRef

__all__ = ["dataset_quads", "build_quads", "build_dataset", "default_ontology_path",
           "partial_date_literal", "entity_class", "rdflib_converter"]

RdflibQuad = tuple["URIRef", "URIRef", Any, "URIRef"]


class _Vocabulary:
    """A vocabulary's terms as pyoxigraph IRIs, each made once: ``dg.payer``, ``dg["payer"]``.
    The text comes from :data:`dealgraph.namespace.IRI`, so a term ``dg`` does not declare
    raises AttributeError there, as rdflib's closed ``DG`` namespace does."""

    def __init__(self, terms: Terms):
        self._terms = terms

    def __getattr__(self, name: str) -> ox.NamedNode:  # only for a name not made yet
        if name.startswith("_"):
            raise AttributeError(name)
        node = ox.NamedNode(getattr(self._terms, name))
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return getattr(self, name)


dg, rdf, rdfs, schema, skos, dct, prov, xsd = (_Vocabulary(getattr(IRI, p)) for p in (
    "dg", "rdf", "rdfs", "schema", "skos", "dct", "prov", "xsd"))
GRAPHS = _Vocabulary(IRI.graph)

_ENTITY_CLASS = {"company": "Company", "person": "Person", "project": "Project", "publication": "Publication"}
_PARTIAL_DATE_TYPE = {4: "gYear", 7: "gYearMonth", 10: "date"}
_TRUE = ox.Literal(True)


def __getattr__(name: str) -> Any:
    # The rdflib namespaces this module exported when it built rdflib terms (``SCHEMA``...):
    # still importable from here, made by namespace.py when first asked for.
    if name in {"DG", "SCHEMA", "RDF", "RDFS", "SKOS", "DCTERMS", "PROV", "XSD", "WD"}:
        from . import namespace

        return getattr(namespace, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def entity_class(kind: str) -> URIRef:
    return rdflib_converter()(dg[_ENTITY_CLASS[kind]])


def default_ontology_path() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "ontology", here.parent / "ontology"):
        if (candidate / "dealgraph.ttl").is_file():
            return candidate / "dealgraph.ttl"
    raise FileNotFoundError("ontology/dealgraph.ttl is missing from this installation")


def _partial_date(value: str) -> ox.Literal:
    """2025 -> xsd:gYear, 2025-03 -> xsd:gYearMonth, 2025-03-28 -> xsd:date."""
    return ox.Literal(value, datatype=xsd[_PARTIAL_DATE_TYPE[len(value)]])


def partial_date_literal(value: str) -> Literal:
    """The partial date ``value`` as the rdflib literal the dataset holds."""
    return rdflib_converter()(_partial_date(value))


def _decimal(value) -> ox.Literal:
    return ox.Literal(format(value.normalize(), "f"), datatype=xsd.decimal)


def _shown(text: str, limit: int = 120, quotes: bool = True) -> str:
    """``text`` on one line, of bounded length, for an error message (as dealgraph.store
    shows it: the data that failed may hold the very newline refused)."""
    shown = repr(text if len(text) <= limit else text[:limit] + "…")
    return shown if quotes else shown[1:-1]


def _iri(value: str) -> ox.NamedNode:
    """``value`` as an IRI, checked by pyoxigraph; :class:`StoreError` with its reason if it is
    not one. Every id was checked against a strict pattern when the seeds were read: this is
    the second wall, for whatever reaches an IRI some other way."""
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise StoreError(f"cannot store the IRI {_shown(value)}: {_shown(str(exc), quotes=False)}") from None


def _text(value: str, lang: str) -> ox.Literal:
    try:
        return ox.Literal(value, language=lang)
    except ValueError as exc:
        raise StoreError(f"cannot store the language tag {_shown(lang)} of {_shown(value)}: "
                         f"{_shown(str(exc), quotes=False)}") from None


class _Writer:
    """Makes the quads of the records one at a time; knows the seeds so entity ids become IRIs
    of the right kind. The IRIs used more than once (entities, deals, documents, graphs,
    individuals) are made once and kept; a claim's own nodes are made where they are used."""

    def __init__(self, seeds: Seeds):
        self.seeds = seeds
        self.quads: list[ox.Quad] = []
        self._claim_iris: dict[int, ox.NamedNode] = {}
        self._entities: dict[str, ox.NamedNode] = {}
        self._deals: dict[str, ox.NamedNode] = {}
        self._documents: dict[str, ox.NamedNode] = {}
        self._graphs: dict[str, ox.NamedNode] = {}
        self._enums: dict[str, ox.NamedNode] = {}
        self._roles: dict[str, ox.NamedNode] = {}

    def add(self, s, p, o, g) -> None:
        self.quads.append(ox.Quad(s, p, o, g))

    def drain(self) -> list[ox.Quad]:
        """The quads made since the last call (the stream hands them on record by record)."""
        made, self.quads = self.quads, []
        return made

    @staticmethod
    def _kept(made: dict[str, ox.NamedNode], key: str, mint) -> ox.NamedNode:
        """The IRI ``mint(key)`` (namespace.py mints every IRI), made once."""
        node = made.get(key)
        if node is None:
            node = made[key] = _iri(str(mint(key)))
        return node

    def entity(self, slug: str) -> ox.NamedNode:
        node = self._entities.get(slug)
        if node is None:
            node = self._entities[slug] = _iri(str(entity_iri(self.seeds.entities[slug].kind, slug)))
        return node

    def deal(self, slug: str) -> ox.NamedNode:
        return self._kept(self._deals, slug, deal_iri)

    def document(self, doc: str) -> ox.NamedNode:
        return self._kept(self._documents, doc, document_iri)

    def graph(self, doc: str) -> ox.NamedNode:
        return self._kept(self._graphs, doc, claims_graph)

    def enum(self, value: str) -> ox.NamedNode:
        return self._kept(self._enums, value, enum_term)

    def role(self, role: str) -> ox.NamedNode:
        return self._kept(self._roles, role, role_term)

    def lang(self, doc: str) -> str:
        return self.seeds.documents[doc].language

    # -- value nodes ----------------------------------------------------------------------

    def amount(self, node: ox.NamedNode, a: Amount, lang: str, g: ox.NamedNode) -> None:
        self.add(node, rdf.type, dg.MonetaryAmount, g)
        self.add(node, schema.value, _decimal(a.value), g)
        self.add(node, schema.currency, ox.Literal(a.currency), g)
        self.add(node, dg.qualifier, self.enum(a.qualifier), g)
        if a.min is not None:
            self.add(node, schema.minValue, _decimal(a.min), g)
        if a.max is not None:
            self.add(node, schema.maxValue, _decimal(a.max), g)
        if a.per:
            self.add(node, dg.per, ox.Literal(a.per), g)
        if a.term_months is not None:
            self.add(node, dg.termMonths, ox.Literal(a.term_months), g)
        if a.text:
            self.add(node, dg.surfaceText, _text(a.text, lang), g)

    def share(self, node: ox.NamedNode, s: Share, lang: str, g: ox.NamedNode) -> None:
        self.add(node, rdf.type, dg.Percentage, g)
        self.add(node, dg.fraction, _decimal(s.fraction), g)
        self.add(node, dg.shareOf, ox.Literal(s.of), g)
        self.add(node, dg.qualifier, self.enum(s.qualifier), g)
        if s.text:
            self.add(node, dg.surfaceText, _text(s.text, lang), g)

    def quantity(self, node: ox.NamedNode, q: Quantity, lang: str, g: ox.NamedNode) -> None:
        self.add(node, rdf.type, dg.Quantity, g)
        self.add(node, schema.value, _decimal(q.value), g)
        self.add(node, schema.unitText, ox.Literal(q.unit), g)
        self.add(node, dg.qualifier, self.enum(q.qualifier), g)
        if q.text:
            self.add(node, dg.surfaceText, _text(q.text, lang), g)

    def values(self, subject: ox.NamedNode, rec, lang: str, g: ox.NamedNode, names) -> None:
        """Write the value properties ``names`` of a claim-like record onto ``subject``."""
        for name in names:
            v = getattr(rec, name, None)
            if v is None:
                continue
            if isinstance(v, str):  # partial dates
                self.add(subject, dg[name], _partial_date(v), g)
                continue
            node = _iri(f"{subject.value}/{name}")
            if isinstance(v, Amount):
                self.amount(node, v, lang, g)
            elif isinstance(v, Share):
                self.share(node, v, lang, g)
            elif isinstance(v, Quantity):
                self.quantity(node, v, lang, g)
            else:
                raise TypeError(f"no RDF mapping for the {name} value {v!r}")
            self.add(subject, dg[name], node, g)

    # -- records --------------------------------------------------------------------------

    def entity_record(self, e: Entity) -> None:
        g, s = GRAPHS.curation, self.entity(e.id)
        self.add(s, rdf.type, dg[_ENTITY_CLASS[e.kind]], g)
        self.add(s, rdfs.label, ox.Literal(e.name), g)
        self.add(s, skos.prefLabel, ox.Literal(e.name), g)
        for alias in sorted(set(e.aliases)):
            self.add(s, skos.altLabel, ox.Literal(alias), g)
        if e.wikidata:
            self.add(s, schema.sameAs, _iri(IRI.wd[e.wikidata]), g)
        if e.affiliation:
            self.add(s, schema.affiliation, self.entity(e.affiliation), g)
        if e.position:
            self.add(s, schema.jobTitle, _text(e.position, "en"), g)

    def document_record(self, doc) -> None:
        g, s = GRAPHS.curation, self.document(doc.id)
        self.add(s, rdf.type, dg.SourceDocument, g)
        self.add(s, dct.identifier, ox.Literal(doc.id), g)
        self.add(s, dct.title, _text(doc.title, doc.language), g)
        self.add(s, dct.language, ox.Literal(doc.language, datatype=xsd.language), g)
        self.add(s, dct.issued, _partial_date(doc.published), g)
        self.add(s, dg.publishedBasis, _text(doc.published_basis, "en"), g)
        self.add(s, dg.sha256, ox.Literal(doc.sha256), g)
        self.add(s, dg.machineTranslated, ox.Literal(doc.machine_translated), g)
        self.add(s, dg.curatorTitle, ox.Literal(doc.curator_title), g)
        if doc.publisher:
            self.add(s, schema.publisher, ox.Literal(doc.publisher), g)
        if doc.wire:
            self.add(s, dg.wire, ox.Literal(doc.wire), g)
        if doc.url:
            self.add(s, schema.url, _iri(doc.url), g)
        if doc.note:
            self.add(s, skos.editorialNote, _text(doc.note, "en"), g)

    def deal_node(self, slug: str, kind: str, label: str, parties: dict[str, list[str]], g: ox.NamedNode) -> None:
        s = self.deal(slug)
        self.add(s, rdf.type, dg.Deal, g)
        self.add(s, rdf.type, dg[DEAL_KINDS[kind].term], g)
        self.add(s, rdfs.label, _text(label, "en"), g)
        self.add(s, dct.identifier, ox.Literal(s.value.rsplit("/", 1)[-1]), g)
        for role, who in parties.items():
            for party in who:
                # dg:party too, so "any party" needs no RDFS inference (in SPARQL or SHACL)
                self.add(s, self.role(role), self.entity(party), g)
                self.add(s, dg.party, self.entity(party), g)

    def claim_iri(self, doc: str, rec: Claim | Statement) -> ox.NamedNode:
        """The claim's content hash (computed once per claim: the resolved view cites it too)."""
        iri = self._claim_iris.get(id(rec))
        if iri is None:
            canonical = json.dumps(rec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
            iri = self._claim_iris[id(rec)] = _iri(str(assertion_iri(doc, canonical)))
        return iri

    def assertion(self, doc: str, rec: Claim | Statement, cls: ox.NamedNode) -> ox.NamedNode:
        g = self.graph(doc)
        s = self.claim_iri(doc, rec)
        lang = self.lang(doc)
        self.add(s, rdf.type, cls, g)
        self.add(s, prov.wasDerivedFrom, self.document(doc), g)
        self.add(s, dg.quote, _text(rec.quote, lang), g)
        self.add(s, dg.modality, self.enum(rec.modality), g)
        self.add(s, dg.asOf, _partial_date(self.seeds.documents[doc].published), g)
        if rec.speaker:
            self.add(s, dg.speaker, self.entity(rec.speaker), g)
        if rec.according_to:
            self.add(s, dg.accordingTo, ox.Literal(rec.according_to), g)
        basis = getattr(rec, "basis", "stated")
        self.add(s, dg.basis, self.enum(basis), g)
        if basis == "inferred":
            self.add(s, dg.inferenceReason, _text(rec.reason, "en"), g)
        return s

    def claim(self, doc: str, c: Claim) -> None:
        g, s = self.graph(doc), self.assertion(doc, c, dg.Claim)
        self.add(s, dg.about, self.deal(c.deal), g)
        self.values(s, c, self.lang(doc), g, VALUE_PROPERTIES)
        if c.tranche:
            self.add(s, dg.tranche, ox.Literal(c.tranche.number), g)
            if c.tranche.of is not None:
                self.add(s, dg.trancheOf, ox.Literal(c.tranche.of), g)
        if c.status:
            self.add(s, dg.status, self.enum(c.status), g)
        if c.doubtful:
            self.add(s, dg.doubtful, _TRUE, g)
        for other in c.contradicts:
            self.add(s, dg.contradicts, self.deal(other), g)
        if c.note:
            self.add(s, skos.editorialNote, _text(c.note, "en"), g)
        if c.event:
            ev = _iri(f"{s.value}/event")
            self.add(s, dg.event, ev, g)
            self.add(ev, rdf.type, dg.Event, g)
            self.add(ev, dg.eventKind, self.enum(c.event.kind), g)
            self.add(ev, dg.actor, self.entity(c.event.by), g)
            if c.event.role:
                self.add(ev, dg.takesRole, self.role(c.event.role), g)
            if c.event.date:
                self.add(ev, dg.date, _partial_date(c.event.date), g)

    def statement(self, doc: str, st: Statement) -> None:
        g, s = self.graph(doc), self.assertion(doc, st, dg.Observation)
        for who in st.about:
            self.add(s, dg.mentions, self.entity(who), g)
        self.add(s, dg.topic, _text(st.topic, "en"), g)
        self.values(s, st, self.lang(doc), g, ("amount", "share"))

    def total(self, doc: str, t: Total) -> None:
        g, s = self.graph(doc), _iri(str(total_iri(t.id)))
        self.add(s, rdf.type, dg.StatedTotal, g)
        self.add(s, rdfs.label, _text(t.label, "en"), g)
        self.add(s, prov.wasDerivedFrom, self.document(doc), g)
        self.add(s, dg.quote, _text(t.quote, self.lang(doc)), g)
        self.add(s, dg.modality, self.enum("reported"), g)
        for part in t.parts:
            self.add(s, dg.part, self.deal(part), g)
        self.add(s, dg.basis, self.enum(t.basis), g)
        if t.largest_parts:
            self.add(s, dg.largestParts, _TRUE, g)
        if t.basis == "inferred":
            self.add(s, dg.inferenceReason, _text(t.reason, "en"), g)
        self.values(s, t, self.lang(doc), g, (t.measure,))

    def resolved(self, r: ResolvedDeal) -> None:
        g = GRAPHS.resolved
        self.deal_node(r.id, r.kind, r.deal.label, r.parties, g)
        s = self.deal(r.id)
        for name, chosen in r.values.items():
            self.values(s, chosen.claim, self.lang(chosen.document), g, (name,))
            if not isinstance(chosen.value, str):
                self.add(_iri(f"{s.value}/{name}"), dg.resolvedFrom, self.claim_iri(chosen.document, chosen.claim), g)
        if r.status:
            self.add(s, dg.status, self.enum(r.status.value), g)
        kind = DEAL_KINDS[r.kind]
        if kind.layer:
            self.add(s, dg.layer, ox.Literal(kind.layer), g)
        for prop, role in ((dg.payer, kind.flow_from), (dg.payee, kind.flow_to)):
            for party in r.parties.get(role, []) if role else []:
                self.add(s, prop, self.entity(party), g)
        for doc in r.sources:
            self.add(s, dg.source, self.document(doc), g)
        self.add(s, dg.knownFrom, ox.Literal(r.known_from, datatype=xsd.date), g)
        for n, step in enumerate(r.timeline):
            node = _iri(f"{s.value}/step/{n}")
            self.add(s, dg.step, node, g)
            self.add(node, rdf.type, dg.Event, g)
            self.add(node, dg.sequence, ox.Literal(n), g)
            self.add(node, dg.eventKind, self.enum(step.status), g)
            self.add(node, dg.date, ox.Literal(step.date, datatype=xsd.date), g)
            self.add(node, dg.datedBy, ox.Literal(step.dated_by), g)
            if step.claim.basis == "inferred":
                self.add(node, dg.basis, dg.Inferred, g)
                self.add(node, dg.inferenceReason, _text(step.claim.reason, "en"), g)
            if step.actor:
                self.add(node, dg.actor, self.entity(step.actor), g)
            if step.role:
                self.add(node, dg.takesRole, self.role(step.role), g)
            self.add(node, dg.resolvedFrom, self.claim_iri(step.document, step.claim), g)


def _ontology_quads(path: Path) -> Iterator[ox.Quad]:
    """The ontology's triples in its named graph, read by pyoxigraph's Turtle parser."""
    graph = GRAPHS.ontology
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            raise StoreError(f"blank node in {path}: {t}: every node needs an IRI")
        yield ox.Quad(t.subject, t.predicate, t.object, graph)


def _record_quads(seeds: Seeds, ontology: Path | None) -> Iterator[ox.Quad]:
    w = _Writer(seeds)
    yield from _ontology_quads(ontology or default_ontology_path())
    for doc in seeds.documents.values():
        w.document_record(doc)
        yield from w.drain()
    for e in seeds.entities.values():
        w.entity_record(e)
        yield from w.drain()
    g = GRAPHS.curation
    for d in seeds.deals.values():
        w.deal_node(d.id, d.kind, d.label, {r: d.party_ids(r) for r in d.parties}, g)
        if d.note:
            w.add(w.deal(d.id), skos.editorialNote, _text(d.note, "en"), g)
        for role, reason in d.inferred.items():
            node = _iri(f"{w.deal(d.id).value}/inferred/{role}")
            w.add(node, rdf.type, dg.RoleInference, g)
            w.add(node, dg.about, w.deal(d.id), g)
            w.add(node, dg.inferredRole, w.role(role), g)
            w.add(node, dg.basis, dg.Inferred, g)
            w.add(node, dg.inferenceReason, _text(reason, "en"), g)
        yield from w.drain()
    for doc, c in seeds.claims:
        w.claim(doc, c)
        yield from w.drain()
    for doc, st in seeds.statements:
        w.statement(doc, st)
        yield from w.drain()
    for doc, t in seeds.totals:
        w.total(doc, t)
        yield from w.drain()
    for r in resolve(seeds).values():
        w.resolved(r)
        yield from w.drain()


def dataset_quads(seeds: Seeds, ontology: Path | None = None) -> Iterator[ox.Quad]:
    """Every quad of the dataset for ``seeds``, as pyoxigraph quads, in a deterministic order,
    made as they are consumed (a store loads them without the dataset ever being in memory).

    A quad may come twice (the same claim stated twice in one document: one content hash):
    a store keeps one; :func:`build_quads` lists each once.

    Python's cyclic garbage collector is paused while the stream runs, consumer included
    (:mod:`dealgraph.gc_pause` says why), and resumes when the stream ends or is closed.
    Raises :class:`StoreError` if a term is not valid RDF.
    """
    with collector_paused():
        yield from _record_quads(seeds, ontology)


def rdflib_converter():
    """A function turning a pyoxigraph term into the rdflib term it is, each distinct term
    converted once. A plain literal (``xsd:string``) becomes rdflib's literal without a
    datatype, as RDF 1.1 says they are the same."""
    from rdflib import Literal, URIRef

    string = xsd.string
    made: dict[Any, Any] = {}

    def term(t):
        r = made.get(t)
        if r is None:
            if isinstance(t, ox.NamedNode):
                r = URIRef(t.value)
            elif not isinstance(t, ox.Literal):
                raise StoreError(f"{t} is not an IRI or a literal: every node needs an IRI")
            elif t.language:
                r = Literal(t.value, lang=t.language)
            elif t.datatype == string:
                r = Literal(t.value)
            else:
                r = Literal(t.value, datatype=URIRef(t.datatype.value))
            made[t] = r
        return r

    return term


def build_quads(seeds: Seeds, ontology: Path | None = None) -> list[RdflibQuad]:
    """Every quad of the dataset for ``seeds`` as rdflib terms, each once, in a deterministic
    order: :func:`dataset_quads` converted (for rdflib users; a build does not need them)."""
    term = rdflib_converter()
    unique = dict.fromkeys(dataset_quads(seeds, ontology))  # the same claim twice: one quad
    return [(term(q.subject), term(q.predicate), term(q.object), term(q.graph_name)) for q in unique]


def build_dataset(seeds: Seeds, ontology: Path | None = None) -> Dataset:
    """The dataset in rdflib's in-memory store (for SHACL, tests and notebooks)."""
    from rdflib import Dataset

    from .namespace import PREFIXES

    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ds.addN((s, p, o, ds.graph(g)) for s, p, o, g in build_quads(seeds, ontology))
    return ds
