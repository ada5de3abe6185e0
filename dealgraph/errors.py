"""One error hierarchy, so the CLI can turn any of them into one clean line."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DealGraphError",
    "Problem",
    "InvalidSeeds",
    "StoreError",
    "QueryError",
    "NotFound",
    "InvalidInput",
    "SynthError",
    "AnalysisError",
    "MissingExtra",
    "require",
]


class DealGraphError(Exception):
    """Root of every error dealgraph raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the seeds, located as ``FILE:LINE: field.path: message``."""

    file: str
    line: int
    field: str
    message: str
    severity: str = "error"  # or "warning", or "review" (a note the curator left to check)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        tag = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{tag}{field} {self.message}"


class InvalidSeeds(DealGraphError):
    """The seeds hold one or more errors; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        first = str(errors[0]) if errors else "invalid seeds"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


class StoreError(DealGraphError):
    """The store cannot be opened, written or replaced."""


class QueryError(DealGraphError):
    """A SPARQL query is malformed or names an unknown saved query."""


class InvalidInput(DealGraphError, ValueError):
    """An argument of an API call is not one it takes (a date, a layer, a kind, a format); the
    CLI and the Python API reject the same values with the same message."""


class NotFound(InvalidInput):
    """A company, deal or document named by the user does not exist."""


class SynthError(InvalidInput):
    """The synthetic generator cannot make what was asked (too few companies, a folder that is
    not its own output)."""


class AnalysisError(DealGraphError):
    """An analysis cannot measure the graph it was given (its message says why)."""


class MissingExtra(DealGraphError):
    """A feature needs an optional package that is not installed; the message names the extra
    that installs it."""


#: The optional extras, by the package each brings (pyproject.toml's optional-dependencies).
EXTRAS = {"matplotlib": "plots", "pandas": "notebooks", "oxigraph": "server"}


def require(module: str, feature: str):
    """Import ``module`` for ``feature``, or raise :class:`MissingExtra` in one line naming the
    extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module.split(".")[0], module)
        raise MissingExtra(f"{feature} needs {module.split('.')[0]}: pip install 'dealgraph[{extra}]'") from None
