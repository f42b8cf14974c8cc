"""The export describes itself as published Linked Data does (VoID, DCAT), asked in SPARQL.

Every figure it states is checked against the graph it describes, and the
ontology carries the annotations of a published vocabulary.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from rdflib import Graph

import kg as kg_package
from kg.core.paths import REPO_ROOT
from kg.core.release import RELEASE_DATE, VERSION
from kg.data.describe import DATASET_IRI, DUMP_BASE, DUMPS, LOCAL_SPARQL_ENDPOINT, RDF_DUMPS

DATASET = f"<{DATASET_IRI}>"


@pytest.fixture(scope="module")
def graph(built_data):
    return kg_package.load(built_data.root)


def one(graph, query: str):
    rows = graph.query(query)
    assert len(rows) == 1, rows
    return rows[0]


def test_the_dataset_is_a_void_and_dcat_dataset(graph):
    assert graph.query(f"ASK {{ {DATASET} a void:Dataset , dcat:Dataset }}")


def test_void_triples_is_the_number_of_triples_in_the_export(graph, built_data):
    stated = one(graph, f"SELECT ?n WHERE {{ {DATASET} void:triples ?n }}")["n"]
    counted = one(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"]
    assert stated == counted == len(Graph().parse(built_data.turtle_export))


def test_void_entities_and_class_partitions_count_what_is_there(graph):
    stated = one(graph, f"SELECT ?n WHERE {{ {DATASET} void:entities ?n }}")["n"]
    counted = one(graph, 'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR(kz:))) }')["n"]
    assert stated == counted
    partitions = graph.query(f"""SELECT ?class ?n WHERE {{ {DATASET} void:classPartition [ void:class ?class ; void:entities ?n ] }}""")
    assert len(partitions) > 10
    for row in partitions:
        assert row["n"] == one(graph, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{row['class']}> FILTER(STRSTARTS(STR(?s), STR(kz:))) }}")["n"]
    states = [row for row in partitions if row["class"].endswith("#State")]
    assert states[0]["n"] == len(graph.query("SELECT ?s WHERE { ?s kzo:iso3166Alpha3|kzo:iso3166Part3Code ?code }"))


def test_title_and_description_in_english_kazakh_and_russian(graph):
    for prop in ("dcterms:title", "dcterms:description"):
        languages = {row["l"] for row in graph.query(f"SELECT (LANG(?v) AS ?l) WHERE {{ {DATASET} {prop} ?v }}")}
        assert languages == {"en", "kk", "ru"}


def test_licence_creator_version_and_dates_come_from_the_release(graph):
    row = one(graph, f"""SELECT ?license ?name ?version ?issued ?modified WHERE {{
        {DATASET} dcterms:license ?license ; dcterms:creator/foaf:name ?name ; owl:versionInfo ?version ;
                  dcat:version ?version ; dcterms:issued ?issued ; dcterms:modified ?modified }}""")
    assert row["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert row["name"] == "The kazakhstan-kg contributors"
    assert row["version"] == VERSION == kg_package.__version__
    assert row["issued"] == row["modified"] == RELEASE_DATE
    assert graph.query(f'ASK {{ {DATASET} dcterms:issued ?d FILTER(DATATYPE(?d) = xsd:date) }}')


def test_example_resources_are_entities_of_the_graph(graph):
    examples = graph.query(f"SELECT ?e WHERE {{ {DATASET} void:exampleResource ?e }}")
    assert len(examples) >= 3
    for row in examples:
        assert graph.query(f"ASK {{ <{row['e']}> rdfs:label ?l ; a ?class }}")


def test_the_vocabulary_is_the_ontology(graph):
    assert graph.query(f"ASK {{ {DATASET} void:vocabulary ?o . ?o a owl:Ontology }}")


def test_every_export_file_is_a_distribution_and_every_rdf_one_a_data_dump(graph, built_data):
    downloads = {row["url"] for row in graph.query(f"SELECT ?url WHERE {{ {DATASET} dcat:distribution/dcat:downloadURL ?url }}")}
    assert downloads == {DUMP_BASE + name for name, *_ in DUMPS}
    for name, *_ in DUMPS:
        assert (built_data.exports / name).is_file(), f"{name} is described but kg build did not write it"
    dumps = {row["d"] for row in graph.query(f"SELECT ?d WHERE {{ {DATASET} void:dataDump ?d }}")}
    assert dumps == {DUMP_BASE + name for name in RDF_DUMPS}


def test_the_endpoint_is_described_as_local(graph):
    row = one(graph, f"SELECT ?e ?title WHERE {{ {DATASET} void:sparqlEndpoint ?e . ?e dcterms:title ?title }}")
    assert row["e"] == LOCAL_SPARQL_ENDPOINT and "local only" in row["title"]


def test_the_package_version_is_the_release_version():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["version"]["path"] == "kg/core/release.py"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", RELEASE_DATE)


# --- the ontology as a published vocabulary -------------------------------------


def test_the_ontology_has_a_version_iri_that_follows_its_version(graph):
    row = one(graph, "SELECT ?info ?iri WHERE { ?o a owl:Ontology ; owl:versionInfo ?info ; owl:versionIRI ?iri }")
    assert row["info"] == VERSION
    assert row["iri"] == f"https://w3id.org/kzkg/ontology/{VERSION}"


def test_the_ontology_says_its_preferred_prefix(graph):
    row = one(graph, "SELECT ?p ?u WHERE { ?o a owl:Ontology ; vann:preferredNamespacePrefix ?p ; vann:preferredNamespaceUri ?u }")
    assert row == {"p": "kzo", "u": "https://w3id.org/kzkg/ontology#"}


def test_every_term_is_defined_by_the_ontology(graph):
    undefined = graph.query("""SELECT ?term WHERE {
        { ?term a owl:Class } UNION { ?term a owl:ObjectProperty } UNION { ?term a owl:DatatypeProperty }
        UNION { ?term a owl:AnnotationProperty }
        FILTER(STRSTARTS(STR(?term), STR(kzo:)))
        FILTER NOT EXISTS { ?term rdfs:isDefinedBy <https://w3id.org/kzkg/ontology> } }""")
    assert undefined == []


# --- the w3id redirect rules ------------------------------------------------------


def test_w3id_rules_cover_every_kind_of_identifier():
    rules = (REPO_ROOT / "docs" / "w3id" / ".htaccess").read_text(encoding="utf-8")
    patterns = re.findall(r"^RewriteRule (\S+) (\S+) \[([^\]]+)\]$", rules, re.MULTILINE)
    assert {pattern for pattern, _, _ in patterns} == {
        r"^ontology$", r"^ontology/([0-9]+\.[0-9]+\.[0-9]+)$", r"^id/([^/.]+)$", r"^exports/(.+)$", r"^$"}
    assert all(target.startswith("https://HOST/") for _, target, _ in patterns)
    assert all(flags.startswith(("R=303", "R=302")) for _, _, flags in patterns)
    # Content negotiation: each identifier has an RDF rule before its catch-all for browsers.
    for identifier in (r"^ontology$", r"^id/", r"^$"):
        kinds = [target for pattern, target, _ in patterns if pattern.startswith(identifier) and pattern != r"^ontology/([0-9]+\.[0-9]+\.[0-9]+)$"]
        assert any(target.endswith((".ttl", ".jsonld")) for target in kinds[:-1])
        assert not kinds[-1].endswith((".ttl", ".jsonld")), identifier


def test_committed_w3id_rules_are_what_the_generator_writes():
    from kg.serve.site import W3ID_PLACEHOLDER, w3id_rules

    committed = (REPO_ROOT / "docs" / "w3id" / ".htaccess").read_text(encoding="utf-8")
    assert committed == w3id_rules(W3ID_PLACEHOLDER), (
        "docs/w3id/.htaccess differs from kg.serve.site.w3id_rules; rewrite it with: python -c "
        "\"from kg.serve.site import w3id_rules, W3ID_PLACEHOLDER; print(w3id_rules(W3ID_PLACEHOLDER), end='')\" "
        "> docs/w3id/.htaccess")
