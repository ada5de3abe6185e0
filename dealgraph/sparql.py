"""Saved SPARQL queries and query results in the W3C formats.

Saved queries are the ``*.rq`` files in ``dealgraph/queries/``; each begins with comment lines
``# title:``, ``# description:`` and ``# example:`` that ``dealgraph query --list`` shows.

Bindings follow one rule on every path: a name is a SPARQL ``VARNAME`` that the query selects,
and a value is a plain literal written by :func:`sparql_literal`, never pasted as text.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .errors import QueryError, require
from .text import u_escaped

__all__ = ["SavedQuery", "saved_queries", "resolve_query", "QueryResult", "Term", "python_value", "FORMATS",
           "VARNAME", "ROWS_ONLY", "QueryShape", "query_shape", "check_bindings", "bind_values",
           "sparql_literal", "columns_of"]

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


# -- query text ----------------------------------------------------------------------------

_PN_CHARS_U = ("A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
               "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
#: SPARQL 1.1 grammar rule VARNAME: the one rule for a variable name, whichever engine answers.
VARNAME = re.compile(f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*")

# Enough of the SPARQL lexer to see a query's structure: strings, IRIs and comments are whole
# tokens, so a brace or a `#` inside them is never taken for structure. `<` followed by a
# variable, a digit or `=` is the less-than operator, not an IRI (`?a<?b && ?c>?d`).
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><(?![?$=\d])[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<var>[?$](?:""" + VARNAME.pattern + r"""))
  | (?P<word>(?:[^\s{}()<"'\#?$\\]|\\.)+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
ROWS_ONLY = "only SELECT and ASK queries return rows; use export for graphs"


class QueryShape(NamedTuple):
    """What a client must know of a query to send it and to check the answer."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: tuple[str, ...] | None  # what a SELECT projects; None for SELECT * and other forms
    where: tuple[int, int] | None  # offsets of a SELECT's or ASK's outermost `{` and `}`
    subselect: bool  # that group is a sub-SELECT, so it takes no other pattern beside it
    values: bool  # the query ends with its own VALUES clause


def _depth(token: tuple[str | None, str, int], pair: str) -> int:
    """+1 for an opening bracket of ``pair`` ("()" or "{}"), -1 for a closing one."""
    if token[0] != "other" or token[1] not in pair:
        return 0
    return 1 if token[1] == pair[0] else -1


def query_shape(text: str) -> QueryShape:
    """The form, projection and WHERE group of a SPARQL query, read without running it.

    Raises QueryError when the query has no recognisable form or an unbalanced group; other
    syntax errors are left to the engine, whose messages are better.
    """
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)
              if m.lastgroup not in ("space", "comment")]
    n = len(tokens)

    def word(k: int) -> str | None:
        return tokens[k][1].upper() if k < n and tokens[k][0] == "word" else None

    def at(k: int) -> str:
        if k >= n:
            return "the end of the query"
        return f"{_shown(tokens[k][1])} (line {text.count(chr(10), 0, tokens[k][2]) + 1})"

    i = 0
    while word(i) in ("BASE", "PREFIX"):  # the prologue: BASE <iri> | PREFIX name: <iri>
        i += 3 if word(i) == "PREFIX" else 2
    form = word(i)
    if form not in FORMS:
        raise QueryError(f"not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the "
                         f"PREFIX and BASE lines, found {at(i)}")
    i += 1
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryShape(form, None, None, False, False)
    variables: list[str] | None = None
    if form == "SELECT":
        if word(i) in ("DISTINCT", "REDUCED"):
            i += 1
        if i < n and tokens[i][1] == "*":
            i += 1
        else:
            variables = []
            while i < n and (tokens[i][0] == "var" or tokens[i][1] == "("):
                if tokens[i][0] == "var":
                    variables.append(tokens[i][1][1:])
                    i += 1
                    continue
                depth, alias = 0, None  # ( expression AS ?name ): the name after AS at depth 1
                while i < n:
                    depth += _depth(tokens[i], "()")
                    if depth == 1 and word(i) == "AS" and i + 1 < n and tokens[i + 1][0] == "var":
                        alias = tokens[i + 1][1][1:]
                    i += 1
                    if depth == 0:
                        break
                if alias is None:
                    raise QueryError(f"a SELECT expression needs `AS ?name` before {at(i)}")
                variables.append(alias)
            if not variables:
                raise QueryError(f"SELECT names no variables: found {at(i)}")
    start = next((k for k in range(i, n) if tokens[k][:2] == ("other", "{")), None)
    if start is None:
        raise QueryError(f"the query has no WHERE {{ … }} group after {at(i - 1)}")
    depth, end = 0, None
    for k in range(start, n):
        depth += _depth(tokens[k], "{}")
        if depth == 0:
            end = k
            break
    if end is None:
        raise QueryError(f"the WHERE group opened at {at(start)} is never closed")
    depth, values = 0, False
    for k in range(end + 1, n):  # after the group: GROUP BY … LIMIT, and maybe VALUES
        values = values or (depth == 0 and word(k) == "VALUES")
        depth += _depth(tokens[k], "{}")
        if depth < 0:
            raise QueryError(f"unbalanced braces: {at(k)} closes nothing")
    return QueryShape(form, tuple(variables) if variables is not None else None,
                      (tokens[start][2], tokens[end][2]), word(start + 1) == "SELECT", values)


def _shown(text: str, limit: int = 40) -> str:
    """A name or token of the user's for a message: quoted, escaped, and short."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def check_bindings(query: str, bindings: Mapping[str, str]) -> QueryShape | None:
    """Refuse bindings that the embedded and the remote path would not both take: each name a
    SPARQL variable name that the query selects (any name, for SELECT * and ASK), each value
    text that UTF-8 can carry. Returns the query's shape when there are bindings."""
    for name, value in bindings.items():
        if not isinstance(name, str) or not VARNAME.fullmatch(name):
            raise QueryError(f"cannot bind {_shown(str(name))}: a variable name is letters, digits and _ "
                             "(e.g. company)")
        try:
            str(value).encode("utf-8")
        except UnicodeEncodeError:
            raise QueryError(f"cannot bind ?{name}: its value is not valid Unicode text") from None
    if not bindings:
        return None
    shape = query_shape(query)
    if shape.form not in ("SELECT", "ASK"):
        raise QueryError(ROWS_ONLY)
    if shape.variables is not None:
        for name in bindings:
            if name not in shape.variables:
                raise QueryError(f"cannot bind ?{name}: the query does not select it "
                                 f"(it selects {_varlist(shape.variables)})")
    return shape


_ECHAR = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
                        "\f": "\\f"})


def sparql_literal(value: str) -> str:
    """``value`` as a SPARQL string literal, every character that could end or bend the literal
    escaped, so the text stays a value whatever it holds."""
    return f'"{str(value).translate(_ECHAR)}"'


def bind_values(query: str, bindings: Mapping[str, str]) -> str:
    """``query`` with ``bindings`` as inline data (VALUES) at the start of its WHERE group.

    There the values constrain the whole pattern, filters included, as the embedded store's
    pre-bound variables do; a VALUES clause appended at the end is joined only after grouping
    (COUNT would count everything). Names are checked and values serialised
    (:func:`check_bindings`, :func:`sparql_literal`): nothing of them is pasted as syntax.
    """
    shape = check_bindings(query, bindings)
    if shape is None:
        return query
    if shape.values:
        raise QueryError("the query ends with its own VALUES clause: put the values there instead of binding them")
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(sparql_literal(v) for v in bindings.values())
    data = f" VALUES ({names}) {{ ({row}) }} "  # on the same line, so the engine's line numbers hold
    start, end = shape.where  # type: ignore[misc]
    if shape.subselect:  # `{ SELECT … }` admits nothing beside it: nest the sub-SELECT in a group
        return f"{query[:start + 1]}{data}{{{query[start + 1:end]}}}{query[end:]}"
    return f"{query[:start + 1]}{data}{query[start + 1:]}"


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
    def from_oxigraph(cls, t: Any) -> "Term | None":
        import pyoxigraph as ox

        if t is None:
            return None
        if isinstance(t, ox.Literal):
            language = t.language
            datatype = None if language else t.datatype.value
            return cls("literal", t.value, None if datatype == XSD + "string" else datatype, language)
        if isinstance(t, ox.Triple):
            raise QueryError("the result holds a triple term (RDF 1.2), which dealgraph does not read")
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
        # other control characters (ESC, C1, bidi overrides) as N-Triples \u escapes: a TSV
        # result printed to a terminal shows them, never obeys them
        text = u_escaped(text)
        if self.language:
            return f'"{text}"@{self.language}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'


#: The term types of the JSON results format; "typed-literal" is the 2008 draft's, which
#: Virtuoso still sends.
_JSON_KINDS = {"uri": "uri", "bnode": "bnode", "literal": "literal", "typed-literal": "literal"}


def _json_text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where} is {reprlib.repr(value)}, not text")
    try:  # JSON can spell lone surrogates (\ud800) that no output can encode
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{where} is not valid Unicode text") from None
    return value


def _json_term(t: Any, row: int, name: str) -> Term:
    """One RDF term of a JSON result; ValueError naming the row and variable if it is not one."""
    where = f"results.bindings[{row}].{name}"
    if not isinstance(t, dict):
        raise ValueError(f"{where} is not an RDF term object")
    kind = _JSON_KINDS.get(t.get("type")) if isinstance(t.get("type"), str) else None
    if kind is None:
        raise ValueError(f"{where} has type {reprlib.repr(t.get('type'))}, not uri, literal or bnode")
    value = _json_text(t.get("value"), f"{where}.value")
    if value is None:
        raise ValueError(f"{where} has no value")
    if kind != "literal":
        return Term(kind, value)
    language = _json_text(t.get("xml:lang"), f"{where}.xml:lang")
    if language:
        return Term("literal", value, None, language)
    datatype = _json_text(t.get("datatype"), f"{where}.datatype")
    return Term("literal", value, None if datatype in (None, XSD + "string") else datatype)


def _varlist(names: Sequence[str]) -> str:
    text = " ".join(f"?{n}" for n in names) or "no variables"
    return text if len(text) <= 120 else text[:120] + "…"


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


def columns_of(rows: Sequence[Mapping[str, Any]], names: Iterable[str]) -> list[list[Any]]:
    """Rows of plain values (:attr:`QueryResult.rows`) as columns: the values of each of
    ``names``, in row order. A reader that takes an answer by column reads SPARQL's so."""
    return [[row[name] for row in rows] for name in names]


class QueryResult:
    """Rows of a SELECT (or the answer of an ASK), as dicts and in the W3C result formats.

    Built from either engine's answer (pyoxigraph for the embedded store, the W3C JSON format
    for a remote one) into plain :class:`Term` tuples, so both print the same.
    """

    def __init__(self, columns: list[str], bindings: list[dict[str, Term]], boolean: bool | None = None):
        self.columns = columns
        self.bindings = bindings
        self.boolean = boolean
        self.kind = "ASK" if boolean is not None else "SELECT"

    @classmethod
    def from_json(cls, doc: Any, form: str, variables: Sequence[str] | None = None) -> "QueryResult":
        """A parsed SPARQL 1.1 Query Results JSON document, checked to be the answer asked for:
        a ``form`` ("SELECT" or "ASK") result and, when they are known, rows of ``variables``.

        Raises ValueError saying what is wrong: a remote engine's reply is input like any
        other, and a wrong one must not pass for an answer (an ASK result printed for a SELECT).
        """
        if not isinstance(doc, dict):
            raise ValueError(f"it is JSON but not an object ({type(doc).__name__})")
        if form == "ASK":
            if not isinstance(doc.get("boolean"), bool):
                raise ValueError("an ASK result needs a boolean true or false"
                                 + ("" if "boolean" not in doc else f", not {reprlib.repr(doc['boolean'])}"))
            return cls.ask(doc["boolean"])
        if "boolean" in doc:
            raise ValueError("it is an ASK result (a boolean), not the rows of a SELECT")
        head, results = doc.get("head"), doc.get("results")
        if not isinstance(head, dict) or not isinstance(head.get("vars"), list):
            raise ValueError("it has no head.vars list")
        columns = head["vars"]
        for v in columns:
            if not isinstance(v, str) or not VARNAME.fullmatch(v):
                raise ValueError(f"head.vars holds {reprlib.repr(v)}, not a variable name")
        if len(set(columns)) != len(columns):
            raise ValueError("head.vars names a variable twice")
        if variables is not None:
            if set(columns) != set(variables):
                raise ValueError(f"its variables are {_varlist(columns)}, not the {_varlist(variables)} asked for")
            columns = list(variables)  # the query's order, as the embedded store gives it
        if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
            raise ValueError("it has no results.bindings list")
        known = set(columns)
        bindings = []
        for i, row in enumerate(results["bindings"]):
            if not isinstance(row, dict):
                raise ValueError(f"results.bindings[{i}] is not an object")
            for name in row:
                if name not in known:
                    raise ValueError(f"results.bindings[{i}] binds {reprlib.repr(name)}, which head.vars lacks")
            bindings.append({name: _json_term(term, i, name) for name, term in row.items()})
        return cls(columns, bindings)

    @classmethod
    def from_oxigraph(cls, result: Any) -> "QueryResult":
        import pyoxigraph as ox

        if isinstance(result, ox.QueryBoolean):
            return cls.ask(bool(result))
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(ROWS_ONLY)
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
        """The rows as a pandas DataFrame (pandas comes with the notebooks extra)."""
        pd = require("pandas", "a DataFrame of the rows")
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
