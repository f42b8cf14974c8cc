"""``kg export FORMAT``: every format loads back into the graph it came from,
and the same data always gives the same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.facts.entities import label
from kg.render.exports import FORMAT_SUFFIXES, gexf_network, graphml_network
from kg.core.namespaces import KZ, KZO, PREFIXES
from tests.helpers.rdflib_network import build_network
from tests.helpers.rdflib_records import fact_records

RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def graph(built_graph):
    return built_graph


@pytest.fixture(scope="module")
def exported(kg, tmp_path_factory):
    """Every format, written once with ``kg export FORMAT -o FILE``."""
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt, suffix in FORMAT_SUFFIXES.items():
        target = folder / f"kazakhstan{suffix}"
        result = kg("export", fmt, "-o", str(target))
        assert result.exit_code == 0, result.output
        assert f"wrote {target}" in result.stderr
        files[fmt] = target.read_bytes()
    return files


def _assert_isomorphic(loaded: Graph, expected: Graph) -> None:
    if not isomorphic(loaded, expected):
        _, only_loaded, only_expected = graph_diff(to_isomorphic(loaded), to_isomorphic(expected))
        raise AssertionError(
            "round trip changed the graph\nonly in the export:\n"
            + only_loaded.serialize(format="nt")[:2000]
            + "\nonly in the built graph:\n"
            + only_expected.serialize(format="nt")[:2000]
        )


@pytest.mark.parametrize("fmt", list(RDFLIB_FORMATS))
def test_rdf_export_loads_back_into_the_built_graph(exported, graph, fmt):
    loaded = Graph().parse(data=exported[fmt], format=RDFLIB_FORMATS[fmt])
    assert len(loaded) == len(graph)
    _assert_isomorphic(loaded, graph)


def test_turtle_keeps_the_spelling_of_decimals(exported, graph):
    # rdflib writes "22"^^xsd:decimal as 22.0, which loads back as another literal.
    from rdflib.namespace import XSD

    decimals = {o for o in graph.objects() if isinstance(o, Literal) and o.datatype == XSD.decimal}
    assert decimals, "the data has shares in percent, typed xsd:decimal"
    loaded = Graph().parse(data=exported["turtle"], format="turtle")
    assert decimals <= {o for o in loaded.objects() if isinstance(o, Literal)}


def test_without_output_the_export_goes_to_stdout(kg, exported):
    result = kg("export", "nt")
    assert result.exit_code == 0
    assert result.stdout_bytes == exported["nt"]
    assert result.stderr == ""


def test_exports_are_byte_identical_from_run_to_run(kg, exported):
    for fmt in ("jsonld", "gexf"):
        assert kg("export", fmt).stdout_bytes == exported[fmt]


def test_exports_do_not_depend_on_the_python_hash_seed(kg, exported):
    # rdflib's own JSON-LD and RDF/XML writers follow set order, which changes
    # with the hash seed: a second process with another seed must agree.
    script = (
        "import sys, hashlib\n"
        "from kg.render.exports import FORMAT_SUFFIXES, export_bytes\n"
        "from kg.data.graph import load_graph\n"
        "from kg.core.paths import data_paths\n"
        "from kg.network.store import network_from_store\n"
        "built = load_graph(data_paths(sys.argv[1]))\n"
        "network = network_from_store(built.store)\n"
        "for fmt in FORMAT_SUFFIXES: print(fmt, hashlib.sha256(export_bytes(fmt, built, network)).hexdigest())\n"
    )
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    output = subprocess.run([sys.executable, "-c", script, str(kg.paths.root)], env=env, capture_output=True, text=True, check=True).stdout
    expected = "".join(f"{fmt} {hashlib.sha256(exported[fmt]).hexdigest()}\n" for fmt in FORMAT_SUFFIXES)
    assert output == expected


def test_jsonld_context_maps_the_contract_prefixes(exported):
    document = json.loads(exported["jsonld"])
    context = document["@context"]
    assert {prefix: context[prefix] for prefix in PREFIXES} == PREFIXES
    assert context["@vocab"] == PREFIXES["kzo"]
    ids = {node["@id"] for node in document["@graph"]}
    assert {"kz:Kazakhstan", "kz:UN", "kzo:memberOf"} <= ids
    kazakhstan = next(node for node in document["@graph"] if node["@id"] == "kz:Kazakhstan")
    assert "kz:UN" in kazakhstan["memberOf"]  # coerced to an IRI by the context


def test_graphml_loads_back_with_networkx(exported, graph):
    loaded = nx.read_graphml(io.BytesIO(exported["graphml"]), force_multigraph=True)
    expected = graphml_network(build_network(graph))
    assert dict(loaded.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(loaded.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    member = [d for u, v, d in loaded.edges(data=True) if (u, v, d["relation"]) == ("Kazakhstan", "UN", "memberOf")]
    assert member and member[0]["start"] == "1992-03-02" and member[0]["quotes"]


def test_graphml_key_ids_are_unique(exported):
    # Named key ids gave node and edge "label_kk" the same XML id: valid for
    # networkx, a duplicate ID for stricter GraphML readers.
    root = ET.fromstring(exported["graphml"])
    ids = [key.get("id") for key in root.iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert ids and len(ids) == len(set(ids))


def _open_spells(data: dict) -> dict:
    # networkx's reader gives an open end of a spell as the string "None".
    if "spells" in data:
        data = {**data, "spells": [tuple(None if bound == "None" else bound for bound in spell) for spell in data["spells"]]}
    return data


def _gexf_edges(network):
    # networkx's reader adds each edge's id as an attribute too.
    return sorted((u, v, k, _open_spells({a: b for a, b in d.items() if a != "id"})) for u, v, k, d in network.edges(keys=True, data=True))


def test_gexf_loads_back_with_networkx(exported, graph):
    loaded = nx.read_gexf(io.BytesIO(exported["gexf"]))
    expected = gexf_network(build_network(graph))
    assert loaded.graph["mode"] == "dynamic"
    assert {n: _open_spells(d) for n, d in loaded.nodes(data=True)} == dict(expected.nodes(data=True))
    assert _gexf_edges(loaded) == _gexf_edges(expected)


def test_gexf_is_dynamic_1_3_with_dated_edges(exported):
    root = ET.fromstring(exported["gexf"])
    namespace = {"g": "http://gexf.net/1.3"}
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    graph_element = root.find("g:graph", namespace)
    assert graph_element.get("mode") == "dynamic" and graph_element.get("timeformat") == "date"
    edges = {(e.get("source"), e.get("kind"), e.get("target")): e for e in graph_element.iterfind("g:edges/g:edge", namespace)}

    def spells(key):
        return [(s.get("start"), s.get("end")) for s in edges[key].iterfind("g:spells/g:spell", namespace)]

    assert ("1992-05-25", None) in spells(("Kazakhstan", "signed", "Treaty-1992-05-25-KZ-RU"))
    assert ("1992-05-25", None) in spells(("Russia", "signed", "Treaty-1992-05-25-KZ-RU"))
    assert ("1992-03-02", None) in spells(("Kazakhstan", "memberOf", "UN"))  # still a member: open interval
    for edge in edges.values():  # every time bound is an xsd:date Gephi can read
        for bound in [edge.get("start"), edge.get("end")] + [s.get(k) for s in edge.iterfind("g:spells/g:spell", namespace) for k in ("start", "end")]:
            assert bound is None or (len(bound) == 10 and bound[4] == "-" and bound[7] == "-")


def test_csv_parses_back_to_the_fact_rows(exported, graph):
    rows = list(csv.DictReader(io.StringIO(exported["csv"].decode("utf-8"))))
    assert rows == fact_records(graph, "en")
    member = [r for r in rows if (r["subject"], r["predicate"], r["object"]) == (str(KZ.Kazakhstan), str(KZO.memberOf), str(KZ.UN))]
    texts = [r for r in member if r["evidence"] == "text"]
    assert texts and all(r["quote"] and r["source"].startswith(PREFIXES["kz"] + "source-") for r in texts)
    assert any(r["start_date"] == "1992-03-02" and r["start_date_precision"] == "day" for r in member)


def test_csv_has_one_row_per_statement(exported, graph):
    from rdflib import RDF

    rows = list(csv.DictReader(io.StringIO(exported["csv"].decode("utf-8"))))
    assert len(rows) == len(set(graph.subjects(RDF.type, RDF.Statement)))
    for row in rows:
        assert row["subject_label"] == label(graph, URIRef(row["subject"]), "en")


def test_csv_labels_follow_lang(kg, graph):
    result = kg("export", "csv", "--lang", "kk")
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"))))
    kazakhstan = [r for r in rows if r["subject"] == str(KZ.Kazakhstan)]
    assert kazakhstan and {r["subject_label"] for r in kazakhstan} == {label(graph, KZ.Kazakhstan, "kk")}


def test_build_writes_the_exchange_exports(kg, exported):
    paths = kg.paths
    assert paths.jsonld_export.read_bytes() == exported["jsonld"]
    assert paths.graphml_export.read_bytes() == exported["graphml"]
    assert paths.csv_export.read_bytes() == exported["csv"]
    assert paths.gexf_export.read_bytes() == exported["gexf"]
    assert paths.turtle_export.read_bytes() == exported["turtle"]


def test_export_to_a_missing_directory_is_a_one_line_error(kg, tmp_path):
    result = kg("export", "csv", "-o", str(tmp_path / "no-such-dir" / "facts.csv"))
    assert result.exit_code == 2
    assert "parent directory" in result.stderr and "Traceback" not in result.output


def test_every_export_command_has_help_with_an_example(kg):
    for fmt in FORMAT_SUFFIXES:
        result = kg("export", fmt, "--help")
        assert result.exit_code == 0
        assert f"kg export {fmt}" in result.output
