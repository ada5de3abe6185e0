"""Small seeds folders written for one test: a few companies, deals and claims, so a figure the
test checks can be computed by hand from what is written here."""

from __future__ import annotations

from pathlib import Path

import yaml

DOC = "900_0000000000000001"


def write_seeds(root: Path, deals: list[dict], claims: list[dict], companies: tuple[str, ...],
                totals: list[dict] | None = None) -> Path:
    """A seeds folder at ``root`` with one document (``DOC``), the ``companies``, ``deals`` and
    ``claims`` given (each claim gets a quote if it has none); returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "extractions").mkdir(exist_ok=True)
    documents = [{"id": DOC, "title": "A made-up article", "language": "en", "published": "2025-10",
                  "published_basis": "made up for a test", "sha256": "0" * 64}]
    entities = [{"id": c, "name": c.capitalize(), "kind": "company"} for c in companies]
    for i, c in enumerate(claims):
        c.setdefault("quote", f"a quote long enough, number {i}")
    files = {"documents.yaml": {"documents": documents}, "entities.yaml": {"entities": entities},
             "deals.yaml": {"deals": deals},
             f"extractions/{DOC}.yaml": {"document": DOC, "claims": claims, "totals": totals or []}}
    for name, data in files.items():
        (root / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root
