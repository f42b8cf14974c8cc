"""Hardening of --endpoint and kg push against odd URLs and hostile servers (issue 15).

Every server here is a thread on 127.0.0.1; nothing reaches the network.
"""

from __future__ import annotations

import http.server
import threading
import time

import pytest

EMPTY_ANSWER = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
REMOTE_ANSWER = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}'


@pytest.fixture
def server():
    """Start ``server(handle)``: a local HTTP server where ``handle(request_handler)`` answers
    every request; returns its base URL. The requests seen are in ``server.requests``."""
    servers = []

    def start(handle):
        requests = start.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                requests.append((self.command, self.path, self.rfile.read(length)))
                try:
                    handle(self)
                except OSError:
                    pass  # kg hung up: that is what some tests want

            do_GET = do_POST = do_PUT = do_HEAD = answer

            def log_message(self, *args):
                pass

        instance = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        instance.daemon_threads = True
        threading.Thread(target=instance.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()  # a quick shutdown
        servers.append(instance)
        return f"http://127.0.0.1:{instance.server_address[1]}"

    start.requests = []
    yield start
    for instance in servers:
        instance.shutdown()
        instance.server_close()


def reply(handler, status: int, body: bytes = b"", content_type: str = "application/sparql-results+json",
          headers: dict | None = None):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


# Finding 10 (and the CR/LF of finding 9): endpoint URLs that do not parse -----------------------

BAD_URLS = {
    "ipv6-unclosed": ("http://[::1/x", "Invalid IPv6 URL"),
    "port-not-a-number": ("http://127.0.0.1:abc/x", "Port could not be cast"),
    "port-too-large": ("http://127.0.0.1:99999/x", "Port out of range"),
    "crlf": ("http://127.0.0.1:9/x\r\nX-Injected: 1", r"control character or space '\r'"),
    "space": ("http://127.0.0.1:9/a b", "control character or space ' '"),
    "no-host": ("http:///sparql", "it names no host"),
    "ftp": ("ftp://127.0.0.1/sparql", "the scheme must be http or https"),
}


@pytest.mark.parametrize("name", sorted(BAD_URLS))
@pytest.mark.parametrize("command", ["query", "push"])
def test_endpoint_url_that_cannot_be_sent_is_one_line(kg, name, command):
    url, reason = BAD_URLS[name]
    args = ["query", "--endpoint", url, "ASK {}"] if command == "query" else ["push", "--endpoint", url]
    result = kg(*args)
    assert result.exit_code == 2, result.output
    assert "is not a usable http(s) URL" in result.output and reason in result.output
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


@pytest.mark.parametrize("value", ["nan", "inf", "1e10", "-inf"])
@pytest.mark.parametrize("command", ["query", "push"])
def test_timeout_that_is_not_a_number_of_seconds_is_one_line(kg, value, command):
    args = (["query", "--timeout", value, "ASK {}"] if command == "query"
            else ["push", "--endpoint", "http://127.0.0.1:9/x", "--timeout", value])
    result = kg(*args)
    assert result.exit_code == 2, result.output
    assert "--timeout" in result.output and "Traceback" not in result.output


# Finding 9: an endpoint answer holding one value over 16 MB -------------------------------------


def test_endpoint_value_over_16_mb_is_one_line(kg, server):
    value = b"a" * (17 << 20)
    body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "' + value + b'"}}]}}'
    url = server(lambda handler: reply(handler, 200, body))
    result = kg("query", "--endpoint", f"{url}/sparql", "--format", "csv", "SELECT ?x WHERE { ?x ?p ?o }")
    assert result.exit_code == 2, result.output[:500]
    assert f"the answer of {url}/sparql could not be read" in result.output
    assert "Traceback" not in result.output and len(result.output) < 1000


# Finding 12: kg push against an endless slow reply ----------------------------------------------


def test_push_stops_an_endless_slow_reply_at_the_timeout(kg, server):
    def endless(handler):
        handler.send_response(201)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        while True:
            handler.wfile.write(b"1\r\nx\r\n")
            handler.wfile.flush()
            time.sleep(0.2)

    url = server(endless)
    started = time.monotonic()
    result = kg("push", "--endpoint", f"{url}/store", "--timeout", "2")
    assert time.monotonic() - started < 15
    assert result.exit_code == 4, result.output
    assert "still sending its reply after 2 s (--timeout)" in result.output


def test_push_reads_at_most_a_megabyte_of_reply(kg, server):
    def huge(handler):
        handler.send_response(201)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"x" * 65536
        while True:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    url = server(huge)
    result = kg("push", "--endpoint", f"{url}/store", "--timeout", "30")
    assert result.exit_code == 0, result.output
    assert "HTTP 201" in result.output


# Finding 16: terminal escapes from outside -------------------------------------------------------


def test_endpoint_error_body_cannot_reach_the_terminal(kg, server):
    url = server(lambda handler: reply(handler, 500, "\x1b]0;owned\x07boom \x9b31m".encode(), "text/plain"))
    result = kg("query", "--endpoint", f"{url}/sparql", "ASK {}")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output and "\x9b" not in result.output
    assert r"\x1b]0;owned\x07boom \x9b31m" in result.output


def test_result_values_cannot_reach_the_terminal_in_a_table(kg, server):
    body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "\\u001b]0;owned\\u0007"}}]}}'
    url = server(lambda handler: reply(handler, 200, body))
    for args in (["--endpoint", f"{url}/sparql", "SELECT ?x WHERE { ?x ?p ?o }"],
                 [r'SELECT ?x WHERE { BIND("\u001b]0;owned\u0007" AS ?x) }']):
        result = kg("query", "--format", "table", *args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and r"\x1b]0;owned\x07" in result.output


# Finding 17: redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_endpoint_redirect_is_reported_not_followed(kg, server, status):
    def handle(handler):
        if handler.path.startswith("/moved"):
            reply(handler, 200, REMOTE_ANSWER)
        else:
            reply(handler, status, b"", "text/plain", {"Location": "/moved"})

    url = server(handle)
    result = kg("query", "--endpoint", f"{url}/sparql", "--format", "csv", "SELECT ?x WHERE { ?x ?p ?o }")
    assert result.exit_code == 2, result.output
    assert f"{url}/sparql answered HTTP {status}" in result.output and "/moved" in result.output
    assert "remote" not in result.stdout
    assert [path for _, path, _ in server.requests] == ["/sparql"]


def test_endpoint_redirect_to_ftp_names_the_redirect(kg, server):
    url = server(lambda handler: reply(handler, 302, b"", "text/plain", {"Location": "ftp://127.0.0.1/x"}))
    result = kg("query", "--endpoint", f"{url}/sparql", "ASK {}")
    assert result.exit_code == 2, result.output
    assert "a redirect to 'ftp://127.0.0.1/x'" in result.output


def test_push_redirect_is_reported_not_followed(kg, server):
    url = server(lambda handler: reply(handler, 302, b"", "text/plain", {"Location": "/elsewhere"}))
    result = kg("push", "--endpoint", f"{url}/store")
    assert result.exit_code == 2, result.output
    assert "answered HTTP 302" in result.output and "/elsewhere" in result.output
    assert [path for _, path, _ in server.requests if path.startswith("/elsewhere")] == []
