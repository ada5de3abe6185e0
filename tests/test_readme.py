"""The README's commands and outputs are the real ones.

The README opens with exactly two commands (the main job, the test suite); `.ci/run` calls the
second. Each ```console block starting with `$ dealgraph ...` is run against a store built from
the bundled seeds: its lines (an excerpt where "..." marks a gap) must appear in the real
output, in order. The deals JSON example must be the record the command prints.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealgraph import DealGraph
from dealgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("readme") / "store"
    DealGraph.build(store=path)[0].close()
    return path


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
def test_console_blocks_show_real_output(block, store, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_STORE", str(store))
    command, *expected = block.rstrip("\n").splitlines()
    args = shlex.split(command[2:])[1:]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    excerpt_matches(expected, result.stdout)


def test_console_blocks_exist():
    assert len(CONSOLE) >= 3


def test_deals_json_example_is_real(store, monkeypatch):
    (example,) = blocks("json")
    record = json.loads(example)
    monkeypatch.setenv("DEALGRAPH_STORE", str(store))
    result = CliRunner().invoke(app, ["deals", "--company", "Nvidia", "--format", "json"])
    assert result.exit_code == 0
    records = {r["id"]: r for r in json.loads(result.stdout)}
    assert records[record["id"]] == record
    assert set(record) == {"id", "kind", "from", "to", "amount", "share", "date", "until", "period", "status", "sources"}
