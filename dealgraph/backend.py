"""What the API needs from a store, wherever the RDF lives, and the variables that choose one.

Two backends stand behind :class:`Backend`: the embedded Oxigraph store (:mod:`dealgraph.store`)
and a remote SPARQL 1.1 engine (:mod:`dealgraph.remote`). This module imports nothing heavy, so
the CLI can name the variables in its options without loading rdflib or pyoxigraph.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from .sparql import QueryResult

__all__ = ["Backend", "STORE_ENV", "ENDPOINT_ENV", "ENGINE_ENV"]

STORE_ENV = "DEALGRAPH_STORE"  # the embedded store's folder
ENDPOINT_ENV = "DEALGRAPH_ENDPOINT"  # a remote engine's base URL
ENGINE_ENV = "DEALGRAPH_ENGINE"  # which engine answers there: its paths (dealgraph.remote.ENGINES)


@runtime_checkable  # so the tests can hold each backend to it
class Backend(Protocol):
    """An open store: the API queries it with SPARQL, counts and exports it, and closes it."""

    @property
    def location(self) -> Path | str | None:
        """Where the RDF lives: a version folder, an endpoint URL, or None in memory."""

    def select(self, query: str, bindings: dict[str, str]) -> QueryResult:
        """Run a SELECT or ASK with the variables in ``bindings`` bound to plain literals."""

    def quad_count(self) -> int: ...

    def dump(self, path: str | Path, rdf_format: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Serialize the dataset, or one named graph, to ``path``."""

    def close(self) -> None: ...
