"""Merge a reviewed draft into a seeds folder: all of its files or none.

A draft (written by ``dealgraph draft``, reviewed by a curator) holds one document's entries
in one file; the seeds spread them over ``documents.yaml``, ``entities.yaml``, ``deals.yaml``
and ``extractions/<document id>.yaml``. Merging appends the draft's records to the three list
files as text, so the curators' comments and layout stay as they wrote them, and writes the
extraction file. What the drafter found but no record uses (``mentions:``) stays in the draft.

The new folder is written beside the old one, checked, and only then exchanged with it in one
``renameat2(RENAME_EXCHANGE)``: a merge that fails or is killed at any point leaves the seeds
as they were. (Where the kernel or file system cannot exchange, two renames do it, and a merge
killed between them leaves the old folder as ``.NAME.previous`` beside the missing one.)
"""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInput

__all__ = ["merged_files", "stage", "commit", "discard", "dump_yaml"]

#: Where each section of a draft goes: the list file and its key, or the extraction file.
LIST_FILES = {"document": ("documents.yaml", "documents"),
              "entities": ("entities.yaml", "entities"),
              "deals": ("deals.yaml", "deals")}
EXTRACTION_SECTIONS = ("claims", "statements", "totals")


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the draft's order, figures written as people write them, and
    never an anchor or alias (the seeds refuse them; one object met twice, as a figure shared
    by a claim and a mention, is written twice)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_decimal(dumper, value: Decimal):
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data: Any) -> str:
    """Records as the seeds write them (the drafts and the merged files)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def _appended(text: str | None, key: str, records: list[dict[str, Any]]) -> str:
    """``text`` (a list file's content, None when missing) with ``records`` appended to its list."""
    if text is None:
        text = f"{key}:\n"
    indent = "  "
    empty = re.search(rf"(?m)^{key}:[ \t]*\[\][ \t]*$", text)
    if empty:  # `key: []`: the list becomes a block list
        text = text[:empty.start()] + f"{key}:" + text[empty.end():]
    else:
        first = re.search(r"(?m)^([ \t]*)- ", text)
        if first:
            indent = first.group(1)
    if not text.endswith("\n"):
        text += "\n"
    for record in records:
        item = dump_yaml([record])
        text += "\n" + "".join(indent + line if line.strip() else line
                               for line in item.splitlines(keepends=True))
    return text


def merged_files(root: str | Path, draft: dict[str, Any]) -> dict[str, str]:
    """The new text of every seed file the draft changes, by path relative to ``root``."""
    root = Path(root)
    texts: dict[str, str] = {}
    for section, (name, key) in LIST_FILES.items():
        records = draft.get(section) or []
        if isinstance(records, dict):
            records = [records]
        if not records:
            continue
        path = root / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        texts[name] = _appended(current, key, records)
    document = draft["document"]["id"]
    extraction: dict[str, Any] = {"document": document}
    for section in EXTRACTION_SECTIONS:
        if draft.get(section):
            extraction[section] = draft[section]
    texts[f"extractions/{document}.yaml"] = (
        f"# What {document} states: drafted by `dealgraph draft`, reviewed, merged by `dealgraph add`.\n"
        + dump_yaml(extraction))
    return texts


def stage(root: str | Path, texts: dict[str, str]) -> Path:
    """A copy of the seeds folder ``root`` with ``texts`` written in, beside it."""
    root = Path(root)
    _remove_debris(root)
    staging = root.parent / f".{root.name}.add-{os.getpid()}"
    discard(staging)
    try:
        if root.exists():
            shutil.copytree(root, staging, symlinks=True)
        else:
            staging.mkdir()
        for relative, text in texts.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
    except OSError as exc:
        discard(staging)
        raise InvalidInput(f"cannot write beside {root}: {exc.strerror or exc}") from exc
    return staging


def commit(root: str | Path, staging: Path) -> None:
    """Put ``staging`` in the place of ``root`` at once, and remove the old folder."""
    root = Path(root)
    if not root.exists():
        os.rename(staging, root)
        return
    if _exchange(staging, root):
        discard(staging)  # now the old folder
        return
    previous = root.parent / f".{root.name}.previous"
    discard(previous)
    os.rename(root, previous)
    os.rename(staging, root)
    discard(previous)


def _remove_debris(root: Path) -> None:
    """What a merge killed before its exchange left beside the folder: its staging copy
    (named after its process, removed once that process is gone)."""
    for path in root.parent.glob(f".{glob.escape(root.name)}.add-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            discard(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux's renameat2); False where it is not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))
