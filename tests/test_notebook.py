"""The walkthrough notebook reads on a code forge (issue 12): committed with the outputs of a
run, every code cell answered, and figures written as people write them. nbmake still runs it
(the suite's --nbmake on notebooks/), so the outputs cannot hide a failing cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "closed-loop-walkthrough.ipynb"


def texts(cell: dict) -> list[str]:
    out = []
    for o in cell.get("outputs", []):
        text = o.get("text") or o.get("data", {}).get("text/plain", "")
        out.append("".join(text) if isinstance(text, list) else text)
    return out


def test_every_code_cell_is_committed_with_its_output():
    cells = [c for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert cells and all(c.get("outputs") for c in cells), "run the notebook and commit it with its outputs"
    assert not any(o.get("output_type") == "error" for c in cells for o in c["outputs"])


def test_figures_are_not_in_scientific_notation():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    shown = "\n".join(t for c in cells if c["cell_type"] == "code" for t in texts(c))
    assert "bn" in shown
    assert not re.search(r"\d\.\d{6}e[+-]\d\d", shown), "an amount is shown as 1.000000e+11"
