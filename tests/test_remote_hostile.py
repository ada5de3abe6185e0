"""A hostile SPARQL server on loopback: garbage, JSON that is no SPARQL result, the wrong kind
of result, 200 MB of junk, slow and trickling replies, errors with messages, redirects, and
servers that echo the credentials. Every case must end in one line on stderr naming what the
server answered, exit status 1, no traceback, no credentials; and reading stays bounded.

The server is http.server in a thread on 127.0.0.1; each test says how it answers. Every
loop that writes a long reply stops after a bounded time or when the client hangs up.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import threading
import time
import tracemalloc
import urllib.parse
import urllib.request
from collections.abc import Callable
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealgraph import DealGraph, QueryError, StoreError
from dealgraph.cli import app
from dealgraph.errors import InvalidInput
from dealgraph.namespace import GRAPH
from dealgraph.rdf import build_quads
from dealgraph.remote import push_quads, redact_url, shown
from dealgraph.seeds import load_seeds

USER, PASSWORD = "analyst", "s3cret-Pa55word"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
SECRETS = (PASSWORD, TOKEN, urllib.parse.quote(PASSWORD))
ASK_TRUE = {"head": {}, "boolean": True}
WRITE_FOR_AT_MOST = 15.0  # seconds any streaming reply of the server may last


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the connection closes after each reply: no framing to fake

    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if self.command == "POST" else {}
        request = {"method": self.command, "path": self.path, "headers": dict(self.headers),
                   "query": form.get("query", [None])[0], "body": body}
        self.server.requests.append(request)
        self.server.behaviour(self, request)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: bytes | str, content_type: str = "text/plain", reason: str | None = None,
               headers: dict[str, str] | None = None) -> None:
        body = body.encode() if isinstance(body, str) else body
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, first: bytes, filler: bytes, total: int, pause: float = 0.0,
               content_type: str = "application/sparql-results+json") -> None:
        """Send ``first`` then ``filler`` until ``total`` bytes, until the client hangs up, or
        until WRITE_FOR_AT_MOST seconds have gone; counts what was sent."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        sent, deadline = 0, time.monotonic() + WRITE_FOR_AT_MOST
        try:
            self.wfile.write(first)
            sent = len(first)
            while sent < total and time.monotonic() < deadline:
                self.wfile.write(filler)
                sent += len(filler)
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.server.sent.append(sent)


class Hostile:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.requests, self.httpd.sent = [], []
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def behave(self, behaviour: Callable[[Handler, dict], None], *, probe_ok: bool = True) -> None:
        """Answer every request with ``behaviour``; the opening probe (ASK {}) gets a good answer
        unless ``probe_ok`` is false, so the case reaches the query it is about."""
        def respond(handler, request):
            if probe_ok and request["query"] == "ASK {}":
                return handler.answer(200, json.dumps(ASK_TRUE), "application/sparql-results+json")
            return behaviour(handler, request)
        self.httpd.behaviour = respond
        self.httpd.requests.clear()
        self.httpd.sent.clear()

    @property
    def requests(self) -> list[dict]:
        return self.httpd.requests

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def hostile():
    server = Hostile()
    yield server
    server.stop()


def answering(status, body, content_type="text/plain", **kw):
    return lambda h, r: h.answer(status, body, content_type, **kw)


def one_clean_line(result, *fragments: str) -> str:
    """The CLI failed with exit 1 and exactly one line on stderr, holding ``fragments`` and
    neither a traceback, nor credentials, nor a control character."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("dealgraph: error: "), result.stderr
    everything = result.stdout + result.stderr
    assert "Traceback" not in everything and not any(s in everything for s in SECRETS)
    assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in everything)
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


# -- replies that are not the answer asked for ---------------------------------------------

SELECT_JSON = "application/sparql-results+json"
NOT_AN_ANSWER = [
    # (what the server sends, the content type, what the line must say)
    ("garbage", "text/plain", "it is not JSON"),
    ("garbage", SELECT_JSON, "Expecting value"),
    ("", SELECT_JSON, "Expecting value"),
    ("<html><body><h1>Please log in</h1><script>x()</script></body></html>", "text/html", "Please log in"),
    ('{"hello": "world"}', SELECT_JSON, "no head.vars list"),
    ('[1, 2, 3]', "application/json", "it sent application/json"),
    (json.dumps(ASK_TRUE), SELECT_JSON, "it is an ASK result"),  # was printed as `ask True`, exit 0
    ('{"head": {"vars": ["x"]}, "results": {"bindings": []}}', SELECT_JSON, "its variables are ?x, not the ?funder"),
    ('{"head": {"vars": ["funder"]}, "results": {"bindings": [{"funder": {"type": "uri"}}]}}', SELECT_JSON,
     "its variables are ?funder, not"),
    ('{"head": ' + "[" * 100_000 + "]" * 100_000 + "}", SELECT_JSON, "nested too deeply"),
    (b'{"head": "\xff\xfe"}', SELECT_JSON, "can't decode byte 0xff"),
    ('{"boolean": 1' + "0" * 5000 + "}", SELECT_JSON, "integer string conversion"),
    ("{\"head\": \x1b]0;pwned\x07\x1b[2J}", SELECT_JSON, "Expecting value"),  # escapes in the excerpt
]


@pytest.mark.parametrize(("body", "content_type", "says"), NOT_AN_ANSWER)
def test_a_reply_that_is_no_answer_is_one_line_and_exit_1(hostile, body, content_type, says):
    hostile.behave(answering(200, body, content_type))
    line = one_clean_line(cli("query", "who-funds-whom", "--endpoint", hostile.base), says)
    assert "answered no SPARQL SELECT result" in line and f"{hostile.base}/query" in line
    assert "<script>" not in line and "x()" not in line


@pytest.mark.parametrize(("body", "content_type", "says"), [
    (json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}), SELECT_JSON, "an ASK result needs a boolean"),
    ('{"head": {}, "boolean": "true"}', SELECT_JSON, "not 'true'"),
    ("OK", "text/plain", "it is not JSON"),
])
def test_the_opening_probe_checks_its_answer_too(hostile, body, content_type, says):
    hostile.behave(answering(200, body, content_type), probe_ok=False)
    for command in (["deals"], ["query", "who-funds-whom"], ["export", "-o", "out.nq", "--format", "nq"], ["build"]):
        one_clean_line(cli(*command, "--endpoint", hostile.base), "answered no SPARQL ASK result", says)


@pytest.mark.parametrize("query", ["CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <urn:x>"])
def test_a_graph_query_is_refused_as_the_embedded_store_refuses_it(hostile, query):
    hostile.behave(answering(500, "must not be asked"))
    one_clean_line(cli("query", query, "--endpoint", hostile.base),
                   "only SELECT and ASK queries return rows; use export for graphs")
    assert [r["query"] for r in hostile.requests] == ["ASK {}"]


def graphs_then(graph_reply: Callable[[Handler, dict], None]):
    """A server that names one graph, then answers the Graph Store request with ``graph_reply``."""
    def behaviour(h, request):
        if request["method"] == "POST" and "DISTINCT ?g" in (request["query"] or ""):
            doc = {"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "urn:g"}}]}}
            return h.answer(200, json.dumps(doc), SELECT_JSON)
        return graph_reply(h, request)
    return behaviour


@pytest.mark.parametrize(("graph_reply", "says"), [
    (answering(200, "garbage\n", "application/n-triples"), "answered no N-Triples"),
    (answering(200, "<urn:a> <urn:b> .\n", "application/n-triples"), "answered no N-Triples"),
    (answering(404, "No such graph\n"), "HTTP 404"),
    (lambda h, r: h.stream(b"<urn:a> <urn:b> <urn:c> .\n", b"junk " * 1000, 200 * 2**20), "answered no N-Triples"),
])
def test_an_export_fed_junk_writes_nothing(hostile, tmp_path, graph_reply, says):
    hostile.behave(graphs_then(graph_reply))
    out = tmp_path / "out.nq"
    one_clean_line(cli("export", "-o", str(out), "--format", "nq", "--endpoint", hostile.base), says)
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("reply", "says"), [
    (answering(200, json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "literal", "value": "x y"}}]}}),
               SELECT_JSON), "named a graph that is not an IRI"),
    (answering(200, json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": []}}), SELECT_JSON),
     "its variables are ?n, not the ?g"),
])
def test_a_build_fed_junk_stops_before_it_writes(hostile, reply, says):
    hostile.behave(reply)
    one_clean_line(cli("build", "--endpoint", hostile.base), says)
    assert not [r for r in hostile.requests if r["method"] in ("PUT", "DELETE")]


def test_a_result_the_engine_cut_short_is_refused(hostile):
    """Virtuoso sends the first ResultSetMaxRows rows and says so in a header only."""
    doc = {"head": {"vars": ["funder"]}, "results": {"bindings": [{"funder": {"type": "literal", "value": "x"}}] * 3}}
    hostile.behave(answering(200, json.dumps(doc), SELECT_JSON, headers={"X-SPARQL-MaxRows": "3"}))
    one_clean_line(cli("query", "SELECT ?funder WHERE { ?s ?p ?funder }", "--endpoint", hostile.base),
                   "sent only the first 3 rows of the result (X-SPARQL-MaxRows)")
    hostile.behave(answering(200, json.dumps(doc), SELECT_JSON, headers={"X-SPARQL-MaxRows": "4"}))
    assert len(DealGraph.open(endpoint=hostile.base).query("SELECT ?funder WHERE { ?s ?p ?funder }")) == 3


# -- bounded: size and time ----------------------------------------------------------------

def test_200_megabytes_of_junk_are_not_read(hostile):
    """Not JSON from its first byte: the client stops at once instead of reading 200 MB."""
    hostile.behave(lambda h, r: h.stream(b"x", b"junk" * 16384, 200 * 2**20))
    started = time.monotonic()
    tracemalloc.start()
    with pytest.raises(StoreError, match="answered no SPARQL SELECT result"):
        DealGraph.open(endpoint=hostile.base).query("who-funds-whom")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.monotonic() - started < 5 and peak < 8 * 2**20
    time.sleep(0.2)
    assert hostile.httpd.sent and hostile.httpd.sent[0] < 32 * 2**20  # what the socket buffers took


def test_a_reply_that_looks_like_json_stops_at_the_limit(hostile, monkeypatch):
    monkeypatch.setattr("dealgraph.remote.MAX_REPLY", 2 * 2**20)
    hostile.behave(lambda h, r: h.stream(b'{"head": "', b"a" * 65536, 200 * 2**20))
    tracemalloc.start()
    with pytest.raises(StoreError, match="the reply is larger than 2 MiB; stopped reading it"):
        DealGraph.open(endpoint=hostile.base).query("who-funds-whom")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 * 2**20


def test_a_graph_larger_than_its_limit_stops(hostile, monkeypatch, tmp_path):
    monkeypatch.setattr("dealgraph.remote.MAX_GRAPH", 2**20)
    triple = b"<urn:a> <urn:b> <urn:c> .\n"
    hostile.behave(graphs_then(lambda h, r: h.stream(triple, triple * 2000, 200 * 2**20, content_type="application/n-triples")))
    with pytest.raises(StoreError, match="larger than 1 MiB"):
        DealGraph.open(endpoint=hostile.base).export(tmp_path / "out.nq", "nq")


@pytest.mark.parametrize(("behaviour", "says"), [
    (lambda h, r: time.sleep(3), "no answer from the SPARQL endpoint"),  # nothing, not even headers
    (lambda h, r: h.stream(b"{", b" ", 10**9, pause=0.05), "took longer than 1 s"),  # a trickle
    (lambda h, r: h.stream(b"{", b" ", 10**9, pause=3), "the reply stalled after"),  # a pause mid-reply
])
def test_a_slow_server_is_given_up_on_in_bounded_time(hostile, monkeypatch, behaviour, says):
    monkeypatch.setattr("dealgraph.remote.TIMEOUT", 1.0)
    hostile.behave(behaviour)
    started = time.monotonic()
    with pytest.raises(StoreError, match=says):
        DealGraph.open(endpoint=hostile.base).query("who-funds-whom")
    assert time.monotonic() - started < 2.5


def test_a_server_that_closes_without_a_reply(hostile):
    def hang_up(h, r):
        h.close_connection = True
        h.wfile.write(b"")
        h.connection.close()
    hostile.behave(hang_up)
    one_clean_line(cli("deals", "--endpoint", hostile.base), "cannot reach the SPARQL endpoint")


# -- the server's own words, on one line ---------------------------------------------------

@pytest.mark.parametrize(("status", "body", "content_type", "fragments"), [
    (400, "error at 1:25: expected one of \"$\", \"(\"\n| 'WHERE'\n", "text/plain",
     ["the SPARQL endpoint refused the query: HTTP 400", "error at 1:25: expected one of", "| 'WHERE'"]),
    (500, "Virtuoso 42000 Error: out of memory\x1b[2J", "text/plain", ["HTTP 500", "Virtuoso 42000 Error: out of memory"]),
    (503, "<html><head><title>Service Unavailable</title><style>p{}</style></head><body>Back soon</body></html>",
     "text/html", ["HTTP 503", "Service Unavailable Back soon"]),
    (401, "", "text/plain", ["HTTP 401", "check DEALGRAPH_ENDPOINT_USER and DEALGRAPH_ENDPOINT_PASSWORD", "(empty)"]),
    (404, "Not Found", "text/plain", ["HTTP 404", "DEALGRAPH_QUERY_PATH"]),
    (400, "x" * 100_000, "text/plain", ["HTTP 400", "x" * 200 + "…"]),
])
def test_an_error_reply_shows_the_servers_message(hostile, status, body, content_type, fragments):
    hostile.behave(answering(status, body, content_type))
    line = one_clean_line(cli("query", "who-funds-whom", "--endpoint", hostile.base), *fragments)
    assert len(line) < 700


def test_a_bad_query_is_a_query_error_with_the_servers_words(hostile):
    hostile.behave(answering(400, "Parse error: unexpected '}' at line 1"))
    with pytest.raises(QueryError, match="refused the query: HTTP 400 Bad Request: Parse error: unexpected '}'"):
        DealGraph.open(endpoint=hostile.base).query("SELECT ?x WHERE { ?x ?p ?o }")


def test_a_redirect_is_reported_and_not_followed_with_the_credentials(hostile, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_USER", USER)
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_PASSWORD", PASSWORD)
    hostile.behave(answering(307, "", headers={"Location": f"http://bob:{PASSWORD}@evil.example/steal"}), probe_ok=False)
    one_clean_line(cli("deals", "--endpoint", hostile.base),
                   "HTTP 307", "redirects to http://***@evil.example/steal", "does not follow redirects")
    assert {r["path"] for r in hostile.requests} == {"/query"}  # nothing went to the host it names


# -- credentials ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    f"http://bob:{PASSWORD}@127.0.0.1:1", f"https://bob:{PASSWORD}@example.org/sparql/",
    f"bob:{PASSWORD}@127.0.0.1:1", f"http://{PASSWORD}@127.0.0.1:1", f"http://bob:p@{PASSWORD}@127.0.0.1:1",
])
@pytest.mark.parametrize("command", [["deals"], ["query", "who-funds-whom"], ["build"], ["export", "-o", "x.nq", "-f", "nq"]])
def test_a_password_in_the_url_is_refused_and_never_printed(url, command):
    one_clean_line(cli(*command, "--endpoint", url), "holds credentials", "***@",
                   "set DEALGRAPH_ENDPOINT_USER and DEALGRAPH_ENDPOINT_PASSWORD")


@pytest.mark.parametrize(("url", "says"), [
    ("not-a-url", "not-a-url is not an endpoint URL"), ("", "is empty"), ("ftp://127.0.0.1/", "not an endpoint URL"),
    ("http://", "not an endpoint URL"), ("http://127.0.0.1:99999", "not an endpoint URL"),
    ("http://127.0.0.1:1/?key=v", "has a query or a fragment"), ("http://127.0.0.1:1/#x", "has a query or a fragment"),
    ("http://127.0.0.1 :1", "holds spaces or control characters"),
    ("http://127.0.0.1:1/\x1b[31mred", "holds spaces or control characters"),
])
def test_an_endpoint_that_is_not_a_url_is_one_line(url, says):
    with pytest.raises(InvalidInput, match=says):
        DealGraph.open(endpoint=url)
    one_clean_line(cli("deals", "--endpoint", url), says)


NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def digest_is_right(header: str, method: str, nonce: str = NONCE) -> bool:
    """The server's side of RFC 2617 (qop=auth), written out: does ``header`` prove the password?"""
    if not header.startswith("Digest "):
        return False
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[len("Digest "):]))
    ha1 = md5(f"{fields['username']}:{fields['realm']}:{PASSWORD}")
    ha2 = md5(f"{method}:{fields['uri']}")
    expected = md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
    return fields["username"] == USER and fields["nonce"] == nonce and fields["response"] == expected


def guarded(scheme: str, nonces: list[str] | None = None):
    """A server that asks for ``scheme`` (Basic, Digest) and answers only a request proving the
    password: ASK true, an empty list of graphs, 201 for a graph written. With ``nonces``, each
    Digest nonce is good for one request, then stale."""
    used: set[str] = set()

    def behaviour(h, request):
        header = request["headers"].get("Authorization", "")
        nonce = (nonces or [NONCE])[min(len(used), len(nonces or [NONCE]) - 1)]
        if scheme == "Basic":
            good, challenge = header == f"Basic {TOKEN}", 'Basic realm="dealgraph"'
        else:
            good = digest_is_right(header, request["method"], nonce) and nonce not in used
            stale = "true" if header and nonces and not good else "false"
            challenge = f'Digest realm="SPARQL", nonce="{nonce}", qop="auth", algorithm="MD5", opaque="x", stale="{stale}"'
        if not good:
            return h.answer(401, "", headers={"WWW-Authenticate": challenge})
        if nonces:
            used.add(nonce)
        if request["method"] in ("PUT", "DELETE"):
            return h.answer(201, "")
        if "DISTINCT ?g" in (request["query"] or ""):
            return h.answer(200, json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}), SELECT_JSON)
        return h.answer(200, json.dumps(ASK_TRUE), SELECT_JSON)
    return behaviour


def never_sent_in_clear(requests: list[dict]) -> None:
    for r in requests:
        sent = json.dumps(r["headers"]) + r["body"].decode("utf-8", "replace")
        assert not any(secret in sent for secret in SECRETS), r


def with_credentials(monkeypatch):
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_USER", USER)
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_PASSWORD", PASSWORD)


@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_the_credentials_answer_the_scheme_the_server_asks_for(hostile, monkeypatch, scheme):
    with_credentials(monkeypatch)
    hostile.behave(guarded(scheme), probe_ok=False)
    with DealGraph.open(endpoint=hostile.base) as graph:
        assert graph.query("ASK { ?s ?p ?o }").boolean is True
    first, *others = hostile.requests
    assert first["method"] == "HEAD" and "Authorization" not in first["headers"]  # what does it ask for?
    assert [r["method"] for r in others] == ["POST", "POST"]  # no request refused: each one answered the challenge
    if scheme == "Basic":
        assert {r["headers"]["Authorization"] for r in others} == {f"Basic {TOKEN}"}
    else:
        assert all(digest_is_right(r["headers"]["Authorization"], "POST") for r in others)
        never_sent_in_clear(hostile.requests)


def test_a_server_that_asks_for_nothing_gets_no_credentials(hostile, monkeypatch):
    with_credentials(monkeypatch)
    hostile.behave(answering(200, json.dumps(ASK_TRUE), SELECT_JSON), probe_ok=False)
    assert DealGraph.open(endpoint=hostile.base).query("ASK {}").boolean is True
    assert hostile.requests and not any("Authorization" in r["headers"] for r in hostile.requests)


def test_a_pushed_graph_goes_only_with_its_answer_to_the_challenge(hostile, monkeypatch):
    """A server refuses a request it must challenge once it has read the headers: a large body
    sent after them breaks the connection (Virtuoso does so). So each address is asked first,
    without a body, and every graph goes with its Digest answer, the password never in clear."""
    with_credentials(monkeypatch)
    hostile.behave(guarded("Digest"), probe_ok=False)
    pushed = push_quads(build_quads(load_seeds()), hostile.base, namespace=str(GRAPH))
    puts = [r for r in hostile.requests if r["method"] == "PUT"]
    assert len(puts) == len(pushed) and all(digest_is_right(r["headers"]["Authorization"], "PUT") for r in puts)
    assert [r["method"] for r in hostile.requests if r["path"].startswith("/store")][0] == "HEAD"
    assert not [r for r in hostile.requests if r["method"] != "HEAD" and "Authorization" not in r["headers"]]
    never_sent_in_clear(hostile.requests)


def test_a_stale_digest_nonce_is_answered_once_more(hostile, monkeypatch):
    with_credentials(monkeypatch)
    hostile.behave(guarded("Digest", nonces=["n1", "n2", "n3"]), probe_ok=False)
    with DealGraph.open(endpoint=hostile.base) as graph:
        assert graph.query("ASK { ?s ?p ?o }").boolean is True
    # HEAD (challenge n1), ASK with n1; the query with n1 is stale: again with n2
    assert [r["method"] for r in hostile.requests] == ["HEAD", "POST", "POST", "POST"]


@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_a_wrong_password_is_one_line_after_one_try(hostile, monkeypatch, scheme):
    with_credentials(monkeypatch)
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_PASSWORD", "not-" + PASSWORD)
    hostile.behave(guarded(scheme), probe_ok=False)
    line = one_clean_line(cli("deals", "--endpoint", hostile.base), "HTTP 401",
                          "check DEALGRAPH_ENDPOINT_USER and DEALGRAPH_ENDPOINT_PASSWORD")
    assert "not-" not in line and [r["method"] for r in hostile.requests] == ["HEAD", "POST"]


def test_credentials_the_server_did_not_get_are_asked_for(hostile, monkeypatch):
    monkeypatch.delenv("DEALGRAPH_ENDPOINT_USER", raising=False)
    hostile.behave(guarded("Digest"), probe_ok=False)
    one_clean_line(cli("deals", "--endpoint", hostile.base), "HTTP 401", "check DEALGRAPH_ENDPOINT_USER")
    assert [r["method"] for r in hostile.requests] == ["POST"]  # without credentials, nothing to ask


@pytest.mark.parametrize("credentials", [True, False])
def test_a_scheme_dealgraph_does_not_answer_is_named(hostile, monkeypatch, credentials):
    if credentials:
        with_credentials(monkeypatch)
    else:
        monkeypatch.delenv("DEALGRAPH_ENDPOINT_USER", raising=False)
    hostile.behave(answering(401, "", headers={"WWW-Authenticate": 'Bearer realm="x", error="\x1b[2J"'}), probe_ok=False)
    one_clean_line(cli("deals", "--endpoint", hostile.base), "asks for bearer authentication",
                   "dealgraph answers Basic and Digest")


@pytest.mark.parametrize("user", ["ana:lyst", 'ana"lyst', "ana\tlyst"])
def test_a_user_name_http_cannot_carry_is_refused_before_any_request(hostile, monkeypatch, user):
    with_credentials(monkeypatch)
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_USER", user)
    hostile.behave(guarded("Digest"), probe_ok=False)
    one_clean_line(cli("deals", "--endpoint", hostile.base), "DEALGRAPH_ENDPOINT_USER holds")
    assert hostile.requests == []


def echo(where: str, style: str):
    """A server that sends our Authorization header back, in its body or its status line."""
    def behaviour(h, request):
        header = request["headers"].get("Authorization", "")
        if not header:  # ask for the credentials first, so that there is something to echo
            return h.answer(401, "", headers={"WWW-Authenticate": 'Basic realm="echo"'})
        text = {"header": f"Authorization: {header}", "json": json.dumps({"authorization": header}),
                "decoded": base64.b64decode(header.split()[-1]).decode(), "quoted": urllib.parse.quote(PASSWORD)}[style]
        if where == "body":
            return h.answer(401, f"{text}\nUnauthorized", "text/plain")
        if where == "ok-body":
            return h.answer(200, text, SELECT_JSON)
        return h.answer(401, "", reason=text.replace("\n", " "))
    return behaviour


@pytest.mark.parametrize("where", ["body", "ok-body", "reason"])
@pytest.mark.parametrize("style", ["header", "json", "decoded", "quoted"])
def test_a_server_echoing_the_credentials_never_gets_them_printed(hostile, monkeypatch, where, style):
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_USER", USER)
    monkeypatch.setenv("DEALGRAPH_ENDPOINT_PASSWORD", PASSWORD)
    hostile.behave(echo(where, style), probe_ok=False)
    one_clean_line(cli("deals", "--endpoint", hostile.base))


def test_credentials_that_are_not_ours_are_redacted_too(hostile):
    hostile.behave(answering(502, "upstream said Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc123 and "
                                  "proxy password=hunter22"))
    line = one_clean_line(cli("deals", "--endpoint", hostile.base), "HTTP 502", "Authorization: ***", "password=***")
    assert "eyJhbGci" not in line and "hunter22" not in line


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60), st.sampled_from(SECRETS), st.integers(1, 400))
def test_shown_text_never_holds_our_credentials_or_control_characters(before, after, secret, limit):
    with mock.patch.dict(os.environ, {"DEALGRAPH_ENDPOINT_USER": USER, "DEALGRAPH_ENDPOINT_PASSWORD": PASSWORD}):
        for text in (before + secret + after, before + after):
            out = shown(text, limit)
            assert not any(s in out for s in SECRETS)
            assert "\n" not in out and not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in out)
            assert len(out) <= max(limit + 1, len("(not shown: it holds the credentials)"))


@pytest.mark.parametrize(("url", "redacted"), [
    ("http://bob:pw@host:1/x", "http://***@host:1/x"), ("bob:pw@host", "***@host"),
    ("http://bob:p@ss@host/", "http://***@host/"), ("http://host/a@b", "http://host/a@b"),
    ("http://host:1", "http://host:1"),
])
def test_redact_url(url, redacted):
    assert redact_url(url) == redacted
