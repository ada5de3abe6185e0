"""The pipeline's layering, checked: the import contracts in pyproject.toml (import-linter).

``api.py`` is the only composer; a stage imports only the stages below it; the analyses know
nothing of RDF or stores; presentation takes data. A new backwards import fails here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package under ``root`` with the project's contracts."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))"],
        cwd=root, env={"PYTHONPATH": str(root), "PATH": ""}, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") == 3


@pytest.mark.parametrize("module, backwards", [
    ("flows.py", "from . import api"),             # a stage calling back into the composer
    ("report.py", "from . import cli"),            # data shaping that knows the CLI
    ("analysis/loops.py", "import pyoxigraph"),    # an analysis that knows a store
    ("view.py", "from . import store"),            # presentation that reads a store
])
def test_a_backwards_import_breaks_a_contract(tmp_path, module, backwards):
    shutil.copytree(ROOT / "dealgraph", tmp_path / "dealgraph", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "dealgraph" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{backwards}  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout[-2000:]


def test_no_module_below_the_api_imports_it():
    """The same rule read straight from the source, so it holds without import-linter too."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "dealgraph").rglob("*.py")
                 if p.name not in ("cli.py", "api.py", "__init__.py")
                 and any(line.strip().startswith(("from .api", "from dealgraph.api", "from ..api", "import dealgraph.api"))
                         for line in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []


def test_report_with_plots_reads_the_store_once(built_store, open_graph, tmp_path, monkeypatch):
    """`dealgraph report --plots` sent 141 queries and projected the money flows from the store
    25 times; the composer now reads the deal records once and every view (the report's, the
    charts', one per month of the timeline) is projected from them in memory."""
    pytest.importorskip("matplotlib")
    import dealgraph.flows as flows

    reads = []
    real = flows.read_records
    monkeypatch.setattr(flows, "read_records", lambda *a, **k: reads.append(1) or real(*a, **k))
    graph = open_graph(built_store)
    data = graph.report()
    written = graph.plots(tmp_path / "plots", data)
    assert len(written) == 3 and all(p.stat().st_size > 0 for p in written)
    assert reads == [1]
    assert graph.queries_sent <= 22, graph.queries_sent  # 21 on the seeds: saved queries, records, claims


def test_saved_queries_are_read_from_disk_once(monkeypatch):
    from dealgraph import sparql

    sparql.saved_queries.cache_clear()
    opened = []
    real = type(sparql.QUERY_DIR).read_text
    monkeypatch.setattr(type(sparql.QUERY_DIR), "read_text", lambda self, *a, **k: opened.append(self) or real(self, *a, **k))
    for _ in range(3):
        assert "who-funds-whom" in sparql.saved_queries()
    assert len(opened) == len(sparql.saved_queries())


READER = r"""
import sys
from dealgraph import api
if sys.argv[2] == "always":
    api.READ_TABLES_FROM_QUADS = 0
graph = api.DealGraph.open(sys.argv[1])
assert graph.deals() and graph.companies()
heavy = ("rdflib", "networkx", "pyshacl", "pyvis", "pyarrow", "numpy", "pandas")
print(graph.queries_sent, " ".join(sorted(m for m in heavy if m in sys.modules)))
"""


@pytest.mark.parametrize("tables, read, imported", [
    (True, "always", "numpy pyarrow"),
    (True, "when they pay", ""),
    (False, "when they pay", ""),
], ids=["with its tables", "the seeds' small version: SPARQL", "an older store: SPARQL"])
def test_reading_the_embedded_store_imports_no_rdflib(built_store, tmp_path, tables, read, imported):
    """`dealgraph deals` costs what its imports cost (issue 13): rdflib (0.1 s) is for building
    and checking RDF, networkx for projecting graphs; listing deals needs neither, whether the
    version's tables answer or the store itself does. Only a version large enough for its tables
    to pay imports their reader (pyarrow and numpy, 75-100 ms): the seeds' is read with SPARQL."""
    root = tmp_path / "store"
    shutil.copytree(built_store, root, symlinks=True)
    if not tables:
        shutil.rmtree(root / "current" / "tables")
    out = subprocess.run([sys.executable, "-c", READER, str(root), read], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    sent, _, heavy = out.stdout.strip().partition(" ")
    assert heavy == imported
    assert (int(sent) == 0) == (tables and read == "always")  # the tables answered, or the store did


def imported_by(*command: str) -> set[str]:
    """Every module ``python -X importtime -m dealgraph COMMAND...`` imports."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "dealgraph", *command], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return {line.rpartition("|")[2].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_dealgraph_deals_on_the_seeds_imports_only_what_it_needs(built_store, fmt):
    """The command itself, as people run it: no RDF or graph library, no Arrow reader (the
    seeds' version is read with SPARQL), and no click beside the one typer vendors (typer
    0.26+ no longer installs it). pydantic is typer's own (it checks every option's value with
    it); the listing's formatter reads no pydantic model (the next test)."""
    modules = imported_by("deals", "--store", str(built_store), "--format", fmt)
    assert "dealgraph.flows" in modules  # the listing was made
    assert modules.isdisjoint({"rdflib", "networkx", "pyshacl", "pyvis", "pyarrow", "numpy", "pandas",
                               "dealgraph.tables", "click"})


def test_the_listings_formatter_imports_no_pydantic():
    """The formatter reads how qualifiers are written from dealgraph.codes, not from the pydantic
    record models, which are for checking the seeds (pydantic 20 ms to import, the models 30 ms
    to build)."""
    modules = subprocess.run([sys.executable, "-c", "import sys, dealgraph.render; print(' '.join(sys.modules))"],
                             capture_output=True, text=True, timeout=120, cwd=ROOT).stdout.split()
    assert "dealgraph.formatting" in modules and "dealgraph.codes" in modules
    assert "pydantic" not in modules and "dealgraph.models" not in modules


def test_the_vocabularies_as_text_are_rdflibs():
    """namespace.py spells each vocabulary's IRI once as text, for readers without rdflib, and
    once as an rdflib namespace, for building: the two must not drift."""
    from dealgraph import namespace

    assert {k: str(v) for k, v in namespace.QUERY_PREFIXES.items()} == namespace.QUERY_VOCABULARIES
    assert {k: str(v) for k, v in namespace.PREFIXES.items()} == namespace.VOCABULARIES
    assert namespace.IRI.dg.payer == str(namespace.DG.payer)
    assert namespace.role_iri("backstop_buyer") == str(namespace.role_term("backstop_buyer"))
    with pytest.raises(AttributeError):
        namespace.IRI.dg.Compnay  # noqa: B018 (misspelt: raises, as DG.Compnay does)
