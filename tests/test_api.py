"""The Python API: ``kg.load()`` and its methods, on the session's built copy of the data."""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import pytest
import rdflib

import kg as kg_package
from kg.api import EntityCard, KnowledgeGraph
from kg.core.errors import EntityNotFound, QueryError
from kg.render.records import FACT_COLUMNS, NODE_COLUMNS


@pytest.fixture(scope="module")
def graph(built_data) -> KnowledgeGraph:
    return kg_package.load(built_data.root)


def test_load_without_arguments_uses_the_data_paths_rule(monkeypatch, built_data):
    monkeypatch.setenv("KG_DATA", str(built_data.root))
    assert kg_package.load().paths.root == built_data.root


def test_select_gives_rows_of_plain_python_values(graph):
    rows = graph.query("SELECT ?code ?org WHERE { kz:Russia kzo:iso3166Alpha3 ?code OPTIONAL { kz:Russia kzo:nothing ?org } }")
    assert rows == [{"code": "RUS", "org": None}]
    assert all(type(value) is str for value in graph.query("SELECT ?s WHERE { ?s a kzo:State } LIMIT 3")[0].values())


def test_numbers_come_back_as_numbers(graph):
    (row,) = graph.query("SELECT (COUNT(*) AS ?n) (1.5 AS ?d) (2.5e0 AS ?f) (true AS ?b) WHERE { ?s kzo:fileName ?file }")
    assert row == {"n": 5, "d": Decimal("1.5"), "f": 2.5, "b": True}
    assert type(row["n"]) is int


def test_ask_gives_a_bool_and_construct_an_rdflib_graph(graph):
    assert graph.query("ASK { kz:Kazakhstan kzo:memberOf kz:UN }") is True
    assert graph.query("ASK { kz:Kazakhstan kzo:memberOf kz:Atlantis }") is False
    constructed = graph.query("CONSTRUCT { kz:Russia rdfs:label ?l } WHERE { kz:Russia rdfs:label ?l }")
    assert isinstance(constructed, rdflib.Graph) and len(constructed) == 3


@pytest.mark.parametrize("text, refused", [
    ("INSERT DATA { kz:a kz:b kz:c }", "SPARQL Update"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
])
def test_updates_and_fetching_are_refused_as_by_kg_query(graph, text, refused):
    with pytest.raises(QueryError, match=refused):
        graph.query(text)


def test_to_rdflib_is_the_whole_export(graph, built_data):
    exported = rdflib.Graph().parse(built_data.turtle_export)
    assert len(graph.to_rdflib()) == len(exported)
    assert graph.to_rdflib() is not graph.to_rdflib()  # a copy: changing it changes nothing here


def test_to_networkx_has_labels_and_evidence_on_edges(graph):
    network = graph.to_networkx()
    assert isinstance(network, nx.MultiDiGraph)
    assert network.nodes["Russia"]["label_kk"] == "Ресей"
    edges = [data for _, target, data in network.out_edges("Kazakhstan", data=True) if target == "UN" and data["relation"] == "memberOf"]
    assert edges and edges[0]["evidence"] and any(item.quote for item in edges[0]["evidence"])


def test_facts_are_one_record_per_fact_and_source(graph):
    facts = graph.facts()
    statements = graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a rdf:Statement }")[0]["n"]
    assert len(facts) == statements
    assert all(list(record) == FACT_COLUMNS for record in facts)
    texts = [r for r in facts if r["evidence"] == "text"]
    references = [r for r in facts if r["evidence"] == "reference"]
    assert texts and all(r["quote"] and r["source_file"] for r in texts)
    assert references and all(not r["quote"] and r["citation"] and r["address"].startswith("http") for r in references)


def test_facts_labels_follow_the_language(graph):
    russia = next(r for r in graph.facts("kk") if r["subject"] == "https://w3id.org/kzkg/id/Russia")
    assert russia["subject_label"] == "Ресей"
    assert russia["subject_iso3166"] == "RUS" and russia["subject_class"].endswith("#State")


def test_entity_is_found_by_a_kazakh_word_form_and_prints_the_card(graph, kg):
    card = graph.entity("Ресеймен")
    assert isinstance(card, EntityCard)
    assert card.iri == "https://w3id.org/kzkg/id/Russia" and card.label == "Russia"
    assert str(card) == kg("show", "Russia").output


def test_unknown_entity_raises_with_suggestions(graph):
    with pytest.raises(EntityNotFound, match="did you mean"):
        graph.entity("Rusia")


def test_facts_frame_keeps_dates_as_iso_strings_with_their_precision(graph):
    frame = graph.facts_frame()
    assert list(frame.columns) == FACT_COLUMNS
    dated = frame[frame["date"] != ""]
    assert len(dated) > 0
    assert dated["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert set(dated["date_precision"]) <= {"day", "month", "year"} and "year" in set(dated["date_precision"])
    assert list(graph.nodes_frame().columns) == NODE_COLUMNS


def test_facts_frame_without_pandas_says_how_to_install_it(graph, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(kg_package.api.KGError, match=r"pip install 'kazakhstan-kg\[pandas\]'"):
        graph.facts_frame()


def test_version_is_the_release_and_the_package_metadata():
    from importlib.metadata import version

    assert kg_package.__version__ == version("kazakhstan-kg")
