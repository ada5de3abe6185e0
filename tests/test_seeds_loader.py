"""Loading the seeds (dealgraph.seeds): every mistake a curator can make, reported as
``FILE:LINE: field.path: message``, all at once, and never a half-built store.

Each bad input is an edit of a private copy of seeds/ (the ``bad_seeds`` fixture). The
expected line is the line the edit touched (or, for a whole-file mistake, the line that names
the culprit), so a message that points a curator at the wrong line fails.
"""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml

from dealgraph import DealGraph
from dealgraph.errors import InvalidSeeds, Problem
from dealgraph.seeds import load_seeds

E0 = "extractions/000_59ef7ef0d81b026c.yaml"
E2 = "extractions/002_3b40e35e9b637772.yaml"
E3 = "extractions/003_fd0c659e06895f58.yaml"
E4 = "extractions/004_9cb071e2598439fe.yaml"


# ---------------------------------------------------------------------------------------------
# Editing a copy of the seeds


def replace_line(root: Path, rel: str, old: str, new: str, after: str | None = None) -> int:
    """Replace ``old`` by ``new`` on the one line holding it (the first after the line holding
    ``after``, when given); return that line's number (1-based)."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    hits = [i for i, line in enumerate(lines) if i >= start and old in line]
    if after is None:
        assert len(hits) == 1, f"{old!r} is on {len(hits)} lines of {rel}: make the edit unambiguous"
    i = hits[0]
    lines[i] = lines[i].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    return i + 1


def line_of(root: Path, rel: str, text: str, last: bool = False) -> int:
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    hits = [i + 1 for i, line in enumerate(lines) if text in line]
    assert hits, f"{text!r} is not in {rel}"
    return hits[-1] if last else hits[0]


def records_in(root: Path, rel: str, key: str) -> int:
    return len(yaml.safe_load((root / rel).read_text(encoding="utf-8"))[key])


def sub(rel: str, old: str, new: str, after: str | None = None) -> Callable[[Path], dict]:
    def edit(root: Path) -> dict:
        return {"line": replace_line(root, rel, old, new, after)}

    return edit


def append(rel: str, key: str, text: str) -> Callable[[Path], dict]:
    """Append records under ``key``; the expected line is the first appended line."""

    def edit(root: Path) -> dict:
        path = root / rel
        before = path.read_text(encoding="utf-8")
        n = records_in(root, rel, key)
        if not before.endswith("\n"):
            before += "\n"
        path.write_text(before + text, encoding="utf-8")
        return {"line": before.count("\n") + 1, "n": n}

    return edit


def new_extraction(root: Path) -> dict:
    (root / "extractions" / "005_00000000000000aa.yaml").write_text(
        "# a document nobody declared in documents.yaml\n"
        "document: 005_00000000000000aa\n"
        "claims:\n"
        "  - deal: coreweave-ipo-2025\n"
        '    quote: "an initial public offering"\n',
        encoding="utf-8",
    )
    return {"line": 2}


def misname_extraction(root: Path) -> dict:
    (root / E4).rename(root / "extractions" / "004_misnamed.yaml")
    return {"line": line_of(root, "extractions/004_misnamed.yaml", "document: 004_9cb071e2598439fe")}


def resolved(file: str) -> Path:
    return (Path.cwd() / file).resolve()


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


@dataclass(frozen=True)
class Bad:
    """One bad input: an edit, and the problem it must produce."""

    edit: Callable[[Path], dict]
    file: str
    field: str
    message: str  # a regular expression the whole message must match
    documents: bool = False  # needs the source articles (quote checks)


BAD_INPUTS = {
    # 004 says: "un importante accordo dal valore di 6,5 miliardi di dollari" -- made negative
    "negative-amount": Bad(sub(E4, "value: 6.5,", "value: -6.5,"), E4, "claims.0.amount.value",
                           r"value is negative \(.*\)"),
    "unknown-currency": Bad(sub(E4, 'currency: USD, text: "6,5', 'currency: XYZ, text: "6,5'), E4,
                            "claims.0.amount.currency", r"'XYZ' is not an ISO 4217 currency code"),
    "min-greater-than-max": Bad(sub(E4, "value: 6.5,", "value: 6.5, min: 7, max: 6,"), E4, "claims.0.amount.max",
                                r"min \(.*\) is greater than max \(.*\)"),
    # 004: "il 62% dei ricavi di CoreWeave proveniva da progetti con Microsoft" -- made 120 %
    "percent-120": Bad(sub(E4, "percent: 62,", "percent: 120,"), E4, "claims.7.share.percent",
                       r"percent must be between 0 and 100, not 120"),
    # 004: "un altro accordo di 4 miliardi a maggio dello stesso anno" -- month 13
    "month-13": Bad(sub(E4, "date: 2025-05", "date: 2025-13"), E4, "claims.3.date", r"'2025-13' has no month 13"),
    # 004: "fino all'aprile 2032" -- claim 16 since OpenAI as "uno dei suoi più importanti clienti"
    # became a claim of its own (on the accelerator purchase)
    "day-30-february": Bad(sub(E4, "until: 2032-04", "until: 2032-02-30"), E4, "claims.16.until",
                           r"'2032-02-30' has no day 30 in that month"),
    "two-digit-year": Bad(sub(E4, "date: 2025-03", "date: 25-03"), E4, "claims.2.date",
                          r"'25-03' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
    # a quoted scalar with a line break: must be refused here, not crash the RDF mapping later
    "date-with-line-break": Bad(sub(E4, "date: 2025-05", 'date: "2025-05\\n"'), E4, "claims.3.date",
                                r".*is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
    # 004: "seguito da un altro accordo di 4 miliardi" -- the quote no longer is verbatim
    "quote-not-in-document": Bad(sub(E4, "seguito da un altro accordo", "seguito da un nuovo accordo"), E4,
                                 "claims.3.quote", r"quote not found verbatim in 004_9cb071e2598439fe\.txt",
                                 documents=True),
    "yaml-syntax-error": Bad(sub(E4, 'amount: {value: 4, scale: billion, currency: USD, text: "4 miliardi"}',
                                 "amount: value: 4"), E4, "",
                             r"not valid YAML: mapping values are not allowed (here|in this context)"),
    "unknown-field": Bad(sub(E4, "    period: 2024", "    perod: 2024"), E4, "claims.7.perod", r"unknown field"),
    "unknown-deal": Bad(sub(E4, "- deal: openai-microsoft-infrastructure", "- deal: openai-microsoft-infra"), E4,
                        "claims.8.deal", r"unknown deal 'openai-microsoft-infra'"),
    "unknown-entity-in-deal": Bad(sub("deals.yaml", "{lender: magnetar,", "{lender: magnetr,"), "deals.yaml",
                                  "deals.10.parties.lender", r"unknown entity 'magnetr'"),
    "unknown-speaker": Bad(sub(E2, "    speaker: satya-nadella", "    speaker: satya"), E2, "claims.7.speaker",
                           r"unknown entity 'satya'"),
    "unknown-event-actor": Bad(sub(E0, "by: openai, role: customer", "by: opneai, role: customer"), E0,
                               "claims.0.event.by", r"unknown entity 'opneai'"),
    "unknown-entity-in-statement": Bad(sub(E4, "about: [nvidia, openai]", "about: [nvidia, openia]"), E4,
                                       "statements.0.about.1", r"unknown entity 'openia'"),
    "unknown-document": Bad(new_extraction, "extractions/005_00000000000000aa.yaml", "document",
                            r"unknown document '005_00000000000000aa'"),
    "misnamed-extraction-file": Bad(misname_extraction, "extractions/004_misnamed.yaml", "document",
                                    r"the file of document '004_9cb071e2598439fe' must be named "
                                    r"004_9cb071e2598439fe\.yaml"),
    "duplicate-deal-id": Bad(append("deals.yaml", "deals",
                                    "  - id: magnetar-coreweave-loan\n    kind: loan\n    label: Magnetar's loan, again\n"
                                    "    parties: {lender: magnetar, borrower: coreweave}\n"),
                             "deals.yaml", "deals.{n}.id", r"duplicate id 'magnetar-coreweave-loan'"),
    "duplicate-entity-id": Bad(append("entities.yaml", "entities",
                                      "  - id: nvidia\n    name: Nvidia Corporation\n    kind: company\n"),
                               "entities.yaml", "entities.{n}.id", r"duplicate id 'nvidia'"),
    "deal-without-claim": Bad(append("deals.yaml", "deals",
                                     "  - id: orphan-loan\n    kind: loan\n    label: A loan no article mentions\n"
                                     "    parties: {lender: magnetar, borrower: coreweave}\n"),
                              "deals.yaml", "deals.{n}.id",
                              r"deal 'orphan-loan' has no claim: every deal needs a sourced claim"),
    "role-not-fitting-kind": Bad(sub("deals.yaml", "{lender: magnetar, borrower", "{investor: magnetar, borrower"),
                                 "deals.yaml", "deals.10.parties",
                                 r"a loan has no role 'investor' \(roles: lender, borrower\)"),
    "unknown-kind": Bad(sub("deals.yaml", "kind: loan", "kind: gift", after="id: magnetar-coreweave-loan"),
                        "deals.yaml", "deals.10.kind", r"unknown deal kind 'gift' \(one of: .*\)"),
    "alias-of-two-entities": Bad(sub("entities.yaml", "aliases: [Amazon]", "aliases: [Amazon, NVIDIA]"),
                                 "entities.yaml", "entities.9.aliases.1", r"'NVIDIA' is already a name of 'nvidia'"),
}


@pytest.fixture
def load_bad(bad_seeds, request):
    """Apply one bad input to the copy of the seeds and load it; returns (info, problems)."""

    def _load(bad: Bad) -> tuple[dict, list[Problem]]:
        info = bad.edit(bad_seeds)
        documents = request.getfixturevalue("documents_dir") if bad.documents else None
        with pytest.raises(InvalidSeeds) as exc:
            load_seeds(bad_seeds, documents)
        return info, exc.value.problems

    return _load


@pytest.mark.parametrize("bad", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_reported_at_its_file_line_and_field(bad, bad_seeds, load_bad):
    info, problems = load_bad(bad)
    field = bad.field.format(**info)
    wanted_file = (bad_seeds / bad.file).resolve()
    listing = "\n".join(map(str, problems))
    at_field = [p for p in errors(problems) if resolved(p.file) == wanted_file and p.field == field]
    assert at_field, f"no error on {bad.file} {field!r}; the loader reported:\n{listing}"
    matching = [p for p in at_field if re.fullmatch(bad.message, p.message)]
    assert matching, f"message of {field!r} is {[p.message for p in at_field]}, expected /{bad.message}/"
    problem = matching[0]
    assert problem.line == info["line"], (
        f"{field} points at line {problem.line}, but the mistake is on line {info['line']}:\n{listing}")
    where = f"{problem.file}:{info['line']}:"
    assert str(problem) == (f"{where} {field}: {problem.message}" if field else f"{where} {problem.message}")


# Mistakes inside one record: nothing else in the seeds is wrong, so one message, not a cascade.
ONE_MISTAKE = ["negative-amount", "unknown-currency", "min-greater-than-max", "percent-120", "month-13",
               "day-30-february", "two-digit-year", "unknown-field", "unknown-speaker",
               "unknown-entity-in-deal", "unknown-entity-in-statement", "quote-not-in-document",
               "deal-without-claim",
               # a record or a file that cannot be read is reported as itself, not as the
               # "unknown deal" and "has no claim" of everything that depends on it
               "unknown-kind", "yaml-syntax-error", "role-not-fitting-kind", "duplicate-deal-id", "unknown-deal"]


@pytest.mark.parametrize("name", ONE_MISTAKE)
def test_one_mistake_gives_one_message(name, load_bad):
    """A bad claim must not hide the other claims of its file (which would report every deal
    only that file vouches for as 'has no claim', and its totals as unchecked)."""
    _, problems = load_bad(BAD_INPUTS[name])
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(map(str, problems))


def test_all_problems_are_reported_at_once(bad_seeds):
    picks = ["unknown-currency", "unknown-entity-in-deal", "unknown-speaker", "duplicate-entity-id"]
    expected = []
    for name in picks:
        bad = BAD_INPUTS[name]
        info = bad.edit(bad_seeds)
        expected.append(((bad_seeds / bad.file).resolve(), bad.field.format(**info)))
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    found = {(resolved(p.file), p.field) for p in errors(exc.value.problems)}
    for where in expected:
        assert where in found, f"{where} missing from {sorted(found)}"
    # the exception's own message names the first error and counts the others
    n = len(errors(exc.value.problems))
    assert str(exc.value) == f"{errors(exc.value.problems)[0]} (and {n - 1} more)"


def test_problems_are_sorted_by_file_and_line(bad_seeds):
    BAD_INPUTS["unknown-currency"].edit(bad_seeds)
    BAD_INPUTS["percent-120"].edit(bad_seeds)
    BAD_INPUTS["unknown-entity-in-deal"].edit(bad_seeds)
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    keys = [(p.file, p.line) for p in exc.value.problems]
    assert keys == sorted(keys)


@pytest.mark.parametrize("missing", ["documents.yaml", "entities.yaml", "deals.yaml"])
def test_a_missing_seed_file_is_reported(bad_seeds, missing):
    (bad_seeds / missing).unlink()
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    assert any(resolved(p.file) == (bad_seeds / missing).resolve() and p.message == "file is missing"
               for p in exc.value.problems)


def test_a_missing_seeds_folder_is_reported(tmp_path):
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(tmp_path / "nowhere")
    assert "no such seeds folder" in str(exc.value)


# ---------------------------------------------------------------------------------------------
# Warnings: totals that do not add up


@pytest.mark.parametrize(
    ("edit", "file", "field", "value_line", "message"),
    [
        # 004: "porta il totale dei contratti tra le due eminenti aziende a 22,4 miliardi di dollari";
        # its parts are 11.9 (March 2025) + 4 (May 2025) + 6.5 (the new deal). With 6.5 made 7.5,
        # the parts add up to 11.9 + 4 + 7.5 = 23.4 bn.
        (sub(E4, "value: 6.5,", "value: 7.5,"), E4, "totals.0.amount", "amount: {value: 22.4",
         "the parts add up to 23400000000, not the stated 22400000000"),
        # 003: "77% des revenus de Coreweave proviennent de juste deux clients"; 004 gives the
        # parts, Microsoft 62 % and Nvidia 15 %. With 15 made 25: 62 + 25 = 87.
        (sub(E4, "percent: 15,", "percent: 25,"), E3, "totals.0.share", "share: {percent: 77",
         "the parts add up to 87, not the stated 77"),
    ],
    ids=["openai-coreweave-22.4bn", "coreweave-top-two-77pc"],
)
def test_a_total_that_does_not_add_up_is_a_warning(bad_seeds, edit, file, field, value_line, message):
    edit(bad_seeds)
    seeds = load_seeds(bad_seeds)  # a warning is no error: the seeds still load
    assert len(seeds.warnings) == 1, "\n".join(map(str, seeds.warnings))
    w = seeds.warnings[0]
    assert w.severity == "warning"
    assert resolved(w.file) == (bad_seeds / file).resolve()
    assert (w.field, w.message) == (field, message)
    assert w.line == line_of(bad_seeds, file, value_line, last=True), "the warning points away from the total's value"
    assert str(w) == f"{w.file}:{w.line}: warning: {field}: {message}"


def test_bundled_seeds_load_without_error_or_warning(seeds_dir, documents_dir):
    seeds = load_seeds(seeds_dir, documents_dir)
    assert seeds.warnings == []
    assert len(seeds.documents) == 5  # the five articles of ../shared/seeds
    assert len(seeds.deals) == len(yaml.safe_load((seeds_dir / "deals.yaml").read_text(encoding="utf-8"))["deals"])


def test_a_document_whose_text_changed_is_reported(bad_seeds, tmp_path, documents_dir):
    docs = tmp_path / "documents"
    docs.mkdir()
    for p in documents_dir.glob("*.txt"):
        (docs / p.name).write_bytes(p.read_bytes())
    target = docs / "002_3b40e35e9b637772.txt"
    target.write_bytes(target.read_bytes() + b"\nA line added after curation.\n")
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds, docs)
    problem = next(p for p in exc.value.problems if p.field.endswith("sha256"))
    assert problem.field == "documents.2.sha256"
    assert problem.line == line_of(bad_seeds, "documents.yaml", "sha256: a5daaa54")
    assert "is not the text that was curated (sha256 differs)" in problem.message


# ---------------------------------------------------------------------------------------------
# The CLI: dealgraph build --seeds BAD leaves the store alone


def _answers(store: Path) -> tuple:
    graph = DealGraph.open(store)
    try:
        return (graph.store.quad_count(), tuple(map(str, graph.query("sources").rows)),
                tuple(map(str, graph.deals())))
    finally:
        graph.close()
        del graph
        gc.collect()


@pytest.mark.parametrize("names", [["negative-amount"], ["unknown-entity-in-deal", "unknown-currency"],
                                   ["yaml-syntax-error"]], ids="+".join)
def test_cli_build_with_bad_seeds_exits_2_and_keeps_the_store(names, bad_seeds, seeds_dir, tmp_path):
    store = tmp_path / "store"
    graph, _ = DealGraph.build(seeds_dir, store=store)
    graph.close()
    del graph
    gc.collect()
    before_link = os.readlink(store / "current")
    before_listing = sorted(os.listdir(store))
    before = _answers(store)

    expected = []
    for name in names:
        bad = BAD_INPUTS[name]
        info = bad.edit(bad_seeds)
        expected.append((bad.file.split("/")[-1], bad.field.format(**info)))
    env = {**os.environ, "DEALGRAPH_STORE": str(tmp_path / "elsewhere")}
    run = subprocess.run([sys.executable, "-m", "dealgraph", "build", "--seeds", str(bad_seeds), "--store", str(store)],
                         capture_output=True, text=True, env=env, timeout=120)

    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[-1].startswith("dealgraph: error: the seeds have ") and lines[-1].endswith("nothing was written")
    for line in lines[:-1]:  # one problem a line, FILE:LINE: ...
        assert re.match(r"^\S+\.yaml:\d+: ", line), line
    for file, field in expected:  # each mistake on its own line, naming its file and field
        assert any(re.search(rf"{re.escape(file)}:\d+: {re.escape(field)}", line) for line in lines), (file, field)

    assert os.readlink(store / "current") == before_link
    assert sorted(os.listdir(store)) == before_listing
    assert _answers(store) == before
    assert not (tmp_path / "elsewhere").exists()
