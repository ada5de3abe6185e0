"""The synthetic network generator (dealgraph.synth) and ``dealgraph synth``.

One small network (60 companies, 400 deals, seed 1) is generated per module and checked three
ways: it loads like curated seeds (every quote verbatim in its generated text); it looks like
the deals it imitates (every kind with its roles, heavy-tailed degrees, unknown and qualified
amounts, withdrawals, take-overs and denials); and what ``planted.json`` says was planted is
what the analyses find in the built graph: the loops, the conflicting claims, the totals.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from dealgraph import DealGraph
from dealgraph.cli import app
from dealgraph.conflicts import check_totals, find_conflicts
from dealgraph.errors import InvalidSeeds, SynthError
from dealgraph.kinds import DEAL_KINDS
from dealgraph.seeds import load_seeds
from dealgraph.synth import MANIFEST, generate
from dealgraph.synth.tables import KIND_DRAWS

COMPANIES, DEALS, SEED = 60, 400, 1


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def rotation(members: list[str]) -> tuple[str, ...]:
    """A cycle written from its smallest member, so rotations compare equal."""
    i = members.index(min(members))
    return tuple(members[i:] + members[:i])


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("synth") / "net"
    manifest = generate(root, COMPANIES, DEALS, seed=SEED)
    return root, manifest


@pytest.fixture(scope="module")
def seeds(network):
    root, _ = network
    return load_seeds(root, root / "documents")


@pytest.fixture(scope="module")
def graph(network):
    root, _ = network
    g = DealGraph.memory(root, root / "documents")
    yield g
    g.close()
    gc.collect()


# ---------------------------------------------------------------------------------------------
# The files: the seeds' format, every quote verbatim, the same bytes for the same seed


def test_writes_the_seeds_layout(network):
    root, manifest = network
    assert {p.name for p in root.iterdir()} == {"documents.yaml", "entities.yaml", "deals.yaml",
                                                 "extractions", "documents", MANIFEST}
    extractions = sorted(p.stem for p in (root / "extractions").glob("*.yaml"))
    texts = sorted(p.stem for p in (root / "documents").glob("*.txt"))
    assert extractions == texts
    assert len(extractions) == manifest["counts"]["documents"]
    # documents hold several deals' claims each, not one file per deal
    assert manifest["counts"]["claims"] / manifest["counts"]["documents"] >= 15


def test_loads_without_errors_or_warnings(network, seeds):
    _, manifest = network
    counts = manifest["counts"]
    assert len(seeds.deals) == DEALS == counts["deals"]
    assert len(seeds.documents) == counts["documents"]
    assert len(seeds.claims) == counts["claims"]
    assert len(seeds.totals) == counts["totals"] >= 2
    assert sum(e.kind == "company" for e in seeds.entities.values()) == COMPANIES
    assert seeds.warnings == []  # totals add up, every document has an extraction


def test_quotes_are_checked_against_the_generated_texts(network, tmp_path):
    """load_seeds really compares: a text that lost one quote no longer loads."""
    import shutil

    root, _ = network
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    text = next(iter(sorted((copy / "documents").glob("*.txt"))))
    lines = text.read_text(encoding="utf-8").splitlines(keepends=True)
    text.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(InvalidSeeds) as info:
        load_seeds(copy, copy / "documents")
    messages = [p.message for p in info.value.problems]
    assert any("sha256 differs" in m for m in messages)
    assert any("quote not found verbatim" in m for m in messages)


def test_same_seed_same_bytes_other_seed_other_network(network, tmp_path):
    root, manifest = network
    again = generate(tmp_path / "again", COMPANIES, DEALS, seed=SEED)
    assert files_of(tmp_path / "again") == files_of(root)
    assert again == manifest
    generate(tmp_path / "other", COMPANIES, DEALS, seed=SEED + 1)
    assert (tmp_path / "other" / "deals.yaml").read_bytes() != (root / "deals.yaml").read_bytes()


def test_the_manifest_file_is_what_generate_returns(network):
    root, manifest = network
    assert json.loads((root / MANIFEST).read_text(encoding="utf-8")) == manifest
    assert manifest["parameters"] == {"companies": COMPANIES, "deals": DEALS, "seed": SEED,
                                      "documents_per_deal": 3, "loop_fraction": 0.01}


# ---------------------------------------------------------------------------------------------
# Realism


def test_the_generator_draws_every_kind():
    """A kind added to DEAL_KINDS needs a row saying how synth draws and names it."""
    assert list(KIND_DRAWS) == list(DEAL_KINDS)


def test_every_kind_with_its_roles(seeds, network):
    _, manifest = network
    kinds = Counter(d.kind for d in seeds.deals.values())
    assert set(kinds) == set(DEAL_KINDS)
    assert dict(kinds) == {k: v for k, v in manifest["counts"]["deals_by_kind"].items() if v}
    for d in seeds.deals.values():
        if d.kind == "ipo":
            assert list(d.parties) == ["issuer"]
        if d.kind == "infrastructure_partnership":
            assert len(d.party_ids("partner")) >= 2
        if d.kind == "spending_commitment":
            assert list(d.parties) == ["spender"]
        ids = [p for role in d.parties for p in d.party_ids(role)]
        assert len(ids) == len(set(ids)), f"{d.id} has a party twice"
    shared = {c.deal for _, c in seeds.claims if c.share is not None}
    for d in seeds.deals.values():
        if d.kind in ("revenue_share", "equity_stake"):
            assert d.id in shared, f"{d.id} has no claim with a share"
    assert all(seeds.deals[c.deal].kind in ("revenue_share", "equity_stake")
               for _, c in seeds.claims if c.share is not None)


def test_amounts_are_heavy_tailed_qualified_and_sometimes_unknown(seeds):
    amounts = [c.amount for _, c in seeds.claims if c.amount is not None]
    values = sorted(float(a.value) for a in amounts)
    median = values[len(values) // 2]
    assert values[-1] > 20 * median and values[0] < median / 20
    assert {a.qualifier for a in amounts} == {"exact", "about", "nearly", "more_than", "up_to"}
    assert any(a.min is not None and a.max is not None for a in amounts)
    assert all(a.text and a.currency == "USD" for a in amounts)
    priced = {c.deal for _, c in seeds.claims if c.amount is not None}
    assert 0.05 < 1 - len(priced) / len(seeds.deals) < 0.5  # some deals have no stated amount


def test_degrees_are_heavy_tailed(seeds, network):
    _, manifest = network
    degree = Counter(p for d in seeds.deals.values() for role in d.parties for p in d.party_ids(role))
    ordered = sorted(degree.values())
    assert ordered[-1] >= 5 * ordered[len(ordered) // 2]
    assert manifest["degrees"]["max"] == ordered[-1]
    assert manifest["degrees"]["hubs"][0]["deals"] == ordered[-1]


def test_statuses_events_modalities_and_dates(seeds):
    claims = [c for _, c in seeds.claims]
    events = Counter(c.event.kind for c in claims if c.event and c.modality != "denied")
    assert events["withdrawn"] > 0 and events["assumed"] > 0
    assert all(c.event.role for c in claims if c.event and c.event.kind == "assumed")
    assert {c.modality for c in claims} == {"reported", "expected", "target", "denied"}
    assert {"announced", "signed", "active", "completed"} <= {c.status for c in claims if c.status}
    assert any(c.doubtful and c.note for c in claims)
    years = {d.published[:4] for d in seeds.documents.values()}
    assert years == {"2023", "2024", "2025"}
    assert all(d.published_basis for d in seeds.documents.values())
    speakers = {c.speaker for c in claims if c.speaker}
    assert any(seeds.entities[s].kind == "person" for s in speakers)


def test_several_documents_report_one_deal(seeds):
    reporters = Counter(len({d for d, _ in seeds.claims_of(deal)}) for deal in seeds.deals)
    assert reporters[1] > reporters[2] > reporters[3] > 0
    assert max(reporters) == 3


# ---------------------------------------------------------------------------------------------
# What was planted is what the analyses find


def test_every_planted_loop_is_found(graph, network):
    _, manifest = network
    assert len(manifest["loops"]) >= 3
    result = graph.loops(max_length=5)
    assert not {"max_cycles", "time_limit"} & set(result["bounds"]["truncated_by"])
    found = {rotation(c["member_ids"]): c for c in result["cycles"]}
    for loop in manifest["loops"]:
        assert 2 <= loop["length"] == len(loop["members"]) == len(loop["deals"]) <= 5
        key = rotation(loop["members"])
        assert key in found, f"{loop['id']} ({' -> '.join(loop['names'])}) not found"
        cycle = found[key]
        hops = {(cycle["member_ids"][i], cycle["member_ids"][(i + 1) % len(key)]): set(cycle["deals"][i])
                for i in range(len(key))}
        for i, deal in enumerate(loop["deals"]):
            hop = (loop["members"][i], loop["members"][(i + 1) % loop["length"]])
            assert deal in hops[hop]
        assert cycle["bottleneck"] is not None and cycle["bottleneck"] >= loop["bottleneck"]


def test_no_loop_without_a_planted_deal(graph, network):
    """The background is acyclic: take the planted loops' deals away and no cycle is left."""
    _, manifest = network
    planted = {deal for loop in manifest["loops"] for deal in loop["deals"]}
    G = graph.money_flows()
    assert planted <= {k for _, _, k in G.edges(keys=True)}
    G.remove_edges_from([(u, v, k) for u, v, k in G.edges(keys=True) if k in planted])
    assert nx.is_directed_acyclic_graph(G)


def test_every_planted_conflict_is_reported(graph, network):
    _, manifest = network
    planted = manifest["conflicts"]
    assert {c["kind"] for c in planted} >= {"values differ", "rounding", "denied", "doubtful"}
    assert {c["property"] for c in planted} >= {"amount", "share", "date", "event"}
    assert all(c["planted_as"] for c in planted), "a conflict nobody planted"
    reported = {(c.deal, c.property): c for c in find_conflicts(graph.select)}
    assert set(reported) == {(c["deal"], c["property"]) for c in planted}
    for c in planted:
        got = reported[c["deal"], c["property"]]
        assert got.kind == c["kind"], (c["deal"], c["property"])
        want = sorted((str(v["value"]), v["qualifier"], v["modality"], tuple(sorted(v["documents"])))
                      for v in c["values"])
        assert sorted((str(v.value), v.qualifier, v.modality, tuple(sorted(v.documents)))
                      for v in got.values) == want


def test_stated_totals_are_consistent(graph, network):
    _, manifest = network
    checks = {t.total: t for t in check_totals(graph.select)}
    assert set(checks) == {t["id"] for t in manifest["totals"]}
    for t in manifest["totals"]:
        check = checks[t["id"]]
        assert check.consistent is True
        assert check.stated == t["stated"]
        assert check.parts == t["parts"]
        assert check.document == t["document"]


# ---------------------------------------------------------------------------------------------
# Arguments, the output folder, the command


@pytest.mark.parametrize("kwargs", [dict(companies=-1, deals=10), dict(companies=1, deals=10),
                                    dict(companies=5, deals=0), dict(companies=5, deals=10, documents_per_deal=0)])
def test_bad_counts_are_refused(tmp_path, kwargs):
    with pytest.raises(SynthError):
        generate(tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_never_overwrites_a_folder_it_did_not_write(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SynthError, match="not written by dealgraph synth"):
        generate(foreign, 10, 30)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


def test_replaces_its_own_output(tmp_path):
    out = tmp_path / "out"
    generate(out, 40, 300, seed=2)
    manifest = generate(out, 10, 30, seed=2)
    assert len(list((out / "extractions").glob("*.yaml"))) == manifest["counts"]["documents"]
    assert len(load_seeds(out, out / "documents").deals) == 30


def test_the_command_writes_a_network(tmp_path):
    out = tmp_path / "cli"
    result = CliRunner().invoke(app, ["synth", "--companies", "30", "--deals", "120", "--seed", "5",
                                      "--documents-per-deal", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["parameters"]["documents_per_deal"] == 2
    assert f"Wrote {out}" in result.stdout
    assert f"deals            {120}" in result.stdout
    seeds = load_seeds(out, out / "documents")
    assert len(seeds.deals) == 120
    assert max(len({d for d, _ in seeds.claims_of(deal)}) for deal in seeds.deals) == 2


@pytest.mark.parametrize("args", [["--companies", "-3", "--deals", "10"], ["--companies", "10", "--deals", "-1"]])
def test_the_command_rejects_negative_counts_in_one_line(tmp_path, args):
    result = CliRunner().invoke(app, ["synth", *args, "-o", str(tmp_path / "bad")])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dealgraph: error: ")
    assert not (tmp_path / "bad").exists()
