"""Read ``seeds/`` into validated records, reporting every problem as ``FILE:LINE: field: message``.

The seeds folder holds ``documents.yaml``, ``entities.yaml``, ``deals.yaml`` and one
``extractions/<document id>.yaml`` per source document. Loading never stops at the first
problem: it collects them all, so a curator fixes a file in one pass.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InvalidSeeds, Problem
from .gc_pause import gc_paused
from .kinds import DEAL_KINDS
from .models import PATTERN_RULES, Claim, Deal, Document, Entity, Statement, Total, id_problem
from .models import shown as _shown  # input quoted in a message: short, one line

__all__ = ["DRAFT_SECTIONS", "Seeds", "load_seeds", "read_data", "check_documents", "default_seeds_dir", "default_documents_dir"]

Path_ = tuple[Any, ...]
# libyaml's parser when PyYAML was built with it: ten times faster on large seeds, same marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_seeds_dir() -> Path:
    """The curated seeds: inside the installed wheel, or beside the package in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "seeds", here.parent / "seeds"):
        if (candidate / "documents.yaml").is_file():
            return candidate
    raise FileNotFoundError("the bundled seeds are missing from this installation")


def default_documents_dir() -> Path | None:
    """The source articles, when a checkout has ``../shared/seeds`` beside it."""
    here = Path(__file__).resolve().parent
    candidate = here.parent.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


# ---------------------------------------------------------------------------------------------
# YAML with line numbers


class _DataLoader(_LOADER):
    """Plain data the seeds' way: floats as Decimal (11.9 stays 11.9), dates as text (partial
    dates are ours), and duplicate keys noted instead of silently overwritten."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, Any]] = []

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):  # a mapping tag on a list or a scalar
            raise yaml.constructor.ConstructorError(None, None, f"{_shown(node.tag)} needs a mapping",
                                                    node.start_mark)
        seen = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                self.duplicates.append((key_node.start_mark.line + 1, key))
            seen.add(key)
        return super().construct_mapping(node, deep)


def read_data(path: str | Path) -> Any:
    """A seed or draft file's data as the loader reads it (figures as Decimal, dates as text),
    without the checks: for a file :func:`load_seeds` has already accepted."""
    with open(path, encoding="utf-8") as f:
        loader = _DataLoader(f)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


def _yaml_decimal(loader, node):
    text = loader.construct_scalar(node)  # a YAML error when the tag is on a list or a mapping
    try:
        return Decimal(text.replace("_", ""))
    except ArithmeticError:
        return loader.construct_yaml_float(node)


def _as_yaml_error(construct):
    """PyYAML's scalar constructors raise a bare ValueError or KeyError for a tag on a value
    it cannot take (`!!int abc`, `!!bool maybe`) or an integer of more digits than Python
    converts: make it a YAML mistake at the value's line, like every other."""

    def run(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, KeyError, ArithmeticError):
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read '{_shown(loader.construct_scalar(node))}' as {node.tag.rsplit(':', 1)[-1]}",
                node.start_mark) from None

    return run


# The constructors that turn a scalar's text into something other than text.
_DataLoader.add_constructor("tag:yaml.org,2002:int", _as_yaml_error(_LOADER.construct_yaml_int))
_DataLoader.add_constructor("tag:yaml.org,2002:bool", _as_yaml_error(_LOADER.construct_yaml_bool))
_DataLoader.add_constructor("tag:yaml.org,2002:float", _as_yaml_error(_yaml_decimal))
_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


def _refuse_tag(loader, node):
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {_shown(node.tag.replace('tag:yaml.org,2002:', '!!'))} is not allowed in seeds",
        node.start_mark)


# Seeds are plain data: YAML's sets, ordered maps, pairs and binary have no place in them.
for _tag in ("set", "omap", "pairs", "binary"):
    _DataLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


class _Lines:
    """Path of each value in a YAML file -> its line, taken from the composed node tree and
    worked out only when a problem needs it (composing costs more than loading the data).

    The tree is a tree: files with aliases are refused before (``_read_yaml``), so every node
    is visited once and the walk is as long as the file, never as long as the expanded data.
    """

    def __init__(self, text: str):
        self.text = text
        self._map: dict[Path_, int] | None = None

    def _lines(self) -> dict[Path_, int]:
        if self._map is None:
            self._map = lines = {}
            keys = _DataLoader("")
            node = yaml.compose(self.text, Loader=_LOADER)
            todo = [] if node is None else [(node, ())]
            while todo:  # a loop, not recursion: YAML nests up to 1000 levels
                n, at = todo.pop()
                lines.setdefault(at, n.start_mark.line + 1)  # a mapping's value: its key's line
                if isinstance(n, yaml.MappingNode):
                    for key_node, value_node in n.value:
                        key = keys.construct_object(key_node, deep=True)
                        lines[at + (key,)] = key_node.start_mark.line + 1
                        todo.append((value_node, at + (key,)))
                elif isinstance(n, yaml.SequenceNode):
                    todo.extend((item, at + (i,)) for i, item in enumerate(n.value))
        return self._map

    def __contains__(self, at: Path_) -> bool:
        return at in self._lines()

    def get(self, at: Path_, default: int = 1) -> int:
        return self._lines().get(at, default)


def _not_a_file(path: Path, shown: str) -> Problem | None:
    if path.is_file():
        return None
    if path.is_dir():
        return Problem(shown, 0, "", "is a folder, not a file")
    if path.exists():
        return Problem(shown, 0, "", "is not a regular file")
    return Problem(shown, 0, "", "file is missing")


def _decode(raw: bytes) -> tuple[str | None, int, int]:
    """The UTF-8 text of ``raw``; or None, and the line and value of its first byte that is
    not UTF-8."""
    try:
        return raw.decode("utf-8"), 0, 0
    except UnicodeDecodeError as exc:
        return None, raw.count(b"\n", 0, exc.start) + 1, raw[exc.start]


def _aliases(text: str) -> list[yaml.AliasEvent]:
    """The aliases (``*name``) of a YAML text. Every alias is written with a star, so a file
    without one (the usual case) costs nothing; one with a star costs a parse."""
    if "*" not in text:
        return []
    return [e for e in yaml.parse(text, Loader=_LOADER) if isinstance(e, yaml.AliasEvent)]


def _read_yaml(path: Path, shown: str, problems: list[Problem]) -> tuple[Any, _Lines] | None:
    """Parse a YAML file into plain data, plus the lines of its values for messages; None
    (with the problem recorded) when the file cannot be read as YAML data.

    Aliases are refused: a 1.3 KB file of nested aliases expands to gigabytes wherever the
    data is walked, an alias of its own anchor never ends, and curated records are clearer
    written out. An empty file gives ``(None, lines)``.
    """
    problem = _not_a_file(path, shown)
    if problem:
        problems.append(problem)
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 0, "", f"cannot read the file: {exc.strerror or exc}"))
        return None
    text, line, byte = _decode(raw)
    if text is None:
        problems.append(Problem(shown, line, "", f"not UTF-8 text (byte 0x{byte:02x})"))
        return None
    try:
        aliases = _aliases(text)
        if aliases:
            more = f" (and {len(aliases) - 1} more)" if len(aliases) > 1 else ""
            problems.append(Problem(shown, aliases[0].start_mark.line + 1, "",
                                    f"YAML aliases are not allowed in seeds: *{_shown(aliases[0].anchor)}{more}; "
                                    "write the value out"))
            return None
        loader = _DataLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        problems.append(Problem(shown, line, "", f"not valid YAML: {_shown(exc.problem or exc.context, 200)}"))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        # libyaml counts its position in bytes, PyYAML in characters: find the character itself
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        problems.append(Problem(shown, text.count("\n", 0, max(text.find(char), 0)) + 1, "",
                                f"not valid YAML: the character {_shown(char)} is not allowed"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(shown, 0, "", f"not valid YAML: {_shown(exc, 200)}"))
        return None
    except RecursionError:  # only PyYAML's pure-Python parser recurses; libyaml stops at 1000 levels
        problems.append(Problem(shown, 0, "", "not valid YAML: nested too deeply"))
        return None
    for line, key in loader.duplicates:
        problems.append(Problem(shown, line, _shown(key), "duplicate key"))
    return data, _Lines(text)


def _line(lines: "_Lines | dict[Path_, int]", at: Path_) -> int:
    while at and at not in lines:
        at = at[:-1]
    return lines.get(at, 1)


def _field(at: Iterable[Any]) -> str:
    return ".".join(_shown(p, 40) for p in at)


def _validate(model: type[BaseModel], data: Any, at: Path_, shown: str,
              lines: _Lines, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = at + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"].removeprefix("Value error, ")
            if loc and loc[-1] == "[key]":  # pydantic's mark of a dict key's own error
                loc = loc[:-1]
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            elif err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") in PATTERN_RULES:
                what, rule = PATTERN_RULES[err["ctx"]["pattern"]]
                msg = f"'{_shown(err['input'])}' is not {what} ({rule})"
            problems.append(Problem(shown, _line(lines, loc), _field(loc), msg))
        return None


# ---------------------------------------------------------------------------------------------
# The seeds as a whole


@dataclass
class Located:
    """A record with where it was written, so later checks can still say FILE:LINE of any of
    its fields."""

    record: Any
    file: str
    at: Path_
    lines: _Lines

    @property
    def line(self) -> int:
        return _line(self.lines, self.at)

    @property
    def field(self) -> str:
        return _field(self.at)

    def line_of(self, sub: Path_) -> int:
        return _line(self.lines, self.at + sub)


@dataclass
class Seeds:
    documents: dict[str, Document] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)
    claims: list[tuple[str, Claim]] = field(default_factory=list)  # (document id, claim)
    statements: list[tuple[str, Statement]] = field(default_factory=list)
    totals: list[tuple[str, Total]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    where: dict[int, Located] = field(default_factory=dict)  # id(record) -> location
    #: What could not be read, so that the checks depending on it keep quiet instead of
    #: reporting its consequences (a broken entities.yaml would make every party "unknown",
    #: a broken extraction every deal it vouches for "without a claim"). ``unread``: the
    #: collections ("documents", "entities", "deals", "claims") that lost a whole file, or a
    #: record whose id is itself unusable; ``refused``: per collection, the ids of records that
    #: were refused (for "claims", the deals those claims were about).
    unread: set[str] = field(default_factory=set)
    refused: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    root: Path | None = None
    _claims_by_deal: dict | None = field(default=None, repr=False)
    _indexed: int = field(default=0, repr=False)

    def claims_of(self, deal_id: str) -> list[tuple[str, Claim]]:
        """The claims about one deal, in seeds order (indexed once: seeds can be large)."""
        if self._claims_by_deal is None or self._indexed != len(self.claims):
            self._claims_by_deal = defaultdict(list)
            for d, c in self.claims:
                self._claims_by_deal[c.deal].append((d, c))
            self._indexed = len(self.claims)
        return self._claims_by_deal.get(deal_id, [])

    def unknown(self, collection: str, ident: str) -> bool:
        """True when ``ident`` surely names nothing in ``collection``: it is not there, no
        record of that id was refused, and no file of the collection was lost."""
        held = getattr(self, collection)
        return ident not in held and collection not in self.unread and ident not in self.refused[collection]

    def refuse(self, collection: str, item: Any, key: str = "id") -> None:
        """Note a record that failed validation, so references to it are not reported too."""
        ident = item.get(key) if isinstance(item, dict) else None
        if id_problem(ident) is None:
            self.refused[collection].add(ident)
        else:  # what it was meant to be called is unknown: references to it cannot be checked
            self.unread.add(collection)


#: The top-level sections of each kind of seed file.
_EXTRACTION_SECTIONS = ("document", "claims", "statements", "totals")


def _top_level(data: Any, sections: tuple[str, ...], shown: str, lines: _Lines,
               problems: list[Problem]) -> bool:
    """Check a file's top level: a mapping of known sections. False when it is not a mapping."""
    listing = ", ".join(f"'{s}:'" for s in sections)
    if data is None:
        problems.append(Problem(shown, 1, "", f"the file is empty (expected {listing})"))
        return False
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "", f"the file holds a {type(data).__name__} (expected {listing})"))
        return False
    for key in data:
        if key not in sections:
            problems.append(Problem(shown, _line(lines, (key,)), _field((key,)),
                                    f"unknown section (expected {listing})"))
    return True


def _records(data: Any, key: str, shown: str, lines: _Lines,
             problems: list[Problem]) -> list[tuple[Path_, Any]] | None:
    """The records of a list file, or None when it holds no list under ``key``."""
    if not _top_level(data, (key,), shown, lines, problems):
        return None
    if key not in data:
        if len(data) == 0:  # a misspelt section is reported as such; say nothing more
            problems.append(Problem(shown, 1, key, f"the file must hold a list under '{key}:'"))
        return None
    if not isinstance(data[key], list):
        problems.append(Problem(shown, _line(lines, (key,)), key, "must be a list"))
        return None
    return [((key, i), item) for i, item in enumerate(data[key])]


def _extraction_document(data: Any, shown: str, lines: _Lines, problems: list[Problem]) -> str | None:
    """The ``document:`` of an extraction file, after checking the file's top-level shape."""
    if not _top_level(data, _EXTRACTION_SECTIONS, shown, lines, problems):
        return None
    document = data.get("document")
    if not isinstance(document, str) or not document:
        problems.append(Problem(shown, _line(lines, ("document",)), "document", "names the document (its id)"))
        return None
    problem = id_problem(document)
    if problem:
        problems.append(Problem(shown, _line(lines, ("document",)), "document", problem))
        return None
    return document


def _shown_path(p: Path) -> str:
    """A path in a message: relative to the working folder when inside it, and escaped (a
    file name can hold a line break or an ESC)."""
    try:
        text = str(p.relative_to(Path.cwd()))
    except ValueError:
        text = str(p)
    return _shown(text, 500)


@gc_paused
def load_seeds(root: str | Path | None = None, documents_dir: str | Path | None = None, *,
               drafts: Iterable[str | Path] = ()) -> Seeds:
    """Load and check every seed file under ``root``, and the draft files ``drafts`` as if
    they were merged into it.

    Raises :class:`InvalidSeeds` listing every error (warnings ride along in
    ``Seeds.warnings`` when there is no error). With ``documents_dir``, also checks each
    document's sha256 and that every evidence quote appears verbatim in its document.

    A draft (written by ``dealgraph draft``) holds one document's entries in one file:
    ``document:`` (one record), ``entities:``, ``deals:``, ``claims:``, ``statements:``,
    ``totals:`` and ``mentions:`` (what the drafter found in the text, not checked here). Its
    problems are located in the draft itself, and a seeds folder that is empty or missing
    files counts as holding nothing, so a first draft validates against no seeds at all.
    Every ``review:`` note is reported as a warning: what the curator still has to check.

    What a problem makes unreadable is not checked further (``Seeds.unread``), so each
    mistake is reported once, as itself, and not as the cascade it would cause.
    """
    root = Path(root) if root is not None else default_seeds_dir()
    drafts = [Path(d) for d in drafts]
    problems: list[Problem] = []
    seeds = Seeds(root=root)
    if not root.is_dir() and not (drafts and not root.exists()):
        what = "is not a folder" if root.exists() else "no such seeds folder"
        raise InvalidSeeds([Problem(_shown_path(root), 0, "", what)])

    def add_records(items: list[tuple[Path_, Any]], key: str, model: type[BaseModel],
                    into: dict[str, Any], s: str, lines: _Lines) -> None:
        for at, item in items:
            rec = _validate(model, item, at, s, lines, problems)
            if rec is None:
                seeds.refuse(key, item)
                continue
            if rec.id in into:
                problems.append(Problem(s, _line(lines, at + ("id",)), _field(at + ("id",)),
                                        f"duplicate id {rec.id!r}"))
                continue
            into[rec.id] = rec
            seeds.where[id(rec)] = Located(rec, s, at, lines)

    def load_list(name: str, key: str, model: type[BaseModel], into: dict[str, Any]) -> None:
        path = root / name
        if drafts and not path.exists():
            return  # drafts validated against an empty folder
        s = _shown_path(path)
        read = _read_yaml(path, s, problems)
        items = None if read is None else _records(read[0], key, s, read[1], problems)
        if items is None:
            seeds.unread.add(key)
            return
        add_records(items, key, model, into, s, read[1])

    def add_document_records(data: dict, document: str, s: str, lines: _Lines) -> bool:
        """The claims, statements and totals of one document; False when a section is lost."""
        whole = True
        # Each record is checked on its own, so one bad field costs one record, not the file.
        for section, model, bucket in (("claims", Claim, seeds.claims),
                                       ("statements", Statement, seeds.statements),
                                       ("totals", Total, seeds.totals)):
            items = data.get(section, [])
            if not isinstance(items, list):
                problems.append(Problem(s, _line(lines, (section,)), section, "must be a list"))
                whole = False
                continue
            for i, item in enumerate(items):
                at = (section, i)
                rec = _validate(model, item, at, s, lines, problems)
                if rec is None:
                    if section == "claims":
                        seeds.refuse("claims", item, "deal")
                    continue
                seeds.where[id(rec)] = Located(rec, s, at, lines)
                bucket.append((document, rec))
        return whole

    load_list("documents.yaml", "documents", Document, seeds.documents)
    load_list("entities.yaml", "entities", Entity, seeds.entities)
    load_list("deals.yaml", "deals", Deal, seeds.deals)

    drafted: list[tuple[dict, str, str, _Lines]] = []
    for path in drafts:
        s = _shown_path(path)
        read = _read_yaml(path, s, problems)
        if read is None or not _top_level(read[0], DRAFT_SECTIONS, s, read[1], problems):
            seeds.unread.update(("documents", "entities", "deals", "claims"))
            continue
        data, lines = read
        document = None
        if not isinstance(data.get("document"), dict):
            problems.append(Problem(s, _line(lines, ("document",)), "document",
                                    "a draft holds its document's entry (id, title, language, ...)"))
        else:
            before = len(seeds.documents)
            add_records([(("document",), data["document"])], "documents", Document, seeds.documents, s, lines)
            if len(seeds.documents) > before:
                document = data["document"]["id"]
        for key, model, into in (("entities", Entity, seeds.entities), ("deals", Deal, seeds.deals)):
            items = data.get(key, [])
            if not isinstance(items, list):
                problems.append(Problem(s, _line(lines, (key,)), key, "must be a list"))
                seeds.unread.add(key)
                continue
            add_records([((key, i), item) for i, item in enumerate(items)], key, model, into, s, lines)
        if not isinstance(data.get("mentions", []), list):
            problems.append(Problem(s, _line(lines, ("mentions",)), "mentions", "must be a list"))
        if document is None:
            seeds.unread.add("claims")
        else:
            drafted.append((data, document, s, lines))

    files, lost = _extraction_files(root / "extractions", problems, optional=bool(drafts))
    for path in files:
        s = _shown_path(path)
        read = _read_yaml(path, s, problems)
        document = None if read is None else _extraction_document(read[0], s, read[1], problems)
        if document is None:
            lost.add(path.stem)
            continue
        data, lines = read
        if document != path.stem:
            problems.append(Problem(s, _line(lines, ("document",)), "document",
                                    f"the file of document {document!r} must be named {document}.yaml"))
        if seeds.unknown("documents", document):
            problems.append(Problem(s, _line(lines, ("document",)), "document",
                                    f"unknown document {document!r}"))
        if not add_document_records(data, document, s, lines):
            lost.add(path.stem)
    for data, document, s, lines in drafted:
        if document in {p.stem for p in files}:
            problems.append(Problem(s, _line(lines, ("document", "id")), "document.id",
                                    f"document {document!r} already has an extraction file"))
        if not add_document_records(data, document, s, lines):
            lost.add(document)
    if lost or not (files or drafted):
        seeds.unread.add("claims")

    _check_references(seeds, problems, lost)
    _check_totals(seeds, problems)
    _check_shared_quotes(seeds, problems)
    _check_same_text(seeds, problems)
    if documents_dir is not None:
        problems.extend(check_documents(seeds, documents_dir))
    problems.extend(_still_to_review(seeds))

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InvalidSeeds(problems)
    seeds.warnings = sorted(problems)
    return seeds


#: The sections of a draft file: one document's entries, and what the drafter found in it.
DRAFT_SECTIONS = ("document", "entities", "deals", "claims", "statements", "totals", "mentions")


def _still_to_review(seeds: Seeds) -> list[Problem]:
    """A problem of severity "review" for every ``review:`` note left in a record: the
    curator's to-do list, reported, never an error."""
    found = []
    for loc in seeds.where.values():
        note = getattr(loc.record, "review", None)
        if note:
            found.append(_problem(seeds, loc.record, "review", _shown(note, 300), "review"))
    return found


def _check_same_text(seeds: Seeds, problems: list[Problem]) -> None:
    """One text, one document: a second entry with the same sha256 would count every claim
    of that text twice as corroboration."""
    first: dict[str, str] = {}
    for doc in seeds.documents.values():
        if doc.sha256 in first:
            problems.append(_problem(seeds, doc, "sha256",
                                     f"the same text as document {first[doc.sha256]!r} (same sha256)"))
        else:
            first[doc.sha256] = doc.id


def _extraction_files(folder: Path, problems: list[Problem], *,
                      optional: bool = False) -> tuple[list[Path], set[str]]:
    """The extraction files (``<document id>.yaml``), and the names of files meant as
    extractions that cannot be read as one (``.yml``): their claims are lost. ``optional``:
    a missing folder or an empty one holds no files (drafts bring their own claims)."""
    where = _shown_path(folder)
    if optional and not folder.exists():
        return [], set()
    if not folder.is_dir():
        problems.append(Problem(where, 0, "", "is not a folder" if folder.exists() else "no extraction files"))
        return [], set()
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        problems.append(Problem(where, 0, "", f"cannot read the folder: {exc.strerror or exc}"))
        return [], set()
    files: list[Path] = []
    lost: set[str] = set()
    for path in entries:
        if path.name.startswith("."):  # editors' and systems' files (.DS_Store, .x.yaml.swp)
            continue
        if path.suffix == ".yaml":
            files.append(path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            problems.append(Problem(_shown_path(path), 0, "",
                                    f"an extraction file is named <document id>.yaml, not {_shown(path.name)}"))
            lost.add(path.stem)
        else:
            problems.append(Problem(_shown_path(path), 0, "",
                                    "ignored: not an extraction file (<document id>.yaml)", "warning"))
    if not files and not lost and not optional:
        problems.append(Problem(where, 0, "", "no extraction files"))
    return files, lost


def _problem(seeds: Seeds, rec: Any, sub: str, message: str, severity: str = "error") -> Problem:
    """A problem located at the field ``sub`` ("parties.lender", "about.0") of a record."""
    loc = seeds.where[id(rec)]
    path = tuple(int(p) if p.isdigit() else p for p in sub.split(".")) if sub else ()
    return Problem(loc.file, loc.line_of(path), f"{loc.field}.{sub}" if sub else loc.field, message, severity)


def _check_shared_quotes(seeds: Seeds, problems: list[Problem]) -> None:
    """Warn where one quote backs stated claims about several deals: a generic sentence ("the
    massive contracts it has with Microsoft, OpenAI and Nvidia") rarely states a fact of each,
    and each claim it backs counts as corroboration."""
    deals_of: dict[tuple[str, str], dict[str, Claim]] = defaultdict(dict)
    for doc, c in seeds.claims:
        if c.basis == "stated":
            deals_of[doc, c.quote].setdefault(c.deal, c)
    for (doc, _), by_deal in deals_of.items():
        if len(by_deal) > 1:
            for deal, c in by_deal.items():
                others = ", ".join(d for d in by_deal if d != deal)
                problems.append(_problem(seeds, c, "quote", f"the same quote backs stated claims about {others} "
                                         "too: keep what it states, mark the rest basis: inferred", "warning"))


def _check_references(seeds: Seeds, problems: list[Problem], lost: set[str]) -> None:
    """Every id a record names exists. An id is reported unknown only when it surely is
    (``Seeds.unknown``): a broken file reports itself, not every reference into it."""
    ents = seeds.entities
    owner: dict[str, str] = {}
    for e in ents.values():
        if e.affiliation and seeds.unknown("entities", e.affiliation):
            problems.append(_problem(seeds, e, "affiliation", f"unknown entity {e.affiliation!r}"))
        for i, name in enumerate([e.name, *e.aliases]):
            alias = name.casefold()
            if alias in owner and owner[alias] != e.id:
                problems.append(_problem(seeds, e, "name" if i == 0 else f"aliases.{i - 1}",
                                         f"{name!r} is already a name of {owner[alias]!r}"))
            owner.setdefault(alias, e.id)
    # A deal id that is also an entity's id or name would make one word mean two things where
    # users name either (`stress --remove microsoft` removed a deal called microsoft).
    for e in ents.values():
        owner[e.id] = e.id
    for d in seeds.deals.values():
        if d.id in owner:
            what = "the id" if owner[d.id] == d.id else "a name"
            problems.append(_problem(seeds, d, "id", f"{d.id!r} is already {what} of the entity {owner[d.id]!r}: "
                                                     "a deal id must not name an entity"))
    for d in seeds.deals.values():
        for role, who in d.parties.items():
            for party in [who] if isinstance(who, str) else who:
                if seeds.unknown("entities", party):
                    problems.append(_problem(seeds, d, f"parties.{role}", f"unknown entity {party!r}"))
                elif party in ents and ents[party].kind == "person":
                    problems.append(_problem(seeds, d, f"parties.{role}",
                                             f"{party!r} is a person, not a party to deals"))
    claimed = Counter(c.deal for _, c in seeds.claims)
    for doc, c in seeds.claims:
        deal = seeds.deals.get(c.deal)
        if seeds.unknown("deals", c.deal):
            problems.append(_problem(seeds, c, "deal", f"unknown deal {c.deal!r}"))
            # it was meant for some deal, which would now be reported as having no claim
            seeds.unread.add("claims")
        if c.speaker and seeds.unknown("entities", c.speaker):
            problems.append(_problem(seeds, c, "speaker", f"unknown entity {c.speaker!r}"))
        if c.event:
            if seeds.unknown("entities", c.event.by):
                problems.append(_problem(seeds, c, "event.by", f"unknown entity {c.event.by!r}"))
            if deal and c.event.role and c.event.role not in DEAL_KINDS[deal.kind].roles:
                problems.append(_problem(seeds, c, "event.role",
                                         f"a {deal.kind} has no role {c.event.role!r}"))
        if deal and c.share and DEAL_KINDS[deal.kind].share_of is None:
            problems.append(_problem(seeds, c, "share", f"a {deal.kind} carries no share"))
        for i, other in enumerate(c.contradicts):
            if seeds.unknown("deals", other):
                problems.append(_problem(seeds, c, f"contradicts.{i}", f"unknown deal {other!r}"))
    for doc, s in seeds.statements:
        for i, who in enumerate(s.about):
            if seeds.unknown("entities", who):
                problems.append(_problem(seeds, s, f"about.{i}", f"unknown entity {who!r}"))
        if s.speaker and seeds.unknown("entities", s.speaker):
            problems.append(_problem(seeds, s, "speaker", f"unknown entity {s.speaker!r}"))
    seen_totals: set[str] = set()
    for doc, t in seeds.totals:
        if t.id in seen_totals:
            problems.append(_problem(seeds, t, "id", f"duplicate id {t.id!r}"))
        seen_totals.add(t.id)
        for i, part in enumerate(t.parts):
            if seeds.unknown("deals", part):
                problems.append(_problem(seeds, t, f"parts.{i}", f"unknown deal {part!r}"))
    every_claim_read = "claims" not in seeds.unread
    for d in seeds.deals.values():
        if not claimed[d.id] and every_claim_read and d.id not in seeds.refused["claims"]:
            problems.append(_problem(seeds, d, "id",
                                     f"deal {d.id!r} has no claim: every deal needs a sourced claim"))
    docs_with_extraction = {doc for doc, _ in seeds.claims + seeds.statements} | lost
    for d in seeds.documents.values():
        if d.id not in docs_with_extraction:
            problems.append(_problem(seeds, d, "id", f"document {d.id!r} has no extraction", "warning"))


def _check_totals(seeds: Seeds, problems: list[Problem]) -> None:
    """Compare each stated total with its parts as the same document states them.

    Mismatches are warnings: sources round, and a disagreement is itself worth reporting.
    """
    for doc, t in seeds.totals:
        stated = t.amount.value if t.measure == "amount" else t.share.percent
        parts: list[Decimal] = []
        for part in t.parts:
            # a part is the whole deal: a claim about one tranche is a part of the part
            whole = [(d, c) for d, c in seeds.claims_of(part) if c.tranche is None]
            stated_here = [getattr(c, t.measure) for d, c in whole if d == doc and getattr(c, t.measure) is not None]
            # the document does not restate this part: take any source's
            values = stated_here or [getattr(c, t.measure) for _, c in whole if getattr(c, t.measure) is not None]
            if values and t.measure == "amount" and (values[0].currency, values[0].per, values[0].term) != (
                    t.amount.currency, t.amount.per, t.amount.term):
                # 1 bn EUR is not 1 bn USD, nor 1 bn a year 1 bn: unlike figures are not added
                problems.append(_problem(seeds, t, "parts", f"part {part!r} is stated in other terms "
                                         f"({_terms(values[0])}, the total in {_terms(t.amount)}); "
                                         "the total cannot be checked", "warning"))
                break
            if not values:
                if part not in seeds.deals or "claims" in seeds.unread or part in seeds.refused["claims"]:
                    break  # the part, or the claim that would give its value, is reported already
                problems.append(_problem(seeds, t, "parts",
                                         f"part {part!r} has no {t.measure}; the total cannot be checked",
                                         "warning"))
                break
            parts.append(values[0].value if t.measure == "amount" else values[0].percent)
        else:
            total = sum(parts, Decimal(0))
            if abs(total - stated) > abs(stated) * Decimal("0.005"):
                problems.append(_problem(seeds, t, t.measure,
                                         f"the parts add up to {total.normalize():f}, not the stated "
                                         f"{stated.normalize():f}", "warning"))


def _terms(a) -> str:
    """An amount's currency, and its period and term where it has them: "EUR a year for P5Y"."""
    return a.currency + (f" a {a.per}" if a.per else "") + (f" for {a.term}" if a.term else "")


#: A source text is an article: anything past this is not one, and is not read into memory.
MAX_TEXT_BYTES = 64 * 2**20


def check_documents(seeds: Seeds, documents_dir: str | Path) -> list[Problem]:
    """Check each document's text against its recorded sha256 and every quote against it."""
    documents_dir = Path(documents_dir)
    if not documents_dir.is_dir():
        what = "is not a folder" if documents_dir.exists() else "no such documents folder"
        return [Problem(_shown_path(documents_dir), 0, "", what)]
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    missing = []
    for doc in seeds.documents.values():
        path = documents_dir / f"{doc.id}.txt"  # a safe file name: ids are checked (models.Slug)
        if not path.is_file():
            missing.append(_problem(seeds, doc, "id", f"no text for this document in {_shown_path(documents_dir)}"))
            continue
        try:
            if path.stat().st_size > MAX_TEXT_BYTES:
                problems.append(_problem(seeds, doc, "id", f"{_shown_path(path)} is larger than "
                                                           f"{MAX_TEXT_BYTES >> 20} MB: not a source text"))
                continue
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(_problem(seeds, doc, "id", f"cannot read {_shown_path(path)}: {exc.strerror or exc}"))
            continue
        if hashlib.sha256(raw).hexdigest() != doc.sha256:
            problems.append(_problem(seeds, doc, "sha256",
                                     f"{_shown_path(path)} is not the text that was curated (sha256 differs)"))
        text, line, byte = _decode(raw)
        if text is None:
            problems.append(_problem(seeds, doc, "id", f"{_shown_path(path)} is not UTF-8 text (byte 0x{byte:02x} "
                                                       f"on line {line}): its quotes are not checked"))
        else:
            texts[doc.id] = text
    if missing and len(missing) == len(seeds.documents):
        # not one text there: the folder is the mistake, not each document
        return [Problem(_shown_path(documents_dir), 0, "", "holds no document text (<document id>.txt)")]
    problems.extend(missing)
    quoted: list[tuple[str, Any]] = [*seeds.claims, *seeds.statements, *seeds.totals]
    for doc, rec in quoted:
        text = texts.get(doc)
        if text is not None and rec.quote not in text:
            problems.append(_problem(seeds, rec, "quote", f"quote not found verbatim in {doc}.txt"))
    return problems
