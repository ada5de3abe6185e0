"""Golden outputs: what every command prints, pinned byte for byte with syrupy, so a refactor of
the rendering code cannot change an output without a snapshot failing.

Every command runs in-process (typer's CliRunner) on the bundled seeds, with ``--store`` given
explicitly and ``COLUMNS`` set: rich follows COLUMNS when the output is not a terminal, so
tables and the text report are pinned at 80 and at 120 columns; JSON, Markdown, CSV and TSV do
not depend on the width and are pinned once (``test_machine_outputs_do_not_depend_on_columns``
checks that). The environment variables that would change an output (colours, a remote
endpoint, a documents folder) are unset for every run.

Only values that change from run to run are normalised, each by name and with a count, so a
normaliser cannot hide anything else: the seconds the loop search took (``"elapsed"`` in the
loops, report and stress JSON) and the absolute tmp path of a store (``build``). Carriage
returns are shown as a visible ``\\r`` because the snapshot file folds CRLF into LF.

After a deliberate change of an output: ``pytest tests/test_golden.py --snapshot-update``, then
review the diff of ``tests/__snapshots__/test_golden.ambr`` like code.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dealgraph.cli import app

WIDTHS = (80, 120)
#: Unset for every run: they would colour the output, or point the commands elsewhere.
UNSET = ("FORCE_COLOR", "NO_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "LINES",
         "JUPYTER_COLUMNS", "JUPYTER_LINES", "DEALGRAPH_STORE", "DEALGRAPH_ENDPOINT", "DEALGRAPH_DOCUMENTS")


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}-columns")
def columns(request) -> int:
    """The terminal width the command is told about (COLUMNS)."""
    return request.param


def cli(*args, columns: int = 80) -> Result:
    """Run ``dealgraph ARGS`` with COLUMNS set; it must succeed."""
    gc.collect()  # the Oxigraph lock of an earlier run goes with its last reference
    env = {name: None for name in UNSET} | {"COLUMNS": str(columns)}
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exception is None, repr(result.exception)
    assert result.exit_code == 0, result.stderr
    return result


def shown(result: Result) -> str:
    """What the user sees: stdout exactly, then stderr when there is any (the row count of a
    query table); carriage returns made visible, since the snapshot file folds CRLF into LF."""
    text = result.stdout_bytes.decode("utf-8")
    if result.stderr:
        text += "--- stderr ---\n" + result.stderr
    return text.replace("\r", "\\r")


ELAPSED = re.compile(r'("elapsed": )(\d+(?:\.\d+)?(?:[eE]-?\d+)?)(,?\n)')


def elapsed_normalised(text: str, count: int) -> str:
    """Replace the seconds the loop search took (different on every run) by a placeholder;
    exactly ``count`` of them must be there."""
    out, n = ELAPSED.subn(r'\1"<seconds>"\3', text)
    assert n == count, f"expected {count} elapsed time(s), found {n}"
    return out


def path_normalised(text: str, path: Path) -> str:
    """Replace the absolute tmp path of a store (different on every run) by ``<store>``."""
    assert text.count(str(path)) == 1, text
    return text.replace(str(path), "<store>")


# ---------------------------------------------------------------------------------------------
# deals, companies


def test_deals_table(built_store, columns, snapshot):
    assert shown(cli("deals", "--store", built_store, columns=columns)) == snapshot


def test_deals_json(built_store, snapshot):
    assert shown(cli("deals", "--format", "json", "--store", built_store)) == snapshot


def test_deals_of_microsoft_table(built_store, columns, snapshot):
    assert shown(cli("deals", "--company", "Microsoft", "--store", built_store, columns=columns)) == snapshot


def test_companies_table(built_store, columns, snapshot):
    assert shown(cli("companies", "--store", built_store, columns=columns)) == snapshot


def test_companies_json(built_store, snapshot):
    assert shown(cli("companies", "--format", "json", "--store", built_store)) == snapshot


# ---------------------------------------------------------------------------------------------
# loops, report, stress


def test_loops_table_and_summary(built_store, columns, snapshot):
    assert shown(cli("loops", "--store", built_store, columns=columns)) == snapshot


def test_loops_json_elapsed_normalised(built_store, snapshot):
    text = shown(cli("loops", "--format", "json", "--store", built_store))
    assert elapsed_normalised(text, count=1) == snapshot


def test_report_text(built_store, columns, snapshot):
    assert shown(cli("report", "--store", built_store, columns=columns)) == snapshot


def test_report_markdown(built_store, snapshot):
    assert shown(cli("report", "--format", "markdown", "--store", built_store)) == snapshot


def test_report_json_elapsed_normalised(built_store, snapshot):
    text = shown(cli("report", "--format", "json", "--store", built_store))
    assert elapsed_normalised(text, count=1) == snapshot


def test_stress_without_microsoft_table(built_store, columns, snapshot):
    assert shown(cli("stress", "--remove", "Microsoft", "--store", built_store, columns=columns)) == snapshot


def test_stress_without_microsoft_json_elapsed_normalised(built_store, snapshot):
    text = shown(cli("stress", "--remove", "Microsoft", "--format", "json", "--store", built_store))
    assert elapsed_normalised(text, count=1) == snapshot


# ---------------------------------------------------------------------------------------------
# query


def test_query_list(snapshot):
    assert shown(cli("query", "--list")) == snapshot


def test_query_who_funds_whom_table(built_store, columns, snapshot):
    assert shown(cli("query", "who-funds-whom", "--store", built_store, columns=columns)) == snapshot


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_query_deals_of_nvidia(built_store, fmt, snapshot):
    result = cli("query", "deals-of-company", "--bind", "company=Nvidia", "--format", fmt, "--store", built_store)
    assert shown(result) == snapshot


# ---------------------------------------------------------------------------------------------
# build, validate


def test_build_output_store_path_normalised(tmp_path, snapshot):
    root = tmp_path / "store"
    assert path_normalised(shown(cli("build", "--store", root)), root) == snapshot


def test_validate_without_shacl(snapshot):
    assert shown(cli("validate", "--no-shacl")) == snapshot


# ---------------------------------------------------------------------------------------------
# The widths are real: COLUMNS changes the tables, and nothing else


BOX = re.compile(r"^[┏┃┡│└╭╰─]")  # a line of a rich table, panel or rule starts with one of these

TABLES = {
    "deals": ["deals"],
    "deals-of-microsoft": ["deals", "--company", "Microsoft"],
    "companies": ["companies"],
    "loops": ["loops"],
    "report": ["report"],
    "stress": ["stress", "--remove", "Microsoft"],
    "who-funds-whom": ["query", "who-funds-whom"],
}


@pytest.mark.parametrize("args", TABLES.values(), ids=TABLES.keys())
def test_tables_follow_columns(built_store, args):
    """Issue 12: a table fits the width and no column is narrower than its words; where a
    table cannot, the rows come as blocks (the first column as heading): either way no line
    is wider than the terminal and every word of the data is whole."""
    out = {w: cli(*args, "--store", built_store, columns=w).stdout for w in WIDTHS}
    assert out[80] != out[120]
    for width, text in out.items():
        assert max(len(line.rstrip()) for line in text.splitlines()) <= width
        drawn = [line for line in text.splitlines() if BOX.match(line)]
        if drawn:
            assert max(len(line) for line in drawn) <= width
    # blocks head each row by its first value, so the first column's header may not show
    headers = {w for line in out[120].splitlines() if "┃" in line for w in re.findall(r"[\w.-]{6,}", line)}
    words = {w for w in re.findall(r"[\w.-]{6,}", out[120])} - headers
    assert words <= {w for w in re.findall(r"[\w.-]{6,}", out[80])}, "a word was broken at 80 columns"


#: Outputs that must not depend on the width, each with how many elapsed times it carries
#: (normalised before comparing, as in the snapshots).
MACHINE = {
    "deals-json": (["deals", "--format", "json", "--store", "{store}"], 0),
    "companies-json": (["companies", "--format", "json", "--store", "{store}"], 0),
    "loops-json": (["loops", "--format", "json", "--store", "{store}"], 1),
    "report-markdown": (["report", "--format", "markdown", "--store", "{store}"], 0),
    "report-json": (["report", "--format", "json", "--store", "{store}"], 1),
    "stress-json": (["stress", "--remove", "Microsoft", "--format", "json", "--store", "{store}"], 1),
    "query-json": (["query", "deals-of-company", "--bind", "company=Nvidia", "--format", "json", "--store", "{store}"], 0),
    "query-csv": (["query", "deals-of-company", "--bind", "company=Nvidia", "--format", "csv", "--store", "{store}"], 0),
    "query-tsv": (["query", "deals-of-company", "--bind", "company=Nvidia", "--format", "tsv", "--store", "{store}"], 0),
    "query-list": (["query", "--list"], 0),
    "validate": (["validate", "--no-shacl"], 0),
}


@pytest.mark.parametrize(("args", "timed"), MACHINE.values(), ids=MACHINE.keys())
def test_machine_outputs_do_not_depend_on_columns(built_store, args, timed):
    args = [a.format(store=built_store) for a in args]
    narrow, wide = (elapsed_normalised(shown(cli(*args, columns=w)), count=timed) for w in WIDTHS)
    assert narrow == wide
