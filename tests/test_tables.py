"""The record tables a build writes into each store version (dealgraph.tables): read instead of
SPARQL they give the same records and the same graphs, on the seeds and on a synthetic network;
and a store whose tables are missing, damaged, stale or someone else's is read with SPARQL,
never wrong."""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dealgraph import DealGraph
from dealgraph import flows as flows_module
from dealgraph.api import derived_queries
from dealgraph.flows import FlowRecords, deal_record, project, read_records
from dealgraph.store import TABLES
from dealgraph.tables import MANIFEST, SCHEMA, TableSelect

# The tables are read here whatever the version's size: the seeds' is below the size they pay
# from (api.READ_TABLES_FROM_QUADS), and is read with SPARQL otherwise.
pytestmark = pytest.mark.usefixtures("tables_always_read")


def canonical(x):
    """``x`` with its types kept (1 and 1.0 compare equal in Python, and print differently in
    the deals JSON) and its dict order dropped; list order kept."""
    if dataclasses.is_dataclass(x):
        return ("dataclass", type(x).__name__, canonical(dataclasses.asdict(x)))
    if isinstance(x, dict):
        return ("dict", sorted(((repr(k), canonical(v)) for k, v in x.items()), key=lambda kv: kv[0]))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [canonical(v) for v in x])
    return (type(x).__name__, x)


def normalised(records: FlowRecords):
    """The records as data: deals are defaultdicts, whose list fields appear when first read."""
    many = {"class", "payer", "payee", "sources", "parties"}
    deals = [{**{f: [] for f in many}, **d} for d in records.deals]
    curated = {d: {role: list(p) for role, p in roles.items()} for d, roles in (records.curated or {}).items()}
    return canonical({"companies": records.companies, "deals": deals, "steps": dict(records.steps or {}),
                      "curated": curated, "claims": dict(records.claims or {}), "labels": records.labels})


def graph_data(G):
    return canonical({"nodes": sorted(G.nodes(data=True), key=lambda n: n[0]),
                      "edges": sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))})


VIEWS = [dict(), dict(layers=("flow", "holding")), dict(include_withdrawn=True), dict(as_of="2025-06"),
         dict(as_of="2024", layers=("holding",))]


def assert_same_both_ways(root: Path) -> FlowRecords:
    """Read the records of ``root`` from its tables and with SPARQL alone; they and every view
    projected from them must be the same. Returns the records."""
    graph = DealGraph.open(root)
    try:
        from_tables = graph._read(claims=True, timeline=True)
        assert graph.queries_sent == 0  # the tables answered every query: the comparison is of two paths
        # the readers took the tables by column; a select that answers only by row gets the same
        from_table_rows = read_records(lambda query, bindings=None: graph._record_select(query, bindings))
        assert graph.queries_sent == 0
        assert normalised(from_table_rows) == normalised(from_tables)
        from_sparql = read_records(graph.select)
        assert graph.queries_sent == len(flows_module.RECORD_QUERIES)
        assert from_tables.deals and from_tables.companies and from_tables.claims
        assert normalised(from_tables) == normalised(from_sparql)
        for view in VIEWS:
            assert graph_data(project(from_tables, **view)) == graph_data(project(from_sparql, **view)), view
        assert canonical([deal_record(r, from_tables) for r in from_tables.deals]) == \
            canonical([deal_record(r, from_sparql) for r in from_sparql.deals])
        return from_tables
    finally:
        graph.close()
        del graph
        gc.collect()


def assert_same_columns_rows_and_sparql(root: Path) -> None:
    """Every derived query's answer, as the tables give it by column (what the record readers
    take: TableSelect.columns) and by row, and as SPARQL gives it: the same rows, column i of
    the one being value i of the other, types included."""
    graph = DealGraph.open(root)
    try:
        graph._read()
        select = graph._record_select
        assert isinstance(select, TableSelect)
        for name, query in derived_queries().items():
            result = graph.query(query)
            sent, variables = graph.queries_sent, result.columns
            by_column = list(zip(*select.columns(query, variables)))
            by_row = [tuple(r[v] for v in variables) for r in select(query)]
            assert graph.queries_sent == sent  # the tables answered both
            by_sparql = [tuple(r[v] for v in variables) for r in result.rows]
            assert canonical(by_column) == canonical(by_row), name
            assert sorted(map(canonical, by_column), key=repr) == sorted(map(canonical, by_sparql), key=repr), name
    finally:
        graph.close()
        del graph
        gc.collect()


def test_the_tables_and_sparql_give_the_same_records_and_graphs_on_the_seeds(built_store):
    assert (built_store / "current" / TABLES / MANIFEST).is_file()
    assert_same_both_ways(built_store)


def test_the_tables_columns_are_their_rows_and_sparqls_on_the_seeds(built_store):
    assert_same_columns_rows_and_sparql(built_store)


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory) -> Path:
    from dealgraph.synth import generate

    tmp = tmp_path_factory.mktemp("synth")
    generate(tmp / "seeds", companies=40, deals=400, seed=3)
    graph, _ = DealGraph.build(tmp / "seeds", store=tmp / "store")
    graph.close()
    del graph
    gc.collect()
    return tmp / "store"


def test_the_tables_and_sparql_give_the_same_records_and_graphs_on_a_synthetic_network(synth_store):
    records = assert_same_both_ways(synth_store)
    assert len(records.deals) == 400


def test_the_tables_columns_are_their_rows_and_sparqls_on_a_synthetic_network(synth_store):
    assert_same_columns_rows_and_sparql(synth_store)


def report_and_queries(root: Path) -> tuple:
    """The report of ``root`` (how long its loop search took left out: no part of what it
    found) and how many queries the store was sent for it."""
    def timeless(x):
        if isinstance(x, dict):
            return {k: timeless(v) for k, v in x.items() if k != "elapsed"}
        return [timeless(v) for v in x] if isinstance(x, list) else x

    with DealGraph.open(root) as graph:
        return canonical(timeless(graph.report())), graph.queries_sent


def assert_same_report_both_ways(root: Path, tmp_path: Path) -> None:
    """Every query the report asks is among those a build derives (api.derived_queries): from
    the tables it sends the store none, and gives the report a copy of the store without its
    tables (one built before them) gives by SPARQL."""
    from_tables, sent = report_and_queries(root)
    assert sent == 0
    bare = tmp_path / "store"
    shutil.copytree(root, bare, symlinks=True)
    shutil.rmtree(tables_of(bare))
    from_sparql, sent = report_and_queries(bare)
    assert sent > 0
    assert from_tables == from_sparql


def test_the_report_is_the_same_from_the_tables_as_from_sparql_on_the_seeds(built_store, tmp_path):
    assert_same_report_both_ways(built_store, tmp_path)


def test_the_report_is_the_same_from_the_tables_as_from_sparql_on_a_synthetic_network(synth_store, tmp_path):
    assert_same_report_both_ways(synth_store, tmp_path)


# ---------------------------------------------------------------------------------------------
# Tables that must not be read


@pytest.fixture
def store(built_store, tmp_path) -> Path:
    """A private copy of the seeds' store, whose tables a test may damage."""
    root = tmp_path / "store"
    shutil.copytree(built_store, root, symlinks=True)
    return root


def tables_of(root: Path) -> Path:
    return root / os.readlink(root / "current") / TABLES


def edit_manifest(root: Path, **changes) -> None:
    path = tables_of(root) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, **changes}), encoding="utf-8")


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_a_byte(path: Path) -> None:
    """The same length, one byte changed in the middle: the file still opens as Arrow, or not."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, falls_back", [
    (lambda root: shutil.rmtree(tables_of(root)), "all"),  # a store built before the tables
    (lambda root: (tables_of(root) / MANIFEST).unlink(), "all"),  # killed before the manifest
    (lambda root: (tables_of(root) / MANIFEST).write_text("{", encoding="utf-8"), "all"),
    (lambda root: edit_manifest(root, schema=SCHEMA - 1), "all"),  # an older layout
    (lambda root: edit_manifest(root, schema=SCHEMA + 1), "all"),  # a newer dealgraph's
    (lambda root: edit_manifest(root, quads=1), "all"),  # not this version's count
    (lambda root: edit_manifest(root, version="v-1"), "all"),  # not this version's folder
    (lambda root: (tables_of(root) / "deal_properties.arrow").unlink(), "deal_properties"),
    (lambda root: truncate(tables_of(root) / "deal_properties.arrow"), "deal_properties"),
    (lambda root: flip_a_byte(tables_of(root) / "deal_values.arrow"), "deal_values"),
    (lambda root: shutil.copy(tables_of(root) / "labels.arrow", tables_of(root) / "companies.arrow"), "companies"),
], ids=["no tables", "no manifest", "bad manifest", "older schema", "newer schema", "other quad count",
        "other version", "a table deleted", "a table truncated", "a byte changed", "a table swapped"])
def test_tables_that_are_missing_damaged_or_not_this_versions_are_not_read(store, damage, falls_back, caplog):
    graph = DealGraph.open(store)
    try:  # what the store answers with SPARQL (the order of list fields is the engine's: same store)
        expected = normalised(read_records(graph.select))
    finally:
        graph.close()
    damage(store)
    with caplog.at_level(logging.DEBUG, logger="dealgraph.tables"):
        graph = DealGraph.open(store)
        try:
            assert normalised(graph._read(claims=True, timeline=True)) == expected
            sent = graph.queries_sent
        finally:
            graph.close()
    assert sent == (len(flows_module.RECORD_QUERIES) if falls_back == "all" else 1)
    assert any("asking the store with SPARQL" in r.getMessage() for r in caplog.records)


def test_a_query_this_dealgraph_changed_is_asked_of_the_store(store, monkeypatch):
    """A table is the answer to one query text: a newer dealgraph whose query differs (another
    field, another rule) must not take the old answer for the new question."""
    monkeypatch.setattr(flows_module, "COMPANIES", flows_module.COMPANIES + "\n# changed\n")
    graph = DealGraph.open(store)
    try:
        graph.companies()
        assert graph.queries_sent == 1
    finally:
        graph.close()


def test_the_tables_of_another_version_are_never_read_in_place_of_its_own(built_store, tmp_path):
    """Build the seeds, then a synthetic network over them; the first version's tables copied
    into the second (same names, sound files, another graph) must not be what it answers."""
    from dealgraph.synth import generate

    root = tmp_path / "store"
    shutil.copytree(built_store, root, symlinks=True)
    seeds_version = root / os.readlink(root / "current")
    generate(tmp_path / "synth", companies=20, deals=60, seed=1)
    DealGraph.build(tmp_path / "synth", store=root)[0].close()
    gc.collect()
    shutil.rmtree(tables_of(root))
    shutil.copytree(seeds_version / TABLES, tables_of(root))
    graph = DealGraph.open(root)
    try:
        records = graph._read()
        assert len(records.deals) == 60 and graph.queries_sent > 0
    finally:
        graph.close()


def test_a_build_writes_the_tables_inside_the_version_before_marking_it_complete(built_store):
    version = built_store / os.readlink(built_store / "current")
    manifest = json.loads((version / TABLES / MANIFEST).read_text(encoding="utf-8"))
    marker = json.loads((version / "COMPLETE").read_text(encoding="utf-8"))
    assert manifest["version"] == version.name and manifest["quads"] == marker["quads"]
    assert set(manifest["tables"]) == set(derived_queries())
    assert (version / TABLES / MANIFEST).stat().st_mtime_ns <= (version / "COMPLETE").stat().st_mtime_ns


def test_the_tables_are_plain_arrow_files_any_reader_opens(built_store):
    import pyarrow.ipc

    table = pyarrow.ipc.open_file(str(tables_of(built_store) / "companies.arrow")).read_all()
    assert {"c", "name", "alias", "wikidata"} <= set(table.column_names)
    assert "Nvidia" in table.column("name").to_pylist()


# ---------------------------------------------------------------------------------------------
# How the build derives them


def test_a_table_made_straight_from_oxigraph_is_the_table_made_through_query_result(memory_graph):
    """The build converts each distinct term once (tables.oxigraph_table); the reader's rule is
    QueryResult's: for the same answer, in the same order, the two tables must be equal."""
    from dealgraph.sparql import QueryResult
    from dealgraph.tables import _table, oxigraph_table

    db = memory_graph.store.ox
    for name, query in flows_module.RECORD_QUERIES.items():
        fast = oxigraph_table(db.query(query, use_default_graph_as_union=True))
        slow = _table(QueryResult.from_oxigraph(db.query(query, use_default_graph_as_union=True)))
        assert fast.column_names == slow.column_names, name
        assert [c.to_pylist() for c in fast.columns] == [c.to_pylist() for c in slow.columns], name


@pytest.mark.parametrize("limit", [1, 99, 100, 101, 10_000])
def test_the_builds_memory_copy_holds_the_stream_or_gives_every_quad_back(limit):
    """Within the bound, a copy of every quad and nothing left to stream; over it, no copy and
    every quad of the stream exactly once (what was copied first, then the rest)."""
    import pyoxigraph as ox

    from dealgraph.store import _memory_copy

    quads = [ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)),
                     ox.NamedNode("http://e/g")) for i in range(100)]
    copy, rest = _memory_copy(iter(quads), limit, batch=7)
    if limit >= len(quads):
        assert copy is not None and set(copy) == set(quads) and list(rest) == []
    else:
        got = list(rest)
        assert copy is None and len(got) == len(quads) and set(got) == set(quads)


def test_an_empty_answer_is_read_without_pandas():
    """pyarrow combines the no chunks of an empty table through pandas (0.2 s to import): a
    version whose answer to one query is empty (a synthetic network infers nothing) must not
    pay for it on every read command."""
    code = ("import sys, pyarrow as pa\n"
            "from dealgraph.tables import _values\n"
            "empty = pa.chunked_array([], pa.dictionary(pa.int32(), pa.string()))\n"
            "assert _values(empty, empty) == []\n"
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_dictionary_codes_keep_nulls_and_offsets_without_pandas():
    """The indices of a sliced dictionary column with nulls, read from its buffers: -1 where
    unbound, the slice's own values elsewhere, whatever the index width."""
    import pyarrow as pa

    from dealgraph.tables import _codes

    for index_type in (pa.int8(), pa.int16(), pa.int32(), pa.int64()):
        array = pa.array(["a", None, "b", "a", None, "c", "b"]).dictionary_encode()
        array = pa.DictionaryArray.from_arrays(array.indices.cast(index_type), array.dictionary)
        for start, stop in ((0, 7), (1, 6), (3, 7), (2, 2)):
            part = array.slice(start, stop - start)
            expected = [-1 if i is None else i for i in part.indices.to_pylist()]
            assert _codes(part.indices).tolist() == expected
