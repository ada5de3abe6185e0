"""Saved SPARQL queries and query results in the W3C formats.

Saved queries are the ``*.rq`` files in ``dealgraph/queries/``; each begins with comment lines
``# title:``, ``# description:`` and ``# example:`` that ``dealgraph query --list`` shows.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from .errors import QueryError

__all__ = ["SavedQuery", "saved_queries", "resolve_query", "QueryResult", "FORMATS"]

QUERY_DIR = Path(__file__).resolve().parent / "queries"
FORMATS = ("table", "json", "csv", "tsv")


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    example: str
    text: str


def _header(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return ""


def saved_queries() -> dict[str, SavedQuery]:
    """The saved queries by name (file name without ``.rq``)."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = SavedQuery(path.stem, _header(text, "title"), _header(text, "description"),
                                    _header(text, "example"), text)
    return out


def resolve_query(query: str) -> str:
    """A saved query's name, a path to a ``.rq`` file, or SPARQL text -> SPARQL text."""
    saved = saved_queries()
    if query in saved:
        return saved[query].text
    if query.endswith((".rq", ".sparql")) or ("\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    if not any(word in query.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        names = ", ".join(saved)
        raise QueryError(f"{query!r} is neither SPARQL nor a saved query (saved: {names})")
    return query


def python_value(term: Any) -> Any:
    """An RDF term as plain Python: numbers for numeric literals, text otherwise."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Literal):  # no Python type for it (xsd:gYearMonth, say)
            return str(term)
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, (int, float, bool, str)):
            return value
        return str(term)
    return str(term)


class QueryResult:
    """Rows of a SELECT (or the answer of an ASK), as dicts and in the W3C result formats."""

    def __init__(self, result: Result):
        self.result = result
        self.kind = result.type
        if self.kind == "SELECT":
            self.columns = [str(v) for v in result.vars]
            self.bindings = [{str(k): v for k, v in row.asdict().items()} for row in result]
        elif self.kind == "ASK":
            self.columns, self.bindings = ["ask"], [{"ask": Literal(bool(result.askAnswer))}]
        else:
            raise QueryError("only SELECT and ASK queries return rows; use export for graphs")

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [{c: python_value(b.get(c)) for c in self.columns} for b in self.bindings]

    def __len__(self) -> int:
        return len(self.bindings)

    def to_dataframe(self):
        """The rows as a pandas DataFrame (pandas is optional)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise QueryError("pandas is not installed: pip install pandas") from exc
        return pd.DataFrame(self.rows, columns=self.columns)

    def serialize(self, fmt: str) -> str:
        if fmt == "json":
            return self._json()
        if fmt == "csv":
            return self._csv()
        if fmt == "tsv":
            return self._tsv()
        raise QueryError(f"unknown result format {fmt!r} (one of {', '.join(FORMATS)})")

    def _json(self) -> str:
        """SPARQL 1.1 Query Results JSON Format."""
        if self.kind == "ASK":
            return json.dumps({"head": {}, "boolean": bool(self.result.askAnswer)}, indent=2)

        def term(t):
            if isinstance(t, URIRef):
                return {"type": "uri", "value": str(t)}
            if isinstance(t, BNode):
                return {"type": "bnode", "value": str(t)}
            out = {"type": "literal", "value": str(t)}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype:
                out["datatype"] = str(t.datatype)
            return out

        bindings = [{k: term(v) for k, v in b.items() if v is not None} for b in self.bindings]
        return json.dumps({"head": {"vars": self.columns}, "results": {"bindings": bindings}},
                          indent=2, ensure_ascii=False)

    def _csv(self) -> str:
        """SPARQL 1.1 CSV: plain values, CRLF line ends."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.columns)
        for b in self.bindings:
            w.writerow(["" if b.get(c) is None else str(b[c]) for c in self.columns])
        return buf.getvalue()

    def _tsv(self) -> str:
        """SPARQL 1.1 TSV: ?-prefixed header, terms in Turtle syntax."""

        def term(t):
            if t is None:
                return ""
            if not isinstance(t, Literal):
                return t.n3()
            # N-Triples string escapes: one line, no raw tab, whatever the text holds
            text = (str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
                    .replace("\n", "\\n").replace("\r", "\\r"))
            if t.language:
                return f'"{text}"@{t.language}'
            if t.datatype and str(t.datatype) != "http://www.w3.org/2001/XMLSchema#string":
                return f'"{text}"^^<{t.datatype}>'
            return f'"{text}"'

        lines = ["\t".join(f"?{c}" for c in self.columns)]
        lines += ["\t".join(term(b.get(c)) for c in self.columns) for b in self.bindings]
        return "\n".join(lines) + "\n"
