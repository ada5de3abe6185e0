"""The dealgraph vocabulary as typed terms, and the one place IRIs are minted.

``DG`` mirrors ``ontology/dealgraph.ttl`` term for term (``_fail = True``: a misspelt term
raises instead of minting a new IRI); ``tests/test_ontology.py`` fails when the two drift.

Two forms of the same vocabulary: rdflib terms (``DG.payer``, ``ID``, ``PREFIXES``...) for
building and checking RDF, and IRI text (``IRI.dg.payer``, :func:`sparql`, :func:`role_iri`) for
reading a store. The rdflib forms are made when first asked for (PEP 562), so a command that
only reads (``dealgraph deals``) never imports rdflib, a tenth of a second of its start.
"""

from __future__ import annotations

import functools
import hashlib
import re
from functools import lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import URIRef

__all__ = [
    "DG", "BASE", "ID", "GRAPH", "ONTOLOGY_IRI",
    "role_term", "role_of_term", "role_iri", "enum_term", "enum_of_term",
    "entity_iri", "deal_iri", "document_iri", "assertion_iri", "total_iri",
    "claims_graph", "CURATION_GRAPH", "RESOLVED_GRAPH", "ONTOLOGY_GRAPH",
    "SCHEMA", "WD", "PREFIXES", "QUERY_PREFIXES", "sparql", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
    "VOCABULARIES", "QUERY_VOCABULARIES", "Terms", "IRI",
]

BASE = "https://w3id.org/dealgraph/"

#: The prefixes exports declare (Turtle, TriG, JSON-LD), as IRI text; :data:`PREFIXES` holds the
#: same as rdflib namespaces (tests/test_architecture.py holds the two equal).
VOCABULARIES: dict[str, str] = {
    "dg": BASE + "ontology#", "schema": "https://schema.org/", "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}
#: What queries may use besides: rdf:type, and the named graphs as graph:resolved ...
QUERY_VOCABULARIES: dict[str, str] = {
    **VOCABULARIES, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "owl": "http://www.w3.org/2002/07/owl#",
    "graph": BASE + "graph/",
}


class _DGTerms:
    """Terms of https://w3id.org/dealgraph/ontology#"""

    # The declaration of DG (below, made when first used): one annotated term per line. The
    # annotations are never evaluated (``from __future__ import annotations``), so the names
    # are read without rdflib.

    # Classes and individuals
    About: URIRef  # Approximately.
    Active: URIRef  # Running.
    Agent: URIRef  # Something that takes part in deals or says something about them.
    Announced: URIRef  # Made public, not yet signed.
    Assertion: URIRef  # Something one source document says, backed by a verbatim evidence quote.
    Assumed: URIRef  # Taken over by another party.
    Basis: URIRef  # How an assertion rests on its quote.
    CapacityBackstop: URIRef  # A commitment by a backstop buyer to buy whatever capacity a provider cannot sell.
    CapacityOption: URIRef  # The right of a customer to buy more capacity from a supplier.
    Claim: URIRef  # What one document says about one deal: values with their modality, an as-of date and an ev
    Company: URIRef  # A firm that is party to deals.
    Completed: URIRef  # Carried out in full.
    ComputeContract: URIRef  # A customer buys compute or data-centre capacity from a supplier.
    Deal: URIRef  # An agreement or transaction between parties in roles; what it is worth, when and in what s
    Denied: URIRef  # Stated by the speaker as not so.
    EquityInvestment: URIRef  # Money put into a company for a share of it; money flows from investor to investee.
    EquityStake: URIRef  # A holding: owner holds a share of owned. Kept as its own layer of the money-flow graph.
    Event: URIRef  # A change of a deal's status by one agent; for an assumption, the agent takes over a role. 
    Exact: URIRef  # Given as is.
    Inferred: URIRef  # The curator concluded it from the document; the inference reason says how.
    Expected: URIRef  # Stated as expected, planned or projected.
    HardwarePurchase: URIRef  # A buyer buys accelerators or other equipment from a seller.
    Lease: URIRef  # The lessee pays the lessor for the use of an asset for a term.
    InfrastructurePartnership: URIRef  # Partners build infrastructure together; no money flows between them that the sources state
    Loan: URIRef  # A lender lends money to a borrower.
    Modality: URIRef  # How a source holds a fact.
    MonetaryAmount: URIRef  # A decimal schema:value in units (12 billion is 12000000000) with an ISO 4217 schema:curren
    MoreThan: URIRef  # A floor: the true figure is higher.
    Nearly: URIRef  # Close to, and not above.
    Observation: URIRef  # What one document says that is not about one deal: a commentator's view, a market move, a 
    Percentage: URIRef  # A fraction between 0 and 1 (dg:fraction) of revenue or ownership (dg:shareOf), with a qual
    Person: URIRef  # A person quoted in a source: an executive, a journalist, a critic.
    Project: URIRef  # A named joint undertaking such as an infrastructure programme.
    PublicOffering: URIRef  # An issuer sells its shares to the public; the money comes from outside the graph.
    Publication: URIRef  # A news outlet whose staff are quoted.
    Qualifier: URIRef  # How exact a stated figure is.
    Quantity: URIRef  # A schema:value with a schema:unitText (GW, MW), a qualifier and the figure as written.
    Reported: URIRef  # Stated as having happened or being so.
    RoleInference: URIRef  # The curator's inference of who holds a role in a deal.
    RevenueShare: URIRef  # A customer accounts for a share of a supplier's revenue over a period.
    Signed: URIRef  # Agreed and signed.
    SourceDocument: URIRef  # A news article from which claims were curated.
    SpendingCommitment: URIRef  # A company commits to spend an amount, with no single counterparty.
    StatedTotal: URIRef  # A total a document states together with the deals it sums; checked against them.
    Stated: URIRef  # The quote says it.
    Status: URIRef  # The state of a deal; each status-changing event leaves the deal in one.
    Target: URIRef  # Stated as hoped for or aimed at.
    UpTo: URIRef  # A ceiling: the true figure may be anything below.
    Withdrawn: URIRef  # A party walked away.
    Warrant: URIRef  # The issuer grants the holder the right to buy up to a number of its shares.

    # Properties
    about: URIRef  # The deal a claim, or a curator's inference, is about.
    accordingTo: URIRef  # The outlet the source cites for the assertion (Reuters, the Financial Times).
    actor: URIRef  # The agent that brought the event about.
    amount: URIRef  # The money a deal is worth, as claimed.
    anchorInvestor: URIRef  # An investor that commits to buy a large part of an offering.
    asOf: URIRef  # When the assertion was made: the publication date of its document.
    backstopBuyer: URIRef  # The party committed to buy unsold capacity.
    basis: URIRef  # Whether the quote states the assertion or the curator inferred it.
    borrower: URIRef  # The party that borrows.
    buyer: URIRef  # The party that buys goods.
    capacity: URIRef  # A physical capacity, such as data-centre power.
    contradicts: URIRef  # For a doubtful claim: a deal whose claims contradict it.
    curatorTitle: URIRef  # True when the text has no headline and its title is the curator's.
    customer: URIRef  # The party that pays for capacity or services.
    datedBy: URIRef  # In the resolved view: where a step's date comes from (event, claim, publication).
    date: URIRef  # When the deal was made or the event happened: xsd:gYear, xsd:gYearMonth or xsd:date, as pr
    doubtful: URIRef  # True when the curator found the assertion contradicted by its own document; doubtful claim
    event: URIRef  # The status-changing event a claim reports.
    eventKind: URIRef  # The status the event leaves the deal in.
    fraction: URIRef  # A share as a decimal between 0 and 1.
    inferenceReason: URIRef  # Why the curator concluded what the quote does not state.
    inferredRole: URIRef  # A role of a deal whose holder no source names.
    investee: URIRef  # The company invested in.
    investor: URIRef  # The party that puts money in.
    issuer: URIRef  # The company whose shares are offered.
    lender: URIRef  # The party that lends.
    machineTranslated: URIRef  # True when the text is a machine translation.
    mentions: URIRef  # An agent or project an observation is about.
    modality: URIRef  # How the source holds the assertion: reported, expected, target or denied.
    owned: URIRef  # The company a stake is held in.
    owner: URIRef  # The holder of an equity stake.
    part: URIRef  # A deal whose value a stated total sums.
    largestParts: URIRef  # True when a stated total's parts are the largest of what it measures.
    knownFrom: URIRef  # In the resolved view: the first day the deal counts in an as-of view.
    step: URIRef  # In the resolved view: one dated step of the deal's life.
    sequence: URIRef  # The position of a step in its deal's timeline.
    payer: URIRef  # In the resolved view: the party money flows from.
    payee: URIRef  # In the resolved view: the party money flows to.
    layer: URIRef  # In the resolved view: "flow" or "holding".  # A deal whose value a stated total sums.
    partner: URIRef  # A partner in a joint undertaking.
    party: URIRef  # An agent that takes part in a deal, in some role.
    per: URIRef  # What an amount is counted per: "share" or "year".
    period: URIRef  # The period a share or amount refers to (partial date: a year, a month).
    price: URIRef  # A per-share price, for offerings.
    provider: URIRef  # The capacity provider whose unsold capacity is bought.
    publishedBasis: URIRef  # Why the document is dated as it is, when it carries no date line.
    qualifier: URIRef  # How exact the stated figure is.
    quote: URIRef  # A short verbatim passage of the source that supports the assertion, tagged with its langua
    resolvedFrom: URIRef  # In the resolved view: the claim whose value was chosen for a value node.
    seller: URIRef  # The party that sells goods.
    sha256: URIRef  # SHA-256 of the document's text as curated, in hex.
    share: URIRef  # A percentage of revenue or of ownership.
    shareOf: URIRef  # What the share is of: "revenue" or "ownership".
    source: URIRef  # In the resolved view: a document with at least one claim about the deal.
    speaker: URIRef  # The agent the source attributes the assertion to.
    spender: URIRef  # The company that commits to spend.
    status: URIRef  # The state a deal is in.
    supplier: URIRef  # The party that provides capacity or services and is paid.
    surfaceText: URIRef  # The figure as the source writes it, in its language ("près de 12 milliards de dollars").
    takesRole: URIRef  # For an assumption: the role property (dg:customer, ...) the actor takes over.
    topic: URIRef  # What an observation says, in the curator's own words.
    underwriter: URIRef  # A bank that underwrites an offering.
    until: URIRef  # When the deal runs out (partial date).
    wire: URIRef  # The wire service a document is attributed to.
    holder: URIRef  # The party that holds a warrant and may exercise it.
    lessor: URIRef  # The party that lets an asset and is paid rent.
    lessee: URIRef  # The party that rents an asset and pays for it.
    quantity: URIRef  # A count a deal is about other than capacity: the shares a warrant covers.
    tranche: URIRef  # The number of the tranche a claim is about.
    trancheOf: URIRef  # How many tranches the deal is paid in.
    termMonths: URIRef  # How long the deal an amount is about runs, in months.


class Terms:
    """A vocabulary's terms as IRI text: ``IRI.dg.payer``, ``IRI.dg["payer"]``. With ``names``,
    a name the vocabulary does not declare raises AttributeError, as it does on ``DG``."""

    __slots__ = ("_iri", "_names")

    def __init__(self, iri: str, names: frozenset[str] | None = None):
        self._iri, self._names = iri, names

    def __getattr__(self, name: str) -> str:
        if name.startswith("__") or (self._names is not None and name not in self._names):
            raise AttributeError(f"term {name!r} not defined in {self._iri}")
        return self._iri + name

    __getitem__ = __getattr__


_DG_NAMES = frozenset(_DGTerms.__annotations__)
#: The vocabularies as IRI text, by query prefix: ``IRI.dg.payer``, ``IRI.rdf.type``.
IRI = SimpleNamespace(**{prefix: Terms(iri, _DG_NAMES if prefix == "dg" else None)
                         for prefix, iri in QUERY_VOCABULARIES.items()})

# The rdflib forms, made by _rdflib() when first asked for. Named graphs: the ontology, curated
# definitions (entities, deals, documents), one graph of claims per source document
# (re-curating a document replaces one graph), and the resolved view.
_RDFLIB_NAMES = frozenset({"DG", "ONTOLOGY_IRI", "ID", "GRAPH", "SCHEMA", "WD", "ONTOLOGY_GRAPH", "CURATION_GRAPH",
                           "RESOLVED_GRAPH", "PREFIXES", "QUERY_PREFIXES", "DCTERMS", "OWL", "PROV", "RDF", "RDFS",
                           "SKOS", "XSD"})


@functools.cache
def _rdflib() -> dict[str, Any]:
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

    dg = type(DefinedNamespace)("DG", (DefinedNamespace,), {
        "__doc__": _DGTerms.__doc__, "__module__": __name__, "__qualname__": "DG",
        "__annotations__": dict(_DGTerms.__annotations__), "_NS": Namespace(VOCABULARIES["dg"]), "_fail": True})
    graph = Namespace(QUERY_VOCABULARIES["graph"])
    schema, wd = Namespace(VOCABULARIES["schema"]), Namespace(VOCABULARIES["wd"])
    prefixes = {"dg": dg._NS, "schema": schema, "prov": PROV, "skos": SKOS, "dct": DCTERMS, "rdfs": RDFS,
                "xsd": XSD, "wd": wd}
    made = {
        "DG": dg, "ONTOLOGY_IRI": URIRef(BASE + "ontology"), "ID": Namespace(BASE + "id/"), "GRAPH": graph,
        "SCHEMA": schema, "WD": wd,
        "ONTOLOGY_GRAPH": graph["ontology"], "CURATION_GRAPH": graph["curation"], "RESOLVED_GRAPH": graph["resolved"],
        "PREFIXES": prefixes, "QUERY_PREFIXES": {**prefixes, "rdf": RDF, "owl": OWL, "graph": graph},
        "DCTERMS": DCTERMS, "OWL": OWL, "PROV": PROV, "RDF": RDF, "RDFS": RDFS, "SKOS": SKOS, "XSD": XSD,
    }
    assert set(made) == _RDFLIB_NAMES
    globals().update(made)  # later look-ups are plain module attributes
    return made


def __getattr__(name: str) -> Any:
    if name in _RDFLIB_NAMES:
        return _rdflib()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _RDFLIB_NAMES)


def sparql(body: str) -> str:
    """A SPARQL query: the PREFIX header of :data:`QUERY_PREFIXES`, then ``body``. Bodies name the
    named graphs as ``graph:resolved``, ``graph:curation`` and ``graph:ontology``.

    >>> "PREFIX graph: <https://w3id.org/dealgraph/graph/>" in sparql("ASK {}")
    True
    """
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in QUERY_VOCABULARIES.items()) + body


def claims_graph(document_id: str) -> URIRef:
    return _rdflib()["GRAPH"]["document/" + document_id]


def _role_name(role: str) -> str:
    head, *rest = role.split("_")
    return head + "".join(w.capitalize() for w in rest)


@lru_cache(maxsize=None)
def role_term(role: str) -> URIRef:
    """``backstop_buyer`` -> ``dg:backstopBuyer``."""
    return _rdflib()["DG"][_role_name(role)]


@lru_cache(maxsize=None)
def role_iri(role: str) -> str:
    """``backstop_buyer`` -> the IRI of ``dg:backstopBuyer``, as text (no rdflib)."""
    return IRI.dg[_role_name(role)]


@lru_cache(maxsize=1024)  # a few dozen terms, read once per deal when a large graph is loaded
def role_of_term(term: str) -> str:
    """``dg:backstopBuyer`` (or its local name) -> ``backstop_buyer``."""
    local = str(term).rsplit("#", 1)[-1]
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), local)


@lru_cache(maxsize=None)
def enum_term(value: str) -> URIRef:
    """A status, modality or qualifier value (``more_than``) -> its individual (``dg:MoreThan``)."""
    return _rdflib()["DG"]["".join(w.capitalize() for w in value.split("_"))]


@lru_cache(maxsize=1024)
def enum_of_term(term: str) -> str:
    """``dg:MoreThan`` -> ``more_than``."""
    return role_of_term(str(term).rsplit("#", 1)[-1]).lstrip("_")


def entity_iri(kind: str, slug: str) -> URIRef:
    return _rdflib()["ID"][f"{kind}/{slug}"]


def deal_iri(slug: str) -> URIRef:
    return _rdflib()["ID"][f"deal/{slug}"]


def document_iri(doc_id: str) -> URIRef:
    return _rdflib()["ID"][f"document/{doc_id}"]


def total_iri(slug: str) -> URIRef:
    return _rdflib()["ID"][f"total/{slug}"]


def assertion_iri(document_id: str, canonical: str) -> URIRef:
    """A claim's IRI is a hash of its document and its content: the same claim, the same IRI."""
    digest = hashlib.sha256(f"{document_id}\n{canonical}".encode("utf-8")).hexdigest()[:20]
    return _rdflib()["ID"][f"claim/{digest}"]
