"""``kg build``'s pipeline in Oxigraph, against rdflib's reading of the same files.

The one pipeline must give the graph, the verdicts and the error messages the
rdflib second opinion (tests/helpers) gives; these tests hold it to that on
the real data and on broken copies of it.
"""

from __future__ import annotations

import os

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic

from kg.data import store as oxgraph
from kg.core.errors import DataError
from kg.data.load import to_rdflib
from tests.helpers.data import copy_data
from tests.helpers.rdflib_checks import find_problems
from tests.helpers.rdflib_load import rdflib_pipeline

PREFIXES = "@prefix kz: <https://w3id.org/kzkg/id/> .\n@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"


def _as_rdflib(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(tuple(to_rdflib(term) for term in (triple.subject, triple.predicate, triple.object)))
    return graph


@pytest.mark.parametrize("per_file_graphs", [True, False])
def test_store_holds_the_rdflib_pipelines_graph(built_data, rdflib_reading, per_file_graphs):
    store = oxgraph.load_store(built_data, per_file_graphs=per_file_graphs)
    added = oxgraph.materialize_store(store)
    _, full = rdflib_reading
    assert added > 0
    assert to_isomorphic(_as_rdflib(oxgraph.exported_triples(store))) == to_isomorphic(full)


def _without_description(graph: Graph) -> Graph:
    """The graph minus the dataset's VoID/DCAT description, which kg.data.describe adds (the rdflib oracle has none)."""
    from kg.data.describe import DATASET_IRI, LOCAL_SPARQL_ENDPOINT

    for subject in {s for s in graph.subjects() if str(s) == DATASET_IRI or str(s).startswith(DATASET_IRI + "#")}:
        graph.remove((subject, None, None))
    graph.remove((URIRef(LOCAL_SPARQL_ENDPOINT), None, None))
    return graph


def test_build_writes_the_same_graph_deterministically(kg, rdflib_reading):
    # The session's build (tests/conftest.py); that a second build writes the same bytes is
    # tests/test_build.py's test_build_twice_gives_byte_identical_exports.
    _, rdflib_export = rdflib_reading
    written = kg.paths.turtle_export.read_bytes()
    loaded = Graph().parse(data=written, format="turtle")
    described = len(loaded)
    assert to_isomorphic(_without_description(loaded)) == to_isomorphic(rdflib_export)
    # kg query answers from it as from the rdflib build, with the description.
    count = kg("query", "-F", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.output.split() == ["n", str(described)]


def test_above_the_render_limit_the_build_writes_turtle_only(kg_fresh, monkeypatch):
    import kg.build

    monkeypatch.setattr(kg.build, "RENDER_LIMIT_TRIPLES", 1000)
    result = kg_fresh("build")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in kg_fresh.paths.exports.iterdir()) == ["README.md", "kazakhstan.ttl"]
    assert "wrote `kazakhstan.ttl`" in (kg_fresh.paths.exports / "README.md").read_text()
    built = kg_fresh.paths.turtle_export.read_bytes()
    exported = kg_fresh("export", "turtle")
    assert exported.stdout_bytes == built
    assert kg_fresh("validate").output.startswith("OK: the data conforms (")


def test_validation_failure_writes_nothing(kg_fresh):
    before = kg_fresh.paths.turtle_export.read_bytes()
    (kg_fresh.paths.seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan kzo:memberOf kz:Atlantis .\n")
    result = kg_fresh("build")
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
def test_input_faults_are_reported_as_rdflib_reports_them(kg_fresh, breakage):
    breakage(kg_fresh.paths.seeds)
    try:
        problems = find_problems(*rdflib_pipeline(kg_fresh.paths))
        expected = (1, "".join(f"{problem}\n" for problem in problems)
                    + f"Error: {len(problems)} validation problem(s); nothing was written.\n")
    except DataError as error:
        expected = (2, f"Error: {error}\n")
    result = kg_fresh("validate")
    assert expected[0] in (1, 2)
    assert (result.exit_code, result.output) == expected
    assert "Traceback" not in result.output


def test_blank_nodes_get_stable_names(tmp_path):
    """Parsing names blank nodes at random; the store renames them by position."""
    paths = copy_data(tmp_path / "data")
    (paths.seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan kzo:note [ kzo:note \"x\" ] .\n")
    dumps = set()
    for _ in range(2):
        store = oxgraph.load_store(paths, per_file_graphs=False)
        dumps.add(store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(oxgraph.SEEDS_GRAPH)))
    assert len(dumps) == 1
    assert b"_:f" in dumps.pop()
