"""Each export loads in the tool it is for: JSON-LD as JSON and as RDF, CSV in pandas
with its CSVW metadata, GEXF valid against the GEXF 1.3 schema with a timeline."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import xmlschema
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.render.exports import CSV_COLUMN_DESCRIPTIONS
from kg.render.records import FACT_COLUMNS, NODE_COLUMNS

GEXF_SCHEMA = Path(__file__).parent.parent / "data" / "gexf-1.3" / "gexf.xsd"
GEXF = "{http://gexf.net/1.3}"
VIZ = "http://gexf.net/1.3/viz"


@pytest.fixture(scope="module")
def exports(built_data) -> Path:
    return built_data.exports


@pytest.fixture(scope="module")
def full(built_graph):
    return built_graph


# --- JSON-LD ----------------------------------------------------------------


def test_jsonld_loads_back_into_the_same_graph(exports, full):
    loaded = Graph().parse(exports / "kazakhstan.jsonld", format="json-ld")
    assert isomorphic(loaded, full)


def test_jsonld_reads_like_json(exports):
    document = json.loads((exports / "kazakhstan.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert context["@vocab"] == "https://w3id.org/kzkg/ontology#"
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["memberOf"] == {"@id": "kzo:memberOf", "@type": "@id"}
    russia = next(node for node in document["@graph"] if node["@id"] == "kz:Russia")
    assert russia["@type"] == "State"
    assert russia["label"] == {"en": "Russia", "kk": "Ресей", "ru": "Россия"}
    assert russia["iso3166Alpha3"] == "RUS"
    kazakhstan = next(node for node in document["@graph"] if node["@id"] == "kz:Kazakhstan")
    assert "kz:UN" in kazakhstan["memberOf"]


# --- CSV and CSVW -------------------------------------------------------------


def test_csv_dates_parse_in_pandas_without_format_hints(exports):
    facts = pd.read_csv(exports / "kazakhstan.csv", parse_dates=["date", "start_date", "end_date"], dtype={"count": "Int64"})
    for column in ("date", "start_date", "end_date"):
        assert pd.api.types.is_datetime64_any_dtype(facts[column]), column
    raw = pd.read_csv(exports / "kazakhstan.csv", dtype=str, keep_default_na=False)
    for column in ("date", "start_date", "end_date"):
        written = raw[column] != ""
        assert written.sum() > 0
        assert facts.loc[written, column].notna().all(), f"a {column} became NaT"
        assert set(raw.loc[written, f"{column}_precision"]) <= {"day", "month", "year"}
    years = raw[raw["date_precision"] == "year"]
    assert len(years) and years["date"].str.endswith("-01-01").all()


def test_csv_uses_full_iris_for_every_identifier(exports):
    rows = list(csv.DictReader((exports / "kazakhstan.csv").open(encoding="utf-8")))
    for row in rows:
        for column in ("statement", "subject", "predicate", "source", "subject_class"):
            assert row[column].startswith("https://"), (column, row[column])
        assert row["object"].startswith("https://") == bool(row["object_class"]) or row["object"].startswith("http")
    nodes = list(csv.DictReader((exports / "kazakhstan-nodes.csv").open(encoding="utf-8")))
    assert all(node["id"].startswith("https://w3id.org/kzkg/id/") and node["class"].startswith("https://") for node in nodes)
    assert {row["subject"] for row in rows} <= {node["id"] for node in nodes}


def test_csv_has_class_iso_and_evidence_columns(exports):
    facts = pd.read_csv(exports / "kazakhstan.csv", dtype=str, keep_default_na=False)
    russia = facts[facts["subject"] == "https://w3id.org/kzkg/id/Russia"]
    assert set(russia["subject_iso3166"]) == {"RUS"}
    assert set(facts["evidence"]) == {"text", "reference"}
    references = facts[facts["evidence"] == "reference"]
    assert (references["quote"] == "").all() and (references["citation"] != "").all()
    nodes = pd.read_csv(exports / "kazakhstan-nodes.csv", dtype=str, keep_default_na=False)
    assert nodes.set_index("id").loc["https://w3id.org/kzkg/id/Russia", "iso3166"] == "RUS"
    assert nodes["id"].is_unique


def test_csvw_metadata_describes_every_column_of_both_tables(exports):
    metadata = json.loads((exports / "kazakhstan.csv-metadata.json").read_text(encoding="utf-8"))
    assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"
    tables = {table["url"]: table for table in metadata["tables"]}
    assert set(tables) == {"kazakhstan.csv", "kazakhstan-nodes.csv"}
    for url, columns in (("kazakhstan.csv", FACT_COLUMNS), ("kazakhstan-nodes.csv", NODE_COLUMNS)):
        header = next(csv.reader((exports / url).open(encoding="utf-8")))
        described = [column["name"] for column in tables[url]["tableSchema"]["columns"]]
        assert header == described == columns
        for column in tables[url]["tableSchema"]["columns"]:
            assert column["datatype"] in {"anyURI", "string", "date", "decimal", "integer"}
            assert column["dc:description"] == CSV_COLUMN_DESCRIPTIONS[column["name"]][1]
    date_columns = [c for c in tables["kazakhstan.csv"]["tableSchema"]["columns"] if c["datatype"] == "date"]
    assert [c["name"] for c in date_columns] == ["date", "start_date", "end_date"]


# --- GEXF -----------------------------------------------------------------------


def _without_viz(root: ET.Element) -> ET.Element:
    """The document minus its viz: elements.

    The GEXF 1.3 XSD as published (converted from the RELAX NG grammar)
    declares color, position and size in the gexf namespace instead of the
    viz namespace, so the <viz:color> the primer and Gephi write cannot
    validate against it; everything else is validated as is, and the colours
    are checked against viz.xsd's ranges below.
    """
    for parent in root.iter():
        for child in list(parent):
            if child.tag.startswith(f"{{{VIZ}}}"):
                parent.remove(child)
    return root


@pytest.fixture(scope="module")
def gexf_root(exports) -> ET.Element:
    return ET.parse(exports / "kazakhstan.gexf").getroot()


def test_gexf_is_valid_against_the_gexf_1_3_schema(exports):
    schema = xmlschema.XMLSchema(GEXF_SCHEMA)
    root = _without_viz(ET.parse(exports / "kazakhstan.gexf").getroot())
    errors = list(schema.iter_errors(root))
    assert not errors, str(errors[0])[:2000]


def test_gexf_colours_fit_the_viz_schema(gexf_root):
    colours = list(gexf_root.iter(f"{{{VIZ}}}color"))
    assert colours
    for colour in colours:
        assert all(0 <= int(colour.get(channel)) <= 255 for channel in "rgb")
        assert 0.0 <= float(colour.get("a")) <= 1.0


def test_gexf_has_one_spell_per_dated_claim(gexf_root, full):
    statements_with_dates = {
        str(row.statement) for row in full.query(
            "SELECT ?statement WHERE { ?statement a rdf:Statement ; rdf:object ?o . FILTER(isIRI(?o)) "
            "?statement rdf:subject ?s . FILTER EXISTS { ?statement kzo:date|kzo:startDate|kzo:endDate ?d } }")
    }
    edge_spells = 0
    for edge in gexf_root.iter(f"{GEXF}edge"):
        spells = edge.findall(f"{GEXF}spells/{GEXF}spell")
        edge_spells += len(spells)
        assert "start" not in edge.attrib and "end" not in edge.attrib
    # Facts whose object is an entity and whose statement is dated: one spell each.
    assert edge_spells == len(statements_with_dates)


def test_gexf_nodes_have_spells_and_several_claims_stay_apart(gexf_root):
    nodes_with_spells = [node for node in gexf_root.iter(f"{GEXF}node") if node.find(f"{GEXF}spells") is not None]
    assert nodes_with_spells
    several = [edge for edge in gexf_root.iter(f"{GEXF}edge") if len(edge.findall(f"{GEXF}spells/{GEXF}spell")) > 1]
    assert several, "no fact with two dated claims: the test data should have some (the test site's closure)"


def test_gexf_reads_back_in_networkx_as_a_dynamic_graph(exports):
    graph = nx.read_gexf(exports / "kazakhstan.gexf")
    assert graph.graph["mode"] == "dynamic"
    assert any("spells" in data for *_, data in graph.edges(data=True))
