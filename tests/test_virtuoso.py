"""What only Virtuoso 7 does, against a real one on loopback (tests/engines.py): it keeps graphs
of its own beside dealgraph's, answers at its own paths, writes only for a user who proves
the password with HTTP Digest, and ends a string at NUL. The parity of every saved query, the
exports and the bindings with the embedded store run on it in tests/test_remote.py.

The instance is the session's (``virtuoso_server`` in conftest.py); without Virtuoso installed
these tests skip, saying why.
"""

from __future__ import annotations

import pytest
from engines import virtuoso as start_virtuoso
from typer.testing import CliRunner

from dealgraph import DealGraph
from dealgraph.namespace import GRAPH
from dealgraph.rdf import build_quads
from dealgraph.remote import push_quads
from dealgraph.seeds import load_seeds

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def seeded(virtuoso_server):
    with pytest.MonkeyPatch.context() as env:
        virtuoso_server.apply(env)
        push_quads(build_quads(load_seeds()), virtuoso_server.base, namespace=str(GRAPH))
    return virtuoso_server


@pytest.fixture
def virtuoso(seeded, monkeypatch):
    seeded.apply(monkeypatch)
    return seeded


def one_line(args: list[str], *fragments: str, secret: str | None = None) -> str:
    from dealgraph.cli import app

    result = CliRunner().invoke(app, args)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.output, result.output
    assert secret is None or secret not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_its_own_graphs_are_neither_counted_nor_exported(virtuoso, memory_graph, tmp_path):
    everything = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    with DealGraph.open(endpoint=virtuoso.base) as graph:
        held = {row["g"] for row in graph.query(everything).rows}
        ours = graph.store.graphs()
        assert "http://www.openlinksw.com/schemas/virtrdf#" in held and set(ours) < held
        assert all(g.startswith(str(GRAPH)) for g in ours)
        assert graph.store.quad_count() == memory_graph.store.quad_count()
        graph.export(tmp_path / "all.nq", "nq")
    assert "openlinksw" not in (tmp_path / "all.nq").read_text(encoding="utf-8")


def test_the_paths_come_from_the_engine_named(virtuoso, monkeypatch):
    """Virtuoso answers at /sparql, not at Oxigraph's /query: the 404 says what to set."""
    monkeypatch.delenv("DEALGRAPH_ENGINE")
    one_line(["deals", "--endpoint", virtuoso.base], "HTTP 404", "set DEALGRAPH_ENGINE to one of oxigraph, fuseki, "
             "graphdb, virtuoso")
    monkeypatch.setenv("DEALGRAPH_ENGINE", "virtuoso7")
    one_line(["deals", "--endpoint", virtuoso.base], "DEALGRAPH_ENGINE=virtuoso7 is no engine dealgraph knows")


def test_anonymous_writes_are_refused(virtuoso, monkeypatch):
    """Virtuoso's anonymous user may read, not write: a build without credentials stops at
    its first graph, in one line."""
    monkeypatch.delenv("DEALGRAPH_ENDPOINT_USER")
    monkeypatch.delenv("DEALGRAPH_ENDPOINT_PASSWORD")
    one_line(["build", "--endpoint", virtuoso.base], "PUT", "/sparql-graph-crud?graph=", "failed: HTTP 403")
    with DealGraph.open(endpoint=virtuoso.base) as graph:  # reading needs no credentials
        assert graph.store.quad_count() > 0


def test_a_wrong_password_is_one_line_without_it(virtuoso, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_PASSWORD", "wrong-" + virtuoso.password)
    one_line(["build", "--endpoint", virtuoso.base], "HTTP 401", "/sparql-auth",
             "check DEALGRAPH_ENDPOINT_USER and DEALGRAPH_ENDPOINT_PASSWORD", secret=virtuoso.password)


def test_a_value_holding_nul_is_refused_in_one_line(virtuoso):
    """Virtuoso reads U+0000 as the end of the query's string: it refuses the query, and says
    so in one line, rather than answering for a shorter value."""
    one_line(["query", "SELECT ?v WHERE { BIND(STRLEN(?v) AS ?w) }", "--bind", "v=a\0b", "--endpoint", virtuoso.base],
             "HTTP 500", "Unterminated")


def test_a_result_cut_at_the_row_limit_is_refused(tmp_path, monkeypatch):
    """Virtuoso stops a result at ResultSetMaxRows and says so only in a header: a short
    answer must not pass for the whole one."""
    small = start_virtuoso(tmp_path / "small", max_rows=10)
    try:
        small.apply(monkeypatch)
        push_quads(build_quads(load_seeds()), small.base, namespace=str(GRAPH))
        with DealGraph.open(endpoint=small.base) as graph:
            assert len(graph.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 9")) == 9
        one_line(["query", "deals-of-company", "--endpoint", small.base],
                 "/sparql-auth sent only the first 10 rows of the result (X-SPARQL-MaxRows)", "ResultSetMaxRows")
    finally:
        small.stop()
