"""The ``dealgraph`` command (dealgraph.cli), through typer's CliRunner and, where the process
itself matters, through ``python -m dealgraph`` in a subprocess.

Every store is under tmp_path: ``--store`` is passed, or DEALGRAPH_STORE is set with monkeypatch.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.sparql import saved_queries

COMMANDS = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
FOREIGN = ("pyvis", "pyshacl", "jupyter", "ipykernel", "matplotlib")
#: dealgraph/__init__.py and cli.py promise that --help does not pay for these either.
LAZY = ("rdflib", "pyoxigraph", "oxrdflib", "pydantic")


@pytest.fixture(autouse=True)
def no_store_in_home(tmp_path, monkeypatch):
    """Never the user's store: DEALGRAPH_STORE points into tmp_path unless a test says otherwise."""
    monkeypatch.setenv("DEALGRAPH_STORE", str(tmp_path / "default-store"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield
    gc.collect()  # an error's traceback may hold the store open until collected


def run(*args: str):
    gc.collect()
    return CliRunner().invoke(app, [str(a) for a in args])


def clean(result) -> None:
    """No traceback, and only a deliberate exit."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------------
# Help


def test_the_commands():
    assert {"build", "validate", "query", "deals", "companies", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    clean(result)
    assert result.exit_code == 0
    assert f"Usage: dealgraph {command}" in result.stdout
    assert re.search(r"Examples?:", result.stdout), "no example in the help"
    assert re.search(rf"^\s*(Examples?:\s*)?dealgraph {re.escape(command)}\b", result.stdout, re.M), \
        "the example does not show the command"


def test_top_level_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert re.search(rf"^\s+{re.escape(command)}\s", result.stdout, re.M), command


def test_python_m_dealgraph_help():
    proc = subprocess.run([sys.executable, "-m", "dealgraph", "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Usage: " in proc.stdout and "build" in proc.stdout and "query" in proc.stdout
    assert proc.stderr == ""


def test_help_does_not_import_heavy_optional_packages():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "dealgraph", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "dealgraph.cli" in imported  # the scan works
    loaded = sorted(m for m in imported if m.split(".")[0] in FOREIGN)
    assert loaded == []
    assert sorted(m for m in imported if m.split(".")[0] in LAZY) == []


def test_no_command_help_imports_heavy_optional_packages():
    script = (
        "import sys\n"
        "from dealgraph.cli import app\n"
        "names = [c.name or c.callback.__name__.replace('_', '-') for c in app.registered_commands]\n"
        "for args in [['--help']] + [[n, '--help'] for n in names]:\n"
        "    try:\n"
        "        app(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FOREIGN!r}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------------------------------------
# build and validate


def test_build_prints_what_it_built(tmp_path, seeds, seeds_dir, documents_dir):
    root = tmp_path / "store"
    result = run("build", "--seeds", seeds_dir, "--documents", documents_dir, "--store", root)
    clean(result)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Built {root}"
    counts = dict(line.split() for line in lines[1:])
    assert counts == {"documents": "5", "companies": "14", "deals": str(len(seeds.deals)),
                      "claims": str(len(seeds.claims)), "observations": str(len(seeds.statements)),
                      "triples": counts["triples"]}
    assert int(counts["triples"]) > 1000
    assert (root / "current").is_symlink()
    assert result.stderr == ""  # no warning for the bundled seeds


def test_build_json(tmp_path, seeds_dir, seeds):
    result = run("build", "--seeds", seeds_dir, "--store", tmp_path / "store", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["deals"] == len(seeds.deals) and report["location"] == str(tmp_path / "store")
    assert report["warnings"] == []


def test_build_uses_dealgraph_store(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_STORE", str(tmp_path / "from-env"))
    result = run("build", "--seeds", seeds_dir)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Built {tmp_path / 'from-env'}")
    assert (tmp_path / "from-env" / "current").is_symlink()


def test_validate_with_documents(seeds_dir, documents_dir, tmp_path):
    pytest.importorskip("pyshacl")
    result = run("validate", "--seeds", seeds_dir, "--documents", documents_dir)
    clean(result)
    assert result.exit_code == 0, result.stderr
    # 50 claims: 004's "uno dei suoi più importanti clienti" backs the OpenAI -> Nvidia purchase on its own
    assert result.stdout.strip() == ("OK: 5 documents, 19 deals, 50 claims; every quote found in its document; "
                                     "SHACL: conforms; 0 warning(s)")
    assert not (tmp_path / "default-store").exists()  # validate writes nothing


def test_validate_without_shacl(seeds_dir):
    result = run("validate", "--seeds", seeds_dir, "--no-shacl")
    assert result.exit_code == 0, result.stderr
    assert "quotes not checked (no --documents)" in result.stdout
    assert "SHACL: not run" in result.stdout


@pytest.mark.parametrize("command", ["validate", "build"])
def test_invalid_seeds_exit_2_with_one_problem_a_line(command, bad_seeds, tmp_path):
    path = bad_seeds / "extractions" / "004_9cb071e2598439fe.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("currency: USD, text: \"6,5", "currency: XYZ, text: \"6,5"),
                    encoding="utf-8")
    result = run(command, "--seeds", bad_seeds, *(["--no-shacl"] if command == "validate" else ["--format", "json"]))
    clean(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(re.search(r"004_9cb071e2598439fe\.yaml:6: claims\.0\.amount\.currency: 'XYZ' is not an ISO 4217", l)
               for l in lines)
    assert lines[-1].startswith("dealgraph: error: the seeds have ")
    assert not (tmp_path / "default-store").exists()


# ---------------------------------------------------------------------------------------------
# query


def test_query_list(cli_store):
    result = run("query", "--list")
    assert result.exit_code == 0
    listed = {line.split()[0]: line for line in result.stdout.splitlines()}
    for name, q in saved_queries().items():
        assert name in listed and q.description in listed[name]


def test_query_table(cli_store):
    result = run("query", "revenue-shares", "--store", cli_store)
    clean(result)
    assert result.exit_code == 0, result.stderr
    # 004: "il 62% dei ricavi di CoreWeave proveniva da progetti con Microsoft"
    assert re.search(r"CoreWeave\s*│\s*Microsoft\s*│\s*0\.62", result.stdout)
    assert result.stderr.strip() == "2 row(s)"


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_query_bind_and_format(cli_store, fmt):
    result = run("query", "deals-of-company", "--bind", "company=Nvidia", "--format", fmt, "--store", cli_store)
    clean(result)
    assert result.exit_code == 0, result.stderr
    out = result.stdout_bytes.decode("utf-8")  # .stdout folds CRLF into LF
    if fmt == "json":
        data = json.loads(out)
        companies = {b["company"]["value"] for b in data["results"]["bindings"]}
        deals = {b["deal"]["value"] for b in data["results"]["bindings"]}
    elif fmt == "csv":
        assert out.startswith("company,role,held,deal,kind,counterparties,amount,currency,status\r\n")
        table = list(csv.DictReader(io.StringIO(out, newline="")))
        companies, deals = {r["company"] for r in table}, {r["deal"] for r in table}
    else:
        header, *body = [line.split("\t") for line in out.rstrip("\n").split("\n")]
        assert header == ["?company", "?role", "?held", "?deal", "?kind", "?counterparties", "?amount", "?currency",
                          "?status"]
        companies = {row[0].split('"')[1] for row in body}
        deals = {row[3].split('"')[1] for row in body}
    assert companies == {"Nvidia"}
    # 004: the 6.3 bn backstop and the ~100 bn investment plan
    assert {"nvidia-coreweave-capacity-backstop", "nvidia-openai-investment-plan"} <= deals


def test_query_sparql_text_and_env_store(cli_store, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_STORE", str(cli_store))
    result = run("query", "SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"graphs\r\n8\r\n"  # five documents, curation, resolved, ontology


def test_query_file(cli_store, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("PREFIX dg: <https://w3id.org/dealgraph/ontology#>\n"
                    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/dealgraph/graph/resolved> { ?d a dg:Deal } }",
                    encoding="utf-8")
    result = run("query", path, "--format", "csv", "--store", cli_store)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"n\r\n19\r\n"


# ---------------------------------------------------------------------------------------------
# deals, companies, export


def test_deals_json_is_the_api_json(cli_store, memory_graph):
    result = run("deals", "--format", "json", "--store", cli_store)
    clean(result)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == memory_graph.deals()


def test_deals_table_of_an_alias(cli_store):
    result = run("deals", "--company", "AI-Hyperscaler", "--store", cli_store)
    clean(result)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # 004: "un primo contratto siglato nel marzo 2025 per 11,9 miliardi di dollari"
    assert re.search(r"coreweave-capacity-option-2025\s*│.*OpenAI\s*│\s*CoreWeave\s*│\s*11\.9 bn USD", out)
    # 004: "un piano di investimenti di circa 100 miliardi" is not CoreWeave's
    assert "nvidia-openai-investment-plan" not in out
    # 004: "possiede oltre il 5% delle azioni di CoreWeave"
    assert re.search(r"nvidia-coreweave-stake.*>5 % of ownership", out)  # one formatter: ">" before the figure


def test_companies_table_and_json(cli_store):
    table = run("companies", "--store", cli_store)
    assert table.exit_code == 0, table.stderr
    assert "AI-Hyperscaler" in table.stdout and "Q182477" in table.stdout
    data = json.loads(run("companies", "--format", "json", "--store", cli_store).stdout)
    assert len(data) == 14
    assert next(c for c in data if c["id"] == "coreweave")["name"] == "CoreWeave"


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq", "nt", "jsonld"])
def test_export(cli_store, tmp_path, fmt):
    import pyoxigraph as ox

    out = tmp_path / f"dealgraph.{fmt}"
    result = run("export", "--format", fmt, "--output", out, "--store", cli_store)
    clean(result)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"Wrote {out}"
    parsed = list(ox.parse(path=str(out), format={"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
                                                  "nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES,
                                                  "jsonld": ox.RdfFormat.JSON_LD}[fmt]))
    assert len(parsed) > 500


# ---------------------------------------------------------------------------------------------
# Errors: one line, the right status, never a traceback


@pytest.mark.parametrize(
    "args",
    [["deals"], ["companies"], ["query", "sources"], ["export", "--format", "trig", "--output", "{tmp}/x.trig"]],
    ids=["deals", "companies", "query", "export"],
)
@pytest.mark.parametrize("how", ["option", "env"])
def test_no_store_exits_1_with_one_line(tmp_path, monkeypatch, args, how):
    missing = tmp_path / "no-store-here"
    args = [a.format(tmp=tmp_path) for a in args]
    if how == "option":
        args += ["--store", str(missing)]
    else:
        monkeypatch.setenv("DEALGRAPH_STORE", str(missing))
    result = run(*args)
    clean(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.rstrip("\n")]
    assert result.stderr.startswith(f"dealgraph: error: no store at {missing}")
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "SELECT WHERE {"], "dealgraph: error: the query failed: "),
        (["query", "nope"], "dealgraph: error: 'nope' is neither SPARQL nor a saved query"),
        (["query", "sources", "--bind", "company"], "dealgraph: error: --bind takes NAME=VALUE"),
        (["query"], "dealgraph: error: give a query"),
        (["query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"], "dealgraph: error: only SELECT and ASK"),
        (["deals", "--company", "Nope"], "dealgraph: error: no company named 'Nope'"),
        (["deals", "--company", "Nvida"], "dealgraph: error: no company named 'Nvida' (did you mean Nvidia?)"),
    ],
    ids=["malformed", "unknown-name", "bad-bind", "no-query", "construct", "unknown-company", "misspelt-company"],
)
def test_user_errors_exit_1_with_one_line(cli_store, args, message):
    result = run(*args, "--store", cli_store)
    clean(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(message)


def test_export_to_an_unwritable_place_exits_1(cli_store, tmp_path):
    result = run("export", "--format", "nq", "--output", tmp_path / "missing" / "x.nq", "--store", cli_store)
    clean(result)
    assert result.exit_code == 1
    assert result.stderr.startswith("dealgraph: error: cannot write")


@pytest.mark.parametrize("args", [["export", "--format", "rdfxml", "--output", "x"], ["deals", "--format", "yaml"]])
def test_bad_option_values_are_usage_errors(cli_store, args):
    result = run(*args, "--store", cli_store)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_errors_in_a_real_process_have_no_traceback(tmp_path):
    env = {**os.environ, "DEALGRAPH_STORE": str(tmp_path / "none")}
    proc = subprocess.run([sys.executable, "-m", "dealgraph", "deals"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == f"dealgraph: error: no store at {tmp_path / 'none'}: run `dealgraph build` first (or pass --store)\n"


# ---------------------------------------------------------------------------------------------
# The JSON writer (orjson, for speed: cli._json)


@pytest.mark.parametrize("data", [
    {"share": 0.7700000000000001, "amount": 100000000000.0, "count": 3, "none": None, "ok": True,
     "name": "Société générale — 株式会社", "list": [1.5, -2.0, 1e16, 1e22, 5e-4], "empty": {}, "nested": [[]]},
    {"small": 2.7643245245179138e-05, "tiny": 5e-324},  # orjson writes these in full: same doubles
    {"huge": 2**70, "also": 0.5},  # beyond 64 bits: orjson refuses, the standard library writes it
    {"control": "a\x01b\x9bc\u202ed"},
])
def test_the_json_printed_is_the_standard_librarys_json(capsys, data):
    """`--format json` prints what json.dumps(indent=2, ensure_ascii=False) would, byte for
    byte, but for the notation of floats under 1e-4 (the same numbers), and C1 controls and
    bidirectional overrides escaped."""
    from dealgraph.cli import _json
    from dealgraph.text import u_escaped

    _json(data)
    printed = capsys.readouterr().out
    assert json.loads(printed) == data
    stdlib = u_escaped(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    if "small" in data:
        assert printed != stdlib and "0.000027643245245179138" in printed
    else:
        assert printed == stdlib
    assert "\x9b" not in printed and "\u202e" not in printed
