"""A remote SPARQL 1.1 engine (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune...).

A small, strict client over urllib. Queries follow the SPARQL 1.1 Protocol (a POSTed form,
JSON results), parsed and checked here: the answer must be a result of the form asked for,
with the variables asked for, or the command fails; a wrong answer never passes for one.
Bulk writes and exports use the Graph Store Protocol, a whole named graph per request.

Whatever a server sends is input: every reply is read in bounded chunks, at most
:data:`MAX_REPLY` bytes of a query result or :data:`MAX_GRAPH` of a graph, within the
request's time, and a message shows it as one line without control characters or credentials.
Credentials come from the environment (``DEALGRAPH_ENDPOINT_USER``,
``DEALGRAPH_ENDPOINT_PASSWORD``), never from the URL, and go only where the server asks for
them, in the scheme it asks for (HTTP Basic or Digest, from its ``WWW-Authenticate``
challenge): a password is never sent in clear to a server that asked for Digest.

The engine is named by ``DEALGRAPH_ENGINE`` (:data:`ENGINES`: where each one answers below its
base URL); ``DEALGRAPH_QUERY_PATH`` and ``DEALGRAPH_GSP_PATH`` override its paths. Only
dealgraph's own named graphs are counted, listed and exported: an engine keeps graphs of its
own (Virtuoso's ``virtrdf#`` and others) beside ours.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox

from .backend import ENGINE_ENV
from .errors import DealGraphError, InvalidInput, QueryError, StoreError
from .namespace import GRAPH
from .sparql import ROWS_ONLY, QueryResult, QueryShape, bind_values, query_shape, sparql_literal
from .store import Store, ox_quads
from .text import CONTROLS

__all__ = ["ENGINES", "Endpoint", "RemoteStore", "open_remote", "push_quads", "redact_url"]


@dataclass(frozen=True)
class Engine:
    """Where one engine answers, below the base URL a user gives (``base``, as an example).
    Virtuoso serves authenticated requests at other paths than anonymous ones: ``query_auth``
    and ``gsp_auth``, used when credentials are set."""

    base: str
    query: str  # SPARQL 1.1 Protocol: queries
    gsp: str  # Graph Store Protocol, `?graph=IRI`: pushes and exports
    query_auth: str | None = None
    gsp_auth: str | None = None


#: The engines dealgraph knows, by the name ``DEALGRAPH_ENGINE`` takes (default: oxigraph).
ENGINES = {
    "oxigraph": Engine("http://HOST:7878", "query", "store"),
    "fuseki": Engine("http://HOST:3030/DATASET", "query", "data"),
    "graphdb": Engine("http://HOST:7200/repositories/REPOSITORY", "", "rdf-graphs/service"),
    "virtuoso": Engine("http://HOST:8890", "sparql", "sparql-graph-crud", "sparql-auth", "sparql-graph-crud-auth"),
}
DEFAULT_ENGINE = "oxigraph"
#: Variables that override the engine's paths, for an engine or a proxy that puts them elsewhere.
PATH_ENV = {"query": "DEALGRAPH_QUERY_PATH", "gsp": "DEALGRAPH_GSP_PATH"}
USER_ENV, PASSWORD_ENV = "DEALGRAPH_ENDPOINT_USER", "DEALGRAPH_ENDPOINT_PASSWORD"
#: Triples per request when a graph is pushed: the first chunk replaces the graph (PUT), the
#: others are appended (POST), so a rerun after an interruption starts the graph afresh.
PUSH_CHUNK = 200_000
#: Seconds one request may take, reading the reply included (a reply trickling in a byte at a
#: time can overrun it by one read, at most TIMEOUT again); the first contact gets less.
TIMEOUT = 300.0
PROBE_TIMEOUT = 30.0
#: The most bytes read of one query result (JSON costs several times its size once parsed; the
#: largest of a 1.28 M-quad dataset is 61 MB) and of one named graph (parsed as it arrives;
#: that dataset's resolved view is 125 MB of N-Triples).
MAX_REPLY = 256 * 2**20
MAX_GRAPH = 1024 * 2**20
#: Characters of a server's reply that a message shows.
EXCERPT = 300
_CHUNK = 64 * 1024
_HEAD = 4096  # bytes of a reply kept to show in messages
RESULTS_JSON = "application/sparql-results+json"


# -- what a message may show ----------------------------------------------------------------

# Credentials a server might echo that are not ours to know (a proxy's, another user's).
_CREDENTIAL_TEXT = re.compile(
    r"(?i)\b((?:proxy-)?authori[sz]ation|password|passwd|secret|token|api[_-]?key)(['\"]?\s*[:=]\s*['\"]?)"
    r"(?:(?:basic|bearer|digest|negotiate)\s+)?[^\s\"',;&<]+"
    r"|\b(basic|bearer|negotiate)\s+[A-Za-z0-9+/=._~-]{12,}")


def _redact_match(m: re.Match) -> str:
    return f"{m.group(1)}{m.group(2)}***" if m.group(1) else f"{m.group(3)} ***"


def _secrets() -> list[str]:
    """Every spelling of our own credentials that a server could send back."""
    user, password = os.environ.get(USER_ENV, ""), os.environ.get(PASSWORD_ENV, "")
    if not password:
        return []
    return [password, quote(password, safe=""), f"{user}:{password}",
            base64.b64encode(f"{user}:{password}".encode()).decode()]


def shown(text: str, limit: int = EXCERPT) -> str:
    """Text that came from a server, made fit for a message: one line, no control characters
    (terminal escapes), no credentials, at most ``limit`` characters. Text holding our own
    credentials is withheld whole: cutting them out of an echo would still show their length
    and their neighbours."""
    line = " ".join(CONTROLS.sub(" ", text).split())
    if any(secret in text or secret in line for secret in _secrets()):
        return "(not shown: it holds the credentials)"
    line = _CREDENTIAL_TEXT.sub(_redact_match, line)
    return line if len(line) <= limit else line[:limit] + "…"


def redact_url(url: str) -> str:
    """``url`` without the user and password it may carry: ``http://***@host/``."""
    return re.sub(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?[^/?#]*@", r"\1***@", url)


def _excerpt(data: bytes, content_type: str) -> str:
    text = data[:_HEAD].decode("utf-8", "replace")
    if "html" in content_type.lower():  # an error page: its words, not its markup
        text = re.sub(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", " ", text, flags=re.I | re.S)
    return shown(text) or "(empty)"


# -- the endpoint and its requests ---------------------------------------------------------

def _check_base(base: str) -> None:
    """Refuse a base URL that is not one, or that carries credentials, before any request."""
    show = shown(redact_url(str(base)), 120)
    if not isinstance(base, str) or not base or any(c.isspace() or not c.isprintable() for c in base):
        raise InvalidInput(f"the endpoint URL {show or repr(base)} is empty or holds spaces or control characters")
    if redact_url(base) != base:
        raise InvalidInput(f"the endpoint URL {show} holds credentials: dealgraph never takes them from a URL "
                           f"(command lines and messages show URLs); set {USER_ENV} and {PASSWORD_ENV} instead")
    try:
        parts = urlsplit(base)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"{show} is not an endpoint URL: give the engine's base URL, "
                           "e.g. http://127.0.0.1:7878 for Oxigraph server")
    if parts.query or parts.fragment:
        raise InvalidInput(f"the endpoint URL {show} has a query or a fragment: give the engine's base URL only")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are reported, not followed: urllib would turn a POSTed query into a GET and
    send our credentials on to whichever host the server names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


class _Credentials:
    """The password manager urllib's Digest code asks: ours, whatever the realm."""

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password

    def find_user_password(self, realm, uri):  # noqa: D102
        return self.user, self.password


#: The authentication schemes dealgraph answers, in the order it prefers them when a server
#: offers several: Digest never sends the password itself.
AUTH_SCHEMES = ("digest", "basic")


def _challenge(headers) -> tuple[str, dict[str, str]] | None:
    """The challenge of a 401 reply to answer (its scheme in lower case and its parameters):
    Digest before Basic, else the first scheme offered; None when there is none."""
    offered: dict[str, dict[str, str]] = {}
    for header in headers.get_all("WWW-Authenticate") or []:
        scheme, _, rest = str(header).strip().partition(" ")
        try:
            params = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(rest)))
        except ValueError:  # a parameter without a value: the challenge cannot be answered
            params = {}
        offered.setdefault(scheme.lower(), params)
    for scheme in (*AUTH_SCHEMES, *offered):
        if scheme in offered:
            return scheme, offered[scheme]
    return None


@dataclass(frozen=True)
class Endpoint:
    """Where a remote engine answers; credentials come from the environment, never from
    arguments, and never appear in messages.

    With credentials set, each address is first asked what it wants (a HEAD request, no body)
    and every request to it then carries the answer to its challenge, Basic or Digest. Asking
    first matters for Digest: a server refuses a request it must challenge as soon as it has
    read the headers, and a large body sent after them (a pushed graph) breaks the connection
    instead of reaching the 401. A challenge met later (a Digest nonce gone stale, an address
    that did not answer HEAD) is answered once, by sending the request again.
    """

    base: str
    # What each address (a URL without its query) asked for: its challenge, or None.
    _challenges: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # urllib's Digest arithmetic, which keeps the count of requests made with one nonce.
    _digest: urllib.request.AbstractDigestAuthHandler = field(
        default_factory=urllib.request.AbstractDigestAuthHandler, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_base(self.base)
        self.engine  # noqa: B018 - an unknown engine is refused before any request

    @property
    def engine(self) -> Engine:
        name = os.environ.get(ENGINE_ENV, "").strip().lower() or DEFAULT_ENGINE
        if name not in ENGINES:
            raise InvalidInput(f"{ENGINE_ENV}={shown(name, 40)} is no engine dealgraph knows: "
                               f"one of {', '.join(ENGINES)}")
        return ENGINES[name]

    def url(self, which: str) -> str:
        """The address of the engine's queries (``"query"``) or Graph Store (``"gsp"``)."""
        engine = self.engine
        path = (self.auth and getattr(engine, f"{which}_auth")) or getattr(engine, which)
        path = os.environ.get(PATH_ENV[which], path).strip("/")
        return self.base.rstrip("/") + (f"/{path}" if path else "")

    def graph_url(self, graph: str) -> str:
        """The Graph Store Protocol address of one named graph."""
        return f"{self.url('gsp')}?graph={quote(graph, safe='')}"

    @property
    def auth(self) -> tuple[str, str] | None:
        user = os.environ.get(USER_ENV)
        if not user:
            return None
        if any(c in user for c in ':"\\') or not user.isprintable():
            raise InvalidInput(f"{USER_ENV} holds a colon, a quote, a backslash or a control character, "
                               "which HTTP authentication cannot carry")
        return user, os.environ.get(PASSWORD_ENV, "")

    @contextmanager
    def exchange(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
                 accept: str | None = None, timeout: float | None = None,
                 refused: type[DealGraphError] = StoreError, limit: int | None = None) -> Iterator[_Reply]:
        """One HTTP request; yields the reply to read. Any failure is a one-line error naming
        the URL and saying what the server answered; a 400 reply raises ``refused``."""
        timeout = timeout or TIMEOUT
        deadline = time.monotonic() + timeout
        where = url.split("?")[0]
        if self.auth and where not in self._challenges:
            self._challenges[where] = self._ask_challenge(url)
        for attempt in (1, 2):
            req = urllib.request.Request(url, data=body, method=method)
            if content_type:
                req.add_header("Content-Type", content_type)
            if accept:
                req.add_header("Accept", accept)
            answer = self._answer(req, where)
            if answer:
                req.add_unredirected_header("Authorization", answer)
            try:
                response = _open(req, timeout)
            except urllib.error.HTTPError as exc:
                with exc:
                    challenge = _challenge(exc.headers) if exc.code == 401 and self.auth else None
                    # Send again only to answer a challenge not answered yet: a first one, or
                    # a new Digest nonce for a stale one (the password was right).
                    stale = challenge is not None and challenge[1].get("stale", "").lower() == "true"
                    if attempt == 1 and challenge and (answer is None or stale):
                        self._challenges[where] = challenge
                        continue
                    raise _http_error(method, url, exc, deadline, refused) from None
            break
        with response:
            yield _Reply(response, f"{method} {url}", deadline, timeout, limit or MAX_REPLY)

    def _ask_challenge(self, url: str) -> tuple[str, dict[str, str]] | None:
        """What the address asks of a request without a body: its challenge, or None."""
        try:
            _open(urllib.request.Request(url, method="HEAD"), PROBE_TIMEOUT).close()
        except urllib.error.HTTPError as exc:
            with exc:
                return _challenge(exc.headers) if exc.code == 401 else None
        return None

    def _answer(self, req: urllib.request.Request, where: str) -> str | None:
        """The Authorization header answering the address's challenge, if it made one."""
        challenge, auth = self._challenges.get(where), self.auth
        if challenge is None or auth is None:
            return None
        scheme, params = challenge
        if scheme == "basic":
            return "Basic " + base64.b64encode(":".join(auth).encode()).decode()
        if scheme != "digest":
            raise StoreError(f"{where} asks for {shown(scheme, 40)} authentication; dealgraph answers Basic "
                             "and Digest")
        self._digest.passwd = _Credentials(*auth)
        try:
            answer = self._digest.get_authorization(req, params)
        except (ValueError, urllib.error.URLError) as exc:  # an algorithm or a qop urllib lacks
            raise StoreError(f"{where} asks for Digest authentication that dealgraph cannot answer: "
                             f"{shown(str(exc), 120)}") from None
        if answer is None:
            raise StoreError(f"{where} asks for Digest authentication without a realm or a nonce")
        return f"Digest {answer}"


def _open(req: urllib.request.Request, timeout: float):
    """Send ``req``; an error status raises HTTPError, anything else a one-line StoreError."""
    where = req.full_url.split("?")[0]
    try:
        return urllib.request.build_opener(_NoRedirects).open(req, timeout=timeout)
    except urllib.error.HTTPError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError is an OSError
        reason = getattr(exc, "reason", None) or exc
        if isinstance(reason, TimeoutError):
            raise StoreError(f"no answer from the SPARQL endpoint {where} within {timeout:g} s") from None
        raise StoreError(f"cannot reach the SPARQL endpoint {where}: "
                         f"{shown(str(reason)) or type(reason).__name__}") from None


def _http_error(method: str, url: str, exc: urllib.error.HTTPError, deadline: float,
                refused: type[DealGraphError]) -> DealGraphError:
    """The server's own words for an error status, on one line."""
    status = f"HTTP {exc.code} {shown(str(exc.reason or ''), 60)}".rstrip()
    if 300 <= exc.code < 400:
        target = shown(redact_url(exc.headers.get("Location") or "elsewhere"), 120)
        return StoreError(f"{method} {url}: {status}: the server redirects to {target}, and dealgraph "
                          "does not follow redirects: give that address as the endpoint")
    detail = ""
    if exc.fp is not None:
        reply = _Reply(exc, f"{method} {url}", deadline, 0, _HEAD)
        try:
            while len(reply.head) < _HEAD and reply.read():
                pass
        except DealGraphError:
            pass  # the status says enough; what was read is still shown
        detail = _excerpt(reply.head, reply.content_type)
    if exc.code == 400 and refused is not StoreError:
        return refused(f"the SPARQL endpoint refused the query: {status}: {detail}")
    hint = ""
    challenge = _challenge(exc.headers) if exc.code == 401 else None
    if challenge and challenge[0] not in AUTH_SCHEMES:
        hint = f" (it asks for {shown(challenge[0], 40)} authentication; dealgraph answers Basic and Digest)"
    elif exc.code in (401, 403):
        hint = f" (check {USER_ENV} and {PASSWORD_ENV})"
    elif exc.code == 404:
        hint = (f" (is {url.split('?')[0]} the engine's address? set {ENGINE_ENV} to one of "
                f"{', '.join(ENGINES)}, or {PATH_ENV['query']} and {PATH_ENV['gsp']})")
    return StoreError(f"{method} {url} failed: {status}{hint}: {detail}")


class _Reply:
    """A response read in chunks, never more than ``limit`` bytes nor past its deadline; its
    first bytes are kept to show what the server sent."""

    def __init__(self, response, what: str, deadline: float, timeout: float, limit: int):
        self.response, self.what, self.deadline, self.timeout, self.limit = response, what, deadline, timeout, limit
        self.content_type = response.headers.get("Content-Type") or ""
        self.size = 0
        self.head = b""
        self.done = False

    def read(self, n: int = -1) -> bytes:
        """At most ``n`` bytes (pyoxigraph aborts the process when a read returns more), or a
        chunk; b"" at the end."""
        n = _CHUNK if n is None or n < 0 else min(n, _CHUNK)
        if n == 0:
            return b""
        try:
            data = self.response.read1(n)[:n]
        except TimeoutError:
            raise StoreError(f"{self.what}: the reply stalled after {self.size} bytes for {self.timeout:g} s; "
                             "stopped reading it") from None
        except (OSError, http.client.HTTPException) as exc:
            raise StoreError(f"{self.what}: the reply broke off after {self.size} bytes: "
                             f"{shown(str(exc)) or type(exc).__name__}") from None
        self.done = not data
        self.size += len(data)
        if len(self.head) < _HEAD:
            self.head += data[:_HEAD - len(self.head)]
        if self.size > self.limit:
            raise StoreError(f"{self.what}: the reply is larger than {self.limit / 2**20:g} MiB; stopped reading it")
        if time.monotonic() > self.deadline:
            raise StoreError(f"{self.what}: the reply took longer than {self.timeout:g} s; stopped reading it")
        return data

    def read_all(self, first: bytes = b"") -> bytes:
        """The whole reply, or only its start when its first byte (after white space) is not
        ``first``: junk is recognised without reading all of it."""
        chunks: list[bytes] = []
        while chunk := self.read():
            chunks.append(chunk)
            start = self.head.lstrip(b"\xef\xbb\xbf \t\r\n")
            if first and start and not start.startswith(first):
                break
        return b"".join(chunks)

    def wrong(self, what_was_expected: str, reason: str) -> StoreError:
        """The reply is not what was asked for: say so, and what it was, in one line."""
        kind = self.content_type.split(";")[0].strip() or "no content type"
        size = f"{self.size} bytes" if self.done else f"{self.size} bytes read"
        return StoreError(f"{self.what} answered no {what_was_expected}: {shown(reason, 200)}; "
                          f"it sent {shown(kind, 60)}, {size}: {_excerpt(self.head, self.content_type)}")


def _is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return not media or media.endswith(("/json", "+json"))


# -- reading -------------------------------------------------------------------------------

#: The header that says a result was cut at the engine's row limit (Virtuoso's ResultSetMaxRows).
_MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
#: Virtuoso 7 answers an ASK as the rows of one variable of this name: one row holding 1 for
#: true, none (or 0) for false.
_ASK_AS_ROWS = "__ASK_RETVAL"


def _ask_result(doc):
    """``doc`` in the standard form of an ASK result when it is Virtuoso's form of one; anything
    else as it is, for :meth:`QueryResult.from_json` to check."""
    try:
        if "boolean" in doc or doc["head"]["vars"] != [_ASK_AS_ROWS]:
            return doc
        values = [row[_ASK_AS_ROWS]["value"] for row in doc["results"]["bindings"]]
    except (KeyError, TypeError):
        return doc
    return {"boolean": values == ["1"]} if values in ([], ["0"], ["1"]) else doc


@dataclass
class RemoteStore:
    """An open remote engine: queries through the SPARQL 1.1 Protocol, exports through the
    Graph Store Protocol. It counts, lists and exports the named graphs under ``namespace``
    (dealgraph's), whatever else the engine holds."""

    endpoint: Endpoint
    location: str  # the query URL
    namespace: str = str(GRAPH)

    def _ours(self, pattern: str) -> str:
        """``pattern`` (over ``GRAPH ?g``) kept to our graphs."""
        return f"{pattern} FILTER(STRSTARTS(STR(?g), {sparql_literal(self.namespace)}))"

    def select(self, query: str, bindings: dict[str, str]) -> QueryResult:
        """Run a SELECT or ASK on the remote engine; ``bindings`` go in as inline data."""
        shape = query_shape(query)
        if shape.form not in ("SELECT", "ASK"):
            raise QueryError(ROWS_ONLY)
        return self._run(bind_values(query, bindings), shape)

    def _run(self, text: str, shape: QueryShape, timeout: float | None = None) -> QueryResult:
        body = urlencode({"query": text}).encode("utf-8")
        expected = f"SPARQL {shape.form} result"
        with self.endpoint.exchange("POST", self.location, body, "application/x-www-form-urlencoded",
                                    RESULTS_JSON, timeout, refused=QueryError) as reply:
            if not _is_json(reply.content_type):
                reply.read()  # enough to show
                raise reply.wrong(expected, "it is not JSON")
            data = reply.read_all(first=b"{")
        try:
            doc = json.loads(data.decode("utf-8-sig"))
            if shape.form == "ASK":
                doc = _ask_result(doc)
            result = QueryResult.from_json(doc, shape.form, shape.variables)
        except RecursionError:
            raise reply.wrong(expected, "its JSON is nested too deeply") from None
        except ValueError as exc:  # not UTF-8, not JSON, or not a result of this query
            raise reply.wrong(expected, str(exc)) from None
        # A result cut short is a wrong answer: Virtuoso stops at its ResultSetMaxRows and says so
        # only in this header.
        cut = (reply.response.headers.get(_MAX_ROWS_HEADER) or "").strip()
        if cut.isdigit() and len(result) >= int(cut):
            raise StoreError(f"{self.location} sent only the first {int(cut)} rows of the result "
                             f"({_MAX_ROWS_HEADER}): raise the engine's limit (Virtuoso: ResultSetMaxRows "
                             "in [SPARQL] of virtuoso.ini)")
        return result

    def quad_count(self) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._ours('GRAPH ?g { ?s ?p ?o }')} }}", {}).rows
        n = rows[0]["n"] if len(rows) == 1 else None
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise StoreError(f"{self.location} answered a count of quads that is not a count: {shown(repr(rows))}")
        return n

    def graphs(self) -> list[str]:
        names = []
        for row in self.select(f"SELECT DISTINCT ?g WHERE {{ {self._ours('GRAPH ?g { ?s ?p ?o }')} }}", {}).bindings:
            term = row.get("g")
            try:
                ox.NamedNode(term.value if term is not None and term.kind == "uri" else "")
            except ValueError:
                raise StoreError(f"{self.location} named a graph that is not an IRI: {shown(repr(term))}") from None
            names.append(term.value)
        return sorted(names)

    def dump(self, path: str | Path, rdf_format: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Fetch the graphs (Graph Store Protocol) and serialize them with Oxigraph."""
        local = ox.Store()
        for name in [graph] if graph else self.graphs():
            with self.endpoint.exchange("GET", self.endpoint.graph_url(name), accept="application/n-triples",
                                        limit=MAX_GRAPH) as reply:
                try:  # parsed as it arrives: junk stops the read at its first line
                    local.load(reply, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
                except SyntaxError as exc:
                    raise reply.wrong("N-Triples", str(exc)) from None
        Store(local, None).dump(path, rdf_format, graph, prefixes)

    def close(self) -> None:
        """Nothing to release: each request has its own connection."""


def open_remote(base: str, namespace: str = str(GRAPH)) -> RemoteStore:
    """Open a remote SPARQL 1.1 engine for reading; checks that it answers queries."""
    endpoint = Endpoint(base)
    store = RemoteStore(endpoint, endpoint.url("query"), namespace)
    store._run("ASK {}", query_shape("ASK {}"), timeout=PROBE_TIMEOUT)
    return store


def push_quads(quads: Iterable[tuple], base: str, *, namespace: str,
               progress=lambda graph, done, total: None) -> dict[str, int]:
    """Replace, graph by graph, the remote engine's copy of the dataset with ``quads``.

    Each named graph is sent whole with the Graph Store Protocol (PUT, then POST for further
    chunks of a large graph), so pushing twice leaves the same data and a push interrupted
    half-way can simply be rerun. Graphs under ``namespace`` that the dataset no longer has
    (a document dropped from the seeds) are deleted last. Returns triples per graph.
    """
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in ox_quads(quads):  # each term checked (and each IRI converted once) by pyoxigraph
        by_graph.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    remote = open_remote(base, namespace)
    endpoint = remote.endpoint  # one endpoint: what its addresses asked for is asked once
    # graphs() lists ours only; checked again here, since what is stale is deleted
    stale = [g for g in remote.graphs() if g.startswith(namespace) and g not in by_graph]
    for i, (graph, triples) in enumerate(by_graph.items()):
        for start in range(0, len(triples), PUSH_CHUNK):
            body = ox.serialize(triples[start:start + PUSH_CHUNK], format=ox.RdfFormat.N_TRIPLES)
            with endpoint.exchange("PUT" if start == 0 else "POST", endpoint.graph_url(graph), body,
                                   "application/n-triples"):
                pass  # a 2xx status is the answer; the body says nothing more
        progress(graph, i + 1, len(by_graph))
    for graph in stale:
        with endpoint.exchange("DELETE", endpoint.graph_url(graph)):
            pass
    return {g: len(t) for g, t in by_graph.items()}
