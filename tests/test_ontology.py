"""The vocabulary: ontology/dealgraph.ttl, the DG namespace in code, and every dg: term the code,
the saved queries, the shapes and the built dataset use -- one source of truth, no drift."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS

from dealgraph import __version__

from dealgraph.kinds import DEAL_KINDS, ROLES
from dealgraph.models import Modality, Qualifier, Status
from dealgraph.namespace import DG, ONTOLOGY_IRI, enum_of_term, enum_term, role_of_term, role_term
from dealgraph.resolve import VALUE_PROPERTIES

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "dealgraph.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
PACKAGE = ROOT / "dealgraph"
NS = str(DG._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def declared(ontology) -> set[str]:
    """Local names of every term the ontology declares (a subject in the dg: namespace)."""
    return {str(s)[len(NS):] for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def code_terms() -> set[str]:
    return set(DG.__annotations__)


def test_ontology_parses_and_names_itself(ontology):
    assert len(ontology) > 200
    assert (URIRef("https://w3id.org/dealgraph/ontology"), RDF.type, OWL.Ontology) in ontology


def test_the_version_iri_is_the_package_version(ontology):
    # one version IRI per release, so a reasoner or a store can tell two releases apart
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{__version__}")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(__version__)


def test_ontology_has_no_blank_nodes(ontology):
    blank = [t for t in ontology if any(isinstance(x, BNode) for x in t)]
    assert blank == []


def test_every_code_term_is_declared(declared):
    assert sorted(code_terms() - declared) == []


def test_every_declared_term_is_in_the_code(declared):
    assert sorted(declared - code_terms()) == []


def test_a_misspelt_term_raises():
    with pytest.raises(AttributeError):
        DG.Compnay  # noqa: B018


# ---------------------------------------------------------------------------------------------
# Terms of other vocabularies


def named_in(g: Graph, namespace: str) -> set[str]:
    """Local names of the IRIs in ``namespace`` that ``g`` names, in any position."""
    return {str(t)[len(namespace):] for triple in g for t in triple
            if isinstance(t, URIRef) and str(t).startswith(namespace)}


# The vocabularies rdflib holds term lists of (closed namespaces, read from each vocabulary's
# own RDF): a misspelt term of theirs fails here instead of minting an IRI nobody defines.
@pytest.mark.parametrize("vocabulary", [SDO, ORG, PROV, SKOS, DCTERMS], ids=lambda v: str(v._NS))
def test_terms_of_other_vocabularies_exist_in_them(ontology, vocabulary):
    used = named_in(ontology, str(vocabulary._NS))
    assert used
    assert sorted(used - set(vocabulary.__annotations__)) == []


@pytest.fixture(scope="module")
def ftm():
    """FollowTheMoney's own RDF vocabulary, as the followthemoney package generates it from its
    model: (namespace, graph)."""
    pytest.importorskip("followthemoney", reason="followthemoney (the test extra) holds the FtM model")
    from followthemoney.ontology import NS, Ontology

    return str(NS), Ontology().graph


def test_ftm_prefix_is_the_packages_namespace(ontology, ftm):
    namespace, _ = ftm
    assert dict(ontology.namespaces())["ftm"] == URIRef(namespace)


def test_ftm_alignment_names_the_schemata_of_the_design(ontology, ftm):
    # DESIGN.md: align with FollowTheMoney's Ownership, Payment and Debt, with their edges
    used = named_in(ontology, ftm[0])
    assert {"Ownership", "Payment", "Debt", "Ownership:owner", "Ownership:asset",
            "Debt:creditor", "Debt:debtor"} <= used


def test_every_ftm_term_exists_in_the_package_with_its_kind(ontology, ftm):
    namespace, theirs = ftm
    wrong = []
    for name in sorted(named_in(ontology, namespace)):
        term = URIRef(namespace + name)
        ours, their_types = set(ontology.objects(term, RDF.type)), set(theirs.objects(term, RDF.type))
        if RDFS.Class in their_types:
            ok = ours == {OWL.Class}
        elif RDF.Property in their_types:
            # entity-valued FtM properties range over an FtM schema: object properties here
            entity_valued = any((r, RDF.type, RDFS.Class) in theirs for r in theirs.objects(term, RDFS.range))
            ok = ours == {OWL.ObjectProperty if entity_valued else OWL.DatatypeProperty}
        else:
            ok = False  # not in FollowTheMoney at all
        if not ok:
            wrong.append((name, sorted(map(str, ours)), sorted(map(str, their_types))))
    assert wrong == []


# ---------------------------------------------------------------------------------------------
# Terms the sources use


def _sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py")) + sorted((PACKAGE / "queries").glob("*.rq")) + [SHAPES]
    return [p for p in files if "__pycache__" not in p.parts]


PATTERNS = [
    re.compile(r"(?<![\w/#])dg:([A-Za-z_]\w*)"),  # dg:Term in SPARQL, Turtle, docstrings
    re.compile(r"\b(?:DG|dg)\.([A-Za-z]\w*)"),  # DG.term (rdflib), dg.term and IRI.dg.term (text, pyoxigraph)
    re.compile(r"\b(?:DG|dg)\[\s*[\"']([A-Za-z]\w*)[\"']\s*\]"),  # DG["term"], dg["term"] in Python
    re.compile(re.escape(NS) + r"([A-Za-z_]\w*)"),  # the full IRI
]


def used_terms(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {m for pattern in PATTERNS for m in pattern.findall(text)}


@pytest.mark.parametrize("source", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_dg_term_a_source_uses_is_declared(source, declared):
    terms = used_terms(source) - {"_NS", "_fail"}
    assert sorted(terms - declared) == []


def test_the_scan_finds_terms():
    # the scanner itself: the saved queries and rdf.py use many terms, so a broken regex fails here
    assert {"payer", "payee", "layer"} <= set().union(*(used_terms(p) for p in (PACKAGE / "queries").glob("*.rq")))
    assert {"MonetaryAmount", "quote", "resolvedFrom"} <= used_terms(PACKAGE / "rdf.py")


@pytest.mark.parametrize("name", VALUE_PROPERTIES)
def test_value_properties_are_declared(declared, name):
    # rdf.py writes DG[name] for each of these
    assert name in declared


@pytest.mark.parametrize(
    ("value", "cls"),
    [(v.value, "Status") for v in Status] + [(v.value, "Modality") for v in Modality]
    + [(v.value, "Qualifier") for v in Qualifier],
)
def test_enumeration_values_are_individuals_of_their_class(ontology, value, cls):
    term = enum_term(value)
    assert (term, RDF.type, DG[cls]) in ontology
    assert enum_of_term(term) == value


# ---------------------------------------------------------------------------------------------
# Labels, comments, kinds and roles


def test_every_term_has_a_label_and_a_comment(ontology, declared):
    missing = [t for t in sorted(declared)
               if ontology.value(DG[t], RDFS.label) is None or ontology.value(DG[t], RDFS.comment) is None]
    assert missing == []


def test_labels_and_comments_are_english(ontology, declared):
    for t in declared:
        for p in (RDFS.label, RDFS.comment):
            assert {o.language for o in ontology.objects(DG[t], p)} == {"en"}, (t, p)


def test_every_term_is_a_class_property_or_individual(ontology, declared):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, DG.Status, DG.Modality, DG.Qualifier, DG.Basis}
    for t in declared:
        assert set(ontology.objects(DG[t], RDF.type)) & kinds, t


@pytest.mark.parametrize("kind", DEAL_KINDS.values(), ids=lambda k: k.name)
def test_every_deal_kind_is_a_subclass_of_deal(ontology, kind):
    cls = DG[kind.term]
    assert (cls, RDF.type, OWL.Class) in ontology
    assert (cls, RDFS.subClassOf, DG.Deal) in ontology
    # the ontology's label is the table's label
    assert str(ontology.value(cls, RDFS.label)) == kind.label


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_a_subproperty_of_party(ontology, role):
    prop = role_term(role)
    assert (prop, RDFS.subPropertyOf, DG.party) in ontology
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert role_of_term(prop) == role


def test_no_other_subproperty_of_party(ontology):
    subs = {role_of_term(s) for s in ontology.subjects(RDFS.subPropertyOf, DG.party)}
    assert subs == set(ROLES)


def test_no_other_subclass_of_deal(ontology):
    subs = {str(s)[len(NS):] for s in ontology.subjects(RDFS.subClassOf, DG.Deal)}
    assert subs == {k.term for k in DEAL_KINDS.values()}


# ---------------------------------------------------------------------------------------------
# The built dataset


def test_built_dataset_uses_only_declared_terms(memory_graph, declared):
    used: dict[str, set[str]] = {"predicate": set(), "type": set(), "any": set()}
    rdf_type = ox.NamedNode(str(RDF.type))
    for q in memory_graph.store.ox:
        if q.predicate.value.startswith(NS):
            used["predicate"].add(q.predicate.value[len(NS):])
        if q.predicate == rdf_type and isinstance(q.object, ox.NamedNode) and q.object.value.startswith(NS):
            used["type"].add(q.object.value[len(NS):])
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(NS):
                used["any"].add(term.value[len(NS):])
    assert used["predicate"] and used["type"]
    for where, terms in used.items():
        assert sorted(terms - declared) == [], where
