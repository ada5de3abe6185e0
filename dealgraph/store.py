"""Where the RDF lives on this machine: Oxigraph on disk (the default), or Oxigraph in memory.

Queries and exports go straight to pyoxigraph, whose query engine and serializers are an order
of magnitude faster than rdflib's; rdflib terms only come in, from the build. A remote engine is
:mod:`dealgraph.remote`; both offer what the API needs, :class:`dealgraph.backend.Backend`.

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
from rdflib import BNode, Literal, URIRef

from .backend import STORE_ENV
from .errors import StoreError

__all__ = ["Store", "default_store_path", "write_store", "open_store", "memory_store", "current_version",
           "to_ox_quad"]

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
    raise _unstorable(t)


def _unstorable(t) -> StoreError:
    if isinstance(t, BNode):
        return StoreError(f"blank node {t.n3()} in the dataset: every node needs an IRI")
    return StoreError(f"cannot store {t!r}")


@dataclass
class Store:
    """An open embedded store: the pyoxigraph database and where it lives."""

    ox: ox.Store
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
        self.ox = None


_PREFIXED_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD)


def memory_store(quads: Iterable[tuple] = ()) -> Store:
    """A fresh in-memory Oxigraph store holding ``quads`` (rdflib terms)."""
    db = ox.Store()
    db.extend([to_ox_quad(*q) for q in quads])
    return Store(db, None)


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
    return Store(db, version)


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
    raise _unstorable(t)


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
