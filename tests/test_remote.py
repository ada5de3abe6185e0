"""Real SPARQL engines on loopback (Oxigraph server and Virtuoso 7, tests/engines.py): push the
seeds, read them back, and compare every saved query with the embedded store; bindings (names
checked by one rule, values sent as literals) answered as the embedded store answers them;
only dealgraph's graphs counted and exported; a server that is down or refuses a query; a push
stopped half-way and rerun; `dealgraph serve`. Hostile servers: tests/test_remote_hostile.py;
what only Virtuoso does: tests/test_virtuoso.py.

Each engine runs in a folder of its own on free ports of 127.0.0.1 and is stopped by the tests;
an engine that is not installed skips its tests, saying why.
"""

from __future__ import annotations

import sys

import pyoxigraph as ox
import pytest
from engines import ENGINE_NAMES, OXIGRAPH, STARTERS, Engine, free_port
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealgraph import DealGraph, StoreError
from dealgraph.backend import Backend
from dealgraph.cli import app
from dealgraph.namespace import GRAPH
from dealgraph.rdf import build_quads
from dealgraph.remote import Endpoint, push_quads
from dealgraph.seeds import load_seeds
from dealgraph.sparql import saved_queries

pytestmark = pytest.mark.server

# Columns built with GROUP_CONCAT: SPARQL leaves the order of the concatenation to the engine.
CONCATENATED = {"counterparties", "mentions"}


def need_oxigraph() -> None:
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server is not installed (pip install 'dealgraph[server]')")


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def engine(request, tmp_path_factory):
    """Each engine in turn, holding the seeds: Virtuoso is the session's, Oxigraph one of its own."""
    if request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
    else:
        server = STARTERS[request.param](tmp_path_factory.mktemp(request.param) / "data")
        request.addfinalizer(server.stop)
    with pytest.MonkeyPatch.context() as env:
        server.apply(env)
        push_quads(build_quads(load_seeds()), server.base, namespace=str(GRAPH))
    return server


@pytest.fixture
def remote(engine, monkeypatch) -> Engine:
    """The engine, with the variables its users set (its name; Virtuoso's credentials)."""
    engine.apply(monkeypatch)
    return engine


@pytest.fixture(scope="module")
def embedded():
    return DealGraph.memory()


def normalised(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        r = {k: ", ".join(sorted(v.split(", "))) if k in CONCATENATED and v else v for k, v in r.items()}
        out.append(repr(sorted(r.items())))
    return sorted(out)


def test_every_saved_query_gives_the_same_rows(remote, embedded):
    DealGraph.build(endpoint=remote.base)[0].close()
    with DealGraph.open(endpoint=remote.base) as graph:
        assert isinstance(graph.store, Backend)
        # only dealgraph's graphs are counted: Virtuoso holds graphs of its own beside them
        assert graph.store.quad_count() == embedded.store.quad_count()
        for name in saved_queries():
            local_rows = embedded.query(name).rows
            assert local_rows, f"{name} returns nothing on the seeds"
            assert normalised(graph.query(name).rows) == normalised(local_rows), name
        # bindings travel to the remote engine too
        assert (normalised(graph.query("deals-of-company", company="Nvidia").rows)
                == normalised(embedded.query("deals-of-company", company="Nvidia").rows))
        assert graph.deals() == embedded.deals()
        a, b = graph.loops(), embedded.loops()
        a["bounds"].pop("elapsed"), b["bounds"].pop("elapsed")
        assert a == b


def test_counterparties_are_named_on_every_engine(remote, embedded):
    """A FILTER inside OPTIONAL on a variable bound outside it left every row without its
    counterparties on Virtuoso; only the deals with one party have none."""
    with DealGraph.open(endpoint=remote.base) as graph:
        rows = graph.query("deals-of-company").rows
    alone = {(r["company"], r["deal"]) for r in rows if not r["counterparties"]}
    assert len(rows) > 30 and alone == {(r["company"], r["deal"]) for r in embedded.query("deals-of-company").rows
                                        if not r["counterparties"]}
    assert len(alone) <= 2 and all(r["counterparties"] == "" for r in rows if not r["counterparties"])


@pytest.mark.parametrize(("fmt", "rdf_format"), [("nq", "N_QUADS"), ("nt", "N_TRIPLES")])
def test_an_export_holds_what_the_embedded_store_exports(remote, embedded, tmp_path, fmt, rdf_format):
    """The whole dataset (nq), and the resolved view alone (nt), fetched graph by graph: the
    same triples, the engine's own graphs left out."""
    with DealGraph.open(endpoint=remote.base) as graph:
        graph.export(tmp_path / f"remote.{fmt}", fmt)
    embedded.export(tmp_path / f"embedded.{fmt}", fmt)
    exported = [set(ox.parse(path=str(tmp_path / f"{name}.{fmt}"), format=getattr(ox.RdfFormat, rdf_format)))
                for name in ("remote", "embedded")]
    assert exported[0] == exported[1] and exported[0]


def put_graph(base: str, graph: str) -> None:
    """Write one triple into ``graph`` through the engine's Graph Store, as another client would."""
    endpoint = Endpoint(base)
    with endpoint.exchange("PUT", endpoint.graph_url(graph), b"<urn:x:s> <urn:x:p> <urn:x:o> .\n",
                           "application/n-triples"):
        pass


def test_pushing_twice_leaves_the_same_data_and_drops_stale_graphs(remote, embedded):
    stale = f"{GRAPH}document/withdrawn-document"
    put_graph(remote.base, stale)
    foreign = "urn:other:graph"  # not ours: a push never touches it, and it is not counted
    put_graph(remote.base, foreign)
    quads = build_quads(load_seeds())
    for _ in range(2):
        push_quads(quads, remote.base, namespace=str(GRAPH))
        with DealGraph.open(endpoint=remote.base) as graph:
            graphs = graph.store.graphs()
            assert stale not in graphs and foreign not in graphs and all(g.startswith(str(GRAPH)) for g in graphs)
            assert graph.store.quad_count() == embedded.store.quad_count()
            assert graph.query("ASK { GRAPH <urn:other:graph> { ?s ?p ?o } }").boolean is True


def test_a_graph_pushed_in_many_requests_arrives_whole(remote, embedded, monkeypatch, tmp_path):
    """The first chunk of a graph replaces it (PUT), the others add to it (POST)."""
    monkeypatch.setattr("dealgraph.remote.PUSH_CHUNK", 100)
    push_quads(build_quads(load_seeds()), remote.base, namespace=str(GRAPH))
    with DealGraph.open(endpoint=remote.base) as graph:
        graph.export(tmp_path / "remote.nq", "nq")
    embedded.export(tmp_path / "embedded.nq", "nq")
    assert (set(ox.parse(path=str(tmp_path / "remote.nq"), format=ox.RdfFormat.N_QUADS))
            == set(ox.parse(path=str(tmp_path / "embedded.nq"), format=ox.RdfFormat.N_QUADS)))


def test_a_push_stopped_half_way_can_be_rerun(tmp_path, embedded, monkeypatch):
    need_oxigraph()
    server = Engine(tmp_path / "oxigraph").start()
    server.apply(monkeypatch)
    quads = build_quads(load_seeds())
    monkeypatch.setattr("dealgraph.remote.PUSH_CHUNK", 100)  # many requests per graph

    def stop_after_three(graph, done, total):
        if done == 3:
            server.stop()

    try:
        with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint"):
            push_quads(quads, server.base, namespace=str(GRAPH), progress=stop_after_three)
        restarted = Engine(tmp_path / "oxigraph", port=server.port).start()
        with DealGraph.open(endpoint=server.base) as partial:
            assert 0 < partial.store.quad_count() < embedded.store.quad_count()
        push_quads(quads, server.base, namespace=str(GRAPH))
        with DealGraph.open(endpoint=server.base) as remote:
            assert remote.store.quad_count() == embedded.store.quad_count()
            for name in saved_queries():
                assert normalised(remote.query(name).rows) == normalised(embedded.query(name).rows), name
        restarted.stop()
    finally:
        server.stop()


def test_a_server_that_is_down_gets_one_clear_line(monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.delenv("DEALGRAPH_ENGINE", raising=False)
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_PASSWORD", "s3cret-password")
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL endpoint {url}/query"):
        DealGraph.open(endpoint=url)
    for args in (["deals", "--endpoint", url], ["build", "--endpoint", url]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert lines == [lines[0]] and lines[0].startswith("dealgraph: error: cannot reach the SPARQL endpoint")
        assert url in lines[0] and "s3cret" not in result.output and "Traceback" not in result.output


def test_store_and_endpoint_together_are_refused(tmp_path):
    result = CliRunner().invoke(app, ["deals", "--store", str(tmp_path), "--endpoint", "http://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "give a store or an endpoint, not both" in result.stderr


# A query without GRAPH: the embedded store reads it over the union of the named graphs.
UNGRAPHED = ("SELECT ?company ?alias WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?company ; "
             "<http://www.w3.org/2004/02/skos/core#altLabel> ?alias }")


def test_serve_answers_like_the_embedded_store(tmp_path, embedded, monkeypatch):
    need_oxigraph()
    DealGraph.build(store=tmp_path / "store")[0].close()
    port = free_port()
    command = [sys.executable, "-m", "dealgraph", "serve", "--listen", f"127.0.0.1:{port}", "--store", str(tmp_path / "store")]
    server = Engine(tmp_path / "unused", command, port)
    server.apply(monkeypatch)
    server.start()
    try:
        with DealGraph.open(endpoint=server.base) as remote:
            for name in ("who-funds-whom", "money-received", "conflicting-claims"):
                assert normalised(remote.query(name).rows) == normalised(embedded.query(name).rows)
            expected = embedded.query(UNGRAPHED).rows
            assert expected and normalised(remote.query(UNGRAPHED).rows) == normalised(expected)
    finally:
        server.stop()


# -- bindings and errors against a real engine ---------------------------------------------

BOUND = [
    ("deals-of-company", {"company": "Nvidia"}),
    ("deals-of-company", {"company": "AI-Hyperscaler"}),  # an alias, resolved by the API first
    ("companies-by-alias", {"alias": "AI-Hyperscaler"}),
    ("who-funds-whom", {"funder": "Nvidia", "deal": "nvidia-openai-investment-plan"}),  # two at once
    ("SELECT ?company (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?company } "
     "FILTER(STRSTARTS(?company, \"N\")) } GROUP BY ?company", {"company": "Nvidia"}),
    ("ASK { GRAPH ?g { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?company } }", {"company": "Nvidia"}),
    ("ASK { GRAPH ?g { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?company } }", {"company": "Nobody"}),
    # the value of the crafted name that once returned rows for two companies, now a value
    ("deals-of-company", {"company": 'Nvidia" ) ( "OpenAI'}),
    ("deals-of-company", {"company": 'Nvidia"} } UNION { ?c ?p ?company } #'}),
]


@pytest.mark.parametrize(("query", "bindings"), BOUND)
def test_bindings_give_the_rows_the_embedded_store_gives(remote, embedded, query, bindings):
    with DealGraph.open(endpoint=remote.base) as graph:
        got = graph.query(query, **bindings)
    expected = embedded.query(query, **bindings)
    assert (got.kind, normalised(got.rows)) == (expected.kind, normalised(expected.rows))
    crafted = "OpenAI" in str(bindings) or "UNION" in str(bindings)
    assert (got.rows == []) if crafted else got.rows  # a crafted value matches nothing; the others, rows


@pytest.mark.parametrize("name", ['company ) { ( "Nvidia" ) ( "OpenAI" ) } #', "company\n#", "a-b", ":", "nope"])
def test_a_crafted_or_unselected_name_gets_one_message_on_both_paths(remote, built_store, name):
    lines = []
    for where in (["--store", str(built_store)], ["--endpoint", remote.base]):
        result = CliRunner().invoke(app, ["query", "deals-of-company", "--bind", f"{name}=Nvidia", *where])
        assert result.exit_code == 1 and "Traceback" not in result.output
        lines.append(result.stderr.strip())
    assert lines[0] == lines[1] and len(lines[0].splitlines()) == 1 and "cannot bind" in lines[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30))
def test_any_value_travels_to_the_engine_as_that_text(remote, value):
    """Quotes, backslashes, `\\u0022`, braces, newlines, NUL: each value comes back as itself
    (Virtuoso ends a string at NUL: test_virtuoso.py holds what it does with one)."""
    if remote.name == "virtuoso":
        value = value.replace("\0", "")
    with DealGraph.open(endpoint=remote.base) as graph:
        rows = graph.query("SELECT ?v ?w WHERE { BIND(STRLEN(?v) AS ?w) }", v=value).rows
    assert rows == [{"v": value, "w": len(value)}]


@pytest.mark.parametrize(("query", "says"), [
    ("SELECT ?x WHERE { ?x ?p }", "the SPARQL endpoint refused the query: HTTP 400"),
    ("SELECT ?x WHERE { ?x <urn:p> ?y FILTER(nosuchfunction(?y)) }", "the SPARQL endpoint refused the query: HTTP 400"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "only SELECT and ASK queries return rows; use export for graphs"),
])
def test_a_real_engine_refusing_a_query_is_one_line(remote, query, says):
    result = CliRunner().invoke(app, ["query", query, "--endpoint", remote.base])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and says in lines[0] and "Traceback" not in result.output
