"""SHACL (ontology/shapes.ttl, dealgraph.shapes): the built seeds conform, the shapes agree
with the table of deal kinds, and each kind of damage to a built dataset is caught."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest


from rdflib import Dataset, Graph, Literal, URIRef  # noqa: E402
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD  # noqa: E402

from dealgraph.api import validate  # noqa: E402
from dealgraph.kinds import DEAL_KINDS  # noqa: E402
from dealgraph.namespace import DG, RESOLVED_GRAPH, deal_iri, role_of_term, role_term  # noqa: E402
from dealgraph.rdf import SCHEMA, build_dataset, build_quads  # noqa: E402
from dealgraph.shapes import check_shapes  # noqa: E402

SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"


def test_bundled_seeds_conform(seeds_dir, documents_dir):
    report = validate(seeds_dir, documents_dir)
    assert report.shacl_conforms is True
    assert report.shacl_violations == []
    assert report.ok
    assert report.quotes_checked
    assert (report.documents, report.warnings) == (5, [])


def test_validate_without_shacl_does_not_run_it(seeds_dir):
    report = validate(seeds_dir, shacl=False)
    assert report.shacl_conforms is None and report.shacl_violations == []
    assert report.ok and not report.quotes_checked


# ---------------------------------------------------------------------------------------------
# The shapes against the table of kinds


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def roles_in_shape(shapes: Graph, cls: URIRef) -> dict[str, int]:
    """Role -> sh:minCount of the property shapes of the node shape(s) targeting ``cls``."""
    out = {}
    for shape in shapes.subjects(SH.targetClass, cls):
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef) and str(path).startswith(str(DG._NS)):
                out[role_of_term(path)] = int(shapes.value(prop, SH.minCount, default=Literal(0)))
    return out


@pytest.mark.parametrize("kind", DEAL_KINDS.values(), ids=lambda k: k.name)
def test_required_roles_in_the_shapes_are_those_of_the_table(shapes, kind):
    roles = roles_in_shape(shapes, DG[kind.term])
    required = {r for r, n in roles.items() if n >= 1}
    assert required == set(kind.required_roles)


@pytest.mark.parametrize("kind", DEAL_KINDS.values(), ids=lambda k: k.name)
def test_role_shapes_ask_for_agents(shapes, kind):
    for shape in shapes.subjects(SH.targetClass, DG[kind.term]):
        for prop in shapes.objects(shape, SH.property):
            if shapes.value(prop, SH.path) in {role_term(r) for r in kind.roles}:
                assert shapes.value(prop, SH["class"]) == DG.Agent


def test_every_shape_targets_a_declared_class(shapes):
    onto = Graph().parse(SHAPES.with_name("dealgraph.ttl"), format="turtle")
    for cls in shapes.objects(None, SH.targetClass):
        assert (cls, None, None) in onto, cls


# ---------------------------------------------------------------------------------------------
# Breaking a built dataset: SHACL must say where


@pytest.fixture(scope="module")
def quads(seeds):
    return build_quads(seeds)


@pytest.fixture
def dataset(seeds) -> Dataset:
    return build_dataset(seeds)


def shown(term) -> set[str]:
    """The ways a violation line may print ``term``: full IRI, or a prefixed name."""
    forms = {term.n3(), str(term)}
    try:
        forms.add(Graph().namespace_manager.normalizeUri(term))
    except Exception:  # pragma: no cover - a term no prefix covers
        pass
    return forms


def claim_quoting(ds: Dataset, text: str) -> URIRef:
    hits = {s for s, _, o, _ in ds.quads((None, DG.quote, None, None)) if text in str(o)
            and any(True for _ in ds.quads((s, RDF.type, DG.Claim, None)))}
    assert len(hits) == 1, hits
    return hits.pop()


def remove_everywhere(ds: Dataset, s, p, o=None) -> int:
    found = list(ds.quads((s, p, o, None)))
    assert found, (s, p, o)
    for q in found:
        ds.remove(q)
    return len(found)


def replace_everywhere(ds: Dataset, s, p, new) -> None:
    for s_, p_, o_, g in list(ds.quads((s, p, None, None))):
        ds.remove((s_, p_, o_, g))
        ds.add((s_, p_, new, g))


def break_derivation(ds):
    # 004: "seguito da un altro accordo di 4 miliardi a maggio dello stesso anno"
    claim = claim_quoting(ds, "seguito da un altro accordo di 4 miliardi")
    remove_everywhere(ds, claim, PROV.wasDerivedFrom)
    return claim, PROV.wasDerivedFrom


def break_required_role(ds):
    deal = deal_iri("coreweave-ipo-2025")
    remove_everywhere(ds, deal, DG.issuer)
    return deal, DG.issuer


def break_lender(ds):
    deal = deal_iri("blackstone-coreweave-loan")
    remove_everywhere(ds, deal, DG.lender)
    return deal, DG.lender


def break_fraction(ds):
    node = URIRef(f"{deal_iri('microsoft-coreweave-revenue-2024')}/share")
    replace_everywhere(ds, node, DG.fraction, Literal(Decimal("1.5"), datatype=XSD.decimal))
    return node, DG.fraction


def break_currency(ds):
    node = URIRef(f"{deal_iri('nvidia-coreweave-capacity-backstop')}/amount")
    replace_everywhere(ds, node, SCHEMA.currency, Literal("usd"))
    return node, SCHEMA.currency


def break_negative_value(ds):
    node = URIRef(f"{deal_iri('openai-coreweave-contract-2025-09')}/amount")
    replace_everywhere(ds, node, SCHEMA.value, Literal("-6500000000", datatype=XSD.decimal))
    return node, SCHEMA.value


def break_bounds(ds):
    node = URIRef(f"{deal_iri('openai-coreweave-contract-2025-09')}/amount")
    ds.add((node, SCHEMA.minValue, Literal("7000000000", datatype=XSD.decimal), RESOLVED_GRAPH))
    ds.add((node, SCHEMA.maxValue, Literal("6000000000", datatype=XSD.decimal), RESOLVED_GRAPH))
    return node, SCHEMA.minValue


def break_long_quote(ds):
    claim = claim_quoting(ds, "seguito da un altro accordo di 4 miliardi")
    replace_everywhere(ds, claim, DG.quote, Literal("x" * 241, lang="it"))
    return claim, DG.quote


def break_second_document(ds):
    claim = claim_quoting(ds, "seguito da un altro accordo di 4 miliardi")
    g = next(g for _, _, _, g in ds.quads((claim, DG.quote, None, None)))
    ds.add((claim, PROV.wasDerivedFrom, URIRef("https://w3id.org/dealgraph/id/document/000_59ef7ef0d81b026c"), g))
    return claim, PROV.wasDerivedFrom


def break_status(ds):
    deal = deal_iri("coreweave-ipo-2025")
    replace_everywhere(ds, deal, DG.status, DG.Reported)  # a modality is no status
    return deal, DG.status


def break_about_nothing(ds):
    # a claim about an IRI that is no deal at all (sh:class dg:Deal on dg:about)
    claim = claim_quoting(ds, "seguito da un altro accordo di 4 miliardi")
    replace_everywhere(ds, claim, DG.about, URIRef("https://w3id.org/dealgraph/id/deal/no-such-deal"))
    return claim, DG.about


def break_modality(ds):
    claim = claim_quoting(ds, "seguito da un altro accordo di 4 miliardi")
    replace_everywhere(ds, claim, DG.modality, DG.Completed)  # a status is no modality
    return claim, DG.modality


def break_party_not_an_agent(ds):
    deal = deal_iri("magnetar-coreweave-loan")
    replace_everywhere(ds, deal, DG.lender, URIRef("https://w3id.org/dealgraph/id/company/no-such-company"))
    return deal, DG.lender


def break_bad_sha256(ds):
    doc = URIRef("https://w3id.org/dealgraph/id/document/003_fd0c659e06895f58")
    replace_everywhere(ds, doc, DG.sha256, Literal("not-a-hash"))
    return doc, DG.sha256


def break_partyless_deal(ds):
    # shapes.ttl: "Every deal has an identifier, a label and at least one party."
    deal = URIRef("https://w3id.org/dealgraph/id/deal/nobody-is-party")
    ds.add((deal, RDF.type, DG.Deal, RESOLVED_GRAPH))
    ds.add((deal, RDFS.label, Literal("A deal without parties", lang="en"), RESOLVED_GRAPH))
    ds.add((deal, DCTERMS.identifier, Literal("nobody-is-party"), RESOLVED_GRAPH))
    return deal, DG.party


def break_known_from(ds):
    # a month where the as-of views need a day (the ontology leaves dg:knownFrom's datatype to SHACL)
    deal = deal_iri("coreweave-ipo-2025")
    replace_everywhere(ds, deal, DG.knownFrom, Literal("2025-03", datatype=XSD.gYearMonth))
    return deal, DG.knownFrom


def break_partial_date(ds):
    # the date as a reader would write it, not a year, month or day
    deal = deal_iri("openai-coreweave-contract-2025-05")
    replace_everywhere(ds, deal, DG.date, Literal("May 2025"))
    return deal, DG.date


BREAKS = [break_derivation, break_required_role, break_lender, break_fraction, break_currency,
          break_negative_value, break_bounds, break_long_quote, break_second_document, break_status,
          break_about_nothing, break_modality, break_party_not_an_agent,
          break_bad_sha256, break_partyless_deal, break_known_from, break_partial_date]


@pytest.mark.parametrize("damage", BREAKS, ids=lambda f: f.__name__.removeprefix("break_").replace("_", "-"))
def test_shacl_catches_the_damage(dataset, damage):
    focus, path = damage(dataset)
    conforms, violations = check_shapes(dataset)
    assert conforms is False
    hits = [v for v in violations if any(v.startswith(f) for f in shown(focus))
            and any(p in v for p in shown(path))]
    assert hits, f"no violation on {focus} {path}; got:\n" + "\n".join(violations)


def test_an_undamaged_copy_conforms(dataset):
    """The breaking helpers change a private dataset; the fixture itself conforms."""
    assert check_shapes(dataset) == (True, [])
