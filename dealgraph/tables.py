"""Derived tables of a store version: the answers of the queries the deal records are read with,
written once by the build as Arrow IPC files (Feather v2), read instead of asking the store.

Why: an on-disk Oxigraph store decodes every term of an answer from its string table, about
70 000 quads a second here, so reading the money flows of 100 000 deals took 45 s whatever the
query's shape (benchmarks/RESULTS.md). A version never changes once it is complete, so the
answers can be computed once, as the build's last step, and kept beside the database.

What a table holds is the SPARQL answer itself, term for term: for each variable ``v`` of the
query a column ``v`` (the term's text) and a column ``v:term`` (``uri``, ``bnode``, ``literal``,
``@en`` for a language, ``^^<datatype IRI>``), both dictionary-encoded (an answer repeats a
few thousand IRIs millions of times). Read back, a table gives the rows
:attr:`dealgraph.sparql.QueryResult.rows` gives for the same answer, so the records assembled
from either are the same by construction. Any reader of Arrow reads them
(``pyarrow.ipc.open_file``, ``polars.read_ipc``, ``pandas.read_feather``)::

    STORE/v-.../tables/manifest.json       schema, version, quad count, one entry per table
    STORE/v-.../tables/deal_properties.arrow

Never read wrong: a table answers a query only if the manifest is of this module's
:data:`SCHEMA`, names the version folder it sits in and that version's quad count, holds
that query's exact text (its SHA-256: a dealgraph whose queries changed reads with SPARQL
again), and the file has the SHA-256 and row count the manifest gives. Otherwise the query goes
to the store, and a debug line on the ``dealgraph.tables`` logger says why.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc

from .sparql import QueryResult, Term, columns_of, python_value

__all__ = ["SCHEMA", "MANIFEST", "Tables", "TableSelect", "oxigraph_table", "write_tables", "open_tables",
           "table_select"]

#: The layout of the tables and their manifest; written into each manifest, and a manifest of
#: any other layout is not read (its version's queries are answered with SPARQL).
SCHEMA = 1
MANIFEST = "manifest.json"

log = logging.getLogger(__name__)

#: ``select(query, bindings) -> rows``, as dealgraph.flows reads with.
Select = Callable[..., list[dict[str, Any]]]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tag(t: Term | None) -> str | None:
    if t is None:
        return None
    if t.kind != "literal":
        return t.kind
    if t.language:
        return "@" + t.language
    return "^^" + t.datatype if t.datatype else "literal"


def _term(value: str, tag: str) -> Term:
    if tag.startswith("@"):
        return Term("literal", value, None, tag[1:])
    if tag.startswith("^^"):
        return Term("literal", value, tag[2:])
    return Term(tag, value)


def _table(result: QueryResult) -> pa.Table:
    """A SELECT answer as an Arrow table: per variable, the term's text and its kind."""
    columns, fields = [], []
    for name in result.columns:
        terms = [b.get(name) for b in result.bindings]
        for suffix, values in (("", [None if t is None else t.value for t in terms]),
                               (":term", [_tag(t) for t in terms])):
            column = pa.array(values, pa.string()).dictionary_encode()
            columns.append(column)
            fields.append(pa.field(name + suffix, column.type))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def oxigraph_table(solutions: Any) -> pa.Table:
    """A pyoxigraph SELECT answer (``QuerySolutions``) as the table :func:`_table` makes of the
    same rows through :class:`QueryResult`, without making a Python object per cell: each
    distinct term is converted once (by :meth:`Term.from_oxigraph`, the rule the SPARQL path
    reads with), each cell is an index, and Arrow gathers the columns. Converting every cell
    cost 3/4 of deriving the record tables from memory (4.6 s of 6.4 s at 10 000 deals)."""
    import pyoxigraph as ox

    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("only the rows of a SELECT make a table")
    names = [v.value for v in solutions.variables]
    cells: list[list[int]] = [[] for _ in names]
    index: dict[Any, int] = {None: 0}
    for solution in solutions:
        for column, t in zip(cells, solution):
            i = index.get(t)
            if i is None:
                i = index[t] = len(index)
            column.append(i)
    terms = [Term.from_oxigraph(t) for t in index]  # in index order: None first
    texts = pa.array([None if t is None else t.value for t in terms], pa.string())
    tags = pa.array([_tag(t) for t in terms], pa.string())
    columns, fields = [], []
    for name, column in zip(names, cells):
        at = pa.array(column, pa.int32())
        for suffix, dictionary in (("", texts), (":term", tags)):
            array = dictionary.take(at).dictionary_encode()
            columns.append(array)
            fields.append(pa.field(name + suffix, array.type))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def write_tables(folder: Path, answers: Iterable[tuple[str, str, QueryResult | pa.Table]], *, version: str,
                 quads: int) -> None:
    """Write each ``(name, query, answer)`` as ``folder/name.arrow``, then the manifest that
    vouches for them (last: tables without it are never read). An answer is a
    :class:`QueryResult` or the table :func:`oxigraph_table` made of one. ``version`` is the
    name of the version folder and ``quads`` its quad count, which a reader checks against its
    own."""
    folder.mkdir()
    entries = {}
    for name, query, result in answers:
        if isinstance(result, pa.Table):
            table = result
        elif result.kind != "SELECT":
            raise ValueError(f"table {name}: only the rows of a SELECT make a table")
        else:
            table = _table(result)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue().to_pybytes()
        (folder / f"{name}.arrow").write_bytes(data)
        entries[name] = {"file": f"{name}.arrow", "query": _digest(query.encode("utf-8")), "rows": table.num_rows,
                         "columns": table.column_names[::2], "sha256": _digest(data)}
    manifest = {"schema": SCHEMA, "version": version, "quads": quads, "tables": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


class Tables:
    """The sound tables of one version, by the digest of the query each one answers."""

    def __init__(self, folder: Path, entries: dict[str, dict[str, Any]]):
        self.folder = folder
        self._by_query = {e["query"]: e for e in entries.values()}

    def columns(self, query: str) -> dict[str, list[Any]] | None:
        """The answer of ``query`` by variable, each column a list of plain values (row i of
        every list is row i of the answer), or None when no sound table holds it."""
        entry = self._by_query.get(_digest(query.encode("utf-8")))
        if entry is None:
            return None
        path = self.folder / entry["file"]
        try:
            data = path.read_bytes()
            if _digest(data) != entry["sha256"]:
                raise ValueError("its SHA-256 is not the manifest's")
            table = pa.ipc.open_file(pa.py_buffer(data)).read_all()
            if table.num_rows != entry["rows"] or table.column_names != [
                    c + s for c in entry["columns"] for s in ("", ":term")]:
                raise ValueError("its rows or columns are not the manifest's")
            if not entry["columns"]:  # its rows would have no column to be counted in
                raise ValueError("it has no columns")
            return {name: _values(table.column(name), table.column(name + ":term")) for name in entry["columns"]}
        except (OSError, ValueError, pa.ArrowException) as exc:
            log.debug("table %s is not read (%s): asking the store with SPARQL", path, exc)
            return None

    def rows(self, query: str) -> list[dict[str, Any]] | None:
        """The rows of ``query``'s answer as plain values, or None when no sound table holds it:
        its :meth:`columns`, row by row."""
        columns = self.columns(query)
        if columns is None:
            return None
        names = list(columns)
        return [dict(zip(names, row)) for row in zip(*columns.values())]


def _codes(indices: pa.Array) -> np.ndarray:
    """A dictionary's indices as int64, -1 where a value is null (unbound), read from the
    array's own buffers with numpy: pyarrow's ``fill_null`` and ``to_numpy`` of an array with
    nulls import pandas where it is installed, 0.2 s of every read command (`dealgraph deals`
    on the seeds took 0.85 s instead of 0.57)."""
    n, start = len(indices), indices.offset
    validity, data = indices.buffers()[:2]
    codes = np.frombuffer(data, dtype=np.dtype(f"<i{indices.type.bit_width // 8}"))[start:start + n]
    codes = codes.astype(np.int64)
    if indices.null_count:
        valid = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")[start:start + n]
        codes[valid == 0] = -1
    return codes


def _values(values: pa.ChunkedArray, tags: pa.ChunkedArray) -> list[Any]:
    """One variable's column as plain Python values, :func:`dealgraph.sparql.python_value` of
    each term: a term that is not a typed literal is its text, and python_value converts each
    distinct typed literal once (an answer repeats its dates and figures)."""
    # Checked before combining: pyarrow combines the no chunks of an empty answer through pandas,
    # 0.2 s to import, on every read of a version with one (a synthetic network infers nothing).
    if len(values) == 0:
        return []
    values, tags = values.combine_chunks(), tags.combine_chunks()
    texts = np.array(values.dictionary.to_pylist() + [None], dtype=object)  # code -1, unbound: None
    kinds = tags.dictionary.to_pylist()
    v, k = _codes(values.indices), _codes(tags.indices)
    column = texts[v]
    # python_value gives an IRI, a blank node and an untyped literal as its text: those cells
    # are taken as they are, without a call per distinct term (the 1.4 million distinct terms
    # the records of 100 000 deals are read from took 1.7 s converted one by one, 0.4 s so).
    typed = np.array([tag.startswith("^^") for tag in kinds] + [False])[k]
    if typed.any():
        keys = v[typed] * len(kinds) + k[typed]  # one key per (text, datatype) pair
        unique, inverse = np.unique(keys, return_inverse=True)
        made = np.empty(len(unique), dtype=object)
        made[:] = [python_value(_term(texts[key // len(kinds)], kinds[key % len(kinds)])) for key in unique.tolist()]
        column[typed] = made[inverse.reshape(-1)]
    return column.tolist()


def open_tables(folder: Path | None, *, version: str, quads: int | None) -> Tables | None:
    """The tables in ``folder`` if its manifest vouches for them in the version ``version`` of
    ``quads`` quads, else None (the reason in a debug line)."""
    if folder is None:
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA:
            raise ValueError(f"its schema is {manifest.get('schema') if isinstance(manifest, dict) else None!r}, "
                             f"this dealgraph reads {SCHEMA}")
        if manifest.get("version") != version or manifest.get("quads") != quads:
            raise ValueError(f"it was written for {manifest.get('version')!r} of {manifest.get('quads')} quads, "
                             f"not {version!r} of {quads}")
        entries = manifest["tables"]
        if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
            raise ValueError("its table list is malformed")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.debug("the tables at %s are not read (%s): asking the store with SPARQL", folder, exc)
        return None
    return Tables(folder, entries)


class TableSelect:
    """A ``select`` (see :data:`dealgraph.flows.Select`) that answers from ``tables`` the
    queries they hold (without bindings: a table is one answer), and passes every other query
    to ``fallback``. It answers by column too (:meth:`columns`): the readers of the deal records
    take a 1.3-million-row answer column by column instead of as a dict per row."""

    def __init__(self, tables: Tables, fallback: Select):
        self.tables = tables
        self.fallback = fallback

    def __call__(self, query: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if not bindings:
            rows = self.tables.rows(query)
            if rows is not None:
                return rows
        return self.fallback(query, bindings)

    def columns(self, query: str, names: Iterable[str]) -> list[list[Any]]:
        """The values of each of ``names`` in ``query``'s answer, in row order: the table's
        columns, or the rows ``fallback`` answers with as columns."""
        columns = self.tables.columns(query)
        if columns is None:
            return columns_of(self.fallback(query), names)
        return [columns[name] for name in names]


def table_select(tables: Tables, fallback: Select) -> TableSelect:
    """A ``select`` that answers from ``tables`` the queries they hold, else asks ``fallback``."""
    return TableSelect(tables, fallback)
