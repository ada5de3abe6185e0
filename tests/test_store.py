"""The embedded store (dealgraph.store): atomic rebuilds that survive being killed half-way,
versions kept and pruned, clean errors, and where the store lives by default."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import BNode, URIRef

from dealgraph import DealGraph
from dealgraph.backend import Backend
from dealgraph.errors import StoreError
from dealgraph.rdf import build_quads
from dealgraph.store import COMPLETE, default_store_path, memory_store, open_store, write_store


@pytest.fixture
def store(tmp_path, quads) -> Path:
    """A freshly written store folder with one complete version."""
    root = tmp_path / "store"
    write_store(quads, root)
    return root


def versions(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("v-*"))


def answers(root: Path) -> tuple:
    """What the store answers: its size, a saved query, the deals; closed and dropped after."""
    graph = DealGraph.open(root)
    try:
        return (graph.store.quad_count(), tuple(map(str, graph.query("money-received").rows)),
                tuple(map(str, graph.deals())))
    finally:
        graph.close()
        del graph
        gc.collect()


def snapshot(root: Path) -> tuple:
    return os.readlink(root / "current"), answers(root)


# ---------------------------------------------------------------------------------------------
# Killed half-way, in another process

WRITER = r"""
import os, signal, sys, time
from dealgraph.rdf import build_quads
from dealgraph.seeds import load_seeds
from dealgraph.store import write_store

root, mode, half, seeds_dir, marker = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
quads = build_quads(load_seeds(seeds_dir))

def generate():
    for i, q in enumerate(quads):
        if i == half:
            if mode == "self-kill":
                os.kill(os.getpid(), signal.SIGKILL)
            open(marker, "w").close()  # tell the test we are half-way, then dawdle
            time.sleep(120)
        yield q

write_store(generate(), root)
"""


@pytest.mark.parametrize(
    ("mode", "sig", "cleans_up"),
    [
        ("self-kill", None, False),  # the generator sends itself SIGKILL half-way
        ("slow", signal.SIGKILL, False),  # killed from outside while writing
        ("slow", signal.SIGTERM, True),  # unwinds like Ctrl-C (exit 143)
        ("slow", signal.SIGINT, True),  # Ctrl-C: KeyboardInterrupt, the half-written version is removed
    ],
    ids=["sigkill-itself", "sigkill", "sigterm", "sigint"],
)
def test_a_build_killed_half_way_leaves_the_store_as_it_was(store, quads, seeds_dir, tmp_path, mode, sig, cleans_up):
    link, before = snapshot(store)
    listing = versions(store)
    marker = tmp_path / "half-way"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store), mode, str(len(quads) // 2), str(seeds_dir),
                             str(marker)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if sig is not None:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the writer never got half-way"
            time.sleep(0.05)
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0, err
    if sig in (None, signal.SIGKILL):
        assert proc.returncode == -signal.SIGKILL
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in err, err

    assert os.readlink(store / "current") == link
    assert answers(store) == before
    if cleans_up:
        assert versions(store) == listing
    # the next successful build clears whatever the dead one left behind
    write_store(quads, store)
    for v in store.glob("v-*"):
        assert (v / COMPLETE).is_file(), f"unfinished version {v.name} was not pruned"
    assert answers(store) == before


# ---------------------------------------------------------------------------------------------
# Failing in process


def failing_after(quads, n, exc):
    for i, q in enumerate(quads):
        if i == n:
            raise exc
        yield q


def with_blank_node(quads, n):
    for i, q in enumerate(quads):
        if i == n:
            yield (BNode(), q[1], q[2], q[3])
        yield q


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda qs: failing_after(qs, len(qs) // 2, RuntimeError("disk on fire")), RuntimeError),
        (lambda qs: failing_after(qs, len(qs) // 2, KeyboardInterrupt()), KeyboardInterrupt),
        (lambda qs: with_blank_node(qs, len(qs) // 2), StoreError),
        (lambda qs: failing_after(qs, 0, ValueError("nothing at all")), ValueError),
    ],
    ids=["raises", "interrupted", "blank-node", "fails-at-once"],
)
def test_a_build_that_fails_leaves_no_half_written_version(store, quads, make, error):
    link, before = snapshot(store)
    listing = versions(store)
    with pytest.raises(error):
        write_store(make(quads), store)
    assert versions(store) == listing
    assert not list(store.glob(".current-*"))
    assert os.readlink(store / "current") == link
    assert answers(store) == before


def test_a_blank_node_is_refused_with_its_reason(tmp_path, quads):
    with pytest.raises(StoreError, match="blank node"):
        write_store(with_blank_node(quads, 3), tmp_path / "store")
    with pytest.raises(StoreError):
        open_store(tmp_path / "store")


# ---------------------------------------------------------------------------------------------
# Versions


def test_a_successful_build_keeps_the_previous_version_and_prunes_older_ones(tmp_path, quads):
    root = tmp_path / "store"
    made = []
    for n in range(1, 5):
        made.append(write_store(quads, root).name)
        assert os.readlink(root / "current") == made[-1]
        assert versions(root) == sorted(made[-2:]), f"after build {n}"
    # each marker names the version its build replaced: the one to keep, whatever the names
    assert [json.loads((root / v / COMPLETE).read_text(encoding="utf-8")) for v in made[-2:]] == [
        {"quads": len(quads), "previous": made[-3]}, {"quads": len(quads), "previous": made[-2]}]


def test_a_new_build_is_what_the_store_answers(tmp_path, quads):
    root = tmp_path / "store"
    write_store(quads[: len(quads) // 2], root)
    assert answers(root)[0] == len(quads) // 2
    write_store(quads, root)
    assert answers(root)[0] == len(quads)


def test_a_reader_keeps_its_version_while_a_build_replaces_it(store, quads, open_graph):
    reader = open_graph(store)
    before = reader.query("sources").rows
    new_version = write_store(quads[:100], store)  # a rebuild while the reader is open
    assert os.readlink(store / "current") == new_version.name
    assert reader.query("sources").rows == before  # the reader still sees the old, intact version


def test_build_reports_what_it_made(tmp_path, seeds_dir, seeds):
    root = tmp_path / "store"
    graph, report = DealGraph.build(seeds_dir, store=root)
    try:
        assert report.location == str(root)
        assert (report.documents, report.deals, report.claims, report.observations) == (
            len(seeds.documents), len(seeds.deals), len(seeds.claims), len(seeds.statements))
        assert report.companies == sum(1 for e in seeds.entities.values() if e.kind == "company") == 14
        assert report.triples == graph.store.quad_count() == len(build_quads(seeds))
        assert report.warnings == []
        assert set(report.as_dict()) == {"documents", "companies", "deals", "claims", "observations", "triples",
                                         "location", "warnings"}
    finally:
        graph.close()


def test_a_build_whose_write_fails_half_way_resumes_the_garbage_collector(tmp_path, seeds_dir, monkeypatch):
    """The build streams the quads into the store with the collector paused (dealgraph.rdf);
    a write that fails after reading some must not leave it paused while the error is kept."""
    import dealgraph.api

    def failing_write(quads, root, **_):
        next(iter(quads))
        assert not gc.isenabled()
        raise StoreError("the disk is full")

    monkeypatch.setattr(dealgraph.api, "write_store", failing_write)
    with pytest.raises(StoreError, match="the disk is full") as failed:
        DealGraph.build(seeds_dir, store=tmp_path / "store")
    assert failed.traceback  # the error, and the frames holding the stream, are still alive
    assert gc.isenabled()


# ---------------------------------------------------------------------------------------------
# Opening


@pytest.mark.parametrize("layout", ["empty", "missing", "current-without-complete", "dangling-current"])
def test_open_store_on_something_that_is_no_store_raises_one_line(tmp_path, layout):
    root = tmp_path / "store"
    if layout != "missing":
        root.mkdir()
    if layout == "current-without-complete":
        (root / "v-1").mkdir()
        os.symlink("v-1", root / "current")
    if layout == "dangling-current":
        os.symlink("v-404", root / "current")
    with pytest.raises(StoreError) as exc:
        open_store(root)
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(f"no store at {root}")
    with pytest.raises(StoreError):
        DealGraph.open(root)


def test_write_store_refuses_a_folder_that_is_not_a_store(tmp_path, quads):
    root = tmp_path / "store"
    (root / "current").mkdir(parents=True)
    with pytest.raises(StoreError, match="is not a dealgraph store"):
        write_store(quads, root)
    assert list(root.glob("v-*")) == []


def test_closing_a_graph_releases_the_store(store):
    """A notebook does ``with DealGraph.open(p) as g: ...`` twice: the second must open."""
    with DealGraph.open(store) as g:
        first = g.query("sources").rows
    with DealGraph.open(store) as again:
        assert again.query("sources").rows == first


def test_another_process_can_query_while_a_graph_is_open(store, open_graph):
    """A notebook holding the graph open must not lock the CLI out of the store."""
    graph = open_graph(store)
    assert len(graph.query("sources")) == 5
    run = subprocess.run([sys.executable, "-m", "dealgraph", "query", "sources", "--format", "csv",
                          "--store", str(store)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    # (text mode turns the CSV's CRLF line ends into \n)
    assert run.stdout.count("\n") == 1 + 5


def test_two_graphs_on_one_store_in_one_process(store, open_graph):
    first = open_graph(store)
    second = open_graph(store)
    assert first.query("sources").rows == second.query("sources").rows


def test_the_store_on_disk_and_in_memory_offer_what_the_api_needs(store, quads):
    on_disk = open_store(store, read_only=True)
    try:
        assert isinstance(on_disk, Backend) and isinstance(memory_store(quads), Backend)
    finally:
        on_disk.close()


# ---------------------------------------------------------------------------------------------
# Where the store lives


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fake home with neither variable set."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("DEALGRAPH_STORE", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return home


@pytest.mark.parametrize(
    ("dealgraph_store", "xdg_data_home", "expected"),
    [
        (None, None, "{home}/.local/share/dealgraph/store"),
        (None, "{tmp}/xdg", "{tmp}/xdg/dealgraph/store"),
        ("{tmp}/mine", None, "{tmp}/mine"),
        ("{tmp}/mine", "{tmp}/xdg", "{tmp}/mine"),  # DEALGRAPH_STORE wins
        ("~/stores/dg", None, "{home}/stores/dg"),
        ("", "{tmp}/xdg", "{tmp}/xdg/dealgraph/store"),  # empty counts as unset
        (None, "", "{home}/.local/share/dealgraph/store"),
        (None, "relative/xdg", "{home}/.local/share/dealgraph/store"),  # XDG: relative paths are ignored
    ],
    ids=["default", "xdg", "env", "env-over-xdg", "tilde", "empty-env", "empty-xdg", "relative-xdg"],
)
def test_default_store_location(home, tmp_path, monkeypatch, dealgraph_store, xdg_data_home, expected):
    fill = {"home": home, "tmp": tmp_path}
    if dealgraph_store is not None:
        monkeypatch.setenv("DEALGRAPH_STORE", dealgraph_store.format(**fill))
    if xdg_data_home is not None:
        monkeypatch.setenv("XDG_DATA_HOME", xdg_data_home.format(**fill))
    assert default_store_path() == Path(expected.format(**fill))


def test_build_and_open_use_the_default_location(home, tmp_path, monkeypatch, seeds_dir):
    monkeypatch.setenv("DEALGRAPH_STORE", str(tmp_path / "env-store"))
    graph, report = DealGraph.build(seeds_dir)
    graph.close()
    del graph
    gc.collect()
    assert report.location == str(tmp_path / "env-store")
    assert (tmp_path / "env-store" / "current").is_symlink()
    reopened = DealGraph.open()
    try:
        assert reopened.location == str(tmp_path / "env-store")
        assert len(reopened.deals()) == report.deals
    finally:
        reopened.close()
    assert not (home / ".local").exists()


def test_the_variables_that_choose_a_store_cost_no_heavy_import():
    """The CLI names them in its options, and ``dealgraph --help`` must not load RDF libraries."""
    probe = ("import sys; from dealgraph.backend import ENDPOINT_ENV, STORE_ENV; "
             "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'oxrdflib') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_xdg_data_home_decides_where_build_writes(home, tmp_path, monkeypatch, quads):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    version = write_store(quads)
    assert version.parent == tmp_path / "xdg" / "dealgraph" / "store"
    assert not (home / ".local").exists()


def test_memory_store_holds_the_quads(quads):
    s = memory_store(quads)
    assert s.quad_count() == len(quads) and s.location is None
    with pytest.raises(StoreError, match="blank node"):
        memory_store([(BNode(), URIRef("urn:p"), URIRef("urn:o"), URIRef("urn:g"))])
