"""A private Virtuoso server on 127.0.0.1, for the benchmark and the tests.

Debian's virtuoso-opensource gives ``virtuoso-t`` and ``isql-vt``. ``running``
writes a minimal virtuoso.ini into a scratch directory, starts the server on
two free loopback ports, waits until its SPARQL endpoint answers, gives the
dba account a random password (the Graph Store endpoint
``/sparql-graph-crud-auth`` asks for digest authentication, which ``kg push``
answers as dba), and stops the server when the block ends.

    from tests.helpers.virtuoso import running
    with running(Path("/tmp/virtuoso")) as server:
        ...  # server.sparql, server.graph_store, server.password

tests/test_virtuoso.py starts its server through ``running`` too. The buffer
pool is a parameter: the default (10,000 pages of 8 kB) suits the curated
graph, a million triples load much faster with a few hundred MB.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")  # Debian calls Virtuoso's isql isql-vt
INSTALL_HINT = "apt-get install virtuoso-opensource (./dev test installs it)"

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 8
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {dir}/load
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty_buffers}
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 8
ServerThreads        = 8
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = {max_seconds}
"""


class VirtuosoError(RuntimeError):
    """virtuoso-t is missing, exited, or did not answer in time."""


@dataclass
class Virtuoso:
    sparql: str  # SPARQL 1.1 Protocol endpoint
    graph_store: str  # Graph Store HTTP Protocol endpoint, digest authentication
    password: str  # of dba
    directory: Path
    sql_port: int

    def isql(self, statements: str, timeout: float = 600) -> str:
        """Run SQL statements as dba through isql-vt; return its output (raise VirtuosoError on failure)."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", self.password, f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise VirtuosoError(f"isql failed: {(done.stdout + done.stderr).strip()[-1500:]}")
        return done.stdout

    def bulk_load(self, turtle: Path, graph: str, timeout: float = 600) -> None:
        """Replace ``graph`` with ``turtle`` by Virtuoso's own bulk loader (ld_dir + rdf_loader_run).

        The file is linked into the server's directory, the only one
        DirsAllowed lets it read.
        """
        local = self.directory / "load" / turtle.name
        local.parent.mkdir(exist_ok=True)
        if local.exists():
            local.unlink()
        try:
            os.link(turtle, local)
        except OSError:
            shutil.copyfile(turtle, local)
        self.isql(f"SPARQL CLEAR GRAPH <{graph}>; DELETE FROM DB.DBA.LOAD_LIST; "
                  f"ld_dir('{local.parent}', '{local.name}', '{graph}'); rdf_loader_run(); checkpoint;", timeout)


def available() -> bool:
    return bool(VIRTUOSO and ISQL)


def version() -> str | None:
    """The server's version line, e.g. ``07.20.3238``."""
    if not VIRTUOSO:
        return None
    done = subprocess.run([VIRTUOSO, "-?"], capture_output=True, text=True, timeout=30)
    for line in (done.stdout + done.stderr).splitlines():
        if "Version" in line:
            return line.strip()
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise VirtuosoError(f"virtuoso-t exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise VirtuosoError(f"virtuoso-t did not answer within {seconds:g} s:\n{_tail(log)}")


@contextmanager
def running(directory: Path, buffers: int = 10_000, max_rows: int = 100_000, max_seconds: int = 60,
            start_seconds: float = 120):
    """Start Virtuoso with its database in ``directory``; yield a Virtuoso; stop it at the end."""
    if not available():
        raise VirtuosoError(f"virtuoso-t or isql-vt not found: {INSTALL_HINT}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (directory / "virtuoso.ini").write_text(INI.format(
        dir=directory, sql_port=sql_port, http_port=http_port, buffers=buffers,
        dirty_buffers=buffers * 3 // 5, max_rows=max_rows, max_seconds=max_seconds))
    log = directory / "virtuoso.log"
    with open(directory / "console.log", "wb") as console:
        process = subprocess.Popen([VIRTUOSO, "-f", "-c", "virtuoso.ini"], cwd=directory, stdout=console,
                                   stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}"
        _wait_until_up(f"{base}/sparql", process, log, start_seconds)
        password = secrets.token_hex(12)
        subprocess.run([ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=USER_SET_PASSWORD('dba', '{password}');"],
                       check=True, capture_output=True, timeout=60)
        yield Virtuoso(f"{base}/sparql", f"{base}/sparql-graph-crud-auth", password, directory, sql_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
