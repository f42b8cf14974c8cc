"""The network read from the query store (kg/network/store.py) against the rdflib oracle.

Parity on the real data: the same nodes, edges, keys and attributes (in the
same order, which GraphML and the HTML page depend on), the same entity
resolution, and the same command output as the rdflib second opinion
(tests/helpers/rdflib_network.py) gives when the commands are pointed at it.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

import kg.network.store as storenet
import kg.render.html
from kg.cli import main
from kg.facts.entities import entities, local_name, resolve
from kg.core.errors import EntityNotFound
from tests.helpers.rdflib_network import build_network, rdflib_export_html, rdflib_load_network
from kg.core.paths import DataPaths
from kg.data.querystore import load_in_memory
from kg.network.store import (
    STALE_WARNING,
    focus_ball,
    network_from_store,
    resolve_in_network,
    resolve_in_store,
)

ALWAYS_LARGE = -1
NEVER_LARGE = 10**15


@pytest.fixture(scope="module")
def graph(built_graph):
    return built_graph


@pytest.fixture(scope="module")
def expected(graph):
    return build_network(graph)


@pytest.fixture(scope="module")
def store(built_data):
    return load_in_memory(built_data.turtle_export)


@pytest.fixture(scope="module")
def from_store(store):
    return network_from_store(store)


def _nodes(network):
    return [(node, list(attributes.items())) for node, attributes in network.nodes(data=True)]


def _edges(network):
    return [(s, t, k, list(attributes.items())) for s, t, k, attributes in network.edges(keys=True, data=True)]


# -- the network -----------------------------------------------------------------


def test_nodes_and_their_attributes_are_those_of_build_network(expected, from_store):
    assert _nodes(from_store) == _nodes(expected)


def test_edges_keys_and_evidence_are_those_of_build_network(expected, from_store):
    assert from_store.number_of_edges() == expected.number_of_edges() > 0
    for mine, theirs in zip(_edges(from_store), _edges(expected)):
        assert mine == theirs
    assert _edges(from_store) == _edges(expected)


def test_evidence_lists_hold_every_quote_and_note(expected, from_store):
    un = from_store.get_edge_data("Kazakhstan", "UN")["memberOf"]
    assert un["evidence"] == expected.get_edge_data("Kazakhstan", "UN")["memberOf"]["evidence"]
    # a quote from each text; the references outside the texts (ref-…) carry none
    assert all(item.quote for item in un["evidence"] if not item.source.startswith("ref-"))
    assert any(item.source.startswith("ref-") and not item.quote for item in un["evidence"])


def test_without_evidence_only_the_evidence_lists_are_left_out(store, expected):
    lean = network_from_store(store, evidence=False)
    assert _nodes(lean) == _nodes(expected)
    stripped = [(s, t, k, [(name, value) for name, value in attributes if name != "evidence"])
                for s, t, k, attributes in _edges(expected)]
    assert _edges(lean) == stripped


def test_a_ball_around_an_entity_is_the_induced_part_of_the_network(store, expected):
    links = nx.Graph(expected.to_undirected(as_view=True))
    for depth in (0, 1, 2):
        around = set(nx.ego_graph(links, "Russia", radius=depth))
        ball = focus_ball(store, expected.nodes["Russia"]["iri"], depth)
        assert {local_name(iri) for iri in ball} == around
        part = network_from_store(store, entities=ball)
        induced = expected.subgraph(around)
        assert sorted(_nodes(part)) == sorted(_nodes(induced))
        assert sorted(_edges(part), key=lambda e: e[:3]) == sorted(_edges(induced), key=lambda e: e[:3])


def test_no_rdflib_is_imported_to_read_the_network(built_data):
    script = (
        "import sys\n"
        "from kg.data.querystore import load_in_memory\n"
        "from kg.network.store import network_from_store, resolve_in_network\n"
        f"network = network_from_store(load_in_memory(__import__('pathlib').Path({str(built_data.turtle_export)!r})))\n"
        "assert resolve_in_network(network, 'Ресей').endswith('/Russia')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rdflib'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- names -----------------------------------------------------------------------


def _names_to_try(graph) -> list[str]:
    from rdflib import RDFS
    from rdflib.namespace import SKOS

    names = ["Russia", "kz:Russia", "https://w3id.org/kzkg/id/Russia", "  ООН ", "шыұ", "Rusia", "Kazakstan", "Planet X",
             "kzo:State", "https://example.org/Russia", "", "kz:Rus sia", "Russia>", "kz:"]
    for entity in entities(graph)[::15]:
        names += [local_name(entity), str(entity), f"kz:{local_name(entity)}"]
        names += [str(label) for label in graph.objects(entity, RDFS.label)]  # en, kk and ru
        names += [str(alt) for alt in graph.objects(entity, SKOS.altLabel)]
    return names


@pytest.fixture(scope="module")
def resolved(graph) -> dict:
    """What rdflib's ``resolve`` answers for each name to try, worked out once for both readings:
    the IRI, or the error's message and suggestions."""
    answers = {}
    for name in _names_to_try(graph):
        try:
            answers[name] = str(resolve(graph, name))
        except EntityNotFound as error:
            answers[name] = (str(error), error.suggestions)
    return answers


@pytest.mark.parametrize("how", ["network", "store"])
def test_resolving_without_rdflib_finds_what_resolve_finds(resolved, store, from_store, how):
    find = (lambda name: resolve_in_network(from_store, name)) if how == "network" else (lambda name: resolve_in_store(store, name))
    assert len(resolved) > 50
    for name, wanted in resolved.items():
        if isinstance(wanted, tuple):
            with pytest.raises(EntityNotFound) as raised:
                find(name)
            assert (str(raised.value), raised.value.suggestions) == wanted, name
        else:
            assert find(name) == wanted, name


def test_an_unknown_name_gets_the_same_suggestions(from_store):
    with pytest.raises(EntityNotFound) as raised:
        resolve_in_network(from_store, "Rusia")
    assert "kz:Russia" in raised.value.suggestions


# -- the commands on the large-data path -------------------------------------------


@pytest.fixture(scope="module")
def large_data(built_data, tmp_path_factory) -> DataPaths:
    """A private copy of the built data (the large path writes its cache there)."""
    target = tmp_path_factory.mktemp("large") / "data"
    shutil.copytree(built_data.root, target, ignore=shutil.ignore_patterns(".kg-cache"))
    # Copies keep their times: make the export the newest file, as a build leaves it.
    os.utime(target / "exports" / "kazakhstan.ttl")
    return DataPaths(target)


def _run(paths: DataPaths, threshold: int, *args: str):
    """``kg`` on the store (ALWAYS_LARGE), or with the network commands pointed at the rdflib oracle (NEVER_LARGE)."""
    if threshold == ALWAYS_LARGE:
        return CliRunner().invoke(main, ["--data", str(paths.root), *args], catch_exceptions=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storenet, "load_network", rdflib_load_network)
        patch.setattr(kg.render.html, "html_from_store", lambda store, spec, whole=None: rdflib_export_html(paths, spec))
        return CliRunner().invoke(main, ["--data", str(paths.root), *args], catch_exceptions=False)


def _same_both_ways(paths: DataPaths, *args: str):
    small = _run(paths, NEVER_LARGE, *args)
    large = _run(paths, ALWAYS_LARGE, *args)
    assert small.exit_code == 0, small.output
    assert (large.exit_code, large.stdout, large.stderr) == (small.exit_code, small.stdout, small.stderr)
    return large


@pytest.mark.parametrize("args", [
    ("rank", "--format", "csv"),
    ("rank", "--by", "betweenness", "--class", "State", "--top", "5", "--format", "csv"),
    ("rank", "--by", "pagerank", "--class", "Treaty", "--top", "20", "--format", "json"),
    ("neighbors", "Ресей", "--depth", "2", "--format", "csv"),
    ("neighbors", "ШЫҰ", "--lang", "kk", "--format", "csv"),
    ("path", "Russia", "China", "--format", "csv"),
    ("path", "Belarus", "Kyrgyzstan", "--avoid", "Kazakhstan", "--format", "json"),
    ("communities", "--format", "csv"),
])
def test_analysis_commands_answer_the_same_from_the_store(large_data, args):
    result = _same_both_ways(large_data, *args)
    assert result.stdout.strip()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_are_the_same_bytes_from_the_store(large_data, tmp_path, fmt):
    small, large = tmp_path / f"small.{fmt}", tmp_path / f"large.{fmt}"
    assert _run(large_data, NEVER_LARGE, "export", fmt, "-o", str(small)).exit_code == 0
    assert _run(large_data, ALWAYS_LARGE, "export", fmt, "-o", str(large)).exit_code == 0
    assert large.read_bytes() == small.read_bytes()
    assert b"Kazakhstan" in large.read_bytes()


@pytest.mark.parametrize("args", [
    ("--focus", "Russia"),
    ("--focus", "Ресеймен", "--relation", "signed", "--lang", "ru"),
    ("--focus", "ШЫҰ", "--depth", "2", "--relation", "memberOf", "--since", "1995"),
    ("--relation", "memberOf", "--until", "2000"),
])
def test_html_views_are_the_same_page_from_the_store(large_data, tmp_path, args):
    small, large = tmp_path / "small.html", tmp_path / "large.html"
    assert _run(large_data, NEVER_LARGE, "export", "html", *args, "-o", str(small)).exit_code == 0
    assert _run(large_data, ALWAYS_LARGE, "export", "html", *args, "-o", str(large)).exit_code == 0
    assert large.read_text(encoding="utf-8") == small.read_text(encoding="utf-8")


def test_errors_read_the_same_from_the_store(large_data):
    for args in (("neighbors", "Rusia"), ("rank", "--class", "Planet"), ("export", "html", "--focus", "Atlantis")):
        small = _run(large_data, NEVER_LARGE, *args)
        large = _run(large_data, ALWAYS_LARGE, *args)
        assert (large.exit_code, large.stderr) == (small.exit_code, small.stderr) == (2, small.stderr)
        assert small.stderr.startswith("Error: no ")


def test_the_build_keeps_the_network_for_the_read_commands(large_data):
    assert _run(large_data, ALWAYS_LARGE, "build").exit_code == 0
    kept = sorted(large_data.cache.glob("network-*-links.json"))
    assert len(kept) == 1 and len(sorted(large_data.cache.glob("network-*-evidence.json"))) == 1
    first = _run(large_data, ALWAYS_LARGE, "rank", "--format", "csv")
    kept[0].write_bytes(b"not JSON")  # a damaged cache is read again from the store
    assert _run(large_data, ALWAYS_LARGE, "rank", "--format", "csv").stdout == first.stdout
    assert kept[0].read_bytes() == b"not JSON"  # a read command never writes the cache
    assert _run(large_data, ALWAYS_LARGE, "build").exit_code == 0
    assert kept[0].read_bytes() != b"not JSON"
    assert _run(large_data, ALWAYS_LARGE, "rank", "--format", "csv").stdout == first.stdout


def test_an_export_older_than_the_seeds_answers_with_one_warning(built_data, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(built_data.root, target, ignore=shutil.ignore_patterns(".kg-cache"))
    paths = DataPaths(target)
    export_time = paths.turtle_export.stat().st_mtime
    seed = paths.seed_files()[0]
    os.utime(seed, (export_time + 10, export_time + 10))
    result = _run(paths, ALWAYS_LARGE, "rank", "--top", "3", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == f"Warning: {STALE_WARNING}\n"
    assert len(result.stdout.splitlines()) == 4
    fresh = _run(paths, NEVER_LARGE, "rank", "--top", "3", "--format", "csv")
    assert fresh.stderr == "" and fresh.stdout == result.stdout  # no seed changed, only its time
    for args in (("export", "graphml"), ("export", "html", "--focus", "Russia"), ("path", "Russia", "China")):
        result = _run(paths, ALWAYS_LARGE, *args)
        assert result.exit_code == 0 and result.stderr == f"Warning: {STALE_WARNING}\n", args


def test_without_an_export_the_large_path_asks_for_a_build(built_data, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(built_data.root, target, ignore=shutil.ignore_patterns(".kg-cache", "exports"))
    for args in (("rank",), ("export", "graphml"), ("export", "html", "--focus", "Russia")):
        result = _run(DataPaths(target), ALWAYS_LARGE, *args)
        assert result.exit_code == 2
        assert "run `kg build` first" in result.stderr


# -- sampled betweenness ---------------------------------------------------------------


def test_betweenness_sample_is_networkx_with_k_sources_and_a_fixed_seed(kg, expected):
    from kg.network.analysis import BETWEENNESS_SEED, undirected

    result = kg("rank", "--by", "betweenness", "--sample", "40", "--top", "5", "--format", "csv")
    assert result.exit_code == 0
    links = undirected(expected)
    assert result.stderr == f"betweenness estimated from 40 of {links.number_of_nodes()} entities (--sample)\n"
    scores = nx.betweenness_centrality(links, k=40, seed=BETWEENNESS_SEED)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["betweenness"] for row in rows] == [f"{scores[r['entity'][3:]]:.4f}" for r in rows]
    top = sorted(scores, key=lambda node: (-round(scores[node], 9), node))[:5]
    assert [row["entity"] for row in rows] == [f"kz:{node}" for node in top]
    assert kg("rank", "--by", "betweenness", "--sample", "40", "--top", "5", "--format", "csv").stdout == result.stdout


def test_betweenness_is_exact_by_default_on_the_curated_graph(kg):
    exact = kg("rank", "--by", "betweenness", "--format", "csv")
    assert exact.stderr == ""
    assert kg("rank", "--by", "betweenness", "--sample", "0", "--format", "csv").stdout == exact.stdout
    assert kg("rank", "--by", "betweenness", "--sample", "100000", "--format", "csv").stdout == exact.stdout



@pytest.mark.parametrize("limit", ["BALL_READ_LIMIT", "_LISTED_OBJECTS_LIMIT"])
def test_a_large_neighbourhood_gives_the_same_page(large_data, tmp_path, monkeypatch, limit):
    # Past BALL_READ_LIMIT the view is cut from the whole network; past
    # _LISTED_OBJECTS_LIMIT the facts' objects are checked in Python.
    monkeypatch.setattr(kg.render.html if limit == "BALL_READ_LIMIT" else storenet, limit, 0)
    args = ("export", "html", "--focus", "Russia", "--depth", "2", "--relation", "signed")
    small, large = tmp_path / "small.html", tmp_path / "large.html"
    assert _run(large_data, NEVER_LARGE, *args, "-o", str(small)).exit_code == 0
    assert _run(large_data, ALWAYS_LARGE, *args, "-o", str(large)).exit_code == 0
    assert large.read_text(encoding="utf-8") == small.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [("--focus", "Kazakhstan", "--depth", "2"), ()])
def test_a_view_too_large_is_refused_the_same_way(large_data, monkeypatch, args):
    import kg.render.html

    monkeypatch.setattr(kg.render.html, "MAX_NODES", 20)
    small = _run(large_data, NEVER_LARGE, "export", "html", *args)
    large = _run(large_data, ALWAYS_LARGE, "export", "html", *args)
    assert (large.exit_code, large.stderr) == (small.exit_code, small.stderr) == (2, small.stderr)
    assert "more than 20" in small.stderr
