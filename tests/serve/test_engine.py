"""kg.serve.engine: the query workers answer with kg query's own runner, writers and sandbox."""

from __future__ import annotations

import json

import pytest

from kg.core.errors import QueryError
from kg.serve.engine import QueryWorkers, load_graph, with_prefix_declarations
from kg.sparql.bundled import find_named_query
from tests.helpers.listener import recording_listener


@pytest.fixture(scope="module")
def workers(built_data):
    graph = load_graph(built_data.turtle_export, built_data.cache)
    pool = QueryWorkers(graph, size=1, timeout=20)
    yield pool
    pool.close()


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection it accepts."""
    with recording_listener() as recorded:
        yield recorded


def test_a_worker_answers_as_kg_query(workers, kg):
    text = find_named_query("members-of").text()
    answer = workers.answer(text, "select", "json")
    assert json.loads(answer.body) == json.loads(kg("query", "--name", "members-of", "--format", "json").stdout)
    assert answer.outcome.total == answer.outcome.shown > 0


def test_a_service_the_checks_did_not_see_reaches_no_server(workers, listener):
    """The server checks queries with kg query's check_query before a worker gets them; the
    worker, like kg query's child, has no network whatever the query says (kg.sparql.sandbox)."""
    port, accepted = listener
    for _ in range(3):  # the sandbox holds on every query of a long-lived worker, not only its first
        with pytest.raises(QueryError, match="SERVICE"):
            workers.answer(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                           "select", "json")
        assert workers.answer("ASK { kz:Kazakhstan kzo:memberOf kz:UN }", "ask", "json").outcome.boolean is True
    assert accepted == []


def test_the_sandbox_holds_for_thousands_of_queries_in_one_process():
    """A worker answers many queries: deny_network adds its seccomp filter once per process (the
    kernel caps the instructions a process may stack, about 2,300 of these filters)."""
    import subprocess
    import sys

    script = ("import socket; from kg.sparql.sandbox import deny_network\n"
              "print(all(deny_network() for _ in range(3000)))\n"
              "try:\n    socket.socket()\nexcept PermissionError:\n    print('no socket')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.split("\n")[:2] == ["True", "no socket"], result.stdout + result.stderr


def test_prefix_lines_for_what_a_query_uses():
    assert with_prefix_declarations("PREFIX kz: <x:>\nASK { kz:a kzo:b ?c }") == (
        "PREFIX kzo: <https://w3id.org/kzkg/ontology#>\nPREFIX kz: <x:>\nASK { kz:a kzo:b ?c }")


def test_a_relative_iri_is_refused_not_resolved_against_the_servers_directory(workers):
    with pytest.raises(QueryError):
        workers.answer("SELECT * WHERE { <relative> ?p ?o }", "select", "json")
    assert workers.answer("ASK { kz:Kazakhstan kzo:memberOf kz:UN }", "ask", "json").outcome.boolean is True
