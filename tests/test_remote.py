"""A real Oxigraph server on loopback: push the seeds, read them back, and compare every saved
query with the embedded store; bindings (names checked by one rule, values sent as literals)
answered as the embedded store answers them; a server that is down or refuses a query; a push
stopped half-way and rerun; `dealgraph serve`. Hostile servers: tests/test_remote_hostile.py.

The server is the `oxigraph` command from PyPI (the server extra); the tests start it on a free
port of 127.0.0.1 and stop it themselves.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealgraph import DealGraph, StoreError
from dealgraph.backend import Backend
from dealgraph.cli import app
from dealgraph.namespace import GRAPH
from dealgraph.rdf import build_quads
from dealgraph.remote import push_quads
from dealgraph.seeds import load_seeds
from dealgraph.sparql import saved_queries

pytestmark = pytest.mark.server

OXIGRAPH = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
if OXIGRAPH is None:
    pytest.skip("the oxigraph server is not installed (pip install 'dealgraph[server]')", allow_module_level=True)

# Columns built with GROUP_CONCAT: SPARQL leaves the order of the concatenation to the engine.
CONCATENATED = {"counterparties", "mentions"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, location: Path, command: list[str] | None = None):
        self.location = location
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = command or [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited: {self.process.stderr.read().decode()}")
                time.sleep(0.1)
        raise RuntimeError("the server did not answer within 20 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "oxigraph").start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def embedded():
    return DealGraph.memory()


def normalised(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        r = {k: ", ".join(sorted(v.split(", "))) if k in CONCATENATED and v else v for k, v in r.items()}
        out.append(repr(sorted(r.items())))
    return sorted(out)


def test_every_saved_query_gives_the_same_rows(server, embedded):
    DealGraph.build(endpoint=server.base)[0].close()
    with DealGraph.open(endpoint=server.base) as remote:
        assert isinstance(remote.store, Backend)
        assert remote.store.quad_count() == embedded.store.quad_count()
        for name in saved_queries():
            local_rows = embedded.query(name).rows
            assert local_rows, f"{name} returns nothing on the seeds"
            assert normalised(remote.query(name).rows) == normalised(local_rows), name
        # bindings travel to the remote engine too
        assert (normalised(remote.query("deals-of-company", company="Nvidia").rows)
                == normalised(embedded.query("deals-of-company", company="Nvidia").rows))
        assert remote.deals() == embedded.deals()
        a, b = remote.loops(), embedded.loops()
        a["bounds"].pop("elapsed"), b["bounds"].pop("elapsed")
        assert a == b


@pytest.mark.parametrize(("fmt", "rdf_format"), [("nq", "N_QUADS"), ("nt", "N_TRIPLES")])
def test_an_export_holds_what_the_embedded_store_exports(server, embedded, tmp_path, fmt, rdf_format):
    """The whole dataset (nq), and the resolved view alone (nt), fetched graph by graph."""
    DealGraph.build(endpoint=server.base)[0].close()
    with DealGraph.open(endpoint=server.base) as remote:
        remote.export(tmp_path / f"remote.{fmt}", fmt)
    embedded.export(tmp_path / f"embedded.{fmt}", fmt)
    exported = [set(ox.parse(path=str(tmp_path / f"{name}.{fmt}"), format=getattr(ox.RdfFormat, rdf_format)))
                for name in ("remote", "embedded")]
    assert exported[0] == exported[1] and exported[0]


def test_pushing_twice_leaves_the_same_data_and_drops_stale_graphs(server, embedded):
    stale = f"{GRAPH}document/withdrawn-document"
    urllib.request.urlopen(urllib.request.Request(
        f"{server.base}/store?graph={stale}", method="PUT", headers={"Content-Type": "application/n-triples"},
        data=b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")).read()
    foreign = "urn:other:graph"  # not ours: a push never touches it
    urllib.request.urlopen(urllib.request.Request(
        f"{server.base}/store?graph={foreign}", method="PUT", headers={"Content-Type": "application/n-triples"},
        data=b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")).read()
    quads = build_quads(load_seeds())
    for _ in range(2):
        push_quads(quads, server.base, namespace=str(GRAPH))
        with DealGraph.open(endpoint=server.base) as remote:
            graphs = remote.store.graphs()
            assert stale not in graphs and foreign in graphs
            assert remote.store.quad_count() == embedded.store.quad_count() + 1


def test_a_push_stopped_half_way_can_be_rerun(tmp_path, embedded, monkeypatch):
    server = Server(tmp_path / "oxigraph").start()
    quads = build_quads(load_seeds())
    monkeypatch.setattr("dealgraph.remote.PUSH_CHUNK", 100)  # many requests per graph

    def stop_after_three(graph, done, total):
        if done == 3:
            server.stop()

    try:
        with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint"):
            push_quads(quads, server.base, namespace=str(GRAPH), progress=stop_after_three)
        restarted = Server(tmp_path / "oxigraph", [OXIGRAPH, "serve", "--location", str(tmp_path / "oxigraph"),
                                                   "--bind", f"127.0.0.1:{server.port}"])
        restarted.port, restarted.base = server.port, server.base
        restarted.start()
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


def test_serve_answers_like_the_embedded_store(tmp_path, embedded):
    DealGraph.build(store=tmp_path / "store")[0].close()
    port = free_port()
    command = [sys.executable, "-m", "dealgraph", "serve", "--listen", f"127.0.0.1:{port}", "--store", str(tmp_path / "store")]
    server = Server(tmp_path / "unused", command)
    server.port, server.base = port, f"http://127.0.0.1:{port}"
    server.start()
    try:
        with DealGraph.open(endpoint=server.base) as remote:
            for name in ("who-funds-whom", "money-received", "conflicting-claims"):
                assert normalised(remote.query(name).rows) == normalised(embedded.query(name).rows)
    finally:
        server.stop()


# -- bindings and errors against a real engine ---------------------------------------------

@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One server holding the seeds, for the tests that only read."""
    s = Server(tmp_path_factory.mktemp("loaded") / "oxigraph").start()
    push_quads(build_quads(load_seeds()), s.base, namespace=str(GRAPH))
    yield s
    s.stop()


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
def test_bindings_give_the_rows_the_embedded_store_gives(loaded, embedded, query, bindings):
    with DealGraph.open(endpoint=loaded.base) as remote:
        got = remote.query(query, **bindings)
    expected = embedded.query(query, **bindings)
    assert (got.kind, normalised(got.rows)) == (expected.kind, normalised(expected.rows))
    crafted = "OpenAI" in str(bindings) or "UNION" in str(bindings)
    assert (got.rows == []) if crafted else got.rows  # a crafted value matches nothing; the others, rows


@pytest.mark.parametrize("name", ['company ) { ( "Nvidia" ) ( "OpenAI" ) } #', "company\n#", "a-b", ":", "nope"])
def test_a_crafted_or_unselected_name_gets_one_message_on_both_paths(loaded, tmp_path, name):
    DealGraph.build(store=tmp_path / "store")[0].close()
    lines = []
    for where in (["--store", str(tmp_path / "store")], ["--endpoint", loaded.base]):
        result = CliRunner().invoke(app, ["query", "deals-of-company", "--bind", f"{name}=Nvidia", *where])
        assert result.exit_code == 1 and "Traceback" not in result.output
        lines.append(result.stderr.strip())
    assert lines[0] == lines[1] and len(lines[0].splitlines()) == 1 and "cannot bind" in lines[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30))
def test_any_value_travels_to_the_engine_as_that_text(loaded, value):
    """Quotes, backslashes, `\\u0022`, braces, newlines, NUL: each value comes back as itself."""
    with DealGraph.open(endpoint=loaded.base) as remote:
        rows = remote.query("SELECT ?v ?w WHERE { BIND(STRLEN(?v) AS ?w) }", v=value).rows
    assert rows == [{"v": value, "w": len(value)}]


@pytest.mark.parametrize(("query", "says"), [
    ("SELECT ?x WHERE { ?x ?p }", "the SPARQL endpoint refused the query: HTTP 400"),
    ("SELECT ?x WHERE { ?x <urn:p> ?y FILTER(nosuchfunction(?y)) }", "the SPARQL endpoint refused the query: HTTP 400"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "only SELECT and ASK queries return rows; use export for graphs"),
])
def test_a_real_engine_refusing_a_query_is_one_line(loaded, query, says):
    result = CliRunner().invoke(app, ["query", query, "--endpoint", loaded.base])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and says in lines[0] and "Traceback" not in result.output
