"""dealgraph: a knowledge graph of AI-industry deals, and how much of their money goes round.

>>> from dealgraph import DealGraph
>>> graph = DealGraph.memory()
>>> [d["id"] for d in graph.deals(company="AI-Hyperscaler")][:2]
['blackstone-coreweave-loan', 'coreweave-capacity-option-2025']

The names below are imported on first use (PEP 562), so ``dealgraph --help`` does not pay for
rdflib, pyoxigraph and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "DealGraph": "api",
    "BuildReport": "api",
    "ValidationReport": "api",
    "validate": "api",
    "saved_queries": "api",
    "DealGraphError": "errors",
    "InvalidSeeds": "errors",
    "NotFound": "errors",
    "QueryError": "errors",
    "StoreError": "errors",
}

__all__ = [*_EXPORTS, "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .api import BuildReport, DealGraph, ValidationReport, saved_queries, validate
    from .errors import DealGraphError, InvalidSeeds, NotFound, QueryError, StoreError


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dealgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
