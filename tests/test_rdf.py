"""Records -> RDF (dealgraph.rdf, dealgraph.resolve): deterministic IRIs, no blank nodes, one
named graph per document, a resolved view chosen by the documented rule, and exports that
round-trip in every format."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from dealgraph.errors import DealGraphError, StoreError
from dealgraph.models import Claim, Deal, Document, Entity
from dealgraph.namespace import (
    CURATION_GRAPH,
    DG,
    ONTOLOGY_GRAPH,
    RESOLVED_GRAPH,
    claims_graph,
    deal_iri,
    document_iri,
    entity_iri,
)
from dealgraph.namespace import SCHEMA
from dealgraph.rdf import build_dataset, build_quads, dataset_quads
from dealgraph.resolve import resolve
from dealgraph.seeds import Seeds, load_seeds
from dealgraph.store import to_ox_quad, write_store

BN = 10**9


@pytest.fixture(scope="module")
def ds(seeds) -> Dataset:
    return build_dataset(seeds)


@pytest.fixture(scope="module")
def resolved(ds):
    return ds.graph(RESOLVED_GRAPH)


def nquads_digest(quads) -> str:
    lines = sorted(str(to_ox_quad(*q)) for q in quads)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Identity


def test_building_twice_gives_the_same_quads(seeds_dir):
    first = build_quads(load_seeds(seeds_dir))
    second = build_quads(load_seeds(seeds_dir))
    assert first == second  # same quads, same order
    assert len(set(first)) == len(first)  # no duplicates


@pytest.mark.parametrize("hashseed", ["0", "1", "4242"])
def test_building_in_another_process_gives_the_same_quads(quads, seeds_dir, hashseed):
    script = (
        "import hashlib, sys\n"
        "from dealgraph.seeds import load_seeds\n"
        "from dealgraph.rdf import build_quads\n"
        "from dealgraph.store import to_ox_quad\n"
        "lines = sorted(str(to_ox_quad(*q)) for q in build_quads(load_seeds(sys.argv[1])))\n"
        "print(hashlib.sha256('\\n'.join(lines).encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    run = subprocess.run([sys.executable, "-c", script, str(seeds_dir)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == nquads_digest(quads)


def test_no_blank_nodes_anywhere(quads):
    assert [q for q in quads if any(isinstance(t, BNode) for t in q)] == []


def test_every_iri_is_under_a_known_base(quads):
    # data under /id/, graphs under /graph/; nothing minted elsewhere in the project's space
    for s, p, o, g in quads:
        for t in (s, o):
            if isinstance(t, URIRef) and str(t).startswith("https://w3id.org/dealgraph/"):
                assert str(t).startswith(("https://w3id.org/dealgraph/id/", "https://w3id.org/dealgraph/ontology")), t
        assert str(g).startswith("https://w3id.org/dealgraph/graph/")


def test_one_named_graph_per_document_plus_curation_resolved_ontology(quads, seeds):
    graphs = {g for *_, g in quads}
    expected = {claims_graph(d) for d in seeds.documents} | {CURATION_GRAPH, RESOLVED_GRAPH, ONTOLOGY_GRAPH}
    assert graphs == expected
    assert len(graphs) == 5 + 3


@pytest.mark.parametrize("document", ["000_59ef7ef0d81b026c", "001_b5cf80015326deb3", "002_3b40e35e9b637772",
                                      "003_fd0c659e06895f58", "004_9cb071e2598439fe"])
def test_a_document_graph_holds_its_own_claims_only(ds, seeds, document):
    g = ds.graph(claims_graph(document))
    assertions = set(g.subjects(PROV.wasDerivedFrom, None))
    assert assertions
    assert set(g.objects(None, PROV.wasDerivedFrom)) == {document_iri(document)}
    claims = set(g.subjects(RDF.type, DG.Claim))
    observations = set(g.subjects(RDF.type, DG.Observation))
    # claims backed by the same quote about different deals stay distinct (003 has three)
    assert len(claims) == sum(1 for d, _ in seeds.claims if d == document)
    assert len(observations) == sum(1 for d, _ in seeds.statements if d == document)


def test_claim_iris_are_content_hashes(ds, seeds):
    # the same claim gives the same IRI, whatever its position in the file
    from dealgraph.namespace import assertion_iri
    import json

    doc, claim = seeds.claims[0]
    canonical = json.dumps(claim.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    iri = assertion_iri(doc, canonical)
    assert (iri, DG.quote, Literal(claim.quote, lang="fr")) in ds.graph(claims_graph(doc))


def test_curation_graph_holds_entities_deals_documents(ds, seeds):
    g = ds.graph(CURATION_GRAPH)
    assert set(g.subjects(RDF.type, DG.Deal)) == {deal_iri(d) for d in seeds.deals}
    assert set(g.subjects(RDF.type, DG.SourceDocument)) == {document_iri(d) for d in seeds.documents}
    companies = {e.id for e in seeds.entities.values() if e.kind == "company"}
    assert set(g.subjects(RDF.type, DG.Company)) == {entity_iri("company", c) for c in companies}
    # curation keeps Microsoft as the option's customer; the resolved view hands it to OpenAI
    assert (deal_iri("coreweave-capacity-option-2025"), DG.customer, entity_iri("company", "microsoft")) in g


# ---------------------------------------------------------------------------------------------
# The stream a build writes: pyoxigraph terms made from the records, one mapping for all


def test_the_rdflib_quads_are_the_stream_the_store_is_written_from(seeds, quads):
    stream = list(dataset_quads(seeds))
    assert {to_ox_quad(*q) for q in quads} == set(stream)
    assert len(quads) == len(set(stream))  # build_quads lists each quad once


def test_the_stream_holds_iris_and_literals_only(seeds):
    for q in dataset_quads(seeds):
        assert all(isinstance(t, ox.NamedNode) for t in (q.subject, q.predicate, q.graph_name)), q
        assert isinstance(q.object, (ox.NamedNode, ox.Literal)), q


def test_the_collector_is_paused_while_the_stream_runs_and_resumes_after(seeds):
    assert gc.isenabled()
    stream = dataset_quads(seeds)
    next(stream)
    assert not gc.isenabled()  # the consumer (Oxigraph's loader) runs paused too
    for _ in stream:
        pass
    assert gc.isenabled()
    stream = dataset_quads(seeds)
    next(stream)
    stream.close()  # a build that fails half-way closes the stream it was reading
    assert gc.isenabled()


INJECTED = 'Q1> <http://x/p> <http://x/o> <http://x/g> .\n<http://x/s'


def test_an_iri_that_is_not_one_is_refused_as_the_quads_are_made(seeds, tmp_path):
    """The seeds' id patterns are the first wall; the terms themselves are the second, for
    whatever reaches an IRI without them (here a Wikidata id put in past validation)."""
    entity = next(e for e in seeds.entities.values() if e.wikidata)
    bad = dataclasses.replace(seeds, entities={**seeds.entities,
                                               entity.id: entity.model_copy(update={"wikidata": INJECTED})})
    with pytest.raises(StoreError, match=r"cannot store the IRI '.*\\n") as exc:
        list(dataset_quads(bad))
    assert str(exc.value).isprintable()
    root = tmp_path / "store"
    with pytest.raises(StoreError, match="cannot store the IRI"):
        write_store(dataset_quads(bad), root)
    assert not list(root.glob("v-*")) and not (root / "current").exists()
    assert gc.isenabled()


def test_a_language_tag_that_is_not_one_is_refused_as_the_quads_are_made(seeds):
    doc = next(iter(seeds.documents.values()))
    bad = dataclasses.replace(seeds, documents={**seeds.documents,
                                                doc.id: doc.model_copy(update={"language": "fr\n<x>"})})
    with pytest.raises(StoreError, match="cannot store the language tag") as exc:
        list(dataset_quads(bad))
    assert str(exc.value).isprintable()


# ---------------------------------------------------------------------------------------------
# The resolved view


def amounts(resolved) -> dict[str, list]:
    out: dict[str, list] = {}
    for deal in resolved.subjects(RDF.type, DG.Deal):
        out[str(deal).rsplit("/", 1)[-1]] = [
            [v.toPython() for v in resolved.objects(node, SCHEMA.value)] for node in resolved.objects(deal, DG.amount)]
    return out


# Each amount as the articles give it, and the rule of dealgraph/resolve.py that picks it.
EXPECTED_AMOUNTS = {
    # 004: "un primo contratto siglato nel marzo 2025 per 11,9 miliardi di dollari" -- the newest
    # reported figure beats 000-002's "près de 12 milliards" / "nearly $12 billion"
    "coreweave-capacity-option-2025": Decimal("11.9") * BN,
    # 003: "Les espoirs de l'entreprise d'élever 4 milliards de dollars [...] a donc échoué à un
    # 1,5 milliard de dollars détrempé": reported 1.5 beats expected 2.5 (000-002) and target 4
    "coreweave-ipo-2025": Decimal("1.5") * BN,
    # 000: "leur investissement en cours de 80 milliards de dollars"
    "microsoft-ai-spending-80bn": 80 * BN,
    # 004: "un contratto da 6,3 miliardi di dollari, assicurando la vendita di tutte le capacità
    # cloud non vendute"
    "nvidia-coreweave-capacity-backstop": Decimal("6.3") * BN,
    # 004: "un piano di investimenti di circa 100 miliardi di dollari in OpenAI"
    "nvidia-openai-investment-plan": 100 * BN,
    # 004: "un altro accordo di 4 miliardi a maggio dello stesso anno"
    "openai-coreweave-contract-2025-05": 4 * BN,
    # 004: "un importante accordo dal valore di 6,5 miliardi di dollari"
    "openai-coreweave-contract-2025-09": Decimal("6.5") * BN,
    # 004: "con investimenti che superano i 400 miliardi di dollari"
    "stargate-us-data-centres": 400 * BN,
}


def test_resolved_view_has_every_deal(resolved, seeds):
    assert set(resolved.subjects(RDF.type, DG.Deal)) == {deal_iri(d) for d in seeds.deals}


def test_resolved_view_has_at_most_one_amount_per_deal_with_one_value(resolved):
    for deal, nodes in amounts(resolved).items():
        assert len(nodes) <= 1, deal
        for values in nodes:
            assert len(values) == 1, deal


@pytest.mark.parametrize("deal", sorted({*EXPECTED_AMOUNTS, "blackstone-coreweave-loan", "microsoft-openai-investment",
                                         "nvidia-coreweave-stake", "microsoft-coreweave-contracts"}))
def test_resolved_amount(resolved, deal):
    got = amounts(resolved)[deal]
    expected = EXPECTED_AMOUNTS.get(deal)
    assert got == ([] if expected is None else [[Decimal(expected)]])


@pytest.mark.parametrize(
    ("deal", "quote"),
    [
        ("coreweave-ipo-2025", "a donc échoué à un 1,5 milliard de dollars détrempé"),
        ("coreweave-capacity-option-2025", "un primo contratto siglato nel marzo 2025 per 11,9 miliardi di dollari"),
    ],
)
def test_resolved_amount_says_which_claim_it_comes_from(ds, resolved, deal, quote):
    node = resolved.value(deal_iri(deal), DG.amount)
    claim = resolved.value(node, DG.resolvedFrom)
    assert claim is not None
    assert {str(o) for _, _, o, _ in ds.quads((claim, DG.quote, None, None))} == {quote}


def test_capacity_option_is_assumed_by_openai(resolved):
    # 000: "OpenAI a repris une option d'investissement de près de 12 milliards de dollars
    # initialement détenue par Microsoft dans CoreWeave"; 002: "has stepped in to assume the
    # nearly $12 billion option"
    deal = deal_iri("coreweave-capacity-option-2025")
    assert resolved.value(deal, DG.status) == DG.Assumed
    assert set(resolved.objects(deal, DG.customer)) == {entity_iri("company", "openai")}
    assert set(resolved.objects(deal, DG.payer)) == {entity_iri("company", "openai")}
    assert set(resolved.objects(deal, DG.payee)) == {entity_iri("company", "coreweave")}
    # 004: "un primo contratto siglato nel marzo 2025"
    assert resolved.value(deal, DG.date) == Literal("2025-03", datatype=XSD.gYearMonth)


def test_the_doubtful_2023_date_stays_out_of_the_resolved_view(ds, resolved):
    # 004 says the 6.5 bn deal is the third "solo nel 2023", while dating the first two to March
    # and May 2025: the curator marked that claim doubtful, so the deal has no date.
    deal = deal_iri("openai-coreweave-contract-2025-09")
    assert resolved.value(deal, DG.date) is None
    doubtful = [s for s, _, _, _ in ds.quads((None, DG.doubtful, Literal(True), claims_graph("004_9cb071e2598439fe")))]
    assert len(doubtful) == 1
    assert (doubtful[0], DG.about, deal) in ds.graph(claims_graph("004_9cb071e2598439fe"))
    assert (doubtful[0], DG.date, Literal("2023", datatype=XSD.gYear)) in ds.graph(claims_graph("004_9cb071e2598439fe"))


@pytest.mark.parametrize(
    ("deal", "status"),
    [
        ("coreweave-ipo-2025", DG.Completed),  # 003: "est devenue publique sur le marché boursier cette semaine"
        ("openai-coreweave-contract-2025-09", DG.Signed),  # 004: "la firma di un importante accordo"
        ("nvidia-openai-investment-plan", DG.Announced),  # 004: "ha recentemente annunciato un piano"
        ("microsoft-coreweave-contracts", DG.Active),  # 002: "still maintains a number of ongoing contracts"
    ],
)
def test_resolved_status(resolved, deal, status):
    assert list(resolved.objects(deal_iri(deal), DG.status)) == [status]


@pytest.mark.parametrize(
    ("deal", "layer", "payer", "payee"),
    [
        ("nvidia-openai-investment-plan", "flow", "nvidia", "openai"),
        ("nvidia-coreweave-stake", "holding", "nvidia", "coreweave"),
        ("blackstone-coreweave-loan", "flow", "blackstone", "coreweave"),
        ("coreweave-ipo-2025", "flow", None, "coreweave"),
        ("stargate-us-data-centres", None, None, None),
        ("microsoft-ai-spending-80bn", None, "microsoft", None),
    ],
)
def test_money_flow_is_materialised_from_the_table_of_kinds(resolved, deal, layer, payer, payee):
    d = deal_iri(deal)
    assert resolved.value(d, DG.layer) == (None if layer is None else Literal(layer))
    assert resolved.value(d, DG.payer) == (None if payer is None else entity_iri("company", payer))
    assert resolved.value(d, DG.payee) == (None if payee is None else entity_iri("company", payee))


# ---------------------------------------------------------------------------------------------
# The rule of dealgraph/resolve.py, on small made-up seeds

QUOTE = "a quote for the rule"


def mini(claims) -> Seeds:
    docs = {d: Document(id=d, title=d, language="en", published=p, published_basis="test", sha256="0" * 64)
            for d, p in {"old": "2025-03", "new": "2025-09"}.items()}
    entities = {e: Entity(id=e, name=e.title(), kind="company") for e in ("microsoft", "openai", "coreweave")}
    deal = Deal(id="deal", kind="capacity_option", label="x", parties={"customer": "microsoft", "supplier": "coreweave"})
    return Seeds(documents=docs, entities=entities, deals={"deal": deal},
                 claims=[(d, Claim(deal="deal", quote=QUOTE, **kw)) for d, kw in claims])


def usd(value, qualifier="exact"):
    return {"value": value, "currency": "USD", "qualifier": qualifier}


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        # reported > expected > target, whatever the documents' dates
        ([("new", {"amount": usd(4), "modality": "target"}), ("new", {"amount": usd(2.5), "modality": "expected"}),
          ("old", {"amount": usd(1.5)})], 1.5),
        ([("new", {"amount": usd(4), "modality": "target"}), ("old", {"amount": usd(2.5), "modality": "expected"})], 2.5),
        # among equals, the newer document
        ([("old", {"amount": usd(12)}), ("new", {"amount": usd(11.9)})], 11.9),
        ([("new", {"amount": usd(11.9)}), ("old", {"amount": usd(12)})], 11.9),
        ([("old", {"amount": usd(12)}), ("new", {"amount": usd(11, "up_to")})], 11),  # recency before precision
        # then the more precise figure
        ([("new", {"amount": usd(120, "up_to")}), ("new", {"amount": usd(100, "about")}),
          ("new", {"amount": usd(99)})], 99),
        ([("new", {"amount": usd(130, "more_than")}), ("new", {"amount": usd(120, "nearly")})], 120),
        # doubtful and denied claims never supply a value
        ([("new", {"amount": usd(5), "doubtful": True, "note": "contradicted"}), ("old", {"amount": usd(3)})], 3),
        ([("new", {"amount": usd(5), "modality": "denied"}), ("old", {"amount": usd(3), "modality": "target"})], 3),
        ([("new", {"amount": usd(5), "modality": "denied"})], None),
    ],
    ids=["reported-first", "expected-before-target", "newer-document", "newer-document-listed-first",
         "recency-before-precision", "exact-first", "nearly-before-more-than", "doubtful-skipped",
         "denied-skipped", "only-denied"],
)
def test_the_value_rule(claims, expected):
    r = resolve(mini(claims))["deal"]
    value = r.value("amount")
    assert (None if value is None else value.value) == (None if expected is None else Decimal(str(expected)))


@pytest.mark.parametrize(
    ("claims", "status", "customer"),
    [
        # 000-002: withdrawn by Microsoft and assumed by OpenAI in the same month: assumed is later
        ([("old", {"event": {"kind": "assumed", "by": "openai", "role": "customer", "date": "2025-03"}}),
          ("old", {"event": {"kind": "withdrawn", "by": "microsoft", "date": "2025-03"}})], "assumed", ["openai"]),
        # a later step wins over an earlier, whatever the lifecycle order
        ([("old", {"status": "completed", "date": "2025-01"}), ("new", {"status": "active"})], "active", ["microsoft"]),
        # an event's own date counts, not its document's
        ([("new", {"event": {"kind": "withdrawn", "by": "microsoft", "date": "2025-01"}}),
          ("old", {"status": "active"})], "active", ["microsoft"]),
        # a denial is no step
        ([("old", {"status": "signed"}), ("new", {"event": {"kind": "withdrawn", "by": "microsoft"},
                                                  "modality": "denied"})], "signed", ["microsoft"]),
        ([("old", {"status": "announced"}), ("old", {"status": "signed"})], "signed", ["microsoft"]),
    ],
    ids=["assumed-after-withdrawn", "latest-step", "event-date", "denial-ignored", "same-day-lifecycle"],
)
def test_the_status_rule(claims, status, customer):
    r = resolve(mini(claims))["deal"]
    assert r.status.value == status
    assert r.parties["customer"] == customer


def test_an_assumption_remembers_the_former_party():
    r = resolve(mini([("old", {"event": {"kind": "assumed", "by": "openai", "role": "customer", "date": "2025-03"}})]))["deal"]
    assert r.former_parties == {"customer": ["microsoft"]}


# ---------------------------------------------------------------------------------------------
# Exports: every format, parsed back, is the store's content


FORMATS = {
    "trig": (ox.RdfFormat.TRIG, "trig", True),
    "nq": (ox.RdfFormat.N_QUADS, "nquads", True),
    "jsonld": (ox.RdfFormat.JSON_LD, "json-ld", True),
    "ttl": (ox.RdfFormat.TURTLE, "turtle", False),
    "nt": (ox.RdfFormat.N_TRIPLES, "nt", False),
}


def store_content(graph, whole: bool) -> set:
    if whole:
        return set(graph.store.ox)
    return {ox.Triple(q.subject, q.predicate, q.object)
            for q in graph.store.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(RESOLVED_GRAPH)))}


def as_ox(items, whole: bool) -> set:
    if whole:
        return set(items)
    return {ox.Triple(t.subject, t.predicate, t.object) for t in items}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trips_with_oxigraph(memory_graph, tmp_path, fmt):
    ox_format, _, whole = FORMATS[fmt]
    path = memory_graph.export(tmp_path / f"dealgraph.{fmt}", fmt)
    assert path == tmp_path / f"dealgraph.{fmt}" and path.stat().st_size > 0
    assert not list(tmp_path.glob(".*.part"))  # the temporary file was renamed
    parsed = as_ox(ox.parse(path=str(path), format=ox_format), whole)
    expected = store_content(memory_graph, whole)
    assert len(expected) > 500
    assert parsed == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trips_with_rdflib(memory_graph, tmp_path, fmt):
    _, rdflib_format, whole = FORMATS[fmt]
    path = memory_graph.export(tmp_path / f"dealgraph.{fmt}", fmt)
    parsed = Dataset()
    parsed.parse(path, format=rdflib_format)
    if whole:
        got = {to_ox_quad(s, p, o, g) for s, p, o, g in parsed.quads((None, None, None, None))}
    else:
        got = {ox.Triple(q.subject, q.predicate, q.object)
               for q in (to_ox_quad(s, p, o, URIRef("urn:x-default")) for s, p, o, _ in parsed.quads((None, None, None, None)))}
    assert got == store_content(memory_graph, whole)


def test_export_of_resolved_view_names_the_deals(memory_graph, tmp_path):
    text = memory_graph.export(tmp_path / "resolved.ttl", "ttl").read_text(encoding="utf-8")
    assert "@prefix dg: <https://w3id.org/dealgraph/ontology#>" in text
    assert "coreweave-capacity-option-2025" in text
    assert "graph/document" not in text  # the claims graphs are not in the one-graph export


def test_export_from_a_store_on_disk(built_store, open_graph, tmp_path):
    graph = open_graph(built_store)
    path = graph.export(tmp_path / "dealgraph.nq", "nq")
    assert set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)) == set(graph.store.ox)


@pytest.mark.parametrize("fmt", ["rdfxml", "TTL", "", "n3"])
def test_export_to_an_unknown_format_fails_cleanly(memory_graph, tmp_path, fmt):
    with pytest.raises(DealGraphError, match="unknown export format"):
        memory_graph.export(tmp_path / "x", fmt)
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_missing_folder_fails_cleanly(memory_graph, tmp_path):
    with pytest.raises(DealGraphError, match="cannot write"):
        memory_graph.export(tmp_path / "no" / "such" / "folder" / "x.trig", "trig")
