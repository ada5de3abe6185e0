"""Small named fixtures for the foundation's tests (seeds, RDF, store, SPARQL, API, CLI).

Conventions (the sqlite-utils and networkx way): fixtures over setup classes, named for what
they hold; ``pytest.mark.parametrize`` over loops; every expected value checked against the
source articles in a comment next to it. Nothing here writes into the repository's ``seeds/``
or the user's home store: every store lives under ``tmp_path``.
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from dealgraph import DealGraph
from dealgraph.seeds import Seeds, load_seeds

# Generated tests explore new cases on every run on a developer's machine; in CI (CI=true) the
# cases are derived from each test's name, so a submission passes or fails the same way twice.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

#: The curated seeds of this checkout.
SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
#: The five source articles, beside the checkout (they are not part of the project).
DOCUMENTS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The repository's seeds/ folder (read only: copy it with ``bad_seeds`` to edit)."""
    return SEEDS_DIR


@pytest.fixture(scope="session")
def documents_dir() -> Path:
    """The folder of the source articles, ``<document id>.txt``."""
    if not DOCUMENTS_DIR.is_dir():
        pytest.skip("the source articles (../shared/seeds) are not beside this checkout: quotes cannot be checked")
    return DOCUMENTS_DIR


@pytest.fixture(scope="session")
def seeds() -> Seeds:
    """The bundled seeds, loaded and checked (without the articles)."""
    return load_seeds(SEEDS_DIR)


@pytest.fixture(scope="module")
def quads(seeds) -> list:
    """The quads the bundled seeds build into (``build_quads``), once per module; read only."""
    from dealgraph.rdf import build_quads

    return build_quads(seeds)


@pytest.fixture(scope="session")
def memory_graph() -> DealGraph:
    """The bundled seeds built into an in-memory store (``DealGraph.memory()``)."""
    return DealGraph.memory(SEEDS_DIR)


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    """A store folder built once per module with ``DealGraph.build(store=...)``.

    The graph ``build`` returns is closed and dropped, so tests can open the store again.
    """
    root = tmp_path_factory.mktemp("built") / "store"
    graph, report = DealGraph.build(SEEDS_DIR, store=root)
    assert report.deals > 0
    graph.close()
    del graph
    gc.collect()  # the Oxigraph lock goes with the last reference to the database
    return root


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory) -> Path:
    """A store folder built once per module through the command itself (``dealgraph build``)."""
    from typer.testing import CliRunner

    from dealgraph.cli import app

    root = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(app, ["build", "--seeds", str(SEEDS_DIR), "--store", str(root)])
    assert result.exit_code == 0, result.stderr
    gc.collect()
    return root


@pytest.fixture
def tables_always_read(monkeypatch):
    """Every store version is read from its record tables, however few its quads: the seeds are
    read with SPARQL otherwise (``api.READ_TABLES_FROM_QUADS``), and the tests comparing the two
    paths must take both on them."""
    from dealgraph import api

    monkeypatch.setattr(api, "READ_TABLES_FROM_QUADS", 0)


@pytest.fixture
def bad_seeds(tmp_path) -> Path:
    """A private copy of seeds/ that a test may edit."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, copy)
    return copy


@pytest.fixture
def open_graph():
    """``open_graph(path)`` opens a store; every graph opened so is closed after the test."""
    opened: list[DealGraph] = []

    def _open(path) -> DealGraph:
        graph = DealGraph.open(path)
        opened.append(graph)
        return graph

    yield _open
    for graph in opened:
        graph.close()
    opened.clear()
    gc.collect()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """Virtuoso 7 on loopback for the remote tests (``tests/engines.py``), started once per
    session and stopped after it; skips, saying why, when Virtuoso is not installed."""
    from engines import virtuoso

    server = virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
