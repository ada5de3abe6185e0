"""Synthetic deal networks in the seeds' own format, with what was planted written down.

``generate(out_dir, companies, deals, seed=...)`` writes a folder that every other command
reads like the bundled seeds (``documents.yaml``, ``entities.yaml``, ``deals.yaml``,
``extractions/<document id>.yaml``), plus ``documents/<document id>.txt``, a short, plainly
synthetic text per document in which every evidence quote appears verbatim, and
``planted.json``, the manifest of what was planted: loops, conflicting claims, stated totals
and counts. Tests and benchmarks check the analyses' outputs against that manifest.

How the network is made, and why:

* **Degrees are heavy-tailed** (:mod:`.network`): the network grows (Barabasi-Albert style).
  Companies enter one at a time, in a random order, each with a deal it is party to; every
  other party is drawn by preferential attachment (with probability proportional to one plus
  the number of deals the company is already in), so early entrants become hubs that take many
  deals, as Nvidia, Microsoft and OpenAI do, while most companies have a deal or two.
* **Known loops, and only those by design**: every company gets a random rank, and every
  background deal's money flows from the lower-ranked party to the higher-ranked one (a party
  that takes over a role by an ``assumed`` event keeps that order too). The background is
  therefore acyclic; the loops are planted on purpose (about ``loop_fraction`` of the deals, at
  least three loops once there are 60 deals, of length 2-5, among companies drawn by
  preferential attachment, with known, undisputed amounts). A planted back edge can close
  further cycles with background paths, so ``loops`` finds a superset of the planted loops,
  never fewer.
* **Amounts** are lognormal around a median per deal kind (:mod:`.tables`), written with two
  or three significant digits in ``scale`` units (thousand, million, billion); some are
  unknown, some carry ``about``/``nearly``/``more_than``/``up_to`` with min/max where that
  makes sense. Revenue shares and ownership stakes carry a ``share``, kept below 100 % per
  supplier and year, and per owned company.
* **Several documents per deal** (:mod:`.reports`; 1 to ``documents_per_deal``, most deals by
  one): later reports repeat the figure, or, where a conflict is planted, give a rounder,
  different or differently held figure (expected against reported), another share or another
  date. Withdrawals (some denied by the other party, some followed by another company assuming
  the role) and a few doubtful claims complete what :func:`dealgraph.conflicts.find_conflicts`
  reports. The manifest's conflicts are computed from the claims by the same rule
  (:mod:`.manifest`), so they are exactly what a correct build must report.
* **Stated totals** sum two to four deals that the stating document reports with undisputed
  amounts, rounded to four significant digits (within the 0.5 % the checks allow).
* **Documents** (:mod:`.timeline`, :mod:`.documents`) hold 20-50 claims each, in publication
  order over 2023-2025; a deal's first report dates it, later reports follow.

Everything is drawn from one ``random.Random(seed)`` and written in a fixed order, so the same
arguments give byte-identical output; the stages below draw from it in turn, and reordering
any draw changes every file.

>>> import tempfile
>>> from dealgraph.seeds import load_seeds
>>> with tempfile.TemporaryDirectory() as tmp:
...     manifest = generate(tmp, companies=30, deals=120, seed=7)
...     seeds = load_seeds(tmp, f"{tmp}/documents")
...     len(seeds.deals), manifest["counts"]["deals"]
(120, 120)
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

from ..errors import SynthError
from .documents import seed_files, write_documents
from .manifest import build_manifest
from .network import plan_network
from .reports import ReportPlanner
from .timeline import place_documents

__all__ = ["generate", "MANIFEST", "DEFAULT_DOCUMENTS_PER_DEAL"]

#: The manifest's file name in the output folder.
MANIFEST = "planted.json"
DEFAULT_DOCUMENTS_PER_DEAL = 3

#: What the output folder may hold (a folder holding only these and a manifest is ours to replace).
_OUTPUTS = {"documents.yaml", "entities.yaml", "deals.yaml", MANIFEST, "documents", "extractions"}


def generate(out_dir: str | Path, companies: int, deals: int, seed: int = 0,
             documents_per_deal: int = DEFAULT_DOCUMENTS_PER_DEAL, *, loop_fraction: float = 0.01) -> dict[str, Any]:
    """Write a synthetic deal network into ``out_dir`` and return the planted manifest.

    Parameters
    ----------
    out_dir : a new or empty folder, or one an earlier ``generate`` wrote (it is replaced).
    companies : number of companies (at least 2).
    deals : number of deals (at least 1).
    seed : the random seed; the same arguments give byte-identical files.
    documents_per_deal : the most documents that report one deal (at least 1); most deals are
        reported by one, fewer by two, fewer still by three...
    loop_fraction : about this share of the deals lie on planted loops (at least three loops
        when there are 60 deals or more).

    Returns
    -------
    dict
        The manifest also written to ``planted.json``: ``parameters``, ``counts``, ``degrees``,
        ``loops`` (member ids in money-flow order, their deals, amounts in units, bottleneck),
        ``conflicts`` (deal, property, kind and competing values with their documents, as
        :func:`dealgraph.conflicts.find_conflicts` reports them) and ``totals`` (stated value
        and parts in units).

    Raises
    ------
    SynthError
        If a count is out of range or ``out_dir`` holds files that are not the generator's.
    """
    _check_arguments(companies, deals, seed, documents_per_deal, loop_fraction)
    out = Path(out_dir)
    _check_out_dir(out)

    rng = random.Random(seed)
    network = plan_network(rng, companies, deals, loop_fraction)
    planner = ReportPlanner(rng, network, documents_per_deal)
    for d in network.deals:
        planner.plan(d)
    timeline = place_documents(rng, network.deals)
    corpus = write_documents(rng, network, timeline, seed)
    parameters = {"companies": companies, "deals": deals, "seed": seed, "documents_per_deal": documents_per_deal,
                  "loop_fraction": loop_fraction}
    manifest = build_manifest(parameters, network, corpus)
    files = seed_files(network, corpus, seed)
    files[MANIFEST] = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    _replace_folder(out, files)
    return manifest


def _check_arguments(companies: Any, deals: Any, seed: Any, documents_per_deal: Any, loop_fraction: Any) -> None:
    for name, value, least in (("companies", companies, 2), ("deals", deals, 1),
                               ("documents_per_deal", documents_per_deal, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise SynthError(f"{name} must be an integer of at least {least}, not {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SynthError(f"seed must be an integer, not {seed!r}")
    if not 0 <= loop_fraction <= 0.5:
        raise SynthError(f"loop_fraction must be between 0 and 0.5, not {loop_fraction!r}")


def _check_out_dir(out: Path) -> None:
    """Refuse a folder that holds anything but an earlier output of ours."""
    if not out.exists():
        return
    if not out.is_dir():
        raise SynthError(f"{out} exists and is not a folder")
    entries = sorted(p.name for p in out.iterdir())
    if not entries:
        return
    foreign = [e for e in entries if e not in _OUTPUTS]
    marker = out / MANIFEST
    ours = False
    if marker.is_file():
        try:
            ours = json.loads(marker.read_text(encoding="utf-8")).get("generator") == "dealgraph.synth"
        except (OSError, ValueError, AttributeError):
            ours = False
    if foreign or not ours:
        raise SynthError(f"{out} is not empty and was not written by dealgraph synth; "
                         "give a new or empty folder")


def _replace_folder(out: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative path -> text) beside ``out``, then swap the folder in, so a
    failure never leaves half a network behind."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.synth-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        (tmp / "extractions").mkdir(parents=True)
        (tmp / "documents").mkdir()
        for name, text in files.items():
            with open(tmp / name, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
