"""The Oxigraph pipeline (``kg build --engine oxigraph``) against the rdflib one.

The large-data pipeline must give the same graph, the same verdicts and the
same error messages as the rdflib pipeline; these tests hold it to that on the
real data and on broken copies of it.
"""

from __future__ import annotations

import os

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import to_isomorphic

from kg.data import store as oxgraph
from kg.data.graph import load_graph
from kg.data.load import _to_rdflib

PREFIXES = "@prefix kz: <https://w3id.org/kzkg/id/> .\n@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"


def _as_rdflib(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(tuple(_to_rdflib(term) for term in (triple.subject, triple.predicate, triple.object)))
    return graph


@pytest.mark.parametrize("per_file_graphs", [True, False])
def test_store_holds_the_rdflib_pipelines_graph(built_data, per_file_graphs):
    store = oxgraph.load_store(built_data, per_file_graphs=per_file_graphs)
    added = oxgraph.materialize_store(store)
    full = load_graph(built_data).full
    assert added > 0
    assert to_isomorphic(_as_rdflib(oxgraph.exported_triples(store))) == to_isomorphic(full)


def test_oxigraph_build_writes_the_same_graph_deterministically(kg_fresh):
    rdflib_export = Graph().parse(kg_fresh.paths.turtle_export)  # the committed export, built by rdflib
    first = kg_fresh("build", "--engine", "oxigraph")
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in kg_fresh.paths.exports.iterdir()) == ["README.md", "kazakhstan.ttl"]
    written = kg_fresh.paths.turtle_export.read_bytes()
    assert to_isomorphic(Graph().parse(data=written, format="turtle")) == to_isomorphic(rdflib_export)
    assert kg_fresh("build", "--engine", "oxigraph").exit_code == 0
    assert kg_fresh.paths.turtle_export.read_bytes() == written
    # kg query answers from it as from the rdflib build.
    count = kg_fresh("query", "-F", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.output.split() == ["n", str(len(rdflib_export))]


def test_auto_engine_switches_above_the_size_limit(kg_fresh, monkeypatch):
    monkeypatch.setattr(oxgraph, "LARGE_SEEDS_BYTES", 1000)
    result = kg_fresh("build")
    assert result.exit_code == 0, result.output
    assert "Oxigraph pipeline" in (kg_fresh.paths.exports / "README.md").read_text()
    built = kg_fresh.paths.turtle_export.read_bytes()
    exported = kg_fresh("export", "turtle")
    assert exported.stdout_bytes == built
    assert kg_fresh("validate").output.startswith("OK: the data conforms (")


def test_validation_failure_writes_nothing(kg_fresh):
    before = kg_fresh.paths.turtle_export.read_bytes()
    (kg_fresh.paths.seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan kzo:memberOf kz:Atlantis .\n")
    result = kg_fresh("build", "--engine", "oxigraph")
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert kg_fresh.paths.turtle_export.read_bytes() == before


def _write_bad_utf8(seeds):
    (seeds / "facts" / "zz.ttl").write_bytes(PREFIXES.encode() + b'kz:Kazakhstan kzo:note "\xff\xfe" .\n')


def _write_syntax_error(seeds):
    (seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan kzo:note \"x\" ;\n kzo:note .\n")


def _write_relative_iri(seeds):
    (seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan kzo:memberOf <UN> .\n")


def _write_undefined_prefix(seeds):
    (seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan foo:bar kz:UN .\n")


def _make_directory(seeds):
    (seeds / "facts" / "zz.ttl").mkdir()


def _make_fifo(seeds):
    os.mkfifo(seeds / "facts" / "zz.ttl")


def _unknown_term(seeds):
    (seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan kzo:notAProperty kz:UN .\n")


@pytest.mark.parametrize(
    "breakage",
    [_write_bad_utf8, _write_syntax_error, _write_relative_iri, _write_undefined_prefix, _make_directory, _make_fifo, _unknown_term],
)
def test_both_engines_report_input_faults_alike(kg_fresh, breakage):
    breakage(kg_fresh.paths.seeds)
    by_rdflib = kg_fresh("validate", "--engine", "rdflib")
    by_oxigraph = kg_fresh("validate", "--engine", "oxigraph")
    assert by_rdflib.exit_code in (1, 2)
    assert (by_oxigraph.exit_code, by_oxigraph.output) == (by_rdflib.exit_code, by_rdflib.output)
    assert "Traceback" not in by_oxigraph.output


def test_blank_nodes_get_stable_names(tmp_path):
    """Parsing names blank nodes at random; the store renames them by position."""
    from tests.conftest import copy_data

    paths = copy_data(tmp_path / "data")
    (paths.seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan kzo:note [ kzo:note \"x\" ] .\n")
    dumps = set()
    for _ in range(2):
        store = oxgraph.load_store(paths, per_file_graphs=False)
        dumps.add(store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(oxgraph.SEEDS_GRAPH)))
    assert len(dumps) == 1
    assert b"_:f" in dumps.pop()
