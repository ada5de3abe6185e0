"""The deal records do not depend on the order of the rows an engine answers with.

A SPARQL answer without ORDER BY is a multiset: Oxigraph gives the rows of the same query in
one order from memory and in another from disk, a server in a third. The records
(dealgraph.flows.read_records) must be the same whichever engine answered, or a deal's
payers, sources or curated parties (and with them the edges, the deals listing and an as-of
view's payer) would change with where the store lives. So: the same rows shuffled give the
same records, and memory, disk (tables and SPARQL) and an Oxigraph server agree.
"""

from __future__ import annotations

import gc
import random
from pathlib import Path

import pytest

from dealgraph import DealGraph
from dealgraph.flows import FlowRecords, deal_record, project, read_records
from dealgraph.sparql import columns_of
from test_tables import VIEWS, canonical, graph_data, normalised


def shuffled(select, seed: int):
    """``select`` answering every query with its rows in a random order (rows as they are)."""
    rng = random.Random(seed)

    def answer(query, bindings=None):
        rows = list(select(query, bindings))
        rng.shuffle(rows)
        return rows

    return answer


def reversed_rows(select):
    return lambda query, bindings=None: list(reversed(select(query, bindings)))


class ByColumn:
    """``select`` answering by column too, as the version's tables do: the record readers take
    an answer column by column from a select that gives one (flows.select_columns)."""

    def __init__(self, select):
        self.select = select

    def __call__(self, query, bindings=None):
        return self.select(query, bindings)

    def columns(self, query, names):
        return columns_of(self.select(query), names)


def outputs(records: FlowRecords):
    """What a user sees of the records: the deals listing and every view's graph."""
    return (canonical([deal_record(r, records) for r in records.deals]),
            [graph_data(project(records, **view)) for view in VIEWS])


def assert_same_records(a: FlowRecords, b: FlowRecords) -> None:
    # canonical keeps list order: equal here means equal lists, not equal multisets
    assert normalised(a) == normalised(b)
    assert outputs(a) == outputs(b)


@pytest.fixture(scope="module")
def synth_seeds(tmp_path_factory) -> Path:
    from dealgraph.synth import generate

    seeds = tmp_path_factory.mktemp("order") / "seeds"
    generate(seeds, companies=30, deals=300, seed=5)
    return seeds


@pytest.mark.parametrize("seeds", ["the seeds", "a synthetic network"])
def test_the_same_rows_in_any_order_give_the_same_records(seeds, synth_seeds):
    graph = DealGraph.memory(synth_seeds if seeds != "the seeds" else None)
    try:
        # rows read once, so every order below is an order of the very same multiset
        answers: dict = {}

        def once(query, bindings=None):
            assert not bindings
            return answers.setdefault(query, graph.select(query))

        expected = read_records(once)
        assert expected.deals and expected.claims and expected.curated
        # the orders must differ for the test to mean anything: the deal properties do
        deal_rows = next(rows for rows in answers.values() if rows and {"d", "p", "o"} == set(rows[0]))
        assert list(reversed(deal_rows)) != deal_rows
        for order in [reversed_rows(once), *(shuffled(once, seed) for seed in range(3)), ByColumn(shuffled(once, 3))]:
            assert_same_records(read_records(order), expected)
    finally:
        graph.close()


def read_all(graph: DealGraph) -> FlowRecords:
    return graph._read(claims=True, timeline=True)


@pytest.mark.parametrize("seeds", ["the seeds", "a synthetic network"])
@pytest.mark.usefixtures("tables_always_read")
def test_memory_disk_tables_and_disk_sparql_give_the_same_records(seeds, synth_seeds, tmp_path):
    seeds_dir = synth_seeds if seeds != "the seeds" else None
    memory = DealGraph.memory(seeds_dir)
    try:
        in_memory = read_all(memory)
    finally:
        memory.close()
    # derived on disk (bound 0) and from the build's in-memory copy: each version's tables
    # must give what memory gives
    from dealgraph import store as store_module

    for bound in (0, store_module.DERIVE_IN_MEMORY_QUADS):
        root = tmp_path / f"store-{bound}"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(store_module, "DERIVE_IN_MEMORY_QUADS", bound)
            DealGraph.build(seeds_dir, store=root)[0].close()
        gc.collect()
        disk = DealGraph.open(root)
        try:
            from_tables = read_all(disk)
            assert disk.queries_sent == 0  # the tables answered
            from_sparql = read_records(disk.select)
        finally:
            disk.close()
            del disk
            gc.collect()
        assert_same_records(from_tables, in_memory)
        assert_same_records(from_sparql, in_memory)


@pytest.mark.server
def test_an_oxigraph_server_gives_the_same_records_as_memory(tmp_path, monkeypatch):
    from engines import oxigraph

    from dealgraph.namespace import GRAPH
    from dealgraph.rdf import build_quads
    from dealgraph.remote import push_quads
    from dealgraph.seeds import load_seeds

    server = oxigraph(tmp_path / "oxigraph")  # skips when the server is not installed
    try:
        server.apply(monkeypatch)
        push_quads(build_quads(load_seeds()), server.base, namespace=str(GRAPH))
        with DealGraph.open(endpoint=server.base) as remote:
            from_server = read_all(remote)
    finally:
        server.stop()
    memory = DealGraph.memory()
    try:
        assert_same_records(from_server, read_all(memory))
    finally:
        memory.close()
