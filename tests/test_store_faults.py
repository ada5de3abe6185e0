"""Builds of the embedded store under fault (issue 11, class 9): killed at every step, raced by
other builds, and rebuilt under readers. What must hold: ``current`` always answers as before
(or as the finished build), whatever a killed build leaves is gone once the next build starts,
the version a build replaces is what it keeps as "previous", and a second build says in one
line that another one is running."""

from __future__ import annotations

import fcntl
import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import BNode

from dealgraph.errors import StoreError
from dealgraph.store import COMPLETE, LOCK, hold_version, open_store, write_store
from test_store import answers  # what a store answers, as the store tests read it


def current(root: Path) -> str:
    return os.readlink(root / "current")


def previous(root: Path) -> str | None:
    return json.loads((root / current(root) / COMPLETE).read_text(encoding="utf-8"))["previous"]


def older(root: Path) -> str:
    """The fixture's first version, which its second build kept (found without the marker)."""
    (name,) = {p.name for p in root.glob("v-*")} - {current(root)}
    return name


def listing(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()}


def assert_clean(root: Path, replaced: str) -> None:
    """A store after a build: its lock, the current version, the one the build replaced (kept
    as previous, and named so in the current marker), nothing else."""
    assert listing(root) == {LOCK, "current", current(root), replaced}
    assert (root / current(root) / COMPLETE).is_file() and (root / replaced / COMPLETE).is_file()
    assert previous(root) == replaced


@pytest.fixture
def store(tmp_path, quads) -> Path:
    """A store built twice: a current version and a previous one, so a build has one to prune."""
    root = tmp_path / "store"
    write_store(quads, root)
    write_store(quads, root)
    return root


# ---------------------------------------------------------------------------------------------
# Killed at each step of a build, in another process

# The child patches the step it is told to stop at, so each moment is hit exactly, then sends
# itself the signal: SIGKILL ends it there; SIGTERM must unwind and clean up as Ctrl-C does.
KILLER = r"""
import json, os, shutil, signal, sys, time
import dealgraph.store as store
from dealgraph.rdf import build_quads
from dealgraph.seeds import load_seeds

root, moment, signame, seeds_dir = sys.argv[1:5]
quads = build_quads(load_seeds(seeds_dir))

def hit():
    os.kill(os.getpid(), getattr(signal, signame))
    time.sleep(30)  # a signal that neither kills nor raises would be caught by the test's timeout

def before(owner, name):
    real = getattr(owner, name)
    def patched(*a, **k):
        hit()
        return real(*a, **k)
    setattr(owner, name, patched)

def after(owner, name):
    real = getattr(owner, name)
    def patched(*a, **k):
        result = real(*a, **k)
        hit()
        return result
    setattr(owner, name, patched)

def generate():
    for i, q in enumerate(quads):
        if moment == "writing" and i == len(quads) // 2:
            hit()
        yield q

derive = None
if moment == "deriving":     # the database is written, three of its tables too, the marker not yet
    from dealgraph import api, tables
    derive = lambda version: api._write_record_tables(version, lambda _: None)
    real_table, made = tables.oxigraph_table, []  # what the build makes each table with
    def table(result):
        made.append(result)
        if len(made) == 3:
            hit()
        return real_table(result)
    tables.oxigraph_table = table
elif moment == "marking":    # the database is written and flushed, the marker not yet
    before(json, "dumps")
elif moment == "linking":    # the version is complete, its temporary link not yet made
    before(os, "symlink")
elif moment == "switching":  # the temporary link exists, the atomic rename not yet done
    before(os, "replace")
elif moment == "switched":   # the new version is current, the old ones not yet pruned
    after(os, "replace")
elif moment == "pruning":    # removing the version before the previous one
    before(shutil, "rmtree")
store.write_store(generate(), root, derive=derive)
"""

# moment -> whether the build had made its version current when it was stopped
MOMENTS = {"writing": False, "deriving": False, "marking": False, "linking": False, "switching": False, "switched": True,
           "pruning": True}


def run_killer(root: Path, moment: str, signame: str, seeds_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILLER, str(root), moment, signame, str(seeds_dir)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("signame", ["SIGKILL", "SIGTERM", "SIGHUP"])
def test_a_build_stopped_at_any_step_leaves_a_working_store_and_the_next_build_clears_it(
        store, quads, seeds_dir, moment, signame):
    link, before = current(store), answers(store)
    first = older(store)
    run = run_killer(store, moment, signame, seeds_dir)

    if signame == "SIGKILL":
        assert run.returncode == -signal.SIGKILL, run.stderr
    else:  # unwound and exited as a shell reports the signal, without a traceback
        assert run.returncode == 128 + getattr(signal, signame), run.stderr
        assert "Traceback" not in run.stderr
    switched = MOMENTS[moment]
    assert (current(store) != link) == switched
    assert answers(store) == before  # the same quads: the store answers the same either way
    if signame != "SIGKILL" and not switched:
        assert listing(store) == {LOCK, "current", link, first}  # cleaned up at once
    assert not list(store.glob(".current-*")) or signame == "SIGKILL"

    # the next build keeps what was current and removes everything else the stopped one left
    was_current = current(store)
    write_store(quads, store)
    assert_clean(store, replaced=was_current)
    assert answers(store) == before


def test_a_version_killed_at_the_switch_never_becomes_previous(store, quads, seeds_dir):
    """The killed build's version is complete, and newer than current: kept by name order it
    would have become "previous" and pushed out the version that really was current."""
    link, first = current(store), older(store)
    assert run_killer(store, "switching", "SIGKILL", seeds_dir).returncode == -signal.SIGKILL
    killed = {p.name for p in store.glob("v-*") if (p / COMPLETE).is_file()} - {link, first}
    assert len(killed) == 1 and max(killed) > link  # complete, and the newest name
    assert list(store.glob(".current-*"))  # the temporary link of the killed build
    write_store(quads, store)
    assert link in listing(store) and not killed & listing(store)
    assert_clean(store, replaced=link)


def test_debris_goes_when_the_next_build_starts_even_if_that_build_fails(store, quads, seeds_dir):
    link, first, before = current(store), older(store), answers(store)
    assert run_killer(store, "switching", "SIGKILL", seeds_dir).returncode == -signal.SIGKILL
    (store / "v-1").mkdir()  # half-written (each killed build clears the one before, so made by hand)
    (store / ".v-1.nq").write_text("staged by an older dealgraph\n", encoding="utf-8")
    assert len(list(store.glob("v-*"))) == 4 and list(store.glob(".current-*"))

    def failing():
        yield quads[0]
        yield (BNode(), *quads[0][1:])

    with pytest.raises(StoreError, match="blank node"):
        write_store(failing(), store)
    assert current(store) == link
    assert listing(store) == {LOCK, "current", link, first}
    assert answers(store) == before


def test_a_build_of_an_older_store_keeps_every_complete_version_until_it_succeeds(store, quads):
    """A marker without "previous" (an older dealgraph wrote it) cannot say which version was
    previous: a build that fails must not guess and remove it."""
    marker = store / current(store) / COMPLETE
    marker.write_text(json.dumps({"quads": len(quads)}), encoding="utf-8")
    complete = sorted(p.name for p in store.glob("v-*"))
    with pytest.raises(StoreError):
        write_store([(BNode(), *quads[0][1:])], store)
    assert sorted(p.name for p in store.glob("v-*")) == complete
    old = current(store)
    write_store(quads, store)
    assert_clean(store, replaced=old)


def test_a_build_interrupted_by_an_external_sigterm_in_the_cli_cleans_up(store, seeds_dir, tmp_path):
    """The real command, signalled from outside while it writes (the writer is slowed down so
    the signal lands mid-write)."""
    link, first, before = current(store), older(store), answers(store)
    marker = tmp_path / "writing"
    slow_cli = (
        "import sys, time, dealgraph.api as api\n"
        "real = api.write_store\n"
        "def slow(quads):\n"
        "    for i, q in enumerate(quads):\n"
        "        if i == 100:\n"
        f"            open({str(marker)!r}, 'w').close(); time.sleep(60)\n"
        "        yield q\n"
        "api.write_store = lambda quads, root, **kw: real(slow(quads), root, **kw)\n"
        "from dealgraph.cli import app\n"
        f"sys.argv = ['dealgraph', 'build', '--seeds', {str(seeds_dir)!r}, '--store', {str(store)!r}]\n"
        "app()\n")
    proc = subprocess.Popen([sys.executable, "-c", slow_cli], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(marker, proc)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in err, err
    assert current(store) == link and answers(store) == before
    assert listing(store) == {LOCK, "current", link, first}


@pytest.mark.parametrize("disposition", [signal.SIG_IGN, "custom"])
def test_a_build_leaves_the_signal_handlers_as_it_found_them(tmp_path, quads, disposition):
    """``nohup dealgraph build`` ignores SIGHUP: a build must not turn it back on; and a
    program's own handler comes back once the build is done."""
    handler = disposition if disposition is signal.SIG_IGN else (lambda *_: None)
    saved = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        write_store(quads[:10], tmp_path / "store")
        assert all(signal.getsignal(sig) is handler for sig in saved)
    finally:
        for sig, old in saved.items():
            signal.signal(sig, old)
    write_store(quads[:10], tmp_path / "store")
    assert all(signal.getsignal(sig) is old for sig, old in saved.items())


# ---------------------------------------------------------------------------------------------
# One build at a time

BUSY = "another build is running on the store at"


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def cli_build(root: Path, seeds_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dealgraph", "build", "--seeds", str(seeds_dir), "--store", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


HOLDER = r"""
import os, sys, time
from dealgraph.rdf import build_quads
from dealgraph.seeds import load_seeds
from dealgraph.store import write_store

root, seeds_dir, started, go = sys.argv[1:5]
quads = build_quads(load_seeds(seeds_dir))

def generate():
    for i, q in enumerate(quads):
        if i == 10:
            open(started, "w").close()
            while not os.path.exists(go):
                time.sleep(0.05)
        yield q

print(write_store(generate(), root).name)
"""


def test_builds_that_start_while_one_runs_say_so_in_one_line_and_change_nothing(store, seeds_dir, tmp_path):
    link, before = current(store), answers(store)
    started, go = tmp_path / "started", tmp_path / "go"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store), str(seeds_dir), str(started), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(started, holder)
        others = [cli_build(store, seeds_dir) for _ in range(2)]
        for other in others:
            out, err = other.communicate(timeout=120)
            assert other.returncode == 1, err
            assert err == f"dealgraph: error: {BUSY} {store}: wait for it to finish, then build again\n"
            assert out == ""
        assert current(store) == link  # the running build's half-written version is not touched
        go.touch()
        out, err = holder.communicate(timeout=120)
    finally:
        holder.kill()
    assert holder.returncode == 0, err
    assert current(store) == out.strip()
    assert_clean(store, replaced=link)
    assert answers(store) == before


def test_builds_racing_on_one_store_give_one_success_per_lock_and_clean_errors(store, seeds_dir):
    """Three builds started together, three times over: each one either builds or says
    another build is running; never an internal database error; the store stays whole."""
    before = answers(store)
    for _ in range(3):
        racers = [cli_build(store, seeds_dir) for _ in range(3)]
        results = [(*r.communicate(timeout=180), r.returncode) for r in racers]
        assert any(rc == 0 for _, _, rc in results), results
        for out, err, rc in results:
            if rc != 0:
                assert rc == 1 and err.count("\n") == 1 and BUSY in err, err
        assert_clean(store, replaced=previous(store))
        assert answers(store) == before


def test_a_build_refused_by_the_lock_leaves_the_running_builds_files_alone(store, quads):
    """The debris clean-up runs only under the lock: without it, it would remove the version
    the running build is writing."""
    half_written = store / "v-9999999999999999999"
    half_written.mkdir()
    with open(store / LOCK, "ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the running build
        with pytest.raises(StoreError) as exc:
            write_store(quads, store)
    assert str(exc.value) == f"{BUSY} {store}: wait for it to finish, then build again"
    assert half_written.is_dir()
    link = current(store)
    write_store(quads, store)  # the lock went with its holder
    assert not half_written.exists()
    assert_clean(store, replaced=link)


# ---------------------------------------------------------------------------------------------
# Readers keep their version


def test_a_reader_keeps_its_version_through_any_number_of_rebuilds(store, quads):
    reader = open_store(store, read_only=True)
    try:
        held, count = reader.location, reader.quad_count()
        for n in range(3):
            write_store(quads[: 100 + n], store)
        assert held.name not in {current(store), previous(store)}
        assert (held / COMPLETE).is_file()
        assert reader.quad_count() == count
        assert len(list(reader.ox.quads_for_pattern(None, None, None))) == count  # its files are all there
    finally:
        reader.close()
        del reader
        gc.collect()
    link = current(store)
    write_store(quads, store)  # once closed, the next build removes it
    assert not held.exists()
    assert_clean(store, replaced=link)


SERVER = r"""
import os, sys
from dealgraph.store import hold_version
root, oxigraph, bind = sys.argv[1:4]
version, hold = hold_version(root, inheritable=True)
os.execv(oxigraph, [oxigraph, "serve-read-only", "--location", str(version), "--bind", bind])
"""


@pytest.mark.server
def test_a_server_started_with_a_held_version_keeps_serving_it_through_rebuilds(store, quads):
    """What `dealgraph serve` can do: hold the version and exec the server, which inherits the
    hold; rebuilds then keep that version on disk for the server's whole life."""
    import socket
    import urllib.parse
    import urllib.request

    oxigraph = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                               os.environ.get("PATH", "")]))
    if oxigraph is None:
        pytest.skip("the oxigraph server is not installed (pip install 'dealgraph[server]')")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    served = current(store)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(store), oxigraph, f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    count_query = "http://127.0.0.1:%d/query?query=%s" % (
        port, urllib.parse.quote("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"))

    def count() -> int:
        reply = urllib.request.urlopen(urllib.request.Request(count_query, headers={"Accept": "text/csv"}), timeout=5)
        return int(reply.read().decode().split()[-1])

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert count() == len(quads)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                time.sleep(0.1)
        for n in range(3):
            write_store(quads[:100], store)
        assert (store / served / COMPLETE).is_file()
        assert count() == len(quads)  # the server still answers from its whole version
    finally:
        server.terminate()
        server.wait(timeout=10)
    link = current(store)
    write_store(quads, store)
    assert not (store / served).exists()
    assert_clean(store, replaced=link)


def test_hold_version_keeps_the_version_only_while_open(store, quads):
    version, hold = hold_version(store)
    assert not os.get_inheritable(hold.fileno())  # a plain reader's children do not keep it
    write_store(quads, store)
    write_store(quads, store)
    assert (version / COMPLETE).is_file()
    hold.close()
    write_store(quads, store)
    assert not version.exists()
