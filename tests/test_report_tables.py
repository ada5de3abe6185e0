"""The report read from a version's derived tables is the report read with SPARQL (issue 13):
every query the report asks is among the queries a build derives (``api.derived_queries``),
so on the embedded store it asks the store nothing, and the answers are the same, on the seeds
and on a synthetic network with planted conflicts and totals. A store without tables (built
before them) gives the same report by SPARQL."""

from __future__ import annotations

import gc
import json
import os
import shutil
from pathlib import Path

import pytest

from dealgraph import DealGraph
from dealgraph.api import derived_queries
from dealgraph.store import TABLES
from dealgraph.tables import MANIFEST


def without_elapsed(x):
    """The report with the loop search's own timing left out (the one figure that varies)."""
    if isinstance(x, dict):
        return {k: without_elapsed(v) for k, v in x.items() if k != "elapsed"}
    if isinstance(x, list):
        return [without_elapsed(v) for v in x]
    return x


def report_and_queries(root: Path) -> tuple[dict, int]:
    graph = DealGraph.open(root)
    try:
        report = graph.report()
        return json.loads(json.dumps(without_elapsed(report), default=str)), graph.queries_sent
    finally:
        graph.close()
        del graph
        gc.collect()


# The tables are read here whatever the version's size: the seeds' is below the size they pay
# from (api.READ_TABLES_FROM_QUADS), and is read with SPARQL otherwise.
pytestmark = pytest.mark.usefixtures("tables_always_read")


def assert_same_report_both_ways(root: Path, tmp_path: Path) -> dict:
    from_tables, sent = report_and_queries(root)
    assert sent == 0  # the tables answered everything the report asked: two paths are compared
    older = tmp_path / "older"  # the same version as a dealgraph before the tables would read it
    shutil.copytree(root, older, symlinks=True)
    shutil.rmtree(older / os.readlink(older / "current") / TABLES)
    from_sparql, sent = report_and_queries(older)
    assert sent > 0
    assert from_tables == from_sparql
    return from_tables


def test_the_report_from_the_tables_is_the_report_by_sparql_on_the_seeds(built_store, tmp_path):
    report = assert_same_report_both_ways(built_store, tmp_path)
    assert report["conflicts"] and report["commentary"] and report["sources"]


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory) -> Path:
    from dealgraph.synth import generate

    tmp = tmp_path_factory.mktemp("synth")
    generate(tmp / "seeds", companies=40, deals=400, seed=5)
    graph, _ = DealGraph.build(tmp / "seeds", store=tmp / "store")
    graph.close()
    del graph
    gc.collect()
    return tmp / "store"


def test_the_report_from_the_tables_is_the_report_by_sparql_on_a_synthetic_network(synth_store, tmp_path):
    report = assert_same_report_both_ways(synth_store, tmp_path)
    assert report["conflicts"] and report["totals"]


def test_a_build_derives_every_query_the_report_asks(built_store):
    version = built_store / os.readlink(built_store / "current")
    manifest = json.loads((version / TABLES / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["tables"]) == set(derived_queries())
    assert {"sources", "observations", "totals", "resolved_choices"} <= set(manifest["tables"])
