"""Data is text in every output (issue 11, classes 3 and 11): names and quotes that look like
terminal markup, escape sequences or Markdown/HTML come out as the characters they are."""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from dealgraph import DealGraph
from dealgraph.cli import app
from dealgraph.render import md_text, print_report, print_table, printable, report_markdown

#: Names an attacker would pick: rich markup, a live terminal hyperlink, ESC sequences (colour,
#: window title, clear screen), a C1 CSI, bidi overrides, HTML and Markdown that would run or
#: restructure a page, and a line break that would start a heading.
HOSTILE = [
    "[/]",
    "[link=https://evil.example/phish]Nvidia[/link]",
    "Nv\x1b[31midia\x1b]0;pwned\x07\x1b[2J",
    "Nvi\x9b31mdia",
    "Nvidia\u202eaidivN",
    "<img src=x onerror=alert(1)><script>alert(1)</script>",
    "Nvidia\n# Injected heading\n<iframe src=javascript:alert(1)>",
    "*Nvi*_dia_ `x` [a](b) | c",
]
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, seeds_dir):
    """The seeds with Nvidia renamed to every hostile name at once (one per build would be slow)."""
    import shutil

    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    shutil.copytree(seeds_dir, seeds)
    entities = seeds / "entities.yaml"
    name = " ".join(HOSTILE)
    entities.write_text(entities.read_text(encoding="utf-8").replace(
        "    name: Nvidia\n", f"    name: {json.dumps(name)}\n", 1), encoding="utf-8")
    graph, _ = DealGraph.build(seeds, store=root / "store")
    graph.close()
    return root / "store", name


@pytest.mark.parametrize("args", [
    ["deals"], ["companies"], ["loops"], ["report"], ["report", "--format", "markdown"],
    ["stress", "--remove", "microsoft"], ["query", "who-funds-whom"], ["deals", "--format", "json"],
])
def test_hostile_names_come_out_as_text(hostile_store, monkeypatch, args):
    store, name = hostile_store
    monkeypatch.setenv("COLUMNS", "400")
    result = CliRunner().invoke(app, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert not RAW_CONTROL.search(out), "a control character reached the terminal"
    if "json" in args:
        assert name in {c for d in json.loads(out) for c in (d["from"] or "", d["to"] or "")} | {
            p["name"] for d in json.loads(out) for p in d["parties"]}
    elif "markdown" in args:
        assert "<script>" not in out and "<img" not in out and "<iframe" not in out
        assert "\n# Injected heading" not in out
        assert "&lt;script&gt;" in out
    else:
        assert "[/]" in out and "[link=https://evil.example/phish]" in out  # markup shown, not obeyed
        assert "\\x1b[31m" in out  # the escape shown as its code


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_printable_leaves_no_control_character(text):
    shown = printable(text)
    assert not RAW_CONTROL.search(shown.replace("\n", "").replace("\t", ""))
    if not RAW_CONTROL.search(text):
        assert shown == text  # ordinary text is untouched


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_markdown_text_has_no_markup_and_no_line_break(text):
    md = md_text(text)
    assert "\n" not in md and "<" not in md and ">" not in md
    assert not re.search(r"(?<!\\)[*_`\[\]|]", md)  # every emphasis, code, link, cell mark escaped


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_a_table_and_a_report_print_any_name(text):
    buf = io.StringIO()
    out = Console(file=buf, width=100, force_terminal=True, color_system=None)
    print_table([{"company": text, "amount": 1e9}], ["company", "amount"], title=text, out=out)
    report = json.loads(json.dumps(REPORT).replace("Nvidia", json.dumps(text)[1:-1]))
    print_report(report, out=out)
    report_markdown(report)
    assert not RAW_CONTROL.search(buf.getvalue().replace("\n", ""))


REPORT = DealGraph.memory().report()
