"""The README's commands and outputs are the real ones.

The README opens with exactly two commands (the main job, the test suite); `.ci/run` calls the
second. Each ```console block starting with `$ dealgraph ...` is run against a store built from
the bundled seeds: its lines (an excerpt where "..." marks a gap) must appear in the real
output, in order. The deals JSON example must be the record the command prints.
"""

from __future__ import annotations

import gc
import json
import re
import shlex
from pathlib import Path

import networkx as nx
import pytest
import typer
import typer.main
from typer.testing import CliRunner

from dealgraph import DealGraph
from dealgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_two_commands_open_the_readme():
    bash = blocks("bash")
    assert len(bash) == 2, "the README gives exactly two commands"
    main, tests = (b.strip() for b in bash)
    assert "dealgraph build" in main and main.endswith("dealgraph report")
    assert "pip install" in main and main.startswith("python3 -m venv")
    assert tests == "bash tests/run.sh"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci
    # .ci/run calls the test command and nothing else
    commands = [l for l in ci.splitlines() if l.strip() and not l.startswith("#")]
    assert commands[-1].strip() == tests


def excerpt_matches(expected: list[str], actual: str) -> None:
    lines = [l.rstrip() for l in actual.splitlines()]
    at = 0
    for want in expected:
        if want.strip() == "...":
            continue
        for i in range(at, len(lines)):
            if lines[i] == want.rstrip():
                at = i + 1
                break
        else:
            raise AssertionError(f"README line not found (in order) in the real output: {want!r}")


CONSOLE = [b for b in blocks("console") if b.startswith("$ dealgraph ")]


@pytest.mark.parametrize("block", CONSOLE, ids=[b.splitlines()[0][2:] for b in CONSOLE])
def test_console_blocks_show_real_output(block, built_store, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_STORE", str(built_store))
    command, *expected = block.rstrip("\n").splitlines()
    args = shlex.split(command[2:])[1:]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    excerpt_matches(expected, result.stdout)


def test_console_blocks_exist():
    assert len(CONSOLE) >= 3


def test_deals_json_example_is_real(built_store, monkeypatch):
    (example,) = blocks("json")
    record = json.loads(example)
    monkeypatch.setenv("DEALGRAPH_STORE", str(built_store))
    result = CliRunner().invoke(app, ["deals", "--company", "Nvidia", "--format", "json"])
    assert result.exit_code == 0
    records = {r["id"]: r for r in json.loads(result.stdout)}
    assert records[record["id"]] == record
    assert set(record) == {"id", "kind", "from", "to", "amount", "share", "date", "until", "period", "status", "sources",
                           "inferred", "parties", "events"}


# ---------------------------------------------------------------------------------------------
# The "## Python API" block runs, for real, on the bundled seeds


def section(title: str) -> str:
    """The text of the README section ``## title``, up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"the README has no '## {title}' section"
    return match.group(1)


def test_python_api_block_runs(built_store, monkeypatch):
    (code,) = re.findall(r"```python\n(.*?)```", section("Python API"), re.S)
    lines = code.splitlines()
    try:
        import pandas  # noqa: F401
    except ImportError:  # only the DataFrame lines need pandas; every other line still runs
        lines = [line for line in lines if ".to_dataframe(" not in line.split("#")[0]]
    monkeypatch.setenv("DEALGRAPH_STORE", str(built_store))
    monkeypatch.delenv("DEALGRAPH_ENDPOINT", raising=False)
    opened = []
    real_open = DealGraph.open.__func__

    def recording_open(cls, *args, **kwargs):  # DealGraph.open, remembering what it opened
        graph = real_open(cls, *args, **kwargs)
        opened.append(graph)
        return graph

    monkeypatch.setattr(DealGraph, "open", classmethod(recording_open))
    namespace: dict = {}
    try:
        exec(compile("\n".join(lines), "README.md (## Python API)", "exec"), namespace)
    finally:
        for graph in opened:
            graph.close()
        gc.collect()
    # the block opened the store DEALGRAPH_STORE names, then swapped to the in-memory seeds
    assert [g.location for g in opened] == [str(built_store)]
    assert namespace["graph"].location == ":memory:"
    G = namespace["G"]
    assert isinstance(G, nx.MultiDiGraph) and G.number_of_edges() > 0
    assert "<html" in namespace["html"].lower()


# ---------------------------------------------------------------------------------------------
# The "## Commands" table names every command, and only options they have


def command_table() -> dict[str, tuple[str, str]]:
    """``{command name: (its synopsis, what it does)}`` from the "## Commands" table."""
    rows = {}
    for line in section("Commands").splitlines():
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if not cells or not cells[0].startswith("`dealgraph "):
            continue
        synopsis, does = cells
        name = synopsis.strip("`").split()[1]
        assert name not in rows, f"{name} has two rows"
        rows[name] = (synopsis, does)
    return rows


CLICK = typer.main.get_command(app)


def options_of(name: str) -> set[str]:
    return {opt for p in CLICK.commands[name].params for opt in (*p.opts, *p.secondary_opts) if opt.startswith("-")}


def options_in(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", text))


def test_commands_table_lists_exactly_the_registered_commands():
    assert set(command_table()) == set(CLICK.commands)


@pytest.mark.parametrize("name", sorted(command_table()))
def test_commands_table_shows_only_real_options(name):
    synopsis, does = command_table()[name]
    shown = options_in(synopsis)
    assert shown, f"the {name} row shows no option"  # every row has one: the check below is not vacuous
    assert shown <= options_of(name), f"not options of `dealgraph {name}`: {sorted(shown - options_of(name))}"
    # an option the description mentions (query's --list, serve's --endpoint) is some command's option
    anywhere = set().union(*(options_of(n) for n in CLICK.commands))
    assert options_in(does) <= anywhere, sorted(options_in(does) - anywhere)


def test_commands_table_endpoint_claim():
    # the serve row says --endpoint works on "the other commands that take --store"
    assert "--endpoint URL` points the other commands that take `--store`" in command_table()["serve"][1]
    with_store = {name for name in CLICK.commands if "--store" in options_of(name)} - {"serve"}
    assert with_store and all("--endpoint" in options_of(name) for name in with_store)
