"""``kg query``, ``kg queries``, ``kg prefixes`` on the real data, through CliRunner.

Expectations are computed from the data (or use facts certainly there:
Kazakhstan is a member of the UN; Kazakhstan and Russia signed
kz:Treaty-1992-05-25-KZ-RU on 1992-05-25), never hard-coded totals.
"""

from __future__ import annotations

import ast
import csv
import http.server
import io
import json
import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pyoxigraph
import pytest

from kg.core.paths import QUERIES_DIR, REPO_ROOT
from kg.core.prefixes import PREFIXES
from kg.render.tables import display_width
from kg.sparql.bundled import bundled_queries
from kg.sparql.text import query_parameters

KZ = PREFIXES["kz"]
KZO = PREFIXES["kzo"]
MEMBERS = "SELECT ?org WHERE { kz:Kazakhstan kzo:memberOf ?org } ORDER BY ?org"
LABELLED = 'SELECT ?org ?name WHERE { kz:Kazakhstan kzo:memberOf ?org . ?org rdfs:label ?name } ORDER BY ?org ?name'
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def rows(kg, query: str) -> list[dict]:
    """The answer as SPARQL JSON bindings (what other tests compare against)."""
    result = kg("query", query, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["results"]["bindings"]


def label(kg, iri_local: str, lang: str) -> str:
    found = rows(kg, f'SELECT ?l WHERE {{ kz:{iri_local} rdfs:label ?l FILTER(lang(?l) = "{lang}") }}')
    assert found, f"kz:{iri_local} has no @{lang} label"
    return found[0]["l"]["value"]


# Input -----------------------------------------------------------------------


def test_query_as_an_argument(kg):
    result = kg("query", MEMBERS, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "org"
    assert f"{KZ}UN" in result.stdout.splitlines()


def test_query_from_stdin(kg):
    result = kg("query", "-", "--format", "csv", input=MEMBERS)
    assert result.exit_code == 0
    assert f"{KZ}UN" in result.stdout.splitlines()


def test_query_from_a_file(kg, tmp_path):
    path = tmp_path / "members.rq"
    path.write_text("# organizations\n" + MEMBERS + "\n", encoding="utf-8")
    result = kg("query", "-f", str(path), "--format", "csv")
    assert result.exit_code == 0
    assert f"{KZ}UN" in result.stdout.splitlines()


def test_a_missing_file_is_one_line(kg, tmp_path):
    result = kg("query", "-f", str(tmp_path / "nope.rq"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope.rq'}: no such file\n"


def test_a_named_query(kg):
    result = kg("query", "--name", "members-of", "--format", "csv")
    assert result.exit_code == 0
    assert f"{KZ}UN" in result.stdout


def test_an_unknown_name_suggests_the_closest(kg):
    result = kg("query", "--name", "member-of")
    assert result.exit_code == 2
    assert "no bundled query is named 'member-of' (did you mean: members-of" in result.stderr
    assert "`kg queries` lists them" in result.stderr


def test_two_inputs_at_once_are_refused(kg, tmp_path):
    result = kg("query", MEMBERS, "--name", "members-of")
    assert result.exit_code == 2
    assert "give the query one way only" in result.stderr


def test_no_query_at_all_says_how_to_give_one(kg):
    result = kg("query")
    assert result.exit_code == 2
    assert "-f FILE" in result.stderr and "--name NAME" in result.stderr


def test_an_empty_query_is_refused(kg):
    result = kg("query", "-", input="  \n")
    assert result.exit_code == 2
    assert "the query is empty" in result.stderr


# Bundled queries -----------------------------------------------------------------


def test_kg_queries_lists_every_bundled_query_with_its_question(kg):
    result = kg("queries", "--format", "json")
    assert result.exit_code == 0
    listed = {entry["name"]: entry["question"] for entry in json.loads(result.stdout)}
    files = sorted(path.stem for path in QUERIES_DIR.glob("*.rq"))
    assert sorted(listed) == files
    for analysis in ("partners-by-shared-organizations", "treaties-by-year", "memberships-timeline",
                     "facts-per-source", "state-evidence", "disagreements"):
        assert listed[analysis].endswith("?")


def test_kg_queries_table_shows_names_questions_and_parameter_defaults(kg):
    result = kg("queries", "--format", "table")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("state-evidence "))
    assert "What do the sources say about a given state" in line
    assert "state=kz:Russia" in line


def test_kg_queries_name_prints_the_query(kg):
    result = kg("queries", "state-evidence")
    assert result.exit_code == 0
    assert result.stdout == (QUERIES_DIR / "state-evidence.rq").read_text(encoding="utf-8")


@pytest.mark.parametrize("named", bundled_queries(), ids=lambda q: q.name)
def test_every_bundled_query_has_a_question_and_runs_on_the_real_data(kg, named):
    assert named.question, f"{named.path} lacks a first-line comment '# Question: ...'"
    result = kg("query", "--name", named.name, "--format", "json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)


@pytest.mark.parametrize("named", [q for q in bundled_queries() if q.parameters], ids=lambda q: q.name)
def test_every_declared_parameter_has_a_values_block(named):
    offered = query_parameters(named.text())
    for name, _ in named.parameters:
        assert name in offered, (
            f"{named.path.name} declares '# Param: {name}' but has no `VALUES ?{name} {{ … }}` block "
            f"(write `VALUES ?{name} {{ UNDEF }}` for a parameter without default)"
        )


def test_partners_are_ranked_by_shared_organizations(kg):
    ranked = rows(kg, (QUERIES_DIR / "partners-by-shared-organizations.rq").read_text(encoding="utf-8"))
    shared = [int(row["shared"]["value"]) for row in ranked]
    assert shared == sorted(shared, reverse=True)
    # Recount each partner's shared organizations independently.
    for row in ranked:
        partner = row["partner"]["value"]
        common = rows(kg, f"SELECT DISTINCT ?o WHERE {{ kz:Kazakhstan kzo:memberOf ?o . <{partner}> kzo:memberOf ?o }}")
        assert len(common) == int(row["shared"]["value"])


def test_treaties_by_year_include_the_1992_treaty_with_russia(kg):
    result = kg("query", "--name", "treaties-by-year", "--format", "json")
    found = json.loads(result.stdout)["results"]["bindings"]
    years = {row["treaty"]["value"]: row["year"]["value"] for row in found}
    assert years[f"{KZ}Treaty-1992-05-25-KZ-RU"] == "1992"
    dates = [row["firstDate"]["value"] for row in found]
    assert dates == sorted(dates)


def test_memberships_timeline_dates_kazakhstan_in_the_un(kg):
    found = json.loads(kg("query", "--name", "memberships-timeline", "--format", "json").stdout)["results"]["bindings"]
    un = [row for row in found if row["organization"]["value"] == f"{KZ}UN"]
    assert any(row.get("start", {}).get("value", "").startswith("1992") for row in un)
    started = [row["start"]["value"] for row in found if "start" in row]
    assert started == sorted(started)  # dated statements first, in order


def test_facts_per_source_count_every_statement(kg):
    per_source = json.loads(kg("query", "--name", "facts-per-source", "--format", "json").stdout)["results"]["bindings"]
    statements = rows(kg, "SELECT DISTINCT ?s WHERE { ?s a rdf:Statement ; prov:wasDerivedFrom ?source }")
    assert sum(int(row["statements"]["value"]) for row in per_source) >= len(statements)
    for row in per_source:
        assert int(row["facts"]["value"]) <= int(row["statements"]["value"])


def test_state_evidence_takes_the_state_as_a_parameter(kg):
    result = kg("query", "--name", "state-evidence", "--param", "state=kz:China", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["results"]["bindings"]
    assert found
    for row in found:
        assert f"{KZ}China" in (row["subject"]["value"], row["object"]["value"])
        assert row["source"]["value"].startswith(f"{KZ}source-")
    bare = kg("query", "--name", "state-evidence", "--param", "state=China", "--format", "json")
    assert bare.stdout == result.stdout  # a bare name means kz:NAME


def test_state_evidence_quotes_the_1992_treaty_for_russia(kg):
    found = json.loads(kg("query", "--name", "state-evidence", "--format", "json").stdout)["results"]["bindings"]
    treaty = [row for row in found if row["object"]["value"] == f"{KZ}Treaty-1992-05-25-KZ-RU"]
    assert treaty and all(row["date"]["value"] == "1992-05-25" for row in treaty)
    assert all(row["quote"]["xml:lang"] == "kk" for row in treaty)


def test_disagreements_list_each_pair_once(kg):
    found = json.loads(kg("query", "--name", "disagreements", "--format", "json").stdout)["results"]["bindings"]
    pairs = rows(kg, "SELECT ?a ?b WHERE { ?a kzo:disagreesWith ?b FILTER(STR(?a) < STR(?b)) }")
    assert len(found) == len(pairs)
    assert all(row["claim"]["value"] < row["otherClaim"]["value"] for row in found)


def test_a_parameter_can_take_several_values(kg):
    one = rows(kg, "SELECT ?x WHERE { VALUES ?state { kz:Russia } ?x kzo:signed ?t . FILTER(?x = ?state) }")
    result = kg("query", "SELECT ?x WHERE { VALUES ?state { kz:Kazakhstan } ?x kzo:signed ?t . FILTER(?x = ?state) }",
                "--param", "state=Russia", "--param", "state=kz:Kazakhstan", "--format", "json")
    both = json.loads(result.stdout)["results"]["bindings"]
    assert {r["x"]["value"] for r in both} == {f"{KZ}Russia", f"{KZ}Kazakhstan"}
    assert len(both) > len(one)


def test_an_unknown_parameter_names_the_ones_offered(kg):
    result = kg("query", "--name", "state-evidence", "--param", "country=Russia")
    assert result.exit_code == 2
    assert "no `VALUES ?country { … }` block" in result.stderr
    assert "its parameters: state" in result.stderr


def test_a_parameter_value_must_be_one_term(kg):
    result = kg("query", "--name", "state-evidence", "--param", "state=kz:Russia } } DROP ALL")
    assert result.exit_code == 2
    assert "is not a SPARQL term" in result.stderr


def test_a_parameter_without_equals_sign_is_explained(kg):
    result = kg("query", "--name", "state-evidence", "--param", "Russia")
    assert result.exit_code == 2
    assert "write NAME=VALUE" in result.stderr


# Prefixes ---------------------------------------------------------------------


def test_kg_prefixes_prints_every_predeclared_prefix(kg):
    result = kg("prefixes")
    assert result.exit_code == 0
    for prefix in ("kzo", "kz", "rdf", "rdfs", "owl", "skos", "prov", "dcterms", "xsd"):
        assert f"PREFIX {prefix}: <{PREFIXES[prefix]}>" in result.stdout


def test_a_query_may_redeclare_a_prefix(kg):
    result = kg("query", f"PREFIX k: <{KZ}> ASK {{ k:Kazakhstan kzo:memberOf k:UN }}")
    assert result.exit_code == 0


# SELECT formats -------------------------------------------------------------------


def test_csv_follows_the_sparql_csv_format(kg):
    result = kg("query", LABELLED, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"org,name\r\n")  # CSV lines end in CRLF (RFC 4180)
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == ["org", "name"]
    expected = rows(kg, LABELLED)
    assert [[r["org"]["value"], r["name"]["value"]] for r in expected] == table[1:]


def test_json_xml_tsv_and_csv_carry_the_same_answer(kg):
    """Each format parses back (with pyoxigraph's parsers) to the same solutions."""
    answers = {}
    for fmt, parser in (("json", "JSON"), ("xml", "XML"), ("tsv", "TSV")):
        output = kg("query", LABELLED, "--format", fmt).stdout.encode("utf-8")
        solutions = pyoxigraph.parse_query_results(output, format=getattr(pyoxigraph.QueryResultsFormat, parser))
        answers[fmt] = [tuple(str(term) for term in solution) for solution in solutions]
    assert answers["json"] == answers["xml"] == answers["tsv"]
    assert any('"@kk' in "".join(row) or "@kk" in row[1] for row in answers["json"])


def test_json_is_sparql_results_json(kg):
    result = kg("query", 'SELECT ?t ?d ?missing WHERE { ?st rdf:subject kz:Kazakhstan ; rdf:predicate kzo:signed ; '
                         'rdf:object ?t ; kzo:date ?d } ORDER BY ?t', "--format", "json")
    document = json.loads(result.stdout)
    assert document["head"] == {"vars": ["t", "d", "missing"]}
    treaty = next(b for b in document["results"]["bindings"] if b["t"]["value"] == f"{KZ}Treaty-1992-05-25-KZ-RU")
    assert treaty["t"] == {"type": "uri", "value": f"{KZ}Treaty-1992-05-25-KZ-RU"}
    assert treaty["d"] == {"type": "literal", "value": "1992-05-25", "datatype": PREFIXES["xsd"] + "date"}
    assert "missing" not in treaty  # unbound variables are left out


def test_xml_is_sparql_results_xml(kg):
    result = kg("query", LABELLED, "--format", "xml")
    root = ElementTree.fromstring(result.stdout)
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["org", "name"]
    literals = root.findall(".//s:binding[@name='name']/s:literal", ns)
    assert {lit.get("{http://www.w3.org/XML/1998/namespace}lang") for lit in literals} >= {"en", "kk"}


def test_tsv_writes_terms_in_turtle_syntax(kg):
    result = kg("query", LABELLED, "--format", "tsv")
    lines = result.stdout.splitlines()
    assert lines[0] == "?org\t?name"
    assert f"<{KZ}UN>\t\"{label(kg, 'UN', 'en')}\"@en" in lines


def test_table_aligns_kazakh_and_russian_text(kg):
    result = kg("query", LABELLED, "--format", "table")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["org", "name"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    name_column = lines[1].index("  ") + 2
    for line in lines[2:]:
        prefix_width = display_width(line[: line.index(line.split("  ")[-1].strip())])
        assert prefix_width == name_column, line
    assert any(label(kg, "UN", "kk") in line for line in lines)
    assert all(line.startswith("kz:") for line in lines[2:])  # IRIs shortened with the prefixes


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_labels_replace_iris_in_the_language_asked(kg, lang):
    result = kg("query", MEMBERS, "--labels", "--lang", lang, "--format", "table")
    assert result.exit_code == 0
    assert label(kg, "UN", lang) in result.stdout.splitlines()
    assert "kz:UN" not in result.stdout


def test_labels_apply_to_csv_but_not_to_machine_formats(kg):
    assert label(kg, "UN", "ru") in kg("query", MEMBERS, "--labels", "--lang", "ru", "--format", "csv").stdout
    refused = kg("query", MEMBERS, "--labels", "--format", "json")
    assert refused.exit_code == 2
    assert "--labels shows labels in table and csv output" in refused.stderr


def test_default_format_is_csv_when_not_on_a_terminal(kg):
    assert kg("query", MEMBERS).stdout == kg("query", MEMBERS, "--format", "csv").stdout


def test_a_graph_format_for_a_select_is_refused(kg):
    result = kg("query", MEMBERS, "--format", "turtle")
    assert result.exit_code == 2
    assert "--format turtle is for CONSTRUCT and DESCRIBE" in result.stderr


# ASK ----------------------------------------------------------------------------


def test_ask_true_exits_0(kg):
    result = kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:UN }")
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_ask_false_exits_1(kg):
    result = kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:Kazakhstan }")
    assert (result.exit_code, result.stdout) == (1, "false\n")


def test_ask_in_json_and_xml(kg):
    assert json.loads(kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:UN }", "--format", "json").stdout) == {
        "head": {}, "boolean": True}
    xml = kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:Russia }", "--format", "xml")
    assert xml.exit_code == 1
    assert ElementTree.fromstring(xml.stdout).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


# CONSTRUCT and DESCRIBE ------------------------------------------------------------

CONSTRUCT = "CONSTRUCT { ?s kzo:memberOf ?o . ?o rdfs:label ?l } WHERE { ?s kzo:memberOf ?o . ?o rdfs:label ?l }"


def _triples(data: str, rdf_format) -> set:
    return {tuple(str(t) for t in q.triple) for q in pyoxigraph.parse(data.encode("utf-8"), format=rdf_format)}


def test_construct_in_turtle_nt_and_json_ld_gives_the_same_triples(kg):
    turtle = kg("query", CONSTRUCT)  # turtle is the default for graphs
    nt = kg("query", CONSTRUCT, "--format", "nt")
    json_ld = kg("query", CONSTRUCT, "--format", "jsonld")
    assert turtle.exit_code == nt.exit_code == json_ld.exit_code == 0
    assert turtle.stdout.startswith("@prefix kzo: <")
    expected = _triples(nt.stdout, pyoxigraph.RdfFormat.N_TRIPLES)
    assert (f"<{KZ}Kazakhstan>", f"<{KZO}memberOf>", f"<{KZ}UN>") in expected
    assert _triples(turtle.stdout, pyoxigraph.RdfFormat.TURTLE) == expected
    assert _triples(json_ld.stdout, pyoxigraph.RdfFormat.JSON_LD) == expected
    assert json.loads(json_ld.stdout)["@context"]["kz"] == KZ


def test_json_ld_is_also_read_by_rdflib(kg):
    from rdflib import Graph

    graph = Graph().parse(data=kg("query", CONSTRUCT, "--format", "jsonld").stdout, format="json-ld")
    expected = Graph().parse(data=kg("query", CONSTRUCT, "--format", "nt").stdout, format="nt")
    assert set(graph) == set(expected)


def test_graph_output_is_deterministic(kg):
    assert kg("query", "DESCRIBE kz:Russia").stdout == kg("query", "DESCRIBE kz:Russia").stdout


def test_describe_gives_the_entity_triples(kg):
    result = kg("query", "DESCRIBE kz:Russia", "--format", "nt")
    assert result.exit_code == 0
    subjects = {t[0] for t in _triples(result.stdout, pyoxigraph.RdfFormat.N_TRIPLES)}
    assert f"<{KZ}Russia>" in subjects


def test_graph_results_as_a_table_of_triples(kg):
    result = kg("query", CONSTRUCT, "--format", "table", "--labels", "--lang", "kk")
    assert result.stdout.splitlines()[0].split() == ["subject", "predicate", "object"]
    assert label(kg, "UN", "kk") in result.stdout


def test_a_results_format_for_a_construct_is_refused(kg):
    result = kg("query", CONSTRUCT, "--format", "json")
    assert result.exit_code == 2
    assert "gives turtle, nt, jsonld" in result.stderr


# -o FILE -------------------------------------------------------------------------


def test_output_file_takes_its_format_from_the_extension(kg, tmp_path):
    target = tmp_path / "answer.json"
    result = kg("query", MEMBERS, "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["head"]["vars"] == ["org"]
    graph_file = tmp_path / "graph.ttl"
    assert kg("query", CONSTRUCT, "-o", str(graph_file)).exit_code == 0
    assert graph_file.read_text(encoding="utf-8").startswith("@prefix")


def test_a_failed_query_leaves_the_output_file_as_it_was(kg, tmp_path):
    target = tmp_path / "answer.csv"
    target.write_text("previous\n")
    result = kg("query", "SELECT ?x WHERE { ?x ?y }", "-o", str(target))
    assert result.exit_code == 2
    assert target.read_text() == "previous\n"
    stopped = kg("query", RUNAWAY, "--timeout", "0.5", "-o", str(target))
    assert stopped.exit_code == 4
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.csv"]  # no temporary file left


def test_ask_with_an_output_file_keeps_its_exit_code(kg, tmp_path):
    target = tmp_path / "answer.txt"
    result = kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:Russia }", "-o", str(target))
    assert result.exit_code == 1
    assert target.read_text() == "false\n"


# --limit, --max-rows, --timeout, empty answers ---------------------------------------


def test_limit_caps_the_rows_and_says_so(kg):
    everything = rows(kg, LABELLED)
    assert len(everything) > 2
    result = kg("query", LABELLED, "--limit", "2", "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == f"(showing the first 2 of {len(everything)} rows: --limit 2)\n"


def test_limit_above_the_answer_says_nothing(kg):
    result = kg("query", LABELLED, "--limit", "100000")
    assert result.stderr == ""


def test_an_empty_answer_says_so_on_stderr_and_exits_0(kg):
    result = kg("query", "SELECT ?x WHERE { ?x kzo:memberOf kz:NoSuchOrganization }", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"x\r\n"
    assert result.stderr == "(no results)\n"


def test_max_rows_stops_a_large_answer_with_exit_4(kg):
    result = kg("query", "SELECT * WHERE { ?s ?p ?o }", "--max-rows", "10")
    assert result.exit_code == 4
    assert "more than 10 rows (--max-rows)" in result.stderr


def _children() -> set[int]:
    pid = os.getpid()
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.update(int(child) for child in children)
    return found


def test_timeout_stops_a_runaway_query_with_exit_4(kg):
    before = _children()
    started = time.monotonic()
    result = kg("query", RUNAWAY, "--timeout", "1")
    elapsed = time.monotonic() - started
    assert result.exit_code == 4
    assert "stopped after 1 s (--timeout)" in result.stderr
    assert elapsed < 10
    assert _children() <= before  # the query's process is gone
    assert "Traceback" not in result.output


# Read-only and no network -------------------------------------------------------------


@pytest.mark.parametrize("update", [
    "INSERT DATA { kz:a kz:b kz:c }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://example.org/g>",
    "CREATE GRAPH <http://example.org/g>",
    "PREFIX ex: <http://example.org/>\nWITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(kg, update):
    result = kg("query", update)
    assert result.exit_code == 2
    assert "is SPARQL Update: kg query is read-only" in result.stderr


def test_update_words_inside_strings_and_names_are_fine(kg):
    result = kg("query", 'SELECT ?x WHERE { ?x rdfs:label "INSERT DATA" . ?x kzo:drop ?y } # DELETE')
    assert result.exit_code == 0
    assert result.stderr == "(no results)\n"


@pytest.mark.parametrize("query, word", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
])
def test_service_and_from_are_refused_unless_allowed(kg, query, word):
    result = kg("query", query)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {word} at line 1")
    assert "--allow-service" in result.stderr


class _FakeSparqlServer(http.server.BaseHTTPRequestHandler):
    """Answers any SPARQL query with one binding, and remembers that it was asked."""

    requests: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.requests.append(self.path)
        body = json.dumps({"head": {"vars": ["o"]}, "results": {"bindings": [
            {"o": {"type": "uri", "value": "http://example.org/remote"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


def test_allow_service_lets_a_query_call_a_server(kg):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeSparqlServer)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)  # a quick shutdown
    thread.start()
    try:
        query = f"SELECT ?o WHERE {{ SERVICE <http://127.0.0.1:{server.server_port}/sparql> {{ ?s ?p ?o }} }}"
        refused = kg("query", query)
        assert refused.exit_code == 2 and _FakeSparqlServer.requests == []  # nothing left the machine
        allowed = kg("query", query, "--allow-service", "--format", "csv")
        assert allowed.exit_code == 0, allowed.output
        assert allowed.stdout_bytes == b"o\r\nhttp://example.org/remote\r\n"
        assert len(_FakeSparqlServer.requests) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_a_failing_service_is_one_line(kg):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = kg("query", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                "--allow-service")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: the query failed: ")
    assert "Traceback" not in result.output


# Syntax errors ----------------------------------------------------------------------


def test_a_syntax_error_shows_line_column_and_a_caret(kg):
    result = kg("query", "SELECT ?org\nWHERE {\n  kz:Kazakhstan kzo:memberOf ?org .\n  FILTER(?org = ) }")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: SPARQL syntax error at line 4, column 3:")
    assert lines[1] == "   4 |   FILTER(?org = ) }"
    assert lines[2] == "     |   ^"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("query, where, message", [
    ("SELEC ?x WHERE { ?x ?y ?z }", "line 1, column 1", "unknown keyword 'SELEC' (did you mean SELECT?)"),
    ("SELECT ?x WHERE { ?x kzx:memberOf ?z }", "line 1, column 22", "unknown prefix kzx: (did you mean kz"),
    ("SELECT ?x WHERE {\n  ?x ?y ?z .\n", "line 1, column 17", "this '{' is never closed"),
    ('SELECT ?x WHERE { ?x rdfs:label "Ресей }', "line 1, column 33", "this string is never closed"),
    ("SELECT ?x WHERE { ?x ?y ?z } LIMIT 1 GARBAGE", "line 1, column 38", "unexpected 'GARBAGE'"),
    ("SELECT ?x WHERE { ?x ?y }", "line 1, column 19", "unexpected '?x'"),
    ("SELECT * WHERE { ?s kz:a\\:b ?o }", "line 1, column 25", "'\\:' is not an escape SPARQL allows"),
])
def test_syntax_errors_point_at_the_mistake(kg, query, where, message):
    result = kg("query", query)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Error: SPARQL syntax error at {where}: "), first
    assert message in first


def test_the_caret_lines_up_under_kazakh_text(kg):
    result = kg("query", 'SELECT ?x WHERE { ?x rdfs:label "Қазақстан"@kk ; kzx:p ?y }')
    lines = result.stderr.splitlines()
    assert lines[2].index("^") == lines[1].index("kzx:")


# Pipes, lightness, the store ------------------------------------------------------------

KG = [sys.executable, "-m", "kg.cli"]


def test_no_broken_pipe_traceback_when_the_reader_stops(built_data):
    pipeline = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" 2>stderr.txt | head -1', "kg", *KG, "--data", str(built_data.root),
         "query", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"],
        cwd=built_data.root, capture_output=True, text=True, timeout=60,
    )
    assert pipeline.stdout in ("s,p,o\n", "o,p,s\n", "p,o,s\n") or pipeline.stdout.count(",") == 2
    assert pipeline.returncode == 0
    assert (built_data.root / "stderr.txt").read_text() == ""


HEAVY_MODULES = {"rdflib", "networkx", "pyvis", "pyshacl", "pyparsing"}


@pytest.mark.parametrize("entry, also_absent", [
    ("run", set()),  # the console script
    ("main", set()),  # the click group, as embedding programs call it
])
def test_kg_query_imports_no_heavy_module(built_data, entry, also_absent):
    probe = (
        "import sys\n"
        f"from kg.cli import {entry}\n"
        f"sys.argv = ['kg', '--data', {str(built_data.root)!r}, 'query', 'ASK {{ ?s ?p ?o }}']\n"
        f"try:\n    {entry}()\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)
    assert result.stdout == "true\n"
    imported = set(ast.literal_eval(result.stderr.strip().splitlines()[-1]))
    assert imported & (HEAVY_MODULES | also_absent) == set()


def _kg_process(paths, *args: str, mode: str) -> subprocess.CompletedProcess:
    """``kg`` in a process of its own, as people run it. The query child is forked, and a test
    process that has opened a persistent store already (other tests do, in process) holds
    RocksDB's threads, which a forked child cannot take over: so these run as real commands."""
    return subprocess.run([*KG, "--data", str(paths.root), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "KG_QUERY_STORE": mode}, cwd=REPO_ROOT)


@pytest.mark.parametrize("mode", ["memory", "disk"])
def test_both_store_modes_give_the_same_answer(kg, mode):
    expected = kg("query", LABELLED, "--format", "json").stdout
    assert _kg_process(kg.paths, "query", LABELLED, "--format", "json", mode=mode).stdout == expected


def test_the_persistent_store_follows_the_export(kg_small):
    assert _kg_process(kg_small.paths, "build", mode="disk").returncode == 0
    assert _kg_process(kg_small.paths, "query", "ASK { kz:Kazakhstan kzo:memberOf kz:UN }", mode="disk").returncode == 0
    stores = sorted(kg_small.paths.cache.glob("store-*"))
    assert len(stores) == 1
    export = kg_small.paths.turtle_export
    export.write_text(export.read_text(encoding="utf-8") + f"\n<{KZ}Kazakhstan> <{KZO}memberOf> <{KZ}Atlantis> .\n",
                      encoding="utf-8")
    assert _kg_process(kg_small.paths, "query", "ASK { kz:Kazakhstan kzo:memberOf kz:Atlantis }", mode="disk").returncode == 0
    assert len(sorted(kg_small.paths.cache.glob("store-*"))) == 2  # a new store; the previous one kept


def test_two_commands_building_the_store_at_once_both_answer(kg_small):
    assert kg_small("build").exit_code == 0
    env = {**os.environ, "KG_QUERY_STORE": "disk"}
    command = [*KG, "--data", str(kg_small.paths.root), "query", "SELECT ?o WHERE { kz:Kazakhstan kzo:memberOf ?o }",
               "--format", "csv"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                  cwd=REPO_ROOT) for _ in range(3)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    assert len({out for out, _ in outputs}) == 1
    assert f"{KZ}UN" in outputs[0][0]
    assert not list(kg_small.paths.cache.glob(".store-*"))  # no half-built store left behind


def test_without_a_built_graph_the_error_says_to_build(kg_fresh):
    for path in kg_fresh.paths.exports.glob("*"):
        if path.is_file():
            path.unlink()
    result = kg_fresh("query", "ASK { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "run `kg build` first" in result.stderr


# Help ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["query", "queries", "prefixes", "push"])
def test_every_command_has_help_with_an_example(kg, command):
    result = kg(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"kg {command}" in result.stdout


def test_a_table_wider_than_the_terminal_is_cut_with_an_ellipsis():
    from kg.render.tables import format_table

    long_quote = "Қазақстан Республикасы мен Ресей Федерациясы арасындағы Достық, ынтымақтастық туралы шарт"
    table = format_table(["statement", "quote"], [["kz:st-1", long_quote]], max_width=40)
    lines = table.splitlines()
    assert all(display_width(line) <= 40 for line in lines)
    assert lines[2].endswith("…")
    assert format_table(["statement", "quote"], [["kz:st-1", long_quote]]).splitlines()[2].endswith(long_quote)


def test_relative_iris_resolve_against_the_query_file(kg, tmp_path):
    path = tmp_path / "relative.rq"
    path.write_text("SELECT ?iri WHERE { BIND(<other.ttl> AS ?iri) }\n", encoding="utf-8")
    result = kg("query", "-f", str(path), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (tmp_path / "other.ttl").resolve().as_uri()


def test_relative_iris_are_refused_with_allow_service_so_no_local_path_leaks(kg, tmp_path):
    # Issue 15: Oxigraph sends the base along with every SERVICE request, and the base was the
    # query file's or the working directory's URL; with --allow-service there is no base.
    path = tmp_path / "relative.rq"
    path.write_text("SELECT ?iri WHERE { BIND(<other.ttl> AS ?iri) }\n", encoding="utf-8")
    result = kg("query", "--allow-service", "-f", str(path), "--format", "csv")
    assert result.exit_code == 2, result.output
    assert "<other.ttl> is a relative IRI" in result.output
    assert str(tmp_path) not in result.output
    with_base = kg("query", "--allow-service", "--format", "csv",
                   "BASE <https://example.org/> SELECT ?iri WHERE { BIND(<a> AS ?iri) }")
    assert with_base.stdout.splitlines()[1] == "https://example.org/a"


def test_an_unknown_function_is_refused_cleanly(kg):
    result = kg("query", "PREFIX ex: <http://example.org/> SELECT (ex:nothing(1) AS ?x) WHERE {}")
    assert result.exit_code == 2
    assert "An unknown function stops a query" in result.stderr
    assert "Traceback" not in result.output


# Issue 15, finding 18: triple terms came out as literals in SPARQL JSON and without <<( )>> in TSV


TRIPLE_TERM_QUERY = ('SELECT ?t ?d WHERE { BIND(<<( kz:a kz:b <<( kz:c kz:d "x"@en--rtl )>> )>> AS ?t) '
                     'BIND("y"@ar--rtl AS ?d) }')


@pytest.mark.parametrize("fmt, results_format", [("json", "JSON"), ("xml", "XML"), ("tsv", "TSV")])
def test_triple_terms_and_directions_read_back_as_they_were_in_sparql_results(kg, fmt, results_format):
    import pyoxigraph

    result = kg("query", "--format", fmt, TRIPLE_TERM_QUERY)
    assert result.exit_code == 0, result.output
    read = list(pyoxigraph.parse_query_results(result.stdout.encode("utf-8"),
                                               format=getattr(pyoxigraph.QueryResultsFormat, results_format)))
    expected = list(pyoxigraph.Store().query(TRIPLE_TERM_QUERY, prefixes=dict(PREFIXES)))
    assert [(row["t"], row["d"]) for row in read] == [(row["t"], row["d"]) for row in expected]


def test_triple_terms_show_as_triple_terms_in_tsv_csv_and_tables(kg):
    tsv = kg("query", "--format", "tsv", TRIPLE_TERM_QUERY).stdout.splitlines()[1]
    assert tsv.startswith("<<( <https://w3id.org/kzkg/id/a> <https://w3id.org/kzkg/id/b> <<( ")
    assert tsv.endswith('"x"@en--rtl )>> )>>\t"y"@ar--rtl')
    table = kg("query", "--format", "table", TRIPLE_TERM_QUERY).stdout.splitlines()[2]
    assert table.startswith('<<( kz:a kz:b <<( kz:c kz:d "x"@en--rtl )>> )>>')
    csv_line = kg("query", "--format", "csv", TRIPLE_TERM_QUERY).stdout.splitlines()[1]
    assert csv_line.startswith('"<<( <https://w3id.org/kzkg/id/a>')


def test_triple_terms_in_json_ld_are_refused_in_one_line(kg):
    result = kg("query", "--format", "jsonld", "CONSTRUCT { kz:a kz:b <<( kz:c kz:d 1 )>> } WHERE {}")
    assert result.exit_code == 2
    assert "JSON-LD has no way to write a triple term" in result.output and "Traceback" not in result.output
