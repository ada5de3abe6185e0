"""dealgraph: a knowledge graph of AI-industry deals, and how much of their money goes round.

>>> from dealgraph import DealGraph
>>> graph = DealGraph.memory()
>>> [d["id"] for d in graph.deals(company="AI-Hyperscaler")][:2]
['blackstone-coreweave-loan', 'coreweave-capacity-option-2025']
"""

from .api import BuildReport, DealGraph, ValidationReport, saved_queries, validate
from .errors import DealGraphError, InvalidSeeds, NotFound, QueryError, StoreError

__version__ = "0.1.0"

__all__ = [
    "DealGraph",
    "BuildReport",
    "ValidationReport",
    "validate",
    "saved_queries",
    "DealGraphError",
    "InvalidSeeds",
    "NotFound",
    "QueryError",
    "StoreError",
    "__version__",
]
