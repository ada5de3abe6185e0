"""Optional extras (issue 12): with one absent, the feature that needs it says in one line
which extra to install, from the CLI and the API alike; the core install has everything the
README's commands use."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.errors import MissingExtra

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def without(monkeypatch):
    """``without("matplotlib")``: that package cannot be imported for the test."""
    def hide(name: str) -> None:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            monkeypatch.delitem(sys.modules, module)
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError

    return hide


def test_the_core_install_has_the_view_and_shacl():
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11")
    core = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.startswith("pyvis") for d in core) and any(d.startswith("pyshacl") for d in core)


def test_plots_without_matplotlib_name_the_extra(without, built_store, tmp_path, monkeypatch):
    without("matplotlib")
    result = CliRunner().invoke(app, ["report", "--plots", str(tmp_path / "charts"), "--store", str(built_store)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "dealgraph: error: the report's charts (--plots) needs matplotlib: pip install 'dealgraph[plots]'"]
    assert "Traceback" not in result.output


def test_the_api_says_the_same(without, memory_graph, tmp_path):
    without("matplotlib")
    with pytest.raises(MissingExtra, match=r"pip install 'dealgraph\[plots\]'"):
        memory_graph.plots(tmp_path)


def test_a_dataframe_without_pandas_names_the_extra(without, memory_graph):
    without("pandas")
    with pytest.raises(MissingExtra, match=r"pandas: pip install 'dealgraph\[notebooks\]'"):
        memory_graph.query("sources").to_dataframe()
