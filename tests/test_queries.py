"""The saved SPARQL queries (dealgraph/queries/*.rq) on the bundled seeds, each checked against
what its description claims and against the articles; then the W3C result formats and errors.

Amounts are in units (11.9 bn is 11900000000); the sentence each expected row rests on is
quoted, with its document id, next to it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import Decimal

import pyoxigraph as ox
import pytest

from dealgraph.errors import QueryError
from dealgraph.sparql import saved_queries

BN = 10**9
SAVED = saved_queries()


def rows(graph, name, **bindings):
    return graph.query(name, **bindings).rows


# ---------------------------------------------------------------------------------------------
# Every saved query


def test_the_saved_queries():
    assert {"commentary", "companies-by-alias", "conflicting-claims", "deal-claims", "deals-of-company",
            "money-received", "revenue-shares", "sources", "who-funds-whom"} <= set(SAVED)


@pytest.mark.parametrize("name", SAVED)
def test_saved_query_documents_itself(name):
    q = SAVED[name]
    assert q.title and q.description and q.example
    assert q.example.startswith(f"dealgraph query {name}")


@pytest.mark.parametrize("name", SAVED)
def test_saved_query_runs_and_returns_rows(memory_graph, name):
    result = memory_graph.query(name)
    assert len(result) > 0
    assert result.columns and all(set(r) == set(result.columns) for r in result.rows)


# ---------------------------------------------------------------------------------------------
# companies-by-alias


@pytest.mark.parametrize(
    ("alias", "canonical", "kind"),
    [
        ("AI-Hyperscaler", "CoreWeave", "Company"),  # 001: "buy more data centers capacity from AI-Hyperscaler"
        ("AI Hypercaler", "CoreWeave", "Company"),  # 001: "AI Hypercaler rejected Ft'History"
        ("Coreweave", "CoreWeave", "Company"),  # 001: "Coreweave looks at a huge (potentially $ 2.5 billion) IPO"
        ("Openai", "OpenAI", "Company"),  # 001: "Openai took over the contract"
        ("NVIDIA", "Nvidia", "Company"),  # 004: "NVIDIA che ha recentemente annunciato un piano"
        ("Goswami", "Rohan Goswami", "Person"),  # 002: "as noted by Goswami"
        ("Stargate", "Stargate", "Project"),  # 004: "legati al progetto Stargate"
    ],
)
def test_companies_by_alias(memory_graph, alias, canonical, kind):
    found = rows(memory_graph, "companies-by-alias", alias=alias)
    assert found == [{"alias": alias, "canonical": canonical, "kind": kind}]


def test_companies_by_alias_lists_every_alias(memory_graph, seeds):
    found = {(r["alias"], r["canonical"]) for r in rows(memory_graph, "companies-by-alias")}
    expected = {(a, e.name) for e in seeds.entities.values() for a in e.aliases}
    assert found == expected


# ---------------------------------------------------------------------------------------------
# deals-of-company


def test_deals_of_nvidia(memory_graph):
    found = {r["deal"]: r for r in rows(memory_graph, "deals-of-company", company="Nvidia")}
    assert {r["company"] for r in found.values()} == {"Nvidia"}
    # 004: "ha già stipulato un contratto da 6,3 miliardi di dollari, assicurando la vendita di tutte
    # le capacità cloud non vendute ai clienti fino all'aprile 2032" -- Nvidia buys what CoreWeave cannot sell
    backstop = found["nvidia-coreweave-capacity-backstop"]
    assert (backstop["role"], backstop["counterparties"], backstop["amount"], backstop["currency"]) == (
        "backstop buyer", "CoreWeave", Decimal("6.3") * BN, "USD")
    # 004: "NVIDIA che ha recentemente annunciato un piano di investimenti di circa 100 miliardi di
    # dollari in OpenAI"
    plan = found["nvidia-openai-investment-plan"]
    assert (plan["role"], plan["counterparties"], plan["amount"], plan["status"]) == (
        "investor", "OpenAI", 100 * BN, "announced")
    assert set(found) == {
        "nvidia-coreweave-capacity-backstop", "nvidia-openai-investment-plan",
        "nvidia-coreweave-stake",  # 004: "possiede oltre il 5% delle azioni di CoreWeave"
        "nvidia-coreweave-revenue",  # 004: "con il 15% delle entrate di CoreWeave provenienti da essa"
        "coreweave-nvidia-equipment",  # 004: "ha acquistato una considerevole quantità di attrezzature da NVIDIA"
        "openai-nvidia-accelerators",  # 004: "NVIDIA che fornirà acceleratori AI per i data center di OpenAI"
        "nvidia-openai-stake",  # 004: "Ciò conferirà a NVIDIA una partecipazione azionaria"
    }
    assert found["coreweave-nvidia-equipment"]["role"] == "seller"


def test_the_option_is_openais_not_microsofts(memory_graph):
    # 002: "OpenAI [...] has stepped in to assume the nearly $12 billion option": the resolved
    # view hands the customer role to OpenAI
    # view hands the customer role to OpenAI; Microsoft's role is kept as a former one (issue 10)
    microsoft = {r["deal"]: r for r in rows(memory_graph, "deals-of-company", company="Microsoft")}
    openai = {r["deal"]: r for r in rows(memory_graph, "deals-of-company", company="OpenAI")}
    assert (microsoft["coreweave-capacity-option-2025"]["role"], microsoft["coreweave-capacity-option-2025"]["held"]) == (
        "customer", "former")
    assert {r["held"] for d, r in microsoft.items() if d != "coreweave-capacity-option-2025"} == {"current"}
    option = openai["coreweave-capacity-option-2025"]
    assert (option["role"], option["amount"], option["status"]) == ("customer", Decimal("11.9") * BN, "assumed")
    assert option["held"] == "current"


@pytest.mark.parametrize("alias", ["Coreweave", "AI-Hyperscaler", "coreweave"])
def test_a_company_binding_takes_any_alias(memory_graph, alias):
    """Issue 10: `query deals-of-company --bind company=Coreweave` answers as `deals --company`."""
    by_alias = {r["deal"] for r in rows(memory_graph, "deals-of-company", company=alias)}
    assert by_alias == {r["deal"] for r in rows(memory_graph, "deals-of-company", company="CoreWeave")}
    assert by_alias == {d["id"] for d in memory_graph.deals(company=alias)}


def test_deals_of_an_unknown_company_is_empty(memory_graph):
    assert rows(memory_graph, "deals-of-company", company="Nope") == []


# ---------------------------------------------------------------------------------------------
# who-funds-whom


def test_who_funds_whom(memory_graph):
    found = rows(memory_graph, "who-funds-whom")
    as_set = {(r["funder"], r["funded"], r["deal"], r["amount"], r["qualifier"]) for r in found}
    assert as_set == {
        # 004: "un piano di investimenti di circa 100 miliardi di dollari in OpenAI"
        ("Nvidia", "OpenAI", "nvidia-openai-investment-plan", 100 * BN, "about"),
        # 003: "une « dette fatale » via prêts Des entreprises comme Blackstone et Magnetar" (no sum)
        ("Blackstone", "CoreWeave", "blackstone-coreweave-loan", None, None),
        ("Magnetar", "CoreWeave", "magnetar-coreweave-loan", None, None),
        # 002: "OpenAI, which is backed by Microsoft's investment funds" (no sum)
        ("Microsoft", "OpenAI", "microsoft-openai-investment", None, None),
    }
    assert found[0]["deal"] == "nvidia-openai-investment-plan"  # largest first, unknown amounts last
    assert {r["kind"] for r in found} == {"Equity investment", "Loan"}
    assert {r["currency"] for r in found if r["amount"]} == {"USD"}


# ---------------------------------------------------------------------------------------------
# money-received


def test_money_received_by_coreweave(memory_graph):
    found = {r["company"]: r for r in rows(memory_graph, "money-received")}
    coreweave = found["CoreWeave"]
    # The money-flow deals CoreWeave is paid by (holdings excluded, so not Nvidia's stake), with
    # their resolved amounts:
    #   11.9 bn  the capacity option, now OpenAI's -- 004: "un primo contratto siglato nel marzo
    #            2025 per 11,9 miliardi di dollari"
    #    4   bn  004: "un altro accordo di 4 miliardi a maggio dello stesso anno"
    #    6.5 bn  004: "un importante accordo dal valore di 6,5 miliardi di dollari"
    #    6.3 bn  Nvidia's backstop -- 004: "un contratto da 6,3 miliardi di dollari"
    #    1.5 bn  the IPO -- 003: "a donc échoué à un 1,5 milliard de dollars détrempé"
    #   ------
    #   30.2 bn  from 5 deals with an amount, out of 10: also Microsoft's contracts and its 62 %
    #            revenue share, Nvidia's 15 %, and the Blackstone and Magnetar loans, no sums given.
    assert coreweave["known_amount"] == Decimal("30.2") * BN
    assert (coreweave["deals"], coreweave["with_amount"], coreweave["currency"]) == (10, 5, "USD")


def test_money_received_matches_the_deals(memory_graph):
    """The same sum, computed from DealGraph.deals(): flow-layer deals paid to each company."""
    flow_kinds = {"equity_investment", "compute_contract", "capacity_option", "hardware_purchase",
                  "capacity_backstop", "loan", "ipo", "revenue_share"}
    expected: dict[str, list] = {}
    for d in memory_graph.deals():
        if d["to"] and d["kind"] in flow_kinds and d["status"] != "withdrawn":
            e = expected.setdefault(d["to"], [0, 0, 0])
            e[0] += 1
            if d["amount"]:
                e[1] += 1
                e[2] += Decimal(str(d["amount"]["value"]))
    found = {r["company"]: [r["deals"], r["with_amount"], Decimal(str(r["known_amount"]))]
             for r in rows(memory_graph, "money-received")}
    assert found == expected
    # 004 again: Nvidia's ~100 bn plan is the only sum OpenAI is known to receive
    assert found["OpenAI"] == [2, 1, 100 * BN]


def test_money_received_is_ordered_by_amount(memory_graph):
    amounts = [r["known_amount"] for r in rows(memory_graph, "money-received")]
    assert amounts == sorted(amounts, reverse=True)


# ---------------------------------------------------------------------------------------------
# conflicting-claims


def test_conflicting_claims(memory_graph):
    found = rows(memory_graph, "conflicting-claims")
    assert {r["deal"] for r in found} == {"coreweave-capacity-option-2025", "coreweave-ipo-2025"}
    option_amounts = {(r["value"], r["document"]) for r in found
                      if r["deal"] == "coreweave-capacity-option-2025" and r["property"] == "amount"}
    assert option_amounts == {
        (Decimal("11.9") * BN, "004_9cb071e2598439fe"),  # 004: "per 11,9 miliardi di dollari"
        (12 * BN, "000_59ef7ef0d81b026c"),  # 000: "près de 12 milliards de dollars"
        (12 * BN, "001_b5cf80015326deb3"),  # 001: "an almost $ 12 billion option"
        (12 * BN, "002_3b40e35e9b637772"),  # 002: "a significant nearly $12 billion deal"
    }
    denials = {(r["document"], r["quote"]) for r in found if r["property"] == "event" and r["modality"] == "denied"}
    assert denials == {
        # 001: "AI Hypercaler rejected Ft'History and say 'all our contractual relationships continue as planned..."
        ("001_b5cf80015326deb3", "all our contractual relationships continue as planned – nothing has been "
                                 "canceled and no one has gone away from their obligations."),
        # 002: "responded to the FT's claims by asserting, 'All of our contractual relationships continue as planned...'"
        ("002_3b40e35e9b637772", "All of our contractual relationships continue as planned – nothing has been "
                                 "cancelled, and no one has walked away from their commitments."),
    }
    reported_withdrawals = {r["document"] for r in found if r["property"] == "event" and r["modality"] == "reported"}
    assert reported_withdrawals == {"000_59ef7ef0d81b026c", "001_b5cf80015326deb3", "002_3b40e35e9b637772"}
    assert {r["value"] for r in found if r["property"] == "event"} == {"withdrawn"}
    ipo = {(r["value"], r["modality"]) for r in found if r["deal"] == "coreweave-ipo-2025"}
    # 000-002 expect 2.5 bn; 003: "Les espoirs de l'entreprise d'élever 4 milliards [...] un 1,5 milliard"
    assert ipo == {(Decimal("2.5") * BN, "expected"), (4 * BN, "target"), (Decimal("1.5") * BN, "reported")}


# ---------------------------------------------------------------------------------------------
# revenue-shares, deal-claims, commentary, sources


def test_revenue_shares(memory_graph):
    found = rows(memory_graph, "revenue-shares")
    assert [(r["supplier"], r["customer"], r["share"], r["period"], r["qualifier"]) for r in found] == [
        # 004: "nel 2024, il 62% dei ricavi di CoreWeave proveniva da progetti con Microsoft"
        ("CoreWeave", "Microsoft", 0.62, "2024", "exact"),
        # 004: "con il 15% delle entrate di CoreWeave provenienti da essa" (Nvidia; no period stated)
        ("CoreWeave", "Nvidia", 0.15, None, "exact"),
    ]


def test_deal_claims_of_the_ipo(memory_graph):
    found = rows(memory_graph, "deal-claims", deal="coreweave-ipo-2025")
    assert {r["deal"] for r in found} == {"coreweave-ipo-2025"}
    amounts = {(r["document"], r["modality"], r["amount"]) for r in found if r["amount"] is not None}
    assert amounts == {
        # 000: "une introduction en bourse (IPO) qui pourrait atteindre une valeur de 2,5 milliards de dollars"
        ("000_59ef7ef0d81b026c", "expected", Decimal("2.5") * BN),
        # 001: "Coreweave looks at a huge (potentially $ 2.5 billion) IPO in the coming weeks"
        ("001_b5cf80015326deb3", "expected", Decimal("2.5") * BN),
        # 002: "aiming for a potentially lucrative $2.5 billion initial public offering (IPO)"
        ("002_3b40e35e9b637772", "expected", Decimal("2.5") * BN),
        # 003: "Les espoirs de l'entreprise d'élever 4 milliards de dollars"
        ("003_fd0c659e06895f58", "target", 4 * BN),
        # 003: "a donc échoué à un 1,5 milliard de dollars détrempé"
        ("003_fd0c659e06895f58", "reported", Decimal("1.5") * BN),
    }
    # 003: "la société de traitement de l'IA qui est devenue publique sur le marché boursier cette semaine"
    assert ("003_fd0c659e06895f58", "completed") in {(r["document"], r["status"]) for r in found}
    assert len(found) == 8  # one row per claim: 000, 001, 002 one each; 003 five


def test_deal_claims_names_events_and_speakers(memory_graph):
    found = rows(memory_graph, "deal-claims", deal="coreweave-capacity-option-2025")
    events = {r["event"] for r in found}
    assert {"assumed by OpenAI", "withdrawn by Microsoft"} <= events
    assert {r["speaker"] for r in found if r["modality"] == "denied"} == {"CoreWeave"}


def test_commentary(memory_graph, seeds):
    found = rows(memory_graph, "commentary")
    assert len(found) == len(seeds.statements)
    # 001: "The AI economy is currently a closed loop and will remain that way until a wider cut
    # of financial actors [...] start spending real dollars on AI software and services."
    goswami = [r for r in found if r["speaker"] == "Rohan Goswami" and "closed loop" in r["topic"]]
    assert {r["document"] for r in goswami} >= {"000_59ef7ef0d81b026c", "001_b5cf80015326deb3", "002_3b40e35e9b637772"}
    loop = next(r for r in goswami if r["document"] == "001_b5cf80015326deb3")
    assert loop["quote"].startswith("The AI economy is currently a closed loop")
    assert set(loop["mentions"].split(", ")) == {"Nvidia", "Microsoft"}
    # 003: "Comme le note la critique technologique Ed Zitron, Coreweave est une entreprise Prémordé pour le désastre"
    assert any(r["speaker"] == "Ed Zitron" and r["mentions"] == "CoreWeave" for r in found)
    # unattributed observations have no speaker
    assert any(r["speaker"] is None and r["mentions"] == "Tesla" for r in found)


# Claims and observations curated from each article (the extraction files).
SOURCES = {
    "000_59ef7ef0d81b026c": ("fr", "2025-03", 6, 2, 0),
    "001_b5cf80015326deb3": ("en", "2025-03", 9, 5, 0),
    "002_3b40e35e9b637772": ("en", "2025-03", 8, 2, 0),
    "003_fd0c659e06895f58": ("fr", "2025-03", 10, 12, 1),  # the 77 % total
    # the 22.4 bn total; 17 claims: OpenAI as "uno dei suoi più importanti clienti" backs the
    # accelerator purchase on its own (Nvidia "fornirà" says who supplies, not who pays)
    "004_9cb071e2598439fe": ("it", "2025-09", 17, 3, 1),
}


def test_sources(memory_graph, seeds):
    found = rows(memory_graph, "sources")
    assert [r["document"] for r in found] == sorted(SOURCES)
    for r in found:
        language, published, claims, observations, _ = SOURCES[r["document"]]
        assert (r["language"], r["published"], r["claims"], r["observations"]) == (
            language, published, claims, observations)
        assert r["claims"] == sum(1 for d, _ in seeds.claims if d == r["document"])
        assert r["title"] == seeds.documents[r["document"]].title


def test_sources_counts_totals_as_its_description_says(memory_graph):
    # "how many claims, observations and totals were curated from it"
    assert "totals" in SAVED["sources"].description
    found = rows(memory_graph, "sources")
    assert "totals" in found[0], f"no totals column: {list(found[0])}"
    assert {r["document"]: r["totals"] for r in found} == {d: v[4] for d, v in SOURCES.items()}


# ---------------------------------------------------------------------------------------------
# Result formats (SPARQL 1.1 JSON, CSV, TSV)


@pytest.mark.parametrize("name", SAVED)
def test_json_follows_the_sparql_results_format(memory_graph, name):
    result = memory_graph.query(name)
    data = json.loads(result.serialize("json"))
    assert data["head"]["vars"] == result.columns
    bindings = data["results"]["bindings"]
    assert len(bindings) == len(result)
    for b in bindings:
        assert set(b) <= set(result.columns)
        for term in b.values():
            assert term["type"] in {"uri", "literal", "bnode"}
            assert isinstance(term["value"], str)
            assert set(term) <= {"type", "value", "datatype", "xml:lang"}
            assert not ("datatype" in term and "xml:lang" in term)
            if term["type"] != "literal":
                assert set(term) == {"type", "value"}
    parsed = list(ox.parse_query_results(result.serialize("json"), ox.QueryResultsFormat.JSON))
    assert len(parsed) == len(result)


def test_json_terms(memory_graph):
    data = json.loads(memory_graph.query("revenue-shares").serialize("json"))
    first = data["results"]["bindings"][0]
    assert first["share"] == {"type": "literal", "value": "0.62",
                              "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    # a simple literal: no datatype, or xsd:string (the same thing in RDF 1.1)
    assert first["supplier"] in ({"type": "literal", "value": "CoreWeave"},
                                 {"type": "literal", "value": "CoreWeave",
                                  "datatype": "http://www.w3.org/2001/XMLSchema#string"})
    quotes = json.loads(memory_graph.query("commentary").serialize("json"))["results"]["bindings"]
    assert {q["quote"]["xml:lang"] for q in quotes} == {"en", "fr", "it"}


def test_json_of_an_ask_query(memory_graph):
    text = memory_graph.query("ASK { GRAPH ?g { ?s ?p ?o } }").serialize("json")
    assert json.loads(text) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("name", SAVED)
def test_csv_has_a_header_and_crlf(memory_graph, name):
    result = memory_graph.query(name)
    text = result.serialize("csv")
    assert text.endswith("\r\n")
    assert text.split("\r\n", 1)[0] == ",".join(result.columns)
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == result.columns
    assert len(table) == 1 + len(result)


def test_csv_values_are_plain(memory_graph):
    text = memory_graph.query("revenue-shares").serialize("csv")
    assert "CoreWeave,Microsoft,0.62,exact,2024,microsoft-coreweave-revenue-2024\r\n" in text


@pytest.mark.parametrize("name", SAVED)
def test_tsv_has_var_headers_and_parses_back(memory_graph, name):
    result = memory_graph.query(name)
    text = result.serialize("tsv")
    lines = text.split("\n")
    assert lines[0] == "\t".join(f"?{c}" for c in result.columns)
    assert len([x for x in lines[1:] if x]) == len(result)
    assert _solutions(text, ox.QueryResultsFormat.TSV) == _solutions(result.serialize("json"), ox.QueryResultsFormat.JSON)


def _solutions(text: str, fmt) -> list[dict]:
    parsed = ox.parse_query_results(text, fmt)
    names = [v.value for v in parsed.variables]
    return [{n: str(sol[n]) for n in names if sol[n] is not None} for sol in parsed]


def test_tsv_terms_are_n_triples_style(memory_graph):
    text = memory_graph.query("revenue-shares").serialize("tsv")
    row = text.split("\n")[1].split("\t")
    string = "^^<http://www.w3.org/2001/XMLSchema#string>"
    assert row[0] in ('"CoreWeave"', '"CoreWeave"' + string)
    assert row[1] in ('"Microsoft"', '"Microsoft"' + string)
    assert row[2] == '"0.62"^^<http://www.w3.org/2001/XMLSchema#decimal>'


def test_tsv_escapes_tabs_line_breaks_and_quotes(memory_graph):
    result = memory_graph.query('SELECT ?text ?iri WHERE { BIND("a\\tb\\nc \\"d\\"" AS ?text) BIND(<http://example.org/x> AS ?iri) }')
    text = result.serialize("tsv")
    assert text.count("\n") == 2  # header and one row: the line break inside the value is escaped
    sol = next(iter(ox.parse_query_results(text, ox.QueryResultsFormat.TSV)))
    assert sol["text"].value == 'a\tb\nc "d"'
    assert sol["iri"] == ox.NamedNode("http://example.org/x")


def test_unknown_result_format(memory_graph):
    with pytest.raises(QueryError, match="unknown result format"):
        memory_graph.query("sources").serialize("xml")


def test_to_dataframe_gives_the_same_rows(memory_graph):
    pytest.importorskip("pandas")
    for name in SAVED:
        result = memory_graph.query(name)
        df = result.to_dataframe()
        assert list(df.columns) == result.columns
        records = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
                   for rec in df.astype(object).to_dict("records")]
        assert records == result.rows, name


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "query",
    [
        "SELECT WHERE {",
        "SELECT ?x WHERE { ?x ?y }",
        "SELECT ?x WHERE { ?x dg:undeclaredPrefix ?y }",
        "SELECT ?x WHERE { ?x ?p ?o } GROUP BY",
        "SELECT ?x WHERE { ?x ?p ?o } ORDER BY DESC(",
    ],
    ids=["no-body", "missing-object", "unknown-prefix", "empty-group-by", "open-order-by"],
)
def test_a_malformed_query_raises_query_error(memory_graph, query):
    with pytest.raises(QueryError) as exc:
        memory_graph.query(query)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("name", ["nope", "deals-of-companies", "who_funds_whom"])
def test_an_unknown_saved_query_raises_query_error(memory_graph, name):
    with pytest.raises(QueryError) as exc:
        memory_graph.query(name)
    assert repr(name) in str(exc.value)
    assert "deals-of-company" in str(exc.value)  # it lists what there is


def test_a_missing_query_file_raises_query_error(memory_graph, tmp_path):
    with pytest.raises(QueryError, match="no such query file"):
        memory_graph.query(str(tmp_path / "missing.rq"))


def test_a_query_file_runs(memory_graph, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", encoding="utf-8")
    assert memory_graph.query(str(path)).rows == [{"n": memory_graph.store.quad_count()}]


def test_a_construct_query_is_refused(memory_graph):
    with pytest.raises(QueryError, match="only SELECT and ASK"):
        memory_graph.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")


@pytest.mark.parametrize(
    ("bindings", "expected"),
    [({"alias": "Coreweave"}, 1), ({"alias": "coreweave"}, 0), ({"alias": "Nobody"}, 0)],
)
def test_bindings_are_plain_literals(memory_graph, bindings, expected):
    # bound values match exactly (case-sensitively): the alias query is the exact-match lookup
    assert len(memory_graph.query("companies-by-alias", **bindings)) == expected
