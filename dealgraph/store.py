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

__all__ = ["Store", "default_store_path", "write_store", "open_store", "memory_store", "to_ox_quad",
           "STORE_ENV"]

STORE_ENV = "DEALGRAPH_STORE"
COMPLETE = "COMPLETE"


def default_store_path() -> Path:
    """``$DEALGRAPH_STORE``, else ``$XDG_DATA_HOME/dealgraph/store`` (``~/.local/share/...``)."""
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "dealgraph" / "store"


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

    def close(self) -> None:
        self.dataset.close()


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


def open_store(root: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the current version of the store at ``root`` (default: :func:`default_store_path`)."""
    root = Path(root) if root is not None else default_store_path()
    version = _current(root)
    if version is None:
        raise StoreError(f"no store at {root}: run `dealgraph build` first (or pass --store)")
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
    try:
        db = ox.Store(str(version))
        db.bulk_extend(to_ox_quad(*q) for q in quads)
        db.flush()
        count = len(db)
        del db  # releases the database lock before the swap
        (version / COMPLETE).write_text(json.dumps({"quads": count}), encoding="utf-8")
        tmp_link = root / f".current-{os.getpid()}"
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(version.name, tmp_link)
        os.replace(tmp_link, root / "current")  # the atomic step
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    _prune(root, keep=version)
    return version


def _prune(root: Path, keep: Path) -> None:
    """Remove versions other than the current one and the newest complete one before it."""
    versions = sorted(p for p in root.glob("v-*") if p.is_dir() and p != keep)
    complete = [p for p in versions if (p / COMPLETE).is_file()]
    previous = complete[-1] if complete else None
    for p in versions:
        if p != previous:
            shutil.rmtree(p, ignore_errors=True)
