"""Where the RDF lives on this machine: Oxigraph on disk (the default), or Oxigraph in memory.

Queries and exports go straight to pyoxigraph, whose query engine and serializers are an order
of magnitude faster than rdflib's. The build hands in pyoxigraph terms; rdflib terms are
still taken (and converted) from whoever writes with them. A remote engine is
:mod:`dealgraph.remote`; both offer what the API needs, :class:`dealgraph.backend.Backend`.

A store location is a folder holding complete versions and a ``current`` symlink::

    STORE/current -> v-1732288000000000000
    STORE/v-1732288000000000000/   (an Oxigraph database, with a COMPLETE marker)
    STORE/v-1732288000000000000/tables/   (what the build derived from it: dealgraph.tables)
    STORE/v-1732287000000000000/   (the previous version, named in the current one's marker)
    STORE/.build.lock              (held by the build that is running, if any)

What is promised:

- A rebuild writes a new version beside the old one and only then swaps the symlink with an
  atomic rename, so a build that fails or is killed at any moment leaves ``current`` pointing
  at a complete version: the previous one, or the new one once the swap is done.
- One build at a time: a second build of the same folder stops at once with "another build is
  running". The lock is the kernel's (``flock``), so it dies with its process, even killed.
- Whatever a killed build leaves (a half-written version, a complete one that never became
  current, a temporary link) is removed by the next build as it starts, successful or not.
  SIGTERM and SIGHUP during a build clean up as Ctrl-C does, then exit with status 128+signal.
- A build keeps the version it replaces as "previous" (recorded in the new version's marker,
  not guessed from names) and removes the others, except a version a reader still has open
  (:func:`open_store`, :func:`hold_version`): that one is removed by a build after it closes.
- What a build derives from its version (``derive``: the tables the records are read from) is
  written inside the version before it is marked complete, so it is as atomic as the database:
  a build killed while deriving leaves the previous version answering, with its own tables.
  Up to :data:`DERIVE_IN_MEMORY_QUADS` quads it is derived from an in-memory copy of the
  quads the build loads, filled from the same stream, and only if the copy holds exactly as
  many quads as the version; above that, or if the counts differ, the version on disk answers.
- Every term is checked and written by pyoxigraph, never pasted as text: an IRI that is not
  one (``>``, a space, a newline...) is refused with the reason, and cannot inject quads.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

import pyoxigraph as ox

from .backend import STORE_ENV
from .errors import StoreError

__all__ = ["Store", "default_store_path", "write_store", "open_store", "memory_store", "current_version",
           "hold_version", "to_ox_quad", "ox_quads"]

COMPLETE = "COMPLETE"
#: Up to this many quads a build derives from an in-memory copy of its quads (see _load).
#: Why: the record queries read a whole layer, and on-disk Oxigraph decodes every term from its
#: string table: at 640 000 quads (10 000 deals) the derivation took 10.6 s on disk and 5.2 s
#: from the copy, the whole build 27.9 s against 21.6 s (benchmarks/RESULTS.md). The copy
#: costs about 300-600 bytes a quad while the build runs (peak 929 MiB against 739 MiB at
#: 10 000 deals), so 2 million quads (about 31 000 deals) hold about 1 GiB more at most;
#: larger builds, which would hold gigabytes, derive from the version on disk as before.
DERIVE_IN_MEMORY_QUADS = 2_000_000
TABLES = "tables"  # the folder of a version's derived tables
LOCK = ".build.lock"


def default_store_path() -> Path:
    """``$DEALGRAPH_STORE``, else ``$XDG_DATA_HOME/dealgraph/store`` (``~/.local/share/...``)."""
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or "")
    if not data_home.is_absolute():  # the XDG spec: relative paths are invalid, ignore them
        data_home = Path.home() / ".local" / "share"
    return data_home / "dealgraph" / "store"


def to_ox_quad(s, p, o, g) -> ox.Quad:
    """An rdflib quad as a pyoxigraph quad; :class:`StoreError` if a term is not valid RDF."""
    return _quad_converter()(s, p, o, g)


def ox_quads(quads: Iterable[tuple | ox.Quad]) -> Iterator[ox.Quad]:
    """Quads as pyoxigraph quads, one at a time: pyoxigraph quads as they are (the build's,
    :func:`dealgraph.rdf.dataset_quads`), rdflib quads converted.

    pyoxigraph checks every term as it builds it (an IRI with ``>``, a space or a newline, a
    malformed language tag), so what it accepts, whoever made it, is valid RDF that its
    serializers write escaped; what it refuses raises :class:`StoreError` naming the term.
    Each distinct rdflib IRI is converted once: a dataset repeats a few thousand IRIs millions
    of times, and the check is most of the cost.
    """
    quad = None
    for q in quads:
        if isinstance(q, ox.Quad):
            yield q
            continue
        if quad is None:
            quad = _quad_converter()
        yield quad(*q)


def _quad_converter():
    """A function converting one rdflib quad, remembering the IRIs it made. rdflib is imported
    here, not with the module: only a build hands rdflib terms in, and a reader (``dealgraph
    deals`` on the embedded store) should not pay for importing it."""
    from rdflib import BNode, Literal, URIRef

    iris: dict[str, ox.NamedNode] = {}

    def iri(value: str) -> ox.NamedNode:
        node = iris.get(value)
        if node is None:
            try:
                node = iris[value] = ox.NamedNode(value)
            except ValueError as exc:
                raise StoreError(f"cannot store the IRI {_shown(value)}: {_shown(str(exc), quotes=False)}") from None
        return node

    def term(t):
        if isinstance(t, URIRef):
            return iri(str(t))
        if isinstance(t, Literal):
            if t.language:
                try:
                    return ox.Literal(str(t), language=t.language)
                except ValueError as exc:
                    raise StoreError(f"cannot store the language tag {_shown(t.language)} of {_shown(str(t))}: "
                                     f"{_shown(str(exc), quotes=False)}") from None
            if t.datatype:
                return ox.Literal(str(t), datatype=iri(str(t.datatype)))
            return ox.Literal(str(t))
        if isinstance(t, BNode):
            raise StoreError(f"blank node {_shown(t.n3())} in the dataset: every node needs an IRI")
        raise StoreError(f"cannot store {_shown(repr(t), quotes=False)}: not an rdflib IRI or literal")

    def quad(s, p, o, g) -> ox.Quad:
        try:
            return ox.Quad(term(s), term(p), term(o), term(g))
        except TypeError:  # a literal where RDF wants an IRI
            raise StoreError(f"cannot store the quad {_shown(' '.join(t.n3() for t in (s, p, o, g)))}: "
                             "its subject, predicate and graph must be IRIs") from None

    return quad


def _shown(text: str, limit: int = 120, quotes: bool = True) -> str:
    """``text`` on one line, of bounded length, for an error message: the data that failed may
    hold newlines (the very thing refused) or be a megabyte long."""
    short = text if len(text) <= limit else text[:limit] + "…"
    shown = repr(short)
    return shown if quotes else shown[1:-1]


@dataclass
class Store:
    """An open embedded store: the pyoxigraph database and where it lives."""

    ox: ox.Store
    location: Path | None  # the version folder, or None in memory
    # An open file holding a shared lock on the version's marker, so no build removes the
    # version while it is read (see hold_version).
    hold: IO[bytes] | None = field(default=None, repr=False)
    # The version's derived tables (a folder that may not exist: stores built before them) and
    # its quad count as its marker records it, which the tables' manifest must name.
    tables: Path | None = None
    quads: int | None = None

    def quad_count(self) -> int:
        return len(self.ox)

    def select(self, query: str, bindings: dict[str, str]):
        """Run SPARQL straight on Oxigraph (rdflib's term conversion costs 5x the query)."""
        from .sparql import QueryResult, check_bindings

        check_bindings(query, bindings)  # the rule the remote path follows too: one message for both
        substitutions = {ox.Variable(k): ox.Literal(v) for k, v in bindings.items()}
        return QueryResult.from_oxigraph(self.ox.query(query, substitutions=substitutions,
                                                       use_default_graph_as_union=True))

    def solutions(self, query: str) -> ox.QuerySolutions:
        """The answer of a SELECT without bindings as pyoxigraph gives it, for a reader that
        converts it itself (the build's tables: dealgraph.tables.oxigraph_table)."""
        return self.ox.query(query, use_default_graph_as_union=True)

    def dump(self, path: str | Path, rdf_format: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Serialize the dataset, or one named graph, with Oxigraph's serializers."""
        kw = {"prefixes": prefixes} if prefixes and rdf_format in _PREFIXED_FORMATS else {}
        if graph is not None:
            self.ox.dump(str(path), rdf_format, from_graph=ox.NamedNode(graph), **kw)
        else:
            self.ox.dump(str(path), rdf_format, **kw)

    def close(self) -> None:
        """Release the database (Oxigraph holds its lock until the last reference goes) and
        the version, which the next build may then remove if it is no longer current."""
        self.ox = None
        if self.hold is not None:
            self.hold.close()
            self.hold = None


_PREFIXED_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD)


def memory_store(quads: Iterable[tuple | ox.Quad] = ()) -> Store:
    """A fresh in-memory Oxigraph store holding ``quads`` (pyoxigraph or rdflib terms)."""
    db = ox.Store()
    db.extend(list(ox_quads(quads)))
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


def hold_version(root: str | Path, *, inheritable: bool = False) -> tuple[Path, IO[bytes]]:
    """The current version of the store at ``root`` and an open file that keeps any build from
    removing it until the file is closed (a shared ``flock`` on its marker).

    With ``inheritable``, the file descriptor survives ``exec``: a process that execs a server
    (``oxigraph serve-read-only``) keeps the version it serves for the server's whole life.
    """
    root = Path(root)
    for _ in range(10):  # each retry means a build removed the version between two steps
        version = current_version(root)
        try:
            hold = open(version / COMPLETE, "rb")  # noqa: SIM115 (the caller closes it)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(hold, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # a build is removing this version right now
            hold.close()
            continue
        if os.fstat(hold.fileno()).st_nlink == 0:  # removed before we locked it
            hold.close()
            continue
        os.set_inheritable(hold.fileno(), inheritable)
        return version, hold
    raise StoreError(f"the store at {root} keeps changing under this reader: try again")


def open_store(root: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the current version of the store at ``root`` (default: :func:`default_store_path`).

    The version stays on disk while the store is open, even if builds replace it."""
    root = Path(root) if root is not None else default_store_path()
    version, hold = hold_version(root)
    try:
        db = ox.Store.read_only(str(version)) if read_only else ox.Store(str(version))
    except OSError as exc:
        hold.close()
        raise StoreError(f"cannot open the store at {version}: {exc}") from exc
    quads = _marker(version).get("quads")
    return Store(db, version, hold, tables=version / TABLES, quads=quads if isinstance(quads, int) else None)


def _marker(version: Path) -> dict:
    """What a version's COMPLETE marker records (``quads``, ``previous``); {} if unreadable."""
    try:
        marker = json.loads((version / COMPLETE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return marker if isinstance(marker, dict) else {}


def write_store(quads: Iterable[tuple | ox.Quad], root: str | Path | None = None, *,
                derive: Callable[[Store], None] | None = None,
                derive_in_memory: int | None = None) -> Path:
    """Write ``quads`` (pyoxigraph or rdflib terms; an iterator is read once, as the store is
    written) as a new version of the store at ``root`` and make it current, atomically.

    ``derive``, when given, is called with the new version open (its :attr:`Store.tables` the
    folder to write) before the version is marked complete: what it writes is part of the
    version, and a failure in it fails the build. Its :meth:`Store.select` answers from an
    in-memory copy of the same quads when there are at most ``derive_in_memory`` of them
    (default :data:`DERIVE_IN_MEMORY_QUADS`; 0: never), else from the version on disk; the answers are the same multisets of rows, in an
    order of the engine's. Returns the new version's folder. Until the final rename, readers see the old version; if
    anything fails before it, the half-written version is removed and the old one stays. Raises
    :class:`StoreError` if another build of ``root`` is running, a term is not valid RDF, or
    the disk refuses.
    """
    root = Path(root) if root is not None else default_store_path()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store folder {root}: {exc}") from exc
    if (root / "current").exists() and not (root / "current").is_symlink():
        raise StoreError(f"{root} is not a dealgraph store (its 'current' is not a link)")
    try:
        with _build_lock(root), _signals_interrupt():
            bound = DERIVE_IN_MEMORY_QUADS if derive_in_memory is None else derive_in_memory
            return _write_version(quads, root, derive, bound)
    except OSError as exc:  # the disk: full, read-only, gone
        raise StoreError(f"cannot write the store at {root}: {exc}") from exc


def _write_version(quads: Iterable[tuple | ox.Quad], root: Path, derive: Callable[[Store], None] | None,
                   derive_in_memory: int = 0) -> Path:
    old = _current(root)
    keep = {old, *_previous(old)}
    _remove_debris(root, keep)  # of builds killed before this one
    version = root / f"v-{time.time_ns()}"
    tmp_link = root / f".current-{os.getpid()}"
    try:
        version.mkdir()  # never an existing folder: Oxigraph would add to whatever is there
        count = _load(version, quads, derive, derive_in_memory)
        marker = {"quads": count, "previous": old.name if old is not None else None}
        (version / COMPLETE).write_text(json.dumps(marker), encoding="utf-8")
        os.symlink(version.name, tmp_link)
        os.replace(tmp_link, root / "current")  # the atomic step
    except BaseException:
        tmp_link.unlink(missing_ok=True)
        if _current(root) != version:  # a signal may land after the swap: never remove current
            shutil.rmtree(version, ignore_errors=True)
        raise
    _remove_debris(root, {version, old})
    return version


def _load(version: Path, quads: Iterable[tuple | ox.Quad], derive: Callable[[Store], None] | None,
          derive_in_memory: int = 0) -> int:
    """Load ``quads`` into a new database at ``version``, then ``derive`` from it, or from an
    in-memory copy of the same quads when there are at most ``derive_in_memory`` of them;
    returns how many quads the version holds.

    Straight from checked pyoxigraph terms into Oxigraph's bulk loader, as they come (the
    build's quads are made as the loader asks for them, never all held as Python objects; the
    loader keeps its own batches): no text is written, so nothing can be pasted, and no
    staging file is left to clean. A signal is handled at once
    while the quads are read (about a quarter of the call), or when the call returns if it
    comes during Oxigraph's native loading (5 s for 643k quads).

    With a copy, the stream fills the copy first and the version is loaded from the copy:
    filling it beside the disk loader, as the quads pass, cost more than it saved (two
    loaders on the same cores: +6 s of writing at 10 000 deals against -4 s of deriving),
    while a copy read back costs 0.6x a load from the stream. A stream longer than the bound
    is loaded as it is: what the copy holds so far goes to disk and is freed, then the rest."""
    db = ox.Store(str(version))
    source = None
    try:
        stream = iter(ox_quads(quads))
        if derive is not None and derive_in_memory > 0:
            source, stream = _memory_copy(stream, derive_in_memory)
            if source is not None:
                db.bulk_extend(source.quads_for_pattern(None, None, None, None))
        db.bulk_extend(stream)
        db.flush()
        count = len(db)
        if derive is not None:
            # The copy answers for the version only if it holds exactly its quads (both count
            # a repeated quad once): one that differs must never derive what is read as the
            # version's. A stream over the bound left no copy.
            if source is not None and len(source) != count:
                source = None
            derive(Store(source if source is not None else db, version, tables=version / TABLES, quads=count))
        return count
    finally:
        del db, source  # closes the database (its lock, its files) before the swap or the clean-up


def _memory_copy(stream: Iterator[ox.Quad], limit: int, batch: int = 100_000
                 ) -> tuple[ox.Store | None, Iterator[ox.Quad]]:
    """An in-memory store of ``stream`` if it ends within ``limit`` quads, and what is left of
    the stream (nothing). Otherwise (None, the whole stream): what was copied comes back first,
    so the caller loads it, the copy freed as it goes, then the rest as it streams."""
    copy, taken = ox.Store(), 0
    while True:
        chunk = list(itertools.islice(stream, min(batch, limit + 1 - taken)))
        copy.bulk_extend(chunk)
        taken += len(chunk)
        if len(chunk) < batch and taken <= limit:  # the stream ended within the bound
            copy.flush()
            return copy, iter(())
        if taken > limit:
            break
    copy.flush()

    def copied_then_rest() -> Iterator[ox.Quad]:
        nonlocal copy
        held, copy = copy, None  # the only reference left: freed when its quads are read
        yield from held.quads_for_pattern(None, None, None, None)
        del held
        yield from stream

    return None, copied_then_rest()


def _previous(version: Path | None) -> set[Path]:
    """The versions to keep beside ``version``: the one its marker names as previous. A marker
    written before markers named it (a store built by an older dealgraph) gives every complete
    version, so nothing that may be the previous one is lost; the next build prunes them."""
    if version is None:
        return set()
    marker = _marker(version)
    if "previous" in marker:
        return {version.parent / marker["previous"]} if isinstance(marker["previous"], str) else set()
    return {v for v in version.parent.glob("v-*") if (v / COMPLETE).is_file()}


def _remove_debris(root: Path, keep: set[Path | None]) -> None:
    """Remove every version not in ``keep`` and nobody reads, the temporary links of killed
    builds, and the N-Quads files older builds staged."""
    for link in root.glob(".current-*"):
        link.unlink(missing_ok=True)
    for staged in root.glob(".v-*.nq"):
        staged.unlink(missing_ok=True)
    for version in root.glob("v-*"):
        if version not in keep and version.is_dir() and not version.is_symlink():
            _remove_version(version)


def _remove_version(version: Path) -> None:
    """Remove ``version`` unless a reader holds it (:func:`hold_version`); the marker goes
    first, under an exclusive lock, so no reader can take it half-removed."""
    try:
        marker = open(version / COMPLETE, "rb")  # noqa: SIM115
    except FileNotFoundError:  # unfinished: no reader ever opened it
        shutil.rmtree(version, ignore_errors=True)
        return
    with marker:
        try:
            fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # read right now: a later build removes it
        (version / COMPLETE).unlink()
        shutil.rmtree(version, ignore_errors=True)


@contextmanager
def _build_lock(root: Path):
    """Hold the store's build lock, or raise: two builds writing one store at once would both
    ask Oxigraph for versions and links the other is removing."""
    with open(root / LOCK, "ab") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another build is running on the store at {root}: "
                             "wait for it to finish, then build again") from None
        yield  # the lock goes with the file, or with the process if it is killed


class _Terminated(SystemExit):
    """SIGTERM or SIGHUP during a build: unwind like Ctrl-C, so the build cleans up, then exit
    with the status a shell reports for that signal."""


@contextmanager
def _signals_interrupt():
    """Turn SIGTERM and SIGHUP into an exception while the block runs. Their default action
    kills the process where it stands; Python's handlers run only in the main thread, and a
    signal someone chose to ignore (``nohup``) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise _Terminated(128 + signum)

    saved = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is signal.SIG_DFL:
            saved[sig] = signal.signal(sig, terminate)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
