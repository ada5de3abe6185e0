"""Real SPARQL engines on loopback for the remote tests: Oxigraph server (the `oxigraph` command
from PyPI, the server extra) and Virtuoso 7 (Debian's `virtuoso-opensource`, which
tests/run.sh installs when it may). Each runs in a folder of its own on free ports of
127.0.0.1 and is stopped by the test that started it; a missing engine skips its tests, saying
why.

``Engine.env`` is what a user of that engine sets: the engine's name (its paths) and, for
Virtuoso, the credentials of a user created for the test with the right to write
(SPARQL_UPDATE), which Virtuoso checks with HTTP Digest.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

OXIGRAPH = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
#: The engines every parity test runs on.
ENGINE_NAMES = ("oxigraph", "virtuoso")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Engine:
    """A server process answering at ``base``; ``probe`` is a URL that answers once it is up."""

    name = "oxigraph"

    def __init__(self, location: Path, command: list[str] | None = None, port: int | None = None):
        self.location = location
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = command or [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        self.process: subprocess.Popen | None = None
        self.env: dict[str, str | None] = {"DEALGRAPH_ENGINE": "oxigraph", "DEALGRAPH_ENDPOINT_USER": None,
                                           "DEALGRAPH_ENDPOINT_PASSWORD": None, "DEALGRAPH_QUERY_PATH": None,
                                           "DEALGRAPH_GSP_PATH": None}

    @property
    def probe(self) -> str:
        return f"{self.base}/query?query=ASK%7B%7D"

    def start(self, wait: float = 20) -> "Engine":
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        cwd=self.location if self.location.is_dir() else None)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.probe, timeout=1).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited: {self.process.stderr.read().decode()}")
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {wait:g} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def apply(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Set the variables a user of this engine sets, and unset the others."""
        for key, value in self.env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)


def oxigraph(location: Path) -> Engine:
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server is not installed (pip install 'dealgraph[server]')")
    return Engine(location).start()


# Virtuoso's settings for a throwaway instance: its files in its own folder, its own ports, no
# VAD packages (the Conductor takes seconds to install and fails on Debian's build), and
# result sets as large as a query may give (Debian's default cuts them at 10000 rows).
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


class Virtuoso(Engine):
    """Virtuoso 7 in a folder of its own. Its `dba` password is replaced by a random one, and a
    user `dealgraph` (random password) gets SPARQL_UPDATE: the right to write through
    /sparql-auth and /sparql-graph-crud-auth, where Virtuoso asks for HTTP Digest."""

    name = "virtuoso"

    def __init__(self, location: Path, max_rows: int = 1_000_000):
        location.mkdir(parents=True, exist_ok=True)
        self.sql_port = free_port()
        http_port = free_port()
        (location / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(dir=location, sql_port=self.sql_port, http_port=http_port, max_rows=max_rows), encoding="utf-8")
        super().__init__(location, [VIRTUOSO, "+configfile", str(location / "virtuoso.ini"), "+foreground"], http_port)
        self.password = secrets.token_hex(12)
        self.env = {**self.env, "DEALGRAPH_ENGINE": "virtuoso", "DEALGRAPH_ENDPOINT_USER": "dealgraph",
                    "DEALGRAPH_ENDPOINT_PASSWORD": self.password}

    @property
    def probe(self) -> str:
        return f"{self.base}/sparql?query=ASK%7B%7D"

    def start(self, wait: float = 60) -> "Virtuoso":
        super().start(wait)
        dba = secrets.token_hex(12)
        try:
            self.sql(f"DB.DBA.USER_CREATE('dealgraph', '{self.password}');",
                     'GRANT SPARQL_UPDATE TO "dealgraph";',
                     f"DB.DBA.USER_PASSWORD_SET('dba', '{dba}');")
        except BaseException:
            self.stop()
            raise
        self.dba = dba
        return self

    def sql(self, *statements: str, password: str | None = None) -> str:
        """Run SQL statements as dba with Virtuoso's isql; their output."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", password or getattr(self, "dba", "dba"),
                               "exec=" + " ".join(statements)], capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout} {done.stderr}")
        return done.stdout


def virtuoso(location: Path, max_rows: int = 1_000_000) -> Virtuoso:
    if VIRTUOSO is None:
        pytest.skip("Virtuoso is not installed (virtuoso-t; Debian: apt-get install virtuoso-opensource, "
                    "which tests/run.sh does when it may)")
    if ISQL is None:
        pytest.skip("Virtuoso's isql (isql-vt) is not installed: the test user cannot be created")
    return Virtuoso(location, max_rows).start()


STARTERS = {"oxigraph": oxigraph, "virtuoso": virtuoso}
