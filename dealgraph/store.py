"""Where the RDF lives: Oxigraph on disk (the default), or Oxigraph in memory.

The rdflib API is the project's interface to RDF (``Store.dataset`` is an rdflib ``Dataset``
over oxrdflib); bulk work goes straight to pyoxigraph, whose loader and serializers are an
order of magnitude faster than rdflib's.

A store location is a folder holding complete versions and a ``current`` symlink::

    STORE/current -> v-1732288000000000000
    STORE/v-1732288000000000000/   (an Oxigraph database, with a COMPLETE marker)

A rebuild writes a new version beside the old one and only then swaps the symlink with an
atomic rename, so a build that fails or is killed half-way leaves ``current`` pointing at the
previous, intact version. The version before the current one is kept as well; older ones and
unfinished ones are removed by the next successful build.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from .errors import StoreError

__all__ = ["Store", "RemoteStore", "Endpoint", "default_store_path", "write_store", "open_store",
           "memory_store", "open_remote", "current_version", "push_quads", "to_ox_quad", "STORE_ENV", "ENDPOINT_ENV"]

STORE_ENV = "DEALGRAPH_STORE"
COMPLETE = "COMPLETE"


def default_store_path() -> Path:
    """``$DEALGRAPH_STORE``, else ``$XDG_DATA_HOME/dealgraph/store`` (``~/.local/share/...``)."""
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or "")
    if not data_home.is_absolute():  # the XDG spec: relative paths are invalid, ignore them
        data_home = Path.home() / ".local" / "share"
    return data_home / "dealgraph" / "store"


def to_ox_quad(s, p, o, g) -> ox.Quad:
    """An rdflib quad as a pyoxigraph quad (the dataset never holds blank nodes)."""
    return ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), _ox_term(g))


def _ox_term(t):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    if isinstance(t, BNode):
        raise StoreError(f"blank node {t.n3()} in the dataset: every node needs an IRI")
    raise StoreError(f"cannot store {t!r}")


@dataclass
class Store:
    """An open store: the pyoxigraph database and an rdflib Dataset over it."""

    ox: ox.Store
    dataset: Dataset
    location: Path | None  # the version folder, or None in memory

    def quad_count(self) -> int:
        return len(self.ox)

    def select(self, query: str, bindings: dict[str, str]):
        """Run SPARQL straight on Oxigraph (rdflib's term conversion costs 5x the query)."""
        from .sparql import QueryResult

        substitutions = {ox.Variable(k): ox.Literal(v) for k, v in bindings.items()}
        return QueryResult.from_oxigraph(self.ox.query(query, substitutions=substitutions,
                                                       use_default_graph_as_union=True))

    def dump(self, path: str | Path, rdf_format: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Serialize the dataset, or one named graph, with Oxigraph's serializers."""
        kw = {"prefixes": prefixes} if prefixes and rdf_format in _PREFIXED_FORMATS else {}
        if graph is not None:
            self.ox.dump(str(path), rdf_format, from_graph=ox.NamedNode(graph), **kw)
        else:
            self.ox.dump(str(path), rdf_format, **kw)

    def close(self) -> None:
        """Release the database: Oxigraph holds its lock until the last reference goes."""
        self.dataset.close()
        self.dataset = None
        self.ox = None


_PREFIXED_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD)


def _dataset_over(store: ox.Store) -> Dataset:
    from oxrdflib import OxigraphStore  # registers the "ox-*" parsers and serializers too

    ds = Dataset(store=OxigraphStore(store=store), default_union=True)
    return ds


def memory_store(quads: Iterable[tuple] = ()) -> Store:
    """A fresh in-memory Oxigraph store holding ``quads`` (rdflib terms)."""
    db = ox.Store()
    db.extend([to_ox_quad(*q) for q in quads])
    return Store(db, _dataset_over(db), None)


def _current(root: Path) -> Path | None:
    link = root / "current"
    if not link.is_symlink() and not link.exists():
        return None
    target = (root / os.readlink(link)) if link.is_symlink() else link
    return target if (target / COMPLETE).is_file() else None


def current_version(root: str | Path) -> Path:
    """The folder of the current, complete version of the store at ``root``."""
    version = _current(Path(root))
    if version is None:
        raise StoreError(f"no store at {root}: run `dealgraph build` first (or pass --store)")
    return version


def open_store(root: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the current version of the store at ``root`` (default: :func:`default_store_path`)."""
    root = Path(root) if root is not None else default_store_path()
    version = current_version(root)
    try:
        db = ox.Store.read_only(str(version)) if read_only else ox.Store(str(version))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {version}: {exc}") from exc
    return Store(db, _dataset_over(db), version)


def write_store(quads: Iterable[tuple], root: str | Path | None = None) -> Path:
    """Write ``quads`` as a new version of the store at ``root`` and make it current, atomically.

    Returns the new version's folder. Until the final rename, readers see the old version; if
    anything fails before it, the half-written version is removed and the old one stays.
    """
    root = Path(root) if root is not None else default_store_path()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store folder {root}: {exc}") from exc
    if (root / "current").exists() and not (root / "current").is_symlink():
        raise StoreError(f"{root} is not a dealgraph store (its 'current' is not a link)")
    version = root / f"v-{time.time_ns()}"
    staged = root / f".{version.name}.nq"
    try:
        # Oxigraph's own N-Quads parser and bulk loader are the fast path into the database;
        # writing N-Quads text from rdflib terms costs less than building pyoxigraph terms.
        with staged.open("w", encoding="utf-8") as out:
            for s, p, o, g in quads:
                out.write(f"{_nq(s)} {_nq(p)} {_nq(o)} {_nq(g)} .\n")
        db = ox.Store(str(version))
        db.bulk_load(path=str(staged), format=ox.RdfFormat.N_QUADS)
        db.flush()
        count = len(db)
        del db  # releases the database lock before the swap
        staged.unlink()
        (version / COMPLETE).write_text(json.dumps({"quads": count}), encoding="utf-8")
        tmp_link = root / f".current-{os.getpid()}"
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(version.name, tmp_link)
        os.replace(tmp_link, root / "current")  # the atomic step
    except BaseException as exc:
        shutil.rmtree(version, ignore_errors=True)
        staged.unlink(missing_ok=True)
        if isinstance(exc, (OSError, SyntaxError)):  # the disk, or a term Oxigraph refuses
            raise StoreError(f"cannot write the store at {root}: {exc}") from exc
        raise
    _prune(root, keep=version)
    return version


_NQ_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nq(t) -> str:
    """One term in N-Quads syntax."""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        text = str(t).translate(_NQ_ESCAPES)
        if t.language:
            return f'"{text}"@{t.language}'
        if t.datatype:
            return f'"{text}"^^<{t.datatype}>'
        return f'"{text}"'
    if isinstance(t, BNode):
        raise StoreError(f"blank node {t.n3()} in the dataset: every node needs an IRI")
    raise StoreError(f"cannot store {t!r}")


def _prune(root: Path, keep: Path) -> None:
    """Remove versions other than the current one and the newest complete one before it, and
    N-Quads staged by builds that were killed."""
    for stale in root.glob(".v-*.nq"):
        if stale.name != f".{keep.name}.nq":
            stale.unlink(missing_ok=True)
    versions = sorted(p for p in root.glob("v-*") if p.is_dir() and p != keep)
    complete = [p for p in versions if (p / COMPLETE).is_file()]
    previous = complete[-1] if complete else None
    for p in versions:
        if p != previous:
            shutil.rmtree(p, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# A remote SPARQL 1.1 engine (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune...)

ENDPOINT_ENV = "DEALGRAPH_ENDPOINT"
#: Paths below the endpoint's base URL; the defaults are Oxigraph server's. Fuseki: a base of
#: http://host:3030/DATASET with DEALGRAPH_GSP_PATH=data.
PATH_ENV = {"query": ("DEALGRAPH_QUERY_PATH", "query"), "update": ("DEALGRAPH_UPDATE_PATH", "update"),
            "gsp": ("DEALGRAPH_GSP_PATH", "store")}
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
        import base64
        import urllib.error
        import urllib.request

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


@dataclass
class RemoteStore:
    """A remote engine behind the rdflib API: queries through rdflib's SPARQLStore, bulk
    writes and dumps through the Graph Store Protocol."""

    endpoint: Endpoint
    dataset: Dataset
    location: str

    def quad_count(self) -> int:
        rows = list(self.dataset.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0][0])

    def select(self, query: str, bindings: dict[str, str]):
        """Run SPARQL on the remote engine through rdflib's SPARQLStore."""
        from rdflib import Literal as RDFLiteral

        from .sparql import QueryResult

        init = {k: RDFLiteral(v) for k, v in bindings.items()}
        return QueryResult.from_rdflib(self.dataset.query(query, initBindings=init))

    def graphs(self) -> list[str]:
        return sorted(str(r[0]) for r in self.dataset.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def fetch_graph(self, graph: str) -> bytes:
        from urllib.parse import quote

        return self.endpoint.request("GET", f"{self.endpoint.url('gsp')}?graph={quote(graph, safe='')}",
                                     accept="application/n-triples")

    def dump(self, path: str | Path, rdf_format: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Fetch the graphs (Graph Store Protocol) and serialize them with Oxigraph."""
        local = ox.Store()
        for name in [graph] if graph else self.graphs():
            local.load(self.fetch_graph(name), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
        Store(local, _dataset_over(local), None).dump(path, rdf_format, graph, prefixes)

    def close(self) -> None:
        self.dataset.close()


def open_remote(base: str) -> RemoteStore:
    """Open a remote SPARQL 1.1 engine for reading; checks that it answers."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

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
    from urllib.parse import quote

    endpoint = Endpoint(base)
    gsp = endpoint.url("gsp")
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
        url = f"{gsp}?graph={quote(graph, safe='')}"
        for start in range(0, len(triples), PUSH_CHUNK):
            body = ox.serialize(triples[start:start + PUSH_CHUNK], format=ox.RdfFormat.N_TRIPLES)
            endpoint.request("PUT" if start == 0 else "POST", url, body, "application/n-triples")
        progress(graph, i + 1, len(by_graph))
    for graph in stale:
        endpoint.request("DELETE", f"{gsp}?graph={quote(graph, safe='')}")
    return {g: len(t) for g, t in by_graph.items()}
