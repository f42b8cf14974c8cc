"""``kg serve`` as its users meet it: a real server on 127.0.0.1, asked by a
real SPARQL client (SPARQLWrapper, rdflib's SPARQLStore), by curl-like
requests for every case of the SPARQL 1.1 Protocol, and by 200 clients at
once; then stopped with SIGTERM or Ctrl-C.

Every server here is a child process started with ``python -m kg.cli
serve`` on a free port of 127.0.0.1; no request goes anywhere else.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.cli import main
from tests.helpers.serve import (expected_description, request, running_server, sparql_get, sparql_post_direct,
                                 sparql_post_form)

KZ = "https://w3id.org/kzkg/id/"
MEMBER_OF_UN = "ASK { kz:Kazakhstan kzo:memberOf kz:UN }"
MEMBERSHIPS = "SELECT ?org WHERE { kz:Kazakhstan kzo:memberOf ?org } ORDER BY ?org"


@pytest.fixture(scope="module")
def server(built_data):
    with running_server(built_data, "--timeout", "20", "--max-rows", "20000") as running:
        yield running


@pytest.fixture(scope="module")
def strict_server(built_data):
    """Tight limits, to reach them: 1 s per query, 10 rows, 4 KiB bodies, one worker; CORS on."""
    with running_server(built_data, "--timeout", "1", "--max-rows", "10", "--max-body", "4096", "--workers", "1",
                        "--cors") as running:
        yield running


def kg_query_json(kg, name: str) -> dict:
    result = kg("query", "--name", name, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- The start line -----------------------------------------------------------


def test_start_message_is_one_line_with_the_address(server, built_data):
    assert server.start_line.startswith(f"kg serve: {server.url} (")
    assert f"SPARQL at {server.url}sparql" in server.start_line
    assert "triples" in server.start_line and server.start_line.count("\n") == 1


def test_it_binds_127_0_0_1_only(server):
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    with socket.socket() as sock:
        sock.connect(("127.0.0.1", port))
    status, _, body = request(server.url + "sparql?" + urllib.parse.urlencode({"query": MEMBER_OF_UN}))
    assert status == 200
    # Listening on 127.0.0.1 alone: the socket table holds it with that address, not 0.0.0.0.
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    local = {line.split()[1] for line in listening if line.split()[3] == "0A"}
    assert f"0100007F:{port:04X}" in local
    assert f"00000000:{port:04X}" not in local


# --- A real SPARQL client gets kg query's answers -----------------------------


def _bundled():
    from kg.sparql.bundled import bundled_queries

    return [q.name for q in bundled_queries()]


@pytest.mark.parametrize("name", _bundled())
def test_sparqlwrapper_gets_the_rows_of_kg_query(server, kg, name):
    from SPARQLWrapper import JSON, SPARQLWrapper

    from kg.sparql.bundled import find_named_query

    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(find_named_query(name).text())
    # SPARQLWrapper 2.0 guesses the query type by searching for keywords anywhere in the text and
    # takes the "add" of kzo:addressed for SPARQL Update's ADD (then sends it as update=, which
    # this read-only server refuses with 403): these are all SELECT queries.
    client.queryType = "SELECT"
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    answer = client.query().convert()
    expected = kg_query_json(kg, name)
    assert answer["head"]["vars"] == expected["head"]["vars"]
    assert answer["results"]["bindings"] == expected["results"]["bindings"]


def test_rdflib_sparqlstore_reads_the_endpoint(server, kg):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "sparql", returnFormat="json")
    graph = rdflib.Graph(store)
    rows = list(graph.query(MEMBERSHIPS.replace("kz:", f"<{KZ}").replace("kzo:memberOf",
                                                                            "<https://w3id.org/kzkg/ontology#memberOf>")
                            .replace("Kazakhstan <", "Kazakhstan> <")))
    expected = kg("query", MEMBERSHIPS, "--format", "csv").stdout.splitlines()[1:]
    assert [str(row[0]) for row in rows] == expected
    assert store.query("ASK { ?s ?p ?o }").askAnswer is True


# --- The protocol: three ways to send, every format -------------------------------


def test_get_form_post_and_direct_post_answer_alike(server):
    answers = [sparql_get(server, MEMBERSHIPS), sparql_post_form(server, MEMBERSHIPS),
               sparql_post_direct(server, MEMBERSHIPS)]
    assert [status for status, _, _ in answers] == [200, 200, 200]
    assert answers[0][2] == answers[1][2] == answers[2][2]
    assert answers[0][1]["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    organizations = [b["org"]["value"] for b in json.loads(answers[0][2])["results"]["bindings"]]
    assert organizations == sorted(organizations) and {KZ + "CIS", KZ + "UN"} <= set(organizations)


@pytest.mark.parametrize("accept, media, check", [
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda body: {"type": "uri", "value": KZ + "CIS"} in [b["org"] for b in json.loads(body)["results"]["bindings"]]),
    ("application/sparql-results+xml", "application/sparql-results+xml",
     lambda body: f"<uri>{KZ}CIS</uri>" in body and body.startswith("<?xml")),
    ("text/csv", "text/csv", lambda body: body.startswith("org\r\n") and f"\r\n{KZ}CIS\r\n" in body),
    ("text/tab-separated-values", "text/tab-separated-values", lambda body: body.startswith("?org\n") and f"\n<{KZ}CIS>\n" in body),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", lambda body: "<sparql" in body),
    ("*/*", "application/sparql-results+json", lambda body: "bindings" in body),
])
def test_select_results_are_negotiated_by_accept(server, accept, media, check):
    status, headers, body = sparql_get(server, MEMBERSHIPS, accept)
    assert status == 200, body
    assert headers["Content-Type"] == f"{media}; charset=utf-8"
    assert headers["Vary"] == "Accept"
    assert check(body)


@pytest.mark.parametrize("fmt, media", [("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                        ("xml", "application/sparql-results+xml"),
                                        ("json", "application/sparql-results+json")])
def test_format_parameter_wins_over_accept(server, fmt, media):
    status, headers, _ = sparql_get(server, MEMBERSHIPS, "application/sparql-results+json", format=fmt)
    assert status == 200 and headers["Content-Type"].startswith(media)


@pytest.mark.parametrize("accept, rdf_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                 ("application/ld+json", "json-ld")])
def test_construct_and_describe_are_negotiated(server, accept, rdf_format):
    construct = "CONSTRUCT { kz:Kazakhstan kzo:memberOf ?org } WHERE { kz:Kazakhstan kzo:memberOf ?org }"
    status, headers, body = sparql_get(server, construct, accept)
    assert status == 200, body
    assert headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=body, format=rdf_format)
    assert (rdflib.URIRef(KZ + "Kazakhstan"), rdflib.URIRef("https://w3id.org/kzkg/ontology#memberOf"),
            rdflib.URIRef(KZ + "UN")) in graph
    status, _, body = sparql_get(server, "DESCRIBE kz:UN", accept)
    assert status == 200 and len(rdflib.Graph().parse(data=body, format=rdf_format)) > 5


def test_ask_in_every_results_format(server):
    assert json.loads(sparql_get(server, MEMBER_OF_UN)[2])["boolean"] is True
    assert "<boolean>true</boolean>" in sparql_get(server, MEMBER_OF_UN, "application/sparql-results+xml")[2]
    assert sparql_get(server, "ASK { kz:UN kzo:memberOf kz:Kazakhstan }", "text/csv")[2].strip() == "false"


# --- The protocol's errors ------------------------------------------------------


def test_malformed_query_is_400_with_the_message(server):
    status, headers, body = sparql_get(server, "SELEC ?x WHERE { ?x ?p ?o }")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert "unknown keyword 'SELEC' (did you mean SELECT?)" in body


def test_missing_or_repeated_query_is_400(server):
    status, _, body = request(server.url + "sparql")
    assert status == 400 and "no query" in body
    status, _, body = request(server.url + "sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400 and "2 times" in body


def test_other_methods_are_405_with_allow(server):
    status, headers, body = request(server.url + "sparql?query=ASK%7B%7D", method="PUT", data=b"")
    assert status == 405 and headers["Allow"] == "GET, POST" and "PUT" in body
    status, headers, _ = request(server.url + "sparql", method="DELETE")
    assert status == 405


def test_unacceptable_accept_is_406(server):
    status, _, body = sparql_get(server, MEMBERSHIPS, "image/png")
    assert status == 406 and "application/sparql-results+json" in body
    status, _, _ = sparql_get(server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv")
    assert status == 406
    status, _, body = sparql_get(server, MEMBERSHIPS, format="turtle")
    assert status == 406 and "json, xml, csv, tsv" in body


def test_other_content_types_are_415(server):
    status, _, body = request(server.url + "sparql", MEMBERSHIPS.encode(), {"Content-Type": "text/plain"})
    assert status == 415 and "application/sparql-query" in body


# --- Read-only and safe -------------------------------------------------------------


def test_updates_are_refused_every_way(server):
    update = "INSERT DATA { kz:Atlantis a kzo:State }"
    status, _, body = sparql_get(server, update)
    assert status == 400 and "SPARQL Update" in body
    status, _, body = sparql_post_form(server, "", update=update)
    assert status == 403 and "read-only" in body
    status, _, body = request(server.url + "sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 403 and "read-only" in body
    assert sparql_get(server, "ASK { kz:Atlantis ?p ?o }", "text/csv")[2].strip() == "false"


def test_service_and_from_are_refused(server):
    status, _, body = sparql_get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 400 and "SERVICE at line 1" in body
    status, _, body = sparql_get(server, "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }")
    assert status == 400 and "FROM at line 1" in body
    status, _, body = sparql_get(server, MEMBERSHIPS, **{"default-graph-uri": "http://127.0.0.1:9/g"})
    assert status == 400 and "default-graph-uri" in body


def test_a_huge_body_is_413_and_a_huge_url_414(strict_server):
    padding = "# " + "x" * 8000 + "\n"
    status, _, body = sparql_post_direct(strict_server, padding + MEMBER_OF_UN)
    assert status == 413 and "limit of 4096" in body
    status, _, _ = sparql_post_form(strict_server, padding + MEMBER_OF_UN)
    assert status == 413
    status, _, _ = sparql_get(strict_server, padding + MEMBER_OF_UN)
    assert status == 414
    assert sparql_get(strict_server, MEMBER_OF_UN)[0] == 200


def test_a_long_query_is_stopped_and_the_server_goes_on(strict_server):
    before = strict_server.workers()
    started = time.monotonic()
    status, _, body = sparql_get(strict_server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert status == 503 and "stopped after 1 s" in body
    assert time.monotonic() - started < 10
    assert json.loads(sparql_get(strict_server, MEMBER_OF_UN)[2])["boolean"] is True
    after = strict_server.workers()
    assert len(after) == 1 and after != before  # the stuck worker was killed and replaced


def test_too_many_rows_is_refused(strict_server):
    status, _, body = sparql_get(strict_server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 503 and "more than 10 rows" in body and "add a LIMIT" in body
    assert sparql_get(strict_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")[0] == 200


def test_a_crashed_worker_is_replaced(strict_server):
    (worker,) = strict_server.workers()
    os.kill(worker, signal.SIGKILL)
    time.sleep(0.2)
    status, _, body = sparql_get(strict_server, MEMBER_OF_UN)
    assert status in (200, 400)  # the query that met the dead worker may fail, but says so
    assert json.loads(sparql_get(strict_server, MEMBER_OF_UN)[2])["boolean"] is True
    assert worker not in strict_server.workers()


def test_cors_is_off_unless_asked(server, strict_server):
    origin = {"Origin": "http://127.0.0.1:1"}
    _, headers, _ = request(server.url + "sparql?" + urllib.parse.urlencode({"query": MEMBER_OF_UN}), headers=origin)
    assert "Access-Control-Allow-Origin" not in headers
    _, headers, _ = request(strict_server.url + "sparql?" + urllib.parse.urlencode({"query": MEMBER_OF_UN}),
                            headers=origin)
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = request(strict_server.url + "sparql", method="OPTIONS", headers={
        **origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert status == 200 and "POST" in headers["Access-Control-Allow-Methods"]


# --- Many clients at once -----------------------------------------------------------


def test_200_concurrent_requests_are_answered_correctly(server, kg):
    names = ["facts-per-source", "treaties-by-year", "members-of", "cq-01-organizations-kazakhstan-is-member-of"]
    from kg.sparql.bundled import find_named_query

    expected = {name: kg_query_json(kg, name)["results"]["bindings"] for name in names}
    texts = {name: find_named_query(name).text() for name in names}
    start = threading.Barrier(200)

    def one(index: int):
        name = names[index % len(names)]
        start.wait(30)
        if index % 3 == 0:
            status, _, body = sparql_get(server, texts[name])
        elif index % 3 == 1:
            status, _, body = sparql_post_form(server, texts[name])
        else:
            status, _, body = sparql_post_direct(server, texts[name])
        return name, status, body

    with concurrent.futures.ThreadPoolExecutor(200) as pool:
        results = list(pool.map(one, range(200)))
    assert [status for _, status, _ in results] == [200] * 200
    for name, _, body in results:
        assert json.loads(body)["results"]["bindings"] == expected[name]


# --- Entity and ontology pages ----------------------------------------------------------


@pytest.mark.parametrize("accept, rdf_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                 ("application/ld+json", "json-ld")])
def test_entity_rdf_is_every_triple_about_it(server, built_data, accept, rdf_format):
    status, headers, body = request(server.url + "id/Russia", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert isomorphic(rdflib.Graph().parse(data=body, format=rdf_format), expected_description(built_data, "Russia"))


def test_entity_formats_by_parameter_and_extension(server):
    by_accept = request(server.url + "id/UN", headers={"Accept": "text/turtle"})[2]
    assert request(server.url + "id/UN?format=turtle")[2] == by_accept
    assert request(server.url + "id/UN.ttl")[2] == by_accept
    assert request(server.url + "id/UN.nt")[1]["Content-Type"].startswith("application/n-triples")


def test_entity_html_for_a_browser(server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = request(server.url + "id/Russia", headers={"Accept": browser})
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    for name in ("Russia", "Ресей", "Россия"):  # names in three languages
        assert f">{name}</span>" in body
    assert 'href="/id/Kazakhstan"' in body  # related entities are linked
    assert "<svg" in body  # the neighbourhood drawing
    assert 'href="/?query=' in body  # a ready query about it


def test_evidence_links_to_the_quote_in_the_text(server):
    _, _, page = request(server.url + "id/SemipalatinskTestSite")
    assert "<blockquote lang=\"kk\">" in page and "blockquote class=\"english\"" in page
    link = page.split('class="in-text" href="', 1)[1].split('"', 1)[0]
    path, anchor = link.split("#")
    status, _, text_page = request(server.url + path.lstrip("/"))
    assert status == 200 and f'id="{anchor}"' in text_page and "<mark>" in text_page
    # The decree outside the texts is a reference: marked, with no quote link.
    assert '<span class="badge">reference</span>' in page and "Decree No. 409" in page


def test_unknown_entity_is_404_and_odd_names_are_not_looked_up(server):
    assert request(server.url + "id/Atlantis")[0] == 404
    assert request(server.url + "id/" + urllib.parse.quote("x> ?p ?o } #"))[0] == 404
    assert request(server.url + "id/Russia", headers={"Accept": "image/png"})[0] == 406


def test_ontology_has_one_anchor_per_term(server, built_data):
    ontology = rdflib.Graph().parse(built_data.ontology)
    kzo = "https://w3id.org/kzkg/ontology#"
    terms = {str(s)[len(kzo):] for s, o in ontology.subject_objects(rdflib.RDF.type)
             if str(s).startswith(kzo) and o in (rdflib.OWL.Class, rdflib.OWL.ObjectProperty,
                                                 rdflib.OWL.DatatypeProperty, rdflib.OWL.AnnotationProperty)}
    _, _, page = request(server.url + "ontology")
    anchors = [part.split('"', 1)[0] for part in page.split('<section class="term" id="')[1:]]
    assert sorted(anchors) == sorted(terms)
    status, headers, body = request(server.url + "ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(kzo + "memberOf"), rdflib.RDF.type, rdflib.OWL.ObjectProperty) in graph


def test_query_page_is_served_with_its_assets(server):
    status, headers, page = request(server.url)
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'none'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # YASR's table view inserts <style>
    assert "facts-per-source" in page and "https://" not in page.split("kg-config")[0]
    for asset in ("static/yasgui/yasgui.min.js", "static/yasgui/yasgui.min.css", "static/query.js",
                  "prefixes.json"):
        assert request(server.url + asset)[0] == 200
    assert json.loads(request(server.url + "prefixes.json")[2])["kzo"] == "https://w3id.org/kzkg/ontology#"


# --- Stopping -----------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_sigterm_and_ctrl_c(built_data, sig):
    with running_server(built_data, "--workers", "2") as running:
        workers = running.workers()
        assert len(workers) == 2
        assert sparql_get(running, MEMBER_OF_UN)[0] == 200
        assert running.stop(sig) == 0
        for pid in workers:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        port = int(running.url.rsplit(":", 1)[1].strip("/"))
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_without_a_built_graph_it_says_so(tmp_path):
    from click.testing import CliRunner

    (tmp_path / "seeds").mkdir()
    result = CliRunner().invoke(main, ["--data", str(tmp_path), "serve", "--port", "0"])
    assert result.exit_code == 2
    assert "kazakhstan.ttl not found: run `kg build` first" in result.output
