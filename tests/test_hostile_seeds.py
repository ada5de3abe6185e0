"""Hostile seeds (issue 11): whatever a seed file holds, loading ends in records or in one
clear line per problem -- FILE:LINE: field: message, the root cause and not its cascade --
in bounded time and memory, never a traceback.

Tables of cases edit a private copy of seeds/ (the ``bad_seeds`` fixture); generated cases
(hypothesis) splice fragments into the seed files and put arbitrary values into any field.
"""

from __future__ import annotations

import gc
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealgraph.errors import InvalidSeeds, Problem
from dealgraph.models import MAX_FIGURE, MAX_PROSE
from dealgraph.seeds import load_seeds

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
E0 = "extractions/000_59ef7ef0d81b026c.yaml"
E3 = "extractions/003_fd0c659e06895f58.yaml"
E4 = "extractions/004_9cb071e2598439fe.yaml"
MB = 1_000_000
#: no problem line is longer than this, whatever the input (a megabyte name, key or figure)
MAX_LINE = 400


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def assert_readable(problems: list[Problem]) -> None:
    """Every problem is one short line, with no control character a terminal would obey."""
    for p in problems:
        text = str(p)
        assert "\n" not in text and "\r" not in text, text[:MAX_LINE]
        assert len(text) <= MAX_LINE, f"a problem line of {len(text)} characters: {text[:200]}…"
        assert all(ch.isprintable() for ch in text), repr(text[:200])


# ---------------------------------------------------------------------------------------------
# Edits of a copy of the seeds. Each returns the line the expected problem is counted from.


def sub(rel: str, old: str, new: str) -> Callable[[Path], int]:
    """Replace the first ``old`` in ``rel`` by ``new``; the base line is where ``old`` began."""

    def edit(root: Path) -> int:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        at = text.index(old)
        path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
        return text.count("\n", 0, at) + 1

    return edit


def prepend(rel: str, fragment: str) -> Callable[[Path], int]:
    """Put ``fragment`` before the file's first section (after its header comments)."""

    def edit(root: Path) -> int:
        path = root / rel
        lines = path.read_text(encoding="utf-8").split("\n")
        first = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
        path.write_text("\n".join(lines[:first] + fragment.rstrip("\n").split("\n") + lines[first:]),
                        encoding="utf-8")
        return first + 1

    return edit


def write(rel: str, content: str | bytes) -> Callable[[Path], int]:
    def edit(root: Path) -> int:
        path = root / rel
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return 1

    return edit


def rename(rel: str, new_name: str) -> Callable[[Path], int]:
    def edit(root: Path) -> int:
        (root / rel).rename((root / rel).with_name(new_name))
        return 0

    return edit


def folder_instead_of(rel: str) -> Callable[[Path], int]:
    def edit(root: Path) -> int:
        path = root / rel
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        path.mkdir()
        return 0

    return edit


def file_instead_of(rel: str) -> Callable[[Path], int]:
    def edit(root: Path) -> int:
        shutil.rmtree(root / rel)
        (root / rel).write_text("", encoding="utf-8")
        return 0

    return edit


def bytes_sub(rel: str, old: bytes, new: bytes) -> Callable[[Path], int]:
    def edit(root: Path) -> int:
        path = root / rel
        raw = path.read_bytes()
        at = raw.index(old)
        path.write_bytes(raw[:at] + new + raw[at + len(old):])
        return raw.count(b"\n", 0, at) + 1

    return edit


def rename_id(old: str, new: str) -> Callable[[Path], int]:
    """Rename a deal everywhere it is written; the base line is its ``id:`` in deals.yaml."""

    def edit(root: Path) -> int:
        pattern = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")
        for path in [root / "deals.yaml", *sorted((root / "extractions").glob("*.yaml"))]:
            path.write_text(pattern.sub(new, path.read_text(encoding="utf-8")), encoding="utf-8")
        lines = (root / "deals.yaml").read_text(encoding="utf-8").split("\n")
        return next(i for i, line in enumerate(lines) if line.strip() == f"- id: {new}") + 1

    return edit


def both(*edits: Callable[[Path], int]) -> Callable[[Path], int]:
    """Several edits; the base line is the first one's."""

    def edit(root: Path) -> int:
        return [e(root) for e in edits][0]

    return edit


def alias_bomb(levels: int = 9, fanout: int = 9) -> str:
    """The billion laughs: ``fanout ** levels`` strings from a few hundred bytes."""
    lines = [f"x0: &a0 [{', '.join(['lol'] * fanout)}]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fanout)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def inline_alias_bomb(levels: int, fanout: int) -> str:
    """The same in one flow sequence, for a field's value."""
    items = [f"&a0 [{', '.join(['lol'] * fanout)}]"]
    items += [f"&a{i} [{', '.join([f'*a{i - 1}'] * fanout)}]" for i in range(1, levels)]
    return "[" + ", ".join(items) + "]"


@dataclass(frozen=True)
class Expect:
    """One error the loader must report: its file, its line (``offset`` from the edit's base
    line; None for a whole-file problem, line 0), its field and a regular expression the whole
    message matches."""

    file: str
    offset: int | None
    field: str
    message: str


@dataclass(frozen=True)
class Hostile:
    edit: Callable[[Path], int]
    expect: tuple[Expect, ...]


def one(file: str, offset: int | None, field: str, message: str) -> tuple[Expect, ...]:
    return (Expect(file, offset, field, message),)


ALIASES = r"YAML aliases are not allowed in seeds: \*\w+( \(and \d+ more\))?; write the value out"
TOO_LONG = r"String should have at most \d+ characters"
NOT_AN_ID = r"'.*' is not an id \(lowercase letters and digits joined by single - or _\)"

HOSTILE = {
    # -- class 1: aliases. The bomb sits in keys nothing reads, beside one invalid field: the
    # line lookup for that field's message used to expand every alias (216 s, then MemoryError).
    "alias-bomb-in-unused-keys": Hostile(
        both(prepend("entities.yaml", alias_bomb()), sub("entities.yaml", "kind: company", "kind: companyy")),
        one("entities.yaml", 1, "", ALIASES)),
    "alias-bomb-in-a-used-field": Hostile(
        sub(E4, "    status: signed\n", f"    status: signed\n    note: {inline_alias_bomb(9, 9)}\n"),
        one(E4, 1, "", ALIASES)),
    "recursive-alias-in-a-list": Hostile(prepend("deals.yaml", "x: &r [x, *r]"), one("deals.yaml", 0, "", ALIASES)),
    "recursive-alias-in-a-mapping": Hostile(prepend("deals.yaml", "x: &r {a: *r}"), one("deals.yaml", 0, "", ALIASES)),
    "merge-key": Hostile(prepend("documents.yaml", "base: &b {language: en}\nother: {<<: *b}"),
                         one("documents.yaml", 1, "", ALIASES)),
    "undefined-alias": Hostile(prepend("deals.yaml", "x: *nowhere"),
                               one("deals.yaml", 0, "", ALIASES)),

    # -- class 4: what used to end in a traceback
    "claim-deal-is-a-list": Hostile(sub(E4, "- deal: openai-coreweave-contract-2025-09", "- deal: [openai, nvidia]"),
                                    one(E4, 0, "claims.0.deal", r"Input should be a valid string")),
    "claim-deal-is-a-mapping": Hostile(sub(E4, "- deal: openai-coreweave-contract-2025-09", "- deal: {a: 1}"),
                                       one(E4, 0, "claims.0.deal", r"Input should be a valid string")),
    "amount-1e+999999": Hostile(sub(E4, "value: 6.5,", "value: 1.0e+999999,"),
                                one(E4, 0, "claims.0.amount.value", r"value is too large \(at most 1000000000000000000\)")),
    "amount-minus-1e+999999": Hostile(sub(E4, "value: 6.5,", "value: -1.0e+999999,"),
                                      one(E4, 0, "claims.0.amount.value", r"value is too large .*")),
    "amount-1e-999999": Hostile(sub(E4, "value: 6.5,", "value: 1.0e-999999,"),
                                one(E4, 0, "claims.0.amount.value", r"value has more than 6 decimal places")),
    "amount-over-1e18-by-scale": Hostile(sub(E4, "value: 6.5,", "value: 1000000001,"),  # billion: 1e18 + 1e9
                                         one(E4, 0, "claims.0.amount.value", r"value is too large .*")),
    "amount-min-huge": Hostile(sub(E4, "value: 6.5,", "value: 6.5, min: 1e30,"),
                               one(E4, 0, "claims.0.amount.min", r"min is too large .*")),
    "amount-of-5000-digits": Hostile(sub(E4, "value: 6.5,", "value: " + "1" * 5000 + ","),
                                     one(E4, 0, "", r"not valid YAML: cannot read '1+…' as int")),
    "amount-infinite": Hostile(sub(E4, "value: 6.5,", "value: .inf,"),
                               one(E4, 0, "claims.0.amount.value", r"Input should be a finite number")),
    "amount-nan": Hostile(sub(E4, "value: 6.5,", "value: .nan,"),
                          one(E4, 0, "claims.0.amount.value", r"Input should be a finite number")),
    "percent-1e+999999": Hostile(sub(E4, "percent: 62,", "percent: 1e+999999,"),
                                 one(E4, 0, "claims.7.share.percent",
                                     r"percent must be between 0 and 100, not 1\.000E\+999999")),
    "percent-of-many-places": Hostile(sub(E4, "percent: 62,", "percent: 62.0000001,"),
                                      one(E4, 0, "claims.7.share.percent", r"percent has more than 6 decimal places")),
    "capacity-negative": Hostile(sub(E4, "capacity: {value: 7,", "capacity: {value: -7,"),
                                 one(E4, 0, "claims.6.capacity.value", r"value is negative \(-7\)")),
    "capacity-huge": Hostile(sub(E4, "capacity: {value: 7,", "capacity: {value: 1e12,"),
                             one(E4, 0, "claims.6.capacity.value", r"value is too large .*")),
    # texts of a megabyte, in every kind of field
    "entity-name-1mb": Hostile(sub("entities.yaml", "name: Microsoft", "name: " + "M" * MB),
                               one("entities.yaml", 0, "entities.0.name", TOO_LONG)),
    "entity-alias-1mb": Hostile(sub("entities.yaml", "aliases: [Microsoft, microsoft]", f"aliases: [Microsoft, {'m' * MB}]"),
                                one("entities.yaml", 0, "entities.0.aliases.1", TOO_LONG)),
    "entity-position-1mb": Hostile(sub("entities.yaml", "position: chief executive", "position: " + "p" * MB),
                                   ({"file": "entities.yaml", "offset": 0, "field": re.compile(r"entities\.\d+\.position"),
                                     "message": TOO_LONG},)),
    "deal-label-1mb": Hostile(sub("deals.yaml", "label: Microsoft's ongoing compute contracts with CoreWeave",
                                  "label: " + "l" * MB), one("deals.yaml", 0, "deals.1.label", TOO_LONG)),
    "deal-note-1mb": Hostile(sub("deals.yaml", "label: Microsoft's ongoing compute contracts with CoreWeave\n",
                                 "label: ok\n    note: " + "n" * MB + "\n"), one("deals.yaml", 1, "deals.1.note", TOO_LONG)),
    "deal-kind-1mb": Hostile(sub("deals.yaml", "kind: compute_contract", "kind: " + "k" * MB),
                             one("deals.yaml", 0, "deals.1.kind", TOO_LONG)),
    "deal-id-1mb": Hostile(sub("deals.yaml", "id: microsoft-coreweave-contracts", "id: " + "d" * MB),
                           one("deals.yaml", 0, "deals.1.id", TOO_LONG)),
    "document-title-1mb": Hostile(sub("documents.yaml", 'title: "CoreWeave e OpenAI', 'title: "' + "t" * MB + " "),
                                  one("documents.yaml", 0, "documents.4.title", TOO_LONG)),
    "claim-note-1mb": Hostile(sub(E4, "    status: signed\n", "    status: signed\n    note: " + "n" * MB + "\n"),
                              one(E4, 1, "claims.0.note", TOO_LONG)),
    "amount-text-1mb": Hostile(sub(E4, 'text: "6,5 miliardi di dollari"', f'text: "{"6" * MB}"'),
                               one(E4, 0, "claims.0.amount.text", TOO_LONG)),
    "currency-1mb": Hostile(sub(E4, "currency: USD, text: \"6,5", f"currency: {'U' * MB}, text: \"6,5"),
                            one(E4, 0, "claims.0.amount.currency", TOO_LONG)),
    "statement-topic-1mb": Hostile(sub(E3, "topic: CoreWeave is the first all-AI", "topic: " + "t" * MB + " "),
                                   one(E3, 0, "statements.1.topic", TOO_LONG)),
    "date-1mb": Hostile(sub(E4, "date: 2025-05", "date: 2025-" + "5" * MB),
                        one(E4, 0, "claims.3.date", r"not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")),
    "unknown-key-1mb": Hostile(sub(E4, "    status: signed\n", "    status: signed\n    ? " + "k" * MB + "\n    : 1\n"),
                               one(E4, 1, "claims.0." + "k" * 40 + "…", r"unknown field")),

    # -- class 5: the root cause, once, and nothing that follows from it
    "syntax-error-in-entities": Hostile(sub("entities.yaml", "  - id: openai\n", "  - id: openai\n  x: : y\n"),
                                        one("entities.yaml", 1, "", r"not valid YAML: .*")),
    "syntax-error-in-an-extraction": Hostile(sub(E4, 'amount: {value: 4, scale: billion, currency: USD, text: "4 miliardi"}',
                                                 "amount: value: 4"), one(E4, 0, "", r"not valid YAML: .*")),
    "empty-entities": Hostile(write("entities.yaml", ""),
                              one("entities.yaml", 0, "", r"the file is empty \(expected 'entities:'\)")),
    "comments-only-deals": Hostile(write("deals.yaml", "# nothing yet\n"),
                                   one("deals.yaml", 0, "", r"the file is empty \(expected 'deals:'\)")),
    "entities-as-a-list": Hostile(write("entities.yaml", "- id: nvidia\n"),
                                  one("entities.yaml", 0, "", r"the file holds a list \(expected 'entities:'\)")),
    "entities-list-is-a-mapping": Hostile(write("entities.yaml", "entities:\n  nvidia: Nvidia\n"),
                                          one("entities.yaml", 0, "entities", r"must be a list")),
    "folder-instead-of-deals": Hostile(folder_instead_of("deals.yaml"),
                                       one("deals.yaml", None, "", r"is a folder, not a file")),
    "folder-instead-of-an-extraction": Hostile(folder_instead_of(E4), one(E4, None, "", r"is a folder, not a file")),
    "extraction-named-yml": Hostile(rename(E4, "004_9cb071e2598439fe.yml"), one(
        "extractions/004_9cb071e2598439fe.yml", None, "",
        r"an extraction file is named <document id>\.yaml, not 004_9cb071e2598439fe\.yml")),
    "extraction-named-YAML": Hostile(rename(E4, "004_9cb071e2598439fe.YAML"), one(
        "extractions/004_9cb071e2598439fe.YAML", None, "", r"an extraction file is named .*")),
    "no-extractions-folder": Hostile(lambda root: (shutil.rmtree(root / "extractions"), 0)[1],
                                     one("extractions", None, "", r"no extraction files")),
    "extractions-is-a-file": Hostile(file_instead_of("extractions"), one("extractions", None, "", r"is not a folder")),
    "misspelt-section": Hostile(sub("deals.yaml", "deals:\n", "deal:\n"),
                                one("deals.yaml", 0, "deal", r"unknown section \(expected 'deals:'\)")),
    "unknown-top-level-key": Hostile(prepend("deals.yaml", "version: 2"),
                                     one("deals.yaml", 0, "version", r"unknown section \(expected 'deals:'\)")),
    "unknown-section-in-an-extraction": Hostile(prepend(E4, "claim: []"), one(
        E4, 0, "claim", r"unknown section \(expected 'document:', 'claims:', 'statements:', 'totals:'\)")),
    "empty-party-list": Hostile(sub("deals.yaml", "{lender: magnetar,", "{lender: [],"),
                                one("deals.yaml", 0, "deals.10.parties.lender", r"names no party \(an empty list\)")),
    "party-listed-twice": Hostile(sub("deals.yaml", "{partner: [openai, oracle, softbank]}",
                                      "{partner: [openai, oracle, openai]}"),
                                  one("deals.yaml", 0, "deals.11.parties.partner", r"lists a party twice")),
    "party-not-an-id": Hostile(sub("deals.yaml", "{lender: magnetar,", "{lender: [Magnetar Capital],"),
                               one("deals.yaml", 0, "deals.10.parties.lender", NOT_AN_ID)),
    "deal-id-is-a-company-id": Hostile(rename_id("microsoft-coreweave-contracts", "microsoft"), one(
        "deals.yaml", 0, "deals.1.id",
        r"'microsoft' is already the id of the entity 'microsoft': a deal id must not name an entity")),
    "deal-id-is-a-company-alias": Hostile(rename_id("microsoft-coreweave-contracts", "ai-hyperscaler"), one(
        "deals.yaml", 0, "deals.1.id", r"'ai-hyperscaler' is already a name of the entity 'coreweave': .*")),
    # a refused record is reported once: the references to it are not "unknown"
    "refused-entity-still-referenced": Hostile(sub("entities.yaml", "kind: company", "kind: firm"),
                                               one("entities.yaml", 0, "entities.0.kind", r"Input should be .*")),
    "entity-id-not-an-id": Hostile(sub("entities.yaml", "id: microsoft", "id: Microsoft"),
                                   one("entities.yaml", 0, "entities.0.id", NOT_AN_ID)),
    "refused-deal-still-claimed": Hostile(sub("deals.yaml", "kind: compute_contract", "kind: gift"),
                                          one("deals.yaml", 0, "deals.1.kind", r"unknown deal kind 'gift' .*")),
    "misspelt-deal-in-the-only-claim": Hostile(  # not also "deal ... has no claim" in deals.yaml, listed first
        sub(E4, "- deal: openai-coreweave-contract-2025-05", "- deal: openai-coreweave-contract-2025-5"),
        one(E4, 0, "claims.3.deal", r"unknown deal 'openai-coreweave-contract-2025-5'")),
    "refused-document-still-extracted": Hostile(sub("documents.yaml", "language: it", "language: pt"),
                                                one("documents.yaml", 0, "documents.4.language", r"Input should be .*")),

    # -- class 2 (the loader's part): every id that reaches an IRI or a file name is an id
    "document-id-with-a-space": Hostile(sub("documents.yaml", "id: 004_9cb071e2598439fe", "id: 004 9cb071e2598439fe"),
                                        one("documents.yaml", 0, "documents.4.id", NOT_AN_ID)),
    "document-id-climbing-out": Hostile(sub("documents.yaml", "id: 004_9cb071e2598439fe", "id: ../004"),
                                        one("documents.yaml", 0, "documents.4.id", NOT_AN_ID)),
    "document-id-with-umlaut": Hostile(sub("documents.yaml", "id: 004_9cb071e2598439fe", "id: 004_über"),
                                       one("documents.yaml", 0, "documents.4.id", NOT_AN_ID)),
    "document-id-injecting-quads": Hostile(
        sub("documents.yaml", "id: 004_9cb071e2598439fe",
            'id: "004_9cb071e2598439fe> <http://x/p> <http://x/o> .\\n<http://x/s> <http://x/p> <http://x/o> <http://x/g"'),
        one("documents.yaml", 0, "documents.4.id", NOT_AN_ID)),
    "document-id-with-final-newline": Hostile(sub("documents.yaml", "id: 004_9cb071e2598439fe",
                                                  'id: "004_9cb071e2598439fe\\n"'),
                                              one("documents.yaml", 0, "documents.4.id", NOT_AN_ID)),
    "extraction-names-a-path": Hostile(sub(E4, "document: 004_9cb071e2598439fe", "document: ../../etc/passwd"),
                                       one(E4, 0, "document", NOT_AN_ID)),
    "event-role-not-a-role": Hostile(sub(E0, "role: customer}", "role: 'customer> <x'}"),
                                     one(E0, 0, "claims.0.event.role", r"'customer> <x' is not a role \(lowercase words joined by _\)")),

    # -- what YAML or the bytes themselves refuse
    "non-utf8-seed-file": Hostile(bytes_sub("entities.yaml", b"name: Microsoft", b"name: Micr\xf6soft"),
                                  one("entities.yaml", 0, "", r"not UTF-8 text \(byte 0xf6\)")),
    "control-character-after-accents": Hostile(sub("entities.yaml", "name: CoreWeave", "name: Cörë\x07Weave"),
                                               one("entities.yaml", 0, "", r"not valid YAML: the character \\x07 .*")),
    "control-character": Hostile(sub("entities.yaml", "name: Microsoft", "name: Micro\x1bsoft"),
                                 one("entities.yaml", 0, "", r"not valid YAML: the character \\x1b is not allowed")),
    "bool-tag-on-a-word": Hostile(sub(E4, "status: signed", "status: !!bool maybe"),
                                  one(E4, 0, "", r"not valid YAML: cannot read 'maybe' as bool")),
    "int-tag-on-a-word": Hostile(sub(E4, "status: signed", "status: !!int abc"),
                                 one(E4, 0, "", r"not valid YAML: cannot read 'abc' as int")),
    "float-tag-on-a-word": Hostile(sub(E4, "status: signed", "status: !!float abc"),
                                   one(E4, 0, "", r"not valid YAML: cannot read 'abc' as float")),
    "float-tag-on-a-mapping": Hostile(sub(E4, "amount: {value: 6.5,", "amount: !!float {value: 6.5,"),
                                      one(E4, 0, "", r"not valid YAML: expected a scalar node, but found mapping")),
    "int-tag-on-a-list": Hostile(sub(E4, "contradicts: [", "contradicts: !!int ["),
                                 one(E4, 0, "", r"not valid YAML: expected a scalar node, but found sequence")),
    "python-tag": Hostile(sub(E4, "status: signed", "status: !!python/object/apply:os.system [ls]"),
                          one(E4, 0, "", r"not valid YAML: could not determine a constructor .*")),
    "nested-990-deep": Hostile(sub(E4, "    status: signed\n", "    status: signed\n    note: " + "[" * 990 + "]" * 990 + "\n"),
                               one(E4, 1, "claims.0.note", r"Input should be a valid string")),
    "nested-2000-deep": Hostile(sub(E4, "    status: signed\n", "    status: signed\n    note: " + "[" * 2000 + "]" * 2000 + "\n"),
                                one(E4, 1, "", r"not valid YAML: .*")),
    "key-with-a-line-break": Hostile(sub(E4, "    status: signed\n", '    status: signed\n    "st\\natus\\u001b[2J": 1\n'),
                                     one(E4, 1, "claims.0.st\\natus\\x1b[2J", r"unknown field")),
    "duplicate-key": Hostile(sub(E4, "    status: signed\n", "    status: signed\n    status: signed\n"),
                             one(E4, 1, "status", r"duplicate key")),
}


def _matches(p: Problem, e: Any, root: Path, base: int) -> bool:
    file, offset, field, message = (e["file"], e["offset"], e["field"], e["message"]) if isinstance(e, dict) \
        else (e.file, e.offset, e.field, e.message)
    line = 0 if offset is None else base + offset
    same_field = field.fullmatch(p.field) if isinstance(field, re.Pattern) else p.field == field
    return (Path(p.file).resolve() == (root / file).resolve() and p.line == line and bool(same_field)
            and re.fullmatch(message, p.message) is not None)


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_seeds_give_their_root_cause_once(case, bad_seeds):
    base = case.edit(bad_seeds)
    started = time.perf_counter()
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    elapsed = time.perf_counter() - started
    problems = exc.value.problems
    listing = "\n".join(str(p)[:300] for p in problems)
    assert len(errors(problems)) == len(case.expect), f"expected {len(case.expect)} error(s), got:\n{listing}"
    for e in case.expect:
        assert any(_matches(p, e, bad_seeds, base) for p in errors(problems)), f"{e} not in:\n{listing}"
    assert_readable(problems)
    assert elapsed < 10, f"loading took {elapsed:.1f} s"


def test_the_first_line_of_the_exception_is_the_root_cause(bad_seeds):
    """The one-line summary (what `str(exc)` and logs show) names the cause, not a consequence."""
    HOSTILE["syntax-error-in-entities"].edit(bad_seeds)
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    assert re.fullmatch(r".*entities\.yaml:\d+: not valid YAML: .*", str(exc.value))


@pytest.mark.parametrize(("levels", "fanout"), [(1, 1), (2, 50), (9, 9), (30, 2), (12, 10)])
def test_aliases_are_refused_in_bounded_time_whatever_they_would_expand_to(bad_seeds, levels, fanout):
    """10^12 strings or 2^30: refusing takes the time of reading the text, not of expanding it."""
    prepend("entities.yaml", alias_bomb(levels, fanout))(bad_seeds)
    started = time.perf_counter()
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    assert time.perf_counter() - started < 2
    wanted = [] if levels == 1 else [ALIASES]  # one level has an anchor and no alias: plain data
    got = [p.message for p in errors(exc.value.problems) if "alias" in p.message]
    assert len(got) == len(wanted) and all(re.fullmatch(w, g) for w, g in zip(wanted, got))


def test_an_anchor_without_alias_is_plain_data(bad_seeds):
    sub("entities.yaml", "  - id: microsoft\n", "  - &ms\n    id: microsoft\n")(bad_seeds)
    assert "microsoft" in load_seeds(bad_seeds).entities


def test_stray_files_in_extractions_are_warned_about_and_hidden_ones_ignored(bad_seeds):
    (bad_seeds / "extractions" / "README.md").write_text("notes\n", encoding="utf-8")
    (bad_seeds / "extractions" / ".004_9cb071e2598439fe.yaml.swp").write_bytes(b"\0\xff")
    seeds = load_seeds(bad_seeds)
    assert [(Path(w.file).name, w.message) for w in seeds.warnings] == [
        ("README.md", "ignored: not an extraction file (<document id>.yaml)")]


def test_a_file_that_cannot_be_read_is_one_line(bad_seeds):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    (bad_seeds / "deals.yaml").chmod(0)
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    assert [str(p).split(": ", 1)[1] for p in errors(exc.value.problems)] == ["cannot read the file: Permission denied"]


# ---------------------------------------------------------------------------------------------
# The source texts (--documents)


@pytest.fixture
def texts(tmp_path, documents_dir) -> Path:
    copy = tmp_path / "texts"
    shutil.copytree(documents_dir, copy)
    return copy


def test_a_text_that_is_not_utf8_is_reported_not_raised(seeds_dir, texts):
    target = texts / "004_9cb071e2598439fe.txt"
    target.write_bytes(target.read_bytes() + b"\ncaf\xe9\n")
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(seeds_dir, texts)
    messages = sorted((p.field, p.message.split(": ")[-1] if "UTF-8" in p.message else p.message[-34:])
                      for p in errors(exc.value.problems))
    assert len(messages) == 2, messages
    assert any(f == "documents.4.id" and re.search(r"is not UTF-8 text \(byte 0xe9 on line \d+\)", m)
               for f, m in [(p.field, p.message) for p in exc.value.problems])
    assert any(p.field == "documents.4.sha256" for p in exc.value.problems)
    assert_readable(exc.value.problems)


@pytest.mark.parametrize(("kind", "message"), [
    ("missing", "no such documents folder"),
    ("empty", "holds no document text (<document id>.txt)"),
    ("file", "is not a folder"),
])
def test_a_wrong_documents_folder_is_one_line(seeds_dir, tmp_path, kind, message):
    """Not one line per document ("no text for this document"): the folder is the mistake."""
    folder = tmp_path / kind
    if kind == "empty":
        folder.mkdir()
    elif kind == "file":
        folder.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(seeds_dir, folder)
    assert [p.message for p in exc.value.problems] == [message]


def test_a_huge_text_is_not_read(seeds_dir, texts):
    target = texts / "004_9cb071e2598439fe.txt"
    with open(target, "r+b") as f:
        f.truncate(65 * 2**20)  # sparse: costs no disk, and must not cost memory either
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(seeds_dir, texts)
    assert [p.message.split(" is ")[-1] for p in errors(exc.value.problems)] == ["larger than 64 MB: not a source text"]


# ---------------------------------------------------------------------------------------------
# End to end: the command, a store already built, a memory cap and a clock


def _cli(*args) -> Any:
    from dealgraph.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("name", ["alias-bomb-in-unused-keys", "recursive-alias-in-a-list", "claim-deal-is-a-list",
                                  "amount-1e+999999", "entity-name-1mb", "syntax-error-in-entities", "empty-entities",
                                  "folder-instead-of-deals", "extraction-named-yml", "misspelt-section",
                                  "empty-party-list", "deal-id-is-a-company-id", "document-id-injecting-quads",
                                  "non-utf8-seed-file", "key-with-a-line-break"])
def test_validate_prints_one_line_per_problem_and_exits_2(name, bad_seeds):
    HOSTILE[name].edit(bad_seeds)
    result = _cli("validate", "--seeds", bad_seeds, "--no-shacl")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "dealgraph: error: the seeds have 1 error(s); nothing was written"
    assert len(lines) == 2 and re.match(r"^\S.*?(:\d+)?: ", lines[0]) and len(lines[0]) <= MAX_LINE, lines


def test_validate_with_a_text_that_is_not_utf8(seeds_dir, texts):
    target = texts / "004_9cb071e2598439fe.txt"
    target.write_bytes(b"\xff" + target.read_bytes())
    result = _cli("validate", "--seeds", seeds_dir, "--documents", texts, "--no-shacl")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "is not UTF-8 text (byte 0xff on line 1)" in result.stderr


def _limited(memory: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return limit


def test_build_on_an_alias_bomb_keeps_the_store_in_bounded_time_and_memory(bad_seeds, seeds_dir, tmp_path):
    """The 1.3 KB bomb beside one invalid field ran 216 s and died of MemoryError at 8 GB; under
    a 1.5 GB cap and a 60 s clock the command must answer in one line and leave the store."""
    from dealgraph import DealGraph

    store = tmp_path / "store"
    graph, _ = DealGraph.build(seeds_dir, store=store)
    graph.close()
    del graph
    gc.collect()
    before = (os.readlink(store / "current"), sorted(os.listdir(store)))

    HOSTILE["alias-bomb-in-unused-keys"].edit(bad_seeds)
    assert len((bad_seeds / "entities.yaml").read_bytes()) < 10_000
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "dealgraph", "build", "--seeds", str(bad_seeds), "--store", str(store)],
                         capture_output=True, text=True, timeout=60, preexec_fn=_limited(1536 * 2**20))
    elapsed = time.perf_counter() - started
    assert run.returncode == 2, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 2 and re.search(r"entities\.yaml:\d+: YAML aliases are not allowed", lines[0]), lines
    assert elapsed < 30
    assert (os.readlink(store / "current"), sorted(os.listdir(store))) == before


# ---------------------------------------------------------------------------------------------
# Generated cases


class _Workspace:
    """One copy of the seeds for a whole property: each example rewrites one file and puts the
    original back (copying the folder for every example would be most of the run time)."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(SEEDS_DIR, root)

    def load_with(self, rel: str, content: str | bytes) -> tuple[Any, list[Problem]]:
        path = self.root / rel
        original = path.read_bytes()
        try:
            path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
            try:
                return load_seeds(self.root), []
            except InvalidSeeds as exc:
                return None, exc.problems
        finally:
            path.write_bytes(original)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> _Workspace:
    return _Workspace(tmp_path_factory.mktemp("hostile") / "seeds")


GENERATED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = ["documents.yaml", "entities.yaml", "deals.yaml", E4]

#: YAML's own syntax, and the shapes that broke the loader, as fragments to splice anywhere
FRAGMENTS = st.sampled_from([
    "&a ", "*a", "&b [*a, *a]", "*b", "&r [x, *r]", "<<: *a", "[", "]", "{", "}", ": ", "- ", "? ", ",", "\n",
    "\n  ", "\t", "'", '"', "#", "|\n", ">-\n", "!!int ", "!!bool ", "!!float ", "!!binary ", "!!set ", "!!python/name:os.system ",
    "1.0e+999999", "1e-999999", "-.inf", ".nan", "1" * 5000, "[" * 1001, "\x00", "\x1b[2J", "\ufeff", "\u202e",
    "deal: [a, b]", "lender: []", "id: ../x", "id: microsoft", "deals:", "deal:", "entities:", "---\n", "...\n", "%YAML 1.1\n",
])


@GENERATED
@given(file=st.sampled_from(FILES), at=st.floats(0, 1),
       pieces=st.lists(FRAGMENTS | st.text(max_size=8), min_size=1, max_size=6))
def test_anything_spliced_into_a_seed_file_is_reported_in_lines(workspace, file, at, pieces):
    text = (SEEDS_DIR / file).read_text(encoding="utf-8")
    cut = int(at * len(text))
    started = time.perf_counter()
    spliced = text[:cut] + "".join(pieces) + text[cut:]
    seeds, problems = workspace.load_with(file, spliced)
    assert time.perf_counter() - started < 5
    assert seeds is not None or errors(problems)
    assert_readable(problems)
    for p in problems:  # a line the file has (a line break is any of \n, \r\n, \r for YAML)
        assert p.line <= len(spliced.splitlines()) + 1, str(p)


@GENERATED
@given(data=st.binary(max_size=300))
def test_any_bytes_as_a_seed_file_are_reported_in_lines(workspace, data):
    _, problems = workspace.load_with("entities.yaml", data)
    assert_readable(problems)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))

SCALARS = (st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=True, allow_infinity=True)
           | st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from([Decimal("1E+999999"), Decimal("-1E-999999")])
           | st.text(max_size=40) | st.integers(0, 400_000).map(lambda n: "x" * n))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=8)

#: (file, path to a field) -- every kind of field, nested ones included, and new keys
TARGETS = [
    ("documents.yaml", ("documents", 4, f)) for f in ("id", "title", "language", "published", "sha256", "note", "new")
] + [
    ("entities.yaml", ("entities", 0, f)) for f in ("id", "name", "kind", "aliases", "wikidata", "affiliation", "new")
] + [
    ("deals.yaml", ("deals", 10, f)) for f in ("id", "kind", "label", "parties", "note", "inferred")
] + [
    ("deals.yaml", ("deals", 10, "parties", "lender")),
    ("deals.yaml", ("deals", 11, "inferred", "partner")),
] + [
    (E4, ("claims", 0, f)) for f in ("deal", "quote", "amount", "status", "date", "event", "contradicts", "basis", "new")
] + [
    (E4, ("claims", 0, "amount", f)) for f in ("value", "min", "max", "scale", "currency", "qualifier", "text")
] + [
    (E4, ("claims", 7, "share", "percent")), (E4, ("claims", 6, "capacity", "value")),
    (E4, ("statements", 0, "about")), (E4, ("document",)), (E4, ("totals", 0, "parts")),
]


def _set(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _walk(value: Any):
    """Every str and Decimal inside a loaded record's dump."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_the_seed_files_survive_the_round_trip_the_generated_cases_use(workspace):
    """Without the round trip being lossless, the property below would test nothing."""
    for file in FILES:
        data = yaml.safe_load((SEEDS_DIR / file).read_text(encoding="utf-8"))
        seeds, problems = workspace.load_with(file, yaml.dump(data, Dumper=_Dumper, allow_unicode=True))
        assert seeds is not None, "\n".join(map(str, problems))


@GENERATED
@given(target=st.sampled_from(TARGETS), value=VALUES)
def test_any_value_in_any_field_loads_within_bounds_or_is_reported(workspace, target, value):
    file, path = target
    data = yaml.safe_load((SEEDS_DIR / file).read_text(encoding="utf-8"))
    _set(data, path, value)
    seeds, problems = workspace.load_with(file, yaml.dump(data, Dumper=_Dumper, allow_unicode=True))
    assert_readable(problems)
    if seeds is None:
        assert errors(problems)
        return
    records = [*seeds.documents.values(), *seeds.entities.values(), *seeds.deals.values(),
               *(r for _, r in seeds.claims), *(r for _, r in seeds.statements), *(r for _, r in seeds.totals)]
    for record in records:
        for leaf in _walk(record.model_dump()):
            if isinstance(leaf, str):
                assert len(leaf) <= MAX_PROSE
            elif isinstance(leaf, Decimal):
                assert leaf.is_finite() and abs(leaf) <= MAX_FIGURE
    ids = [*seeds.documents, *seeds.entities, *seeds.deals]
    assert all(re.fullmatch(r"[a-z0-9_-]{1,100}", i) for i in ids), ids


@pytest.mark.parametrize("piece", [",!!set ", "!!omap ", "x: !!binary aGk=\n", "!!set [a]\n"])
def test_yaml_collection_tags_are_refused_in_one_line(bad_seeds, piece):
    """Found by the splicing property in CI: `!!set` on a list crashed the loader's duplicate-key
    check with a ValueError; sets, ordered maps, pairs and binary have no place in seeds."""
    path = bad_seeds / "extractions" / "004_9cb071e2598439fe.yaml"
    text = path.read_text(encoding="utf-8")
    cut = int(0.921875 * len(text))
    path.write_text(text[:cut] + piece + text[cut:], encoding="utf-8")
    with pytest.raises(InvalidSeeds) as exc:
        load_seeds(bad_seeds)
    assert all(p.line > 0 and "\n" not in str(p) for p in exc.value.problems)
