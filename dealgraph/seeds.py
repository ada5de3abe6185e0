"""Read ``seeds/`` into validated records, reporting every problem as ``FILE:LINE: field: message``.

The seeds folder holds ``documents.yaml``, ``entities.yaml``, ``deals.yaml`` and one
``extractions/<document id>.yaml`` per source document. Loading never stops at the first
problem: it collects them all, so a curator fixes a file in one pass.
"""

from __future__ import annotations

import functools
import gc
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InvalidSeeds, Problem
from .kinds import DEAL_KINDS
from .models import Claim, Deal, Document, Entity, Statement, Total

__all__ = ["Seeds", "load_seeds", "check_documents", "default_seeds_dir", "default_documents_dir"]

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
        seen = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                self.duplicates.append((key_node.start_mark.line + 1, key))
            seen.add(key)
        return super().construct_mapping(node, deep)


def _yaml_decimal(loader, node):
    try:
        return Decimal(node.value.replace("_", ""))
    except ArithmeticError:
        return loader.construct_yaml_float(node)


_DataLoader.add_constructor("tag:yaml.org,2002:float", _yaml_decimal)
_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


class _Lines:
    """Path of each value in a YAML file -> its line, worked out only when a problem needs it
    (composing the node tree costs more than loading the data)."""

    def __init__(self, text: str):
        self.text = text
        self._map: dict[Path_, int] | None = None

    def _lines(self) -> dict[Path_, int]:
        if self._map is None:
            self._map = {}
            keys = _DataLoader("")

            def walk(n: yaml.Node, at: Path_) -> None:
                self._map[at] = n.start_mark.line + 1
                if isinstance(n, yaml.MappingNode):
                    for key_node, value_node in n.value:
                        key = keys.construct_object(key_node, deep=True)
                        walk(value_node, at + (key,))
                        self._map[at + (key,)] = key_node.start_mark.line + 1
                elif isinstance(n, yaml.SequenceNode):
                    for i, item in enumerate(n.value):
                        walk(item, at + (i,))

            node = yaml.compose(self.text, Loader=_LOADER)
            if node is not None:
                walk(node, ())
        return self._map

    def __contains__(self, at: Path_) -> bool:
        return at in self._lines()

    def get(self, at: Path_, default: int = 1) -> int:
        return self._lines().get(at, default)


def _read_yaml(path: Path, shown: str, problems: list[Problem]) -> tuple[Any, _Lines]:
    """Parse a YAML file into plain data, plus the lines of its values for messages."""
    try:
        text = path.read_text(encoding="utf-8")
        loader = _DataLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, 0, "", f"cannot read the file: {exc}"))
        return None, _Lines("")
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        problems.append(Problem(shown, line, "", f"not valid YAML: {exc.problem}"))
        return None, _Lines("")
    for line, key in loader.duplicates:
        problems.append(Problem(shown, line, str(key), "duplicate key"))
    return data, _Lines(text)


def _line(lines: "_Lines | dict[Path_, int]", at: Path_) -> int:
    while at and at not in lines:
        at = at[:-1]
    return lines.get(at, 1)


def _field(at: Iterable[Any]) -> str:
    return ".".join(str(p) for p in at)


def _validate(model: type[BaseModel], data: Any, at: Path_, shown: str,
              lines: dict[Path_, int], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = at + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
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
    lines: dict[Path_, int]

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
    #: deals named by a claim that failed validation: "has no claim" would be a false alarm
    invalid_deals: set = field(default_factory=set)
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


def _extraction_document(data: Any, shown: str, lines: dict[Path_, int], problems: list[Problem]) -> str | None:
    """The ``document:`` of an extraction file, after checking the file's top-level shape."""
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "", "an extraction file maps document, claims, statements, totals"))
        return None
    for key in data:
        if key not in ("document", "claims", "statements", "totals"):
            problems.append(Problem(shown, _line(lines, (key,)), str(key), "unknown field"))
    document = data.get("document")
    if not isinstance(document, str) or not document:
        problems.append(Problem(shown, _line(lines, ("document",)), "document", "names the document (its id)"))
        return None
    return document


def _records(data: Any, key: str, shown: str, lines: dict[Path_, int],
             problems: list[Problem]) -> list[tuple[Path_, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        problems.append(Problem(shown, 1, key, f"the file must hold a list under '{key}:'"))
        return []
    return [((key, i), item) for i, item in enumerate(data[key])]


def gc_paused(stage):
    """Run ``stage`` with Python's cyclic garbage collector paused.

    Loading and mapping create millions of small objects that all survive the stage, and
    every full collection walks them all again: at 10 000 synthetic deals that was a third
    of the load and RDF time, and it grows faster than the data (benchmarks/RESULTS.md). The
    records hold no reference cycles worth collecting mid-stage; the collector resumes after.
    """
    @functools.wraps(stage)
    def run(*args, **kwargs):
        if not gc.isenabled():
            return stage(*args, **kwargs)
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            gc.enable()
    return run


@gc_paused
def load_seeds(root: str | Path | None = None, documents_dir: str | Path | None = None) -> Seeds:
    """Load and check every seed file under ``root``.

    Raises :class:`InvalidSeeds` listing every error (warnings ride along in
    ``Seeds.warnings`` when there is no error). With ``documents_dir``, also checks each
    document's sha256 and that every evidence quote appears verbatim in its document.
    """
    root = Path(root) if root is not None else default_seeds_dir()
    problems: list[Problem] = []
    seeds = Seeds(root=root)
    if not root.is_dir():
        raise InvalidSeeds([Problem(str(root), 0, "", "no such seeds folder")])

    def shown(p: Path) -> str:
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)

    def load_list(name: str, key: str, model: type[BaseModel], into: dict[str, Any]) -> None:
        path = root / name
        s = shown(path)
        if not path.is_file():
            problems.append(Problem(s, 0, "", "file is missing"))
            return
        data, lines = _read_yaml(path, s, problems)
        for at, item in _records(data, key, s, lines, problems):
            rec = _validate(model, item, at, s, lines, problems)
            if rec is None:
                continue
            if rec.id in into:
                problems.append(Problem(s, _line(lines, at + ("id",)), _field(at + ("id",)),
                                        f"duplicate id {rec.id!r}"))
                continue
            into[rec.id] = rec
            seeds.where[id(rec)] = Located(rec, s, at, lines)

    load_list("documents.yaml", "documents", Document, seeds.documents)
    load_list("entities.yaml", "entities", Entity, seeds.entities)
    load_list("deals.yaml", "deals", Deal, seeds.deals)

    extraction_dir = root / "extractions"
    files = sorted(extraction_dir.glob("*.yaml")) if extraction_dir.is_dir() else []
    if not files:
        problems.append(Problem(shown(extraction_dir), 0, "", "no extraction files"))
    for path in files:
        s = shown(path)
        data, lines = _read_yaml(path, s, problems)
        if data is None:
            continue
        document = _extraction_document(data, s, lines, problems)
        if document is None:
            continue
        if document != path.stem:
            problems.append(Problem(s, _line(lines, ("document",)), "document",
                                    f"the file of document {document!r} must be named {document}.yaml"))
        if document not in seeds.documents:
            problems.append(Problem(s, _line(lines, ("document",)), "document",
                                    f"unknown document {document!r}"))
        # Each record is checked on its own, so one bad field costs one record, not the file.
        for section, model, bucket in (("claims", Claim, seeds.claims),
                                       ("statements", Statement, seeds.statements),
                                       ("totals", Total, seeds.totals)):
            items = data.get(section, [])
            if not isinstance(items, list):
                problems.append(Problem(s, _line(lines, (section,)), section, "must be a list"))
                continue
            for i, item in enumerate(items):
                at = (section, i)
                rec = _validate(model, item, at, s, lines, problems)
                if rec is None:
                    seeds.invalid_deals.add(item.get("deal") if isinstance(item, dict) else None)
                    continue
                seeds.where[id(rec)] = Located(rec, s, at, lines)
                bucket.append((document, rec))

    _check_references(seeds, problems)
    _check_totals(seeds, problems)
    _check_shared_quotes(seeds, problems)
    if documents_dir is not None:
        problems.extend(check_documents(seeds, documents_dir))

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InvalidSeeds(problems)
    seeds.warnings = sorted(problems)
    return seeds


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


def _check_references(seeds: Seeds, problems: list[Problem]) -> None:
    ents = seeds.entities
    owner: dict[str, str] = {}
    for e in ents.values():
        if e.affiliation and e.affiliation not in ents:
            problems.append(_problem(seeds, e, "affiliation", f"unknown entity {e.affiliation!r}"))
        for i, name in enumerate([e.name, *e.aliases]):
            alias = name.casefold()
            if alias in owner and owner[alias] != e.id:
                problems.append(_problem(seeds, e, "name" if i == 0 else f"aliases.{i - 1}",
                                         f"{name!r} is already a name of {owner[alias]!r}"))
            owner.setdefault(alias, e.id)
    for d in seeds.deals.values():
        for role, who in d.parties.items():
            for party in [who] if isinstance(who, str) else who:
                if party not in ents:
                    problems.append(_problem(seeds, d, f"parties.{role}", f"unknown entity {party!r}"))
                elif ents[party].kind == "person":
                    problems.append(_problem(seeds, d, f"parties.{role}",
                                             f"{party!r} is a person, not a party to deals"))
    claimed = Counter(c.deal for _, c in seeds.claims)
    for doc, c in seeds.claims:
        deal = seeds.deals.get(c.deal)
        if deal is None:
            problems.append(_problem(seeds, c, "deal", f"unknown deal {c.deal!r}"))
        if c.speaker and c.speaker not in ents:
            problems.append(_problem(seeds, c, "speaker", f"unknown entity {c.speaker!r}"))
        if c.event:
            if c.event.by not in ents:
                problems.append(_problem(seeds, c, "event.by", f"unknown entity {c.event.by!r}"))
            if deal and c.event.role and c.event.role not in DEAL_KINDS[deal.kind].roles:
                problems.append(_problem(seeds, c, "event.role",
                                         f"a {deal.kind} has no role {c.event.role!r}"))
        if deal and c.share and DEAL_KINDS[deal.kind].share_of is None:
            problems.append(_problem(seeds, c, "share", f"a {deal.kind} carries no share"))
        for i, other in enumerate(c.contradicts):
            if other not in seeds.deals:
                problems.append(_problem(seeds, c, f"contradicts.{i}", f"unknown deal {other!r}"))
    for doc, s in seeds.statements:
        for i, who in enumerate(s.about):
            if who not in ents:
                problems.append(_problem(seeds, s, f"about.{i}", f"unknown entity {who!r}"))
        if s.speaker and s.speaker not in ents:
            problems.append(_problem(seeds, s, "speaker", f"unknown entity {s.speaker!r}"))
    seen_totals: set[str] = set()
    for doc, t in seeds.totals:
        if t.id in seen_totals:
            problems.append(_problem(seeds, t, "id", f"duplicate id {t.id!r}"))
        seen_totals.add(t.id)
        for i, part in enumerate(t.parts):
            if part not in seeds.deals:
                problems.append(_problem(seeds, t, f"parts.{i}", f"unknown deal {part!r}"))
    for d in seeds.deals.values():
        if not claimed[d.id] and d.id not in seeds.invalid_deals:
            problems.append(_problem(seeds, d, "id",
                                     f"deal {d.id!r} has no claim: every deal needs a sourced claim"))
    docs_with_extraction = {doc for doc, _ in seeds.claims + seeds.statements}
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
            stated_here = [getattr(c, t.measure) for d, c in seeds.claims_of(part)
                           if d == doc and getattr(c, t.measure) is not None]
            # the document does not restate this part: take any source's
            values = stated_here or [getattr(c, t.measure) for _, c in seeds.claims_of(part)
                                     if getattr(c, t.measure) is not None]
            if not values:
                if part in seeds.invalid_deals:  # its claim is already reported as an error
                    break
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


def check_documents(seeds: Seeds, documents_dir: str | Path) -> list[Problem]:
    """Check each document's text against its recorded sha256 and every quote against it."""
    documents_dir = Path(documents_dir)
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for doc in seeds.documents.values():
        path = documents_dir / f"{doc.id}.txt"
        if not path.is_file():
            problems.append(_problem(seeds, doc, "id", f"no text for this document in {documents_dir}"))
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != doc.sha256:
            problems.append(_problem(seeds, doc, "sha256",
                                     f"{path} is not the text that was curated (sha256 differs)"))
        texts[doc.id] = raw.decode("utf-8")
    quoted: list[tuple[str, Any]] = [*seeds.claims, *seeds.statements, *seeds.totals]
    for doc, rec in quoted:
        text = texts.get(doc)
        if text is not None and rec.quote not in text:
            problems.append(_problem(seeds, rec, "quote", f"quote not found verbatim in {doc}.txt"))
    return problems
