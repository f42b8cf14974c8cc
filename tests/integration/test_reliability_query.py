"""Hardening of kg query: hostile queries, bad query files, interrupts, concurrency."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from kg.core.paths import DataPaths
from tests.helpers.listener import recording_listener


@pytest.fixture
def listener():
    """A local port that records every connection made to it."""
    with recording_listener() as recorded:
        yield recorded


def _after_a_last_connection(port: int, connections: list) -> list:
    """The connections recorded before one of the test's own, made now and awaited: the port accepts
    in order, so a connection kg made would be recorded first (a condition, not a fixed wait)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as last:
        mine = last.getsockname()
    deadline = time.monotonic() + 10
    while mine not in connections:
        assert time.monotonic() < deadline, "the listener never recorded the last connection"
        time.sleep(0.005)
    return connections[:connections.index(mine)] + connections[connections.index(mine) + 1:]


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    ],
    ids=["service", "service-silent", "from-http", "from-named-http", "from-file"],
)
def test_network_and_file_access_refused_before_any_connection(kg, listener, template):
    port, connections = listener
    result = kg("query", "--format", "csv", template.format(port=port))
    assert result.exit_code == 2, result.output
    assert "--allow-service" in result.output
    assert _after_a_last_connection(port, connections) == [], "a connection reached the local port"


def test_catastrophic_regex_stopped_by_timeout(kg, tmp_path):
    output = tmp_path / "out.csv"
    query = 'SELECT ?x WHERE { BIND("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?x) FILTER(regex(?x, "^(a+)+$")) }'
    started = time.monotonic()
    result = kg("query", "--timeout", "3", "-o", str(output), query)
    assert time.monotonic() - started < 30
    # Oxigraph's regex engine does not backtrack, so this answers at once; either way, no hang.
    assert result.exit_code in (0, 4), result.output


def test_three_way_cross_join_stopped_by_timeout_and_writes_nothing(kg, tmp_path):
    output = tmp_path / "out.csv"
    result = kg("query", "--timeout", "1", "-o", str(output), "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_three_way_cross_join_stopped_by_max_rows(kg, tmp_path):
    output = tmp_path / "out.csv"
    result = kg("query", "--max-rows", "1000", "-o", str(output), "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert result.exit_code == 4, result.output
    assert not output.exists()


def test_invalid_regex_is_a_clean_error_or_no_match(kg):
    result = kg("query", "--format", "csv", 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(regex(?l, "(unclosed")) }')
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output


def test_three_thousand_nested_braces_is_a_clean_error(kg):
    query = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
    result = kg("query", "--format", "csv", "--timeout", "20", query)
    assert result.exit_code in (2, 4), result.output
    assert "Traceback" not in result.output
    assert len(result.output) < 2000


def test_query_file_not_utf8(kg, tmp_path):
    path = tmp_path / "q.rq"
    path.write_bytes(b"SELECT ?x WHERE { ?x rdfs:label \"caf\xe9\" }")
    result = kg("query", "-f", str(path))
    assert result.exit_code == 2
    assert "q.rq: not UTF-8 text (byte 36)" in result.output


def test_query_file_with_bom(kg, tmp_path):
    path = tmp_path / "q.rq"
    path.write_bytes("\ufeffASK { kz:Kazakhstan kzo:memberOf kz:UN }".encode("utf-8"))
    result = kg("query", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "true"


def test_huge_query_file(kg, tmp_path):
    path = tmp_path / "q.rq"
    values = " ".join(f'"v{i}"' for i in range(200_000))  # about 2 MB
    path.write_text(f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} FILTER(?x = \"v7\") }}", encoding="utf-8")
    result = kg("query", "--format", "csv", "--timeout", "60", "-f", str(path))
    assert result.exit_code in (0, 2, 4), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert result.output.splitlines()[1:] == ["v7"]


def test_ctrl_c_during_a_query_exits_130_and_writes_nothing(built_data, tmp_path):
    output = tmp_path / "out.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--data", str(built_data.root), "query", "--timeout", "60", "-o", str(output),
         "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    _wait_for_the_query_child(process)
    time.sleep(0.3)  # the query under way in the child
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not output.exists()
    assert not list(tmp_path.glob(".*tmp*"))


def test_build_and_queries_at_once_give_correct_answers(built_data, tmp_path):
    paths = DataPaths(shutil.copytree(built_data.root, tmp_path / "data"))  # a built copy of the real data
    base = [sys.executable, "-m", "kg.cli", "--data", str(paths.root)]
    query = [*base, "query", "--format", "csv", "SELECT ?o WHERE { kz:Kazakhstan kzo:memberOf ?o } ORDER BY ?o"]
    expected = subprocess.run(query, capture_output=True, text=True).stdout
    assert "UN" in expected
    builder = subprocess.Popen([*base, "build"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    answers = [subprocess.run(query, capture_output=True, text=True) for _ in range(6)]
    builder.wait(timeout=120)
    assert builder.returncode == 0
    for answer in answers:
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout == expected


# Issue 15, finding 2: the SERVICE refusal was bypassed with an escape inside an IRI --------------


@pytest.fixture
def sparql_listener():
    """A local SPARQL endpoint that records each request and answers an empty result."""
    import http.server

    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            requests.append((self.path, dict(self.headers), body.decode("utf-8", "replace")))
            answer = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def verify_request(self, request, client_address):  # the serving thread, in accept order
            connections.append(client_address)
            return True

    connections = []
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)  # a quick shutdown
    thread.start()
    yield server.server_address[1], requests, connections
    server.shutdown()
    server.server_close()


SERVICE_SPELLINGS = {
    "escape-hides-service": r"SELECT * WHERE { OPTIONAL { ?s <http://a/\u0070#> ?o } SERVICE <{url}> { ?x ?p ?o } }",
    "escape-in-service-iri": r"SELECT * WHERE { SERVICE <http\u003a//127.0.0.1:{port}/sparql> { ?x ?p ?o } }",
    "long-escape-in-service-iri": r"SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/\U00000073parql> { ?x ?p ?o } }",
    "lower-case": "select * where { service <{url}> { ?x ?p ?o } }",
    "mixed-case-silent": "SELECT * WHERE { SeRvIcE sIlEnT <{url}> { ?x ?p ?o } }",
    "prefixed-name": "PREFIX remote: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE remote:sparql { ?x ?p ?o } }",
    "escaped-prefix": r"PREFIX r: <http://127.0.0.1:{port}/\u0073> SELECT * WHERE { SERVICE r:parql { ?x ?p ?o } }",
    "base-relative": "BASE <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE <sparql> { ?x ?p ?o } }",
    "comment-before": "SELECT * WHERE { # SERVICE is not here\n SERVICE <{url}> { ?x ?p ?o } }",
    "hash-in-string": "SELECT * WHERE { BIND('#' AS ?h) SERVICE <{url}> { ?x ?p ?o } }",
    "hash-in-long-string": "SELECT * WHERE { BIND('''a\n#''' AS ?h) SERVICE <{url}> { ?x ?p ?o } }",
    "escaped-quote-in-string": r"""SELECT * WHERE { BIND("\"#" AS ?h) SERVICE <{url}> { ?x ?p ?o } }""",
    "nested-optional": "SELECT * WHERE { OPTIONAL { OPTIONAL { SERVICE <{url}> { ?x ?p ?o } } } }",
    "subquery": "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?x ?p ?o } } } }",
    "ask": "ASK { SERVICE <{url}> { ?x ?p ?o } }",
    "construct": "CONSTRUCT { ?x ?p ?o } WHERE { SERVICE <{url}> { ?x ?p ?o } }",
    "tab-and-newlines": "SELECT *\tWHERE\n{\n\tSERVICE\n<{url}>\n{ ?x ?p ?o } }",
}


def _spelling(template: str, port: int) -> str:
    return template.replace("{url}", f"http://127.0.0.1:{port}/sparql").replace("{port}", str(port))


@pytest.mark.parametrize("name", sorted(SERVICE_SPELLINGS))
def test_service_spelled_any_way_reaches_no_server(kg, sparql_listener, name):
    port, requests, connections = sparql_listener
    result = kg("query", "--format", "csv", _spelling(SERVICE_SPELLINGS[name], port))
    assert result.exit_code == 2, result.output
    assert "--allow-service" in result.output
    assert "Traceback" not in result.output and "remote" not in result.stdout
    assert _after_a_last_connection(port, connections) == [], "a connection reached the local endpoint"
    assert requests == [], "a request reached the local endpoint"


@pytest.mark.parametrize("name", sorted(SERVICE_SPELLINGS))
def test_service_missed_by_the_tokenizer_still_reaches_no_server(built_data, sparql_listener, name):
    """The refusal does not rest on kg's tokenizer: the query child has no network at all."""
    from kg.core.errors import QueryError
    from kg.sparql.runner import QueryRequest, run_query

    port, requests, connections = sparql_listener
    request = QueryRequest(text=_spelling(SERVICE_SPELLINGS[name], port), form=None, fmt="csv",
                           export=built_data.turtle_export, cache=built_data.cache)
    written = []
    try:
        run_query(request, written.append)
    except QueryError as error:
        assert "--allow-service" in str(error)
    else:  # SERVICE SILENT turns the refused connection into an empty answer
        assert "SILENT" in request.text.upper() and "remote" not in "".join(written)
    assert _after_a_last_connection(port, connections) == []
    assert requests == []


def test_allowed_service_request_carries_no_local_path(kg, sparql_listener, tmp_path, monkeypatch):
    port, requests, _ = sparql_listener
    monkeypatch.chdir(tmp_path)
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?p ?o }} }}"
    query_file = tmp_path / "q.rq"
    query_file.write_text(query)
    for args in (["-f", str(query_file)], [query]):
        result = kg("query", "--allow-service", "--format", "csv", *args)
        assert result.exit_code == 0, result.output
        assert "remote" in result.stdout
    assert len(requests) == 2
    for _, _, body in requests:
        assert "file:" not in body and str(tmp_path) not in body and "BASE" not in body


def test_from_a_file_reads_no_file(kg, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://example.org/secret> <http://example.org/p> 'leaked' .\n")
    for query in (f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
                  rf"SELECT ?o FROM <file:\u002F\u002F{secret}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT ?o WHERE {{ SERVICE <{secret.as_uri()}> {{ ?s ?p ?o }} }}"):
        result = kg("query", "--format", "csv", query)
        assert result.exit_code == 2, result.output
        assert "leaked" not in result.output and "Traceback" not in result.output


# Issue 15, finding 8: SIGTERM and SIGHUP left the query child running and -o's temporary file --


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as stream:
            return [int(child) for child in stream.read().split()]
    except OSError:
        return []


def _wait_for_the_query_child(process) -> list[int]:
    """The pids of ``process``'s children once its forked query child has started (20 s at most)."""
    deadline = time.monotonic() + 20
    while not (children := _children(process.pid)) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert children, "the query child never started"
    return children


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stream:
            return stream.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_during_a_query_stops_its_child_and_removes_the_temporary_file(built_data, tmp_path,
                                                                                          signum):
    import os

    output = tmp_path / "out.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--data", str(built_data.root), "query", "--timeout", "0", "-o", str(output),
         "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    children = _wait_for_the_query_child(process)
    time.sleep(1.0)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signum, stderr
    assert f"Stopped by {signal.Signals(signum).name}." in stderr and "Traceback" not in stderr
    time.sleep(0.2)
    assert not any(_alive(child) for child in children), "the query child is still running"
    assert os.listdir(tmp_path) == []


def test_query_child_dies_with_a_killed_parent(built_data):
    """SIGKILL cannot be caught, so the kernel ends the child (PR_SET_PDEATHSIG) instead of a 100% CPU orphan."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--data", str(built_data.root), "query", "--timeout", "0",
         "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    children = _wait_for_the_query_child(process)
    process.kill()
    process.wait(10)
    deadline = time.monotonic() + 10
    while any(_alive(child) for child in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(child) for child in children), "the query child outlived its parent"
