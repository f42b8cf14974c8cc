"""A real ``kg serve`` for the tests: started as a child process on a free port of 127.0.0.1,
asked over HTTP, stopped with SIGTERM; and what its entity pages should describe (rdflib's
second opinion)."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import rdflib

from tests.helpers.virtuoso import free_port

KZ = "https://w3id.org/kzkg/id/"


class Server:
    """A running ``kg serve``: its process, base URL and the line it printed on start."""

    def __init__(self, process: subprocess.Popen, url: str, start_line: str):
        self.process = process
        self.url = url
        self.start_line = start_line

    def workers(self) -> list[int]:
        """The pids of its query workers (its child processes)."""
        # Each thread lists the children it forked (replacements are forked from request threads).
        pids = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                pids.update(int(pid) for pid in (task / "children").read_text().split())
            except OSError:
                pass  # a thread that just ended
        return sorted(pids)

    def stop(self, sig=signal.SIGTERM, timeout: float = 15.0) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout)


@contextlib.contextmanager
def running_server(paths, *options: str):
    """Start ``kg serve`` on the data in ``paths`` and a free port; stop it (SIGTERM) afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--data", str(paths.root), "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while not lines:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            reader.join(5)
            raise AssertionError(f"kg serve did not start: {''.join(lines)}")
        time.sleep(0.05)
    server = Server(process, url, lines[0])
    try:
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def request(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body text) of one HTTP request; errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def sparql_get(server: Server, query: str, accept: str | None = None, **parameters):
    url = server.url + "sparql?" + urllib.parse.urlencode({"query": query, **parameters})
    return request(url, headers={"Accept": accept} if accept else {})


def sparql_post_form(server: Server, query: str, accept: str | None = None, **fields):
    body = urllib.parse.urlencode({"query": query, **fields}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})}
    return request(server.url + "sparql", body, headers)


def sparql_post_direct(server: Server, query: str, accept: str | None = None):
    headers = {"Content-Type": "application/sparql-query", **({"Accept": accept} if accept else {})}
    return request(server.url + "sparql", query.encode(), headers)


def expected_description(paths, name: str) -> rdflib.Graph:
    """What /id/NAME describes, computed by rdflib on the export: the entity's triples both ways and
    every triple of its statements."""
    full = rdflib.Graph().parse(paths.turtle_export)
    entity = rdflib.URIRef(KZ + name)
    graph = rdflib.Graph()
    for triple in full.triples((entity, None, None)):
        graph.add(triple)
    for triple in full.triples((None, None, entity)):
        graph.add(triple)
    for predicate in (rdflib.RDF.subject, rdflib.RDF.object):
        for statement in full.subjects(predicate, entity):
            if (statement, rdflib.RDF.type, rdflib.RDF.Statement) in full:
                for triple in full.triples((statement, None, None)):
                    graph.add(triple)
    return graph
