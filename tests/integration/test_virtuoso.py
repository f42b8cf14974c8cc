"""``kg push`` and ``kg query --endpoint`` against a real SPARQL server.

The fixture starts Debian's Virtuoso (``virtuoso-t`` from the
virtuoso-opensource package) through ``tests.helpers.virtuoso.running``, the same
start-up the benchmark uses: a temporary directory with its own
virtuoso.ini, bound to 127.0.0.1 on free ports; the dba password set with
isql; the server stopped afterwards. The Graph Store endpoint
/sparql-graph-crud-auth needs digest authentication, which ``kg push``
answers as dba.

Without virtuoso-t these tests are skipped, with the command that installs
it; on CI (``CI`` set) they fail instead, so they always run there.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.virtuoso import INSTALL_HINT, VirtuosoError, available, free_port, running
from kg.cli import main
from kg.sparql.bundled import bundled_queries

GRAPH = "https://w3id.org/kzkg/test-graph"
ON_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if not available():
        message = f"virtuoso-t or isql-vt not found: {INSTALL_HINT}"
        if ON_CI:
            pytest.fail(f"{message}; CI must run the Virtuoso tests")
        pytest.skip(message)
    try:
        with running(tmp_path_factory.mktemp("virtuoso")) as server:
            yield server
    except VirtuosoError as error:  # it did not start (or stop): say why, with the end of its log
        pytest.fail(str(error))


def _kg(paths, *args, env=None, input=None):
    return CliRunner().invoke(main, ["--data", str(paths.root), *args], env=env, input=input, catch_exceptions=False)


def _count_triples(path: Path) -> int:
    import pyoxigraph

    return sum(1 for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))


@pytest.fixture(scope="module")
def pushed(virtuoso, built_data):
    """The built graph, pushed into GRAPH on the server by ``kg push``."""
    env = {"KG_SPARQL_USER": "dba", "KG_SPARQL_PASSWORD": virtuoso.password}
    result = _kg(built_data, "push", "--endpoint", virtuoso.graph_store, "--graph", GRAPH, env=env)
    assert result.exit_code == 0, result.output
    return result


def _remote(virtuoso, built_data, *args):
    return _kg(built_data, "query", "--endpoint", virtuoso.sparql, "--graph", GRAPH, *args)


# kg push -------------------------------------------------------------------


def test_push_uploads_every_triple_of_the_export(virtuoso, built_data, pushed):
    triples = _count_triples(built_data.turtle_export)
    assert f"pushed {triples} triples into <{GRAPH}>" in pushed.stdout
    assert virtuoso.password not in pushed.output
    counted = _remote(virtuoso, built_data, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json")
    assert counted.exit_code == 0, counted.output
    assert json.loads(counted.stdout)["results"]["bindings"][0]["n"]["value"] == str(triples)


def test_push_twice_replaces_the_graph(virtuoso, built_data, pushed):
    env = {"KG_SPARQL_USER": "dba", "KG_SPARQL_PASSWORD": virtuoso.password}
    again = _kg(built_data, "push", "--endpoint", virtuoso.graph_store, "--graph", GRAPH, env=env)
    assert again.exit_code == 0, again.output
    counted = _remote(virtuoso, built_data, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert counted.stdout.split()[-1] == str(_count_triples(built_data.turtle_export))


def test_push_with_a_wrong_password_fails_without_echoing_it(virtuoso, built_data):
    wrong = "not-the-password-" + secrets.token_hex(4)
    result = _kg(built_data, "push", "--endpoint", virtuoso.graph_store, "--graph", GRAPH + "-x",
                 env={"KG_SPARQL_USER": "dba", "KG_SPARQL_PASSWORD": wrong})
    assert result.exit_code == 2
    assert "credentials for user 'dba' were refused" in result.stderr
    assert wrong not in result.output
    assert "Traceback" not in result.output


def test_push_with_the_password_as_an_option_never_echoes_it(virtuoso, built_data):
    result = _kg(built_data, "push", "--endpoint", virtuoso.graph_store, "--graph", GRAPH + "-option",
                 "--user", "dba", "--password", virtuoso.password, env={"KG_SPARQL_USER": "", "KG_SPARQL_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert virtuoso.password not in result.output


def test_push_without_credentials_says_how_to_give_them(virtuoso, built_data):
    result = _kg(built_data, "push", "--endpoint", virtuoso.graph_store, "--graph", GRAPH + "-y",
                 env={"KG_SPARQL_USER": "", "KG_SPARQL_PASSWORD": ""})
    assert result.exit_code == 2
    assert "KG_SPARQL_USER" in result.stderr and "KG_SPARQL_PASSWORD" in result.stderr


# kg query --endpoint ---------------------------------------------------------


XSD = "http://www.w3.org/2001/XMLSchema#"

#: Bundled queries whose rows differ on Virtuoso 7.2 through a Virtuoso bug,
#: each with the reason. Strict: the test fails once the query is made
#: portable, so the entry is removed then.
VIRTUOSO_BUGS = {
    "cq-24-initiatives-put-forward-where-and-when":
        "Virtuoso 7.2 drops the bindings of an OPTIONAL whose group is a UNION",
}


def _group_concat_separators(text: str) -> dict[str, str]:
    """Variables bound by GROUP_CONCAT, with their separators."""
    found = {}
    for match in re.finditer(r"GROUP_CONCAT\s*\((.*?)\)\s*AS\s*\?(\w+)", text, re.IGNORECASE | re.DOTALL):
        separator = re.search(r'separator\s*=\s*"([^"]*)"', match.group(1), re.IGNORECASE)
        found[match.group(2)] = separator.group(1) if separator else " "
    return found


def _rows(output: str, query_text: str = "") -> list[tuple]:
    """SPARQL JSON results as a sorted list of rows, each term normalized.

    What SPARQL 1.1 leaves open or Virtuoso cannot express is not a
    difference: Virtuoso says "typed-literal" for "literal", may spell an
    explicit xsd:string, and has no boolean type (it answers 1 and 0); the
    order of a GROUP_CONCAT is undefined (SPARQL 1.1 section 11.4) and its
    language tag engine-defined, so its parts are compared as a sorted list.
    """
    document = json.loads(output)
    variables = document["head"]["vars"]
    concatenated = _group_concat_separators(query_text)
    rows = []
    for binding in document["results"]["bindings"]:
        row = []
        for variable in variables:
            term = binding.get(variable)
            if term is None:
                row.append(None)
                continue
            kind = "literal" if term["type"] == "typed-literal" else term["type"]
            value, datatype, lang = term["value"], term.get("datatype"), (term.get("xml:lang") or "").lower()
            if datatype == XSD + "string":
                datatype = None
            if datatype == XSD + "boolean":
                value, datatype = {"true": "1", "false": "0"}.get(value, value), XSD + "integer"
            if variable in concatenated and kind == "literal":
                value, lang = tuple(sorted(value.split(concatenated[variable]))), ""
            row.append((kind, value, lang, datatype))
        rows.append(tuple(row))
    return sorted(rows, key=repr)


@pytest.mark.parametrize(
    "named",
    [pytest.param(q, id=q.name, marks=[pytest.mark.xfail(reason=VIRTUOSO_BUGS[q.name], strict=True)]
                  if q.name in VIRTUOSO_BUGS else []) for q in bundled_queries()],
)
def test_bundled_query_gives_the_same_rows_locally_and_from_virtuoso(virtuoso, built_data, kg, pushed, named):
    local = kg("query", "--name", named.name, "--format", "json")
    assert local.exit_code == 0, local.output
    remote = _remote(virtuoso, built_data, "--name", named.name, "--format", "json")
    assert remote.exit_code == 0, remote.output
    assert _rows(remote.stdout, named.text()) == _rows(local.stdout, named.text())


def test_parameters_work_on_the_endpoint_too(virtuoso, built_data, kg, pushed):
    args = ("--name", "state-evidence", "--param", "state=China", "--format", "json")
    local, remote = kg("query", *args), _remote(virtuoso, built_data, *args)
    assert remote.exit_code == 0, remote.output
    assert _rows(remote.stdout) == _rows(local.stdout)
    assert _rows(local.stdout)  # China is in the texts


def test_ask_on_the_endpoint_exits_0_for_true_and_1_for_false(virtuoso, built_data, pushed):
    yes = _remote(virtuoso, built_data, "ASK { kz:Kazakhstan kzo:memberOf kz:UN }")
    no = _remote(virtuoso, built_data, "ASK { kz:Kazakhstan kzo:memberOf kz:NoSuchOrganization }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    assert (no.exit_code, no.stdout) == (1, "false\n")


def test_construct_on_the_endpoint_gives_the_same_triples(virtuoso, built_data, kg, pushed):
    query = "CONSTRUCT { ?s kzo:memberOf ?o } WHERE { ?s kzo:memberOf ?o }"
    local, remote = kg("query", query, "--format", "nt"), _remote(virtuoso, built_data, query, "--format", "nt")
    assert remote.exit_code == 0, remote.output
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert "<https://w3id.org/kzkg/id/Kazakhstan> <https://w3id.org/kzkg/ontology#memberOf> <https://w3id.org/kzkg/id/UN> ." in remote.stdout


def test_labels_come_from_the_endpoint(virtuoso, built_data, kg, pushed):
    query = "SELECT ?o WHERE { kz:Kazakhstan kzo:memberOf ?o }"
    local = kg("query", query, "--labels", "--lang", "kk", "--format", "csv")
    remote = _remote(virtuoso, built_data, query, "--labels", "--lang", "kk", "--format", "csv")
    assert remote.exit_code == 0, remote.output
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert "Біріккен Ұлттар Ұйымы" in remote.stdout


def test_a_server_syntax_error_is_shown_without_traceback(virtuoso, built_data, pushed):
    result = _remote(virtuoso, built_data, "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 2
    assert "HTTP 400" in result.stderr
    assert "Traceback" not in result.output


def test_updates_are_refused_before_reaching_the_server(virtuoso, built_data, pushed):
    result = _remote(virtuoso, built_data, "CLEAR GRAPH <%s>" % GRAPH)
    assert result.exit_code == 2
    assert "SPARQL Update" in result.stderr
    still_there = _remote(virtuoso, built_data, "ASK { kz:Kazakhstan kzo:memberOf kz:UN }")
    assert still_there.exit_code == 0


# Failures that need no Virtuoso ------------------------------------------------


def test_an_unreachable_endpoint_is_one_clear_line(kg):
    port = free_port()  # nothing listens there
    result = kg("query", "--endpoint", f"http://127.0.0.1:{port}/sparql", "ASK {}")
    assert result.exit_code == 2
    assert f"cannot reach http://127.0.0.1:{port}/sparql" in result.stderr
    assert "Traceback" not in result.output


def test_the_password_is_asked_only_for_a_query_that_passed_its_checks(kg, monkeypatch):
    import kg.cli.query as query_command

    asked = []
    monkeypatch.setattr(query_command, "_password", lambda user, password: asked.append(user) or "secret")
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    refused = kg("query", "--endpoint", endpoint, "--user", "dba", "INSERT DATA { kz:a kz:b kz:c }")
    assert refused.exit_code == 2 and asked == []
    unreachable = kg("query", "--endpoint", endpoint, "--user", "dba", "ASK {}")
    assert unreachable.exit_code == 2 and asked == ["dba"]
    assert "secret" not in unreachable.output


def test_credentials_in_the_url_are_never_shown(kg):
    port = free_port()
    result = kg("query", "--endpoint", f"http://someone:hunter2@127.0.0.1:{port}/sparql", "ASK {}")
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert f"127.0.0.1:{port}" in result.stderr


def test_a_silent_endpoint_is_stopped_by_the_timeout(kg):
    """A server that accepts the connection and never answers: --timeout stops it (exit 4)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    accepted = []
    stop = threading.Event()

    def accept_and_stay_silent():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept_and_stay_silent, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        result = kg("query", "--endpoint", f"http://127.0.0.1:{listener.getsockname()[1]}/sparql",
                    "--timeout", "1", "SELECT * WHERE { ?s ?p ?o }")
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()
    assert result.exit_code == 4, result.output
    assert "--timeout" in result.stderr
    assert elapsed < 10
