"""Saved SPARQL queries and query results in the W3C formats.

Saved queries are the ``*.rq`` files in ``dealgraph/queries/``; each begins with comment lines
``# title:``, ``# description:`` and ``# example:`` that ``dealgraph query --list`` shows.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, NamedTuple

from rdflib import BNode, Literal
from rdflib.query import Result

from .errors import QueryError

__all__ = ["SavedQuery", "saved_queries", "resolve_query", "QueryResult", "Term", "python_value", "FORMATS"]

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


@functools.lru_cache(maxsize=1)
def saved_queries() -> dict[str, SavedQuery]:
    """The saved queries by name (file name without ``.rq``), read once per process."""
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


XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


class Term(NamedTuple):
    """One RDF term of a result, whichever engine answered: kind is "uri", "bnode" or "literal"."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    @classmethod
    def from_rdflib(cls, t: Any) -> "Term | None":
        if t is None:
            return None
        if isinstance(t, Literal):
            return cls("literal", str(t), str(t.datatype) if t.datatype else None, t.language or None)
        return cls("bnode" if isinstance(t, BNode) else "uri", str(t))

    @classmethod
    def from_oxigraph(cls, t: Any) -> "Term | None":
        import pyoxigraph as ox

        if t is None:
            return None
        if isinstance(t, ox.Literal):
            language = t.language
            datatype = None if language else t.datatype.value
            return cls("literal", t.value, None if datatype == XSD + "string" else datatype, language)
        return cls("bnode" if isinstance(t, ox.BlankNode) else "uri", t.value)

    @classmethod
    def oxigraph_converter(cls) -> Callable[[Any], "Term | None"]:
        """:meth:`from_oxigraph` remembering what it made: results repeat their terms (the
        same predicates, companies and deals on many rows), and converting is most of the
        cost of reading a large result."""
        made: dict[Any, Term] = {}

        def convert(t: Any) -> "Term | None":
            term = made.get(t)
            if term is None:
                term = made[t] = cls.from_oxigraph(t)
            return term

        return convert

    def n3(self) -> str:
        """N-Triples syntax, escaped so the term stays on one line."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
                .replace("\n", "\\n").replace("\r", "\\r"))
        if self.language:
            return f'"{text}"@{self.language}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'


def python_value(term: Term | None) -> Any:
    """An RDF term as plain Python: numbers for numeric literals, text otherwise."""
    if term is None:
        return None
    if term.kind != "literal":
        return term.value
    dt = term.datatype
    try:
        if dt in _INTEGERS:
            return int(term.value)
        if dt == XSD + "decimal":
            value = Decimal(term.value)
            return int(value) if value == value.to_integral_value() else float(value)
        if dt in (XSD + "double", XSD + "float"):
            return float(term.value)
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
    except (ValueError, ArithmeticError):
        pass  # an ill-typed literal stays text
    return term.value


class QueryResult:
    """Rows of a SELECT (or the answer of an ASK), as dicts and in the W3C result formats.

    Built from either engine's answer (pyoxigraph for the embedded store, rdflib's SPARQLStore
    for a remote one) into plain :class:`Term` tuples, so both print the same.
    """

    def __init__(self, columns: list[str], bindings: list[dict[str, Term]], boolean: bool | None = None):
        self.columns = columns
        self.bindings = bindings
        self.boolean = boolean
        self.kind = "ASK" if boolean is not None else "SELECT"

    @classmethod
    def from_rdflib(cls, result: Result) -> "QueryResult":
        if result.type == "ASK":
            return cls.ask(bool(result.askAnswer))
        if result.type != "SELECT":
            raise QueryError("only SELECT and ASK queries return rows; use export for graphs")
        columns = [str(v) for v in result.vars]
        bindings = [{str(k): Term.from_rdflib(v) for k, v in row.asdict().items()} for row in result]
        return cls(columns, bindings)

    @classmethod
    def from_oxigraph(cls, result: Any) -> "QueryResult":
        import pyoxigraph as ox

        if isinstance(result, ox.QueryBoolean):
            return cls.ask(bool(result))
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT and ASK queries return rows; use export for graphs")
        columns = [v.value for v in result.variables]
        convert = Term.oxigraph_converter()
        bindings = [{c: convert(v) for c, v in zip(columns, solution) if v is not None} for solution in result]
        return cls(columns, bindings)

    @classmethod
    def ask(cls, answer: bool) -> "QueryResult":
        return cls(["ask"], [{"ask": Term("literal", "true" if answer else "false", XSD + "boolean")}], answer)

    @property
    def rows(self) -> list[dict[str, Any]]:
        made: dict[Term | None, Any] = {None: None}  # each distinct term converted once

        def value(t: Term | None) -> Any:
            try:
                return made[t]
            except KeyError:
                v = made[t] = python_value(t)
                return v

        return [{c: value(b.get(c)) for c in self.columns} for b in self.bindings]

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
            return json.dumps({"head": {}, "boolean": self.boolean}, indent=2)

        def term(t: Term) -> dict[str, str]:
            out = {"type": t.kind, "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype and t.datatype != XSD + "string":
                out["datatype"] = t.datatype
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
            w.writerow(["" if b.get(c) is None else b[c].value for c in self.columns])
        return buf.getvalue()

    def _tsv(self) -> str:
        """SPARQL 1.1 TSV: ?-prefixed header, terms in N-Triples syntax."""
        lines = ["\t".join(f"?{c}" for c in self.columns)]
        lines += ["\t".join("" if b.get(c) is None else b[c].n3() for c in self.columns) for b in self.bindings]
        return "\n".join(lines) + "\n"
