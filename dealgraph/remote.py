"""A remote SPARQL 1.1 engine (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune...).

Queries go through rdflib's SPARQLStore; bulk writes and exports through the Graph Store
Protocol, a whole named graph per request (rdflib would send one request per triple). The
engine is found from its base URL and, for engines other than Oxigraph server, the path
variables below.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Dataset, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from .errors import StoreError
from .sparql import QueryResult
from .store import Store, to_ox_quad

__all__ = ["Endpoint", "RemoteStore", "open_remote", "push_quads"]

#: Paths below the endpoint's base URL; the defaults are Oxigraph server's. Fuseki: a base of
#: http://host:3030/DATASET with DEALGRAPH_GSP_PATH=data.
PATH_ENV = {"query": ("DEALGRAPH_QUERY_PATH", "query"), "gsp": ("DEALGRAPH_GSP_PATH", "store")}
#: Triples per request when a graph is pushed: the first chunk replaces the graph (PUT), the
#: others are appended (POST), so a rerun after an interruption starts the graph afresh.
PUSH_CHUNK = 200_000


@dataclass(frozen=True)
class Endpoint:
    """Where a remote engine answers; credentials come from the environment, never from
    arguments, and never appear in messages."""

    base: str

    def url(self, which: str) -> str:
        env, default = PATH_ENV[which]
        return f"{self.base.rstrip('/')}/{os.environ.get(env, default).strip('/')}"

    @property
    def auth(self) -> tuple[str, str] | None:
        user = os.environ.get("DEALGRAPH_ENDPOINT_USER")
        return (user, os.environ.get("DEALGRAPH_ENDPOINT_PASSWORD", "")) if user else None

    def request(self, method: str, url: str, body: bytes | None = None,
                content_type: str | None = None, accept: str | None = None, timeout: float = 300) -> bytes:
        """One HTTP request; any failure becomes a one-line StoreError naming the URL."""
        req = urllib.request.Request(url, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        if accept:
            req.add_header("Accept", accept)
        if self.auth:
            token = base64.b64encode(":".join(self.auth).encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{method} {url} failed: HTTP {exc.code} {exc.reason}"
                             + (f": {detail[0][:200]}" if detail else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the SPARQL endpoint {url.split('?')[0]}: {reason}") from None

    def graph_url(self, graph: str) -> str:
        """The Graph Store Protocol address of one named graph."""
        return f"{self.url('gsp')}?graph={quote(graph, safe='')}"


@dataclass
class RemoteStore:
    """An open remote engine: queries through rdflib's SPARQLStore, exports through the Graph
    Store Protocol."""

    endpoint: Endpoint
    dataset: Dataset
    location: str  # the query URL

    def quad_count(self) -> int:
        rows = list(self.dataset.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0][0])

    def select(self, query: str, bindings: dict[str, str]) -> QueryResult:
        """Run SPARQL on the remote engine through rdflib's SPARQLStore."""
        init = {k: Literal(v) for k, v in bindings.items()}
        return QueryResult.from_rdflib(self.dataset.query(query, initBindings=init))

    def graphs(self) -> list[str]:
        return sorted(str(r[0]) for r in self.dataset.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def fetch_graph(self, graph: str) -> bytes:
        return self.endpoint.request("GET", self.endpoint.graph_url(graph), accept="application/n-triples")

    def dump(self, path: str | Path, rdf_format: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Fetch the graphs (Graph Store Protocol) and serialize them with Oxigraph."""
        local = ox.Store()
        for name in [graph] if graph else self.graphs():
            local.load(self.fetch_graph(name), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
        Store(local, None).dump(path, rdf_format, graph, prefixes)

    def close(self) -> None:
        self.dataset.close()


def open_remote(base: str) -> RemoteStore:
    """Open a remote SPARQL 1.1 engine for reading; checks that it answers."""
    endpoint = Endpoint(base)
    query_url = endpoint.url("query")
    endpoint.request("GET", f"{query_url}?query=ASK%7B%7D", accept="application/sparql-results+json", timeout=30)
    store = SPARQLStore(query_url, auth=endpoint.auth, returnFormat="json", method="POST_FORM")
    return RemoteStore(endpoint, Dataset(store=store, default_union=True), query_url)


def push_quads(quads: Iterable[tuple], base: str, *, namespace: str,
               progress=lambda graph, done, total: None) -> dict[str, int]:
    """Replace, graph by graph, the remote engine's copy of the dataset with ``quads``.

    Each named graph is sent whole with the Graph Store Protocol (PUT, then POST for further
    chunks of a large graph), so pushing twice leaves the same data and a push interrupted
    half-way can simply be rerun. Graphs under ``namespace`` that the dataset no longer has
    (a document dropped from the seeds) are deleted last. Returns triples per graph.
    """
    endpoint = Endpoint(base)
    by_graph: dict[str, list[ox.Triple]] = {}
    for s, p, o, g in quads:
        q = to_ox_quad(s, p, o, g)
        by_graph.setdefault(str(g), []).append(ox.Triple(q.subject, q.predicate, q.object))
    existing = open_remote(base)
    try:
        stale = [g for g in existing.graphs() if g.startswith(namespace) and g not in by_graph]
    finally:
        existing.close()
    for i, (graph, triples) in enumerate(by_graph.items()):
        for start in range(0, len(triples), PUSH_CHUNK):
            body = ox.serialize(triples[start:start + PUSH_CHUNK], format=ox.RdfFormat.N_TRIPLES)
            endpoint.request("PUT" if start == 0 else "POST", endpoint.graph_url(graph), body,
                             "application/n-triples")
        progress(graph, i + 1, len(by_graph))
    for graph in stale:
        endpoint.request("DELETE", endpoint.graph_url(graph))
    return {g: len(t) for g, t in by_graph.items()}
