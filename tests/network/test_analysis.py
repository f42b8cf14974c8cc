"""``kg neighbors``, ``kg path``, ``kg rank``, ``kg communities`` and
``kg timeline`` on the real data; expectations are computed from the graph."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import RDF, URIRef

from kg.network.analysis import pagerank, undirected
from kg.facts.entities import entities, label, local_name
from kg.core.namespaces import KZ, KZO
from tests.helpers.rdflib_network import build_network

COMMANDS = ("neighbors", "path", "rank", "communities", "timeline")


@pytest.fixture(scope="module")
def graph(built_graph):
    return built_graph


@pytest.fixture(scope="module")
def links(graph):
    """Entity pairs linked by at least one statement, computed straight from the statements."""
    known = set(entities(graph))
    pairs: dict[str, set[str]] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        subject, obj = graph.value(statement, RDF.subject), graph.value(statement, RDF.object)
        if subject in known and obj in known and subject != obj:
            pairs.setdefault(local_name(subject), set()).add(local_name(obj))
            pairs.setdefault(local_name(obj), set()).add(local_name(subject))
    return pairs


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_neighbors_lists_every_directly_linked_entity(kg, links):
    rows = _json(kg("neighbors", "Kazakhstan", "--format", "json"))
    assert {row["entity"] for row in rows} == {f"kz:{name}" for name in links["Kazakhstan"]}
    assert all(row["depth"] == 1 for row in rows)
    un = next(row for row in rows if row["entity"] == "kz:UN")
    assert "Kazakhstan memberOf UN" in un["via"].split("; ")


def test_neighbors_at_depth_two_reach_the_neighbours_of_neighbours(kg, links):
    rows = _json(kg("neighbors", "Russia", "--depth", "2", "--format", "json"))
    first = {name for name in links["Russia"]}
    second = {n for name in first for n in links.get(name, ())} - first - {"Russia"}
    assert {row["entity"] for row in rows if row["depth"] == 1} == {f"kz:{n}" for n in first}
    assert {row["entity"] for row in rows if row["depth"] == 2} == {f"kz:{n}" for n in second}


def test_entities_are_found_by_iri_local_name_and_any_label(kg, graph):
    by_name = kg("neighbors", "Russia", "--format", "csv").stdout
    assert by_name
    for other in ("https://w3id.org/kzkg/id/Russia", "kz:Russia", label(graph, KZ.Russia, "kk"), label(graph, KZ.Russia, "ru")):
        assert kg("neighbors", other, "--format", "csv").stdout == by_name


def test_an_unknown_entity_is_a_one_line_error(kg):
    result = kg("path", "Russia", "Atlantis-Nowhere")
    assert result.exit_code == 2
    assert "no entity matches 'Atlantis-Nowhere'" in result.stderr
    assert "Traceback" not in result.output


def _text(kg, file_name: str) -> str:
    return (kg.paths.texts / file_name).read_text(encoding="utf-8")


def test_path_gives_each_hop_with_its_evidence(kg, graph):
    rows = _json(kg("path", "Russia", "Treaty-1992-05-25-KZ-RU", "--format", "json"))
    treaty = label(graph, KZ["Treaty-1992-05-25-KZ-RU"], "en")
    assert {row["hop"] for row in rows} == {1}  # Russia signed it: one hop
    signed = [row for row in rows if (row["subject"], row["relation"], row["object"]) == ("Russia", "signed", treaty)]
    assert signed and signed[0]["date"] == "1992-05-25"
    for row in rows:  # each quote is copied exactly from its source text
        assert row["quote"] and row["quote"] in _text(kg, row["source"])


def test_path_between_two_states_is_a_chain_of_facts(kg, graph, links):
    rows = _json(kg("path", "Russia", "China", "--format", "json"))
    assert rows
    hops = max(int(row["hop"]) for row in rows)
    # The shortest chain is as long as a breadth-first search from the statements says.
    expected = nx.shortest_path_length(nx.Graph([(a, b) for a in links for b in links[a]]), "Russia", "China")
    assert hops == expected
    for path in {row["path"] for row in rows}:
        first = [row for row in rows if row["path"] == path and row["hop"] == 1]
        assert any("Russia" in (row["subject"], row["object"]) for row in first)


def test_path_avoids_the_entities_it_is_told_to(kg, graph):
    rows = _json(kg("path", "Russia", "China", "--format", "json"))
    middle = {row["subject"] for row in rows} | {row["object"] for row in rows}
    avoided = sorted(middle - {"Russia", "China"})[0]
    result = kg("path", "Russia", "China", "--avoid", avoided, "--format", "json")
    if result.exit_code == 1:  # a legitimate answer: nothing else links them
        assert "no chain of facts links" in result.stderr
    else:
        rows = _json(result)
        assert all(avoided not in (row["subject"], row["object"]) for row in rows)


def test_path_exits_1_when_nothing_links_the_two(kg_fresh):
    # An entity with no facts at all: no path can reach it.
    (kg_fresh.paths.seeds / "entities" / "zz-isolated.ttl").write_text(
        "@prefix kz: <https://w3id.org/kzkg/id/> .\n@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kz:Atlantis a kzo:Person ; rdfs:label "Atlantis"@en , "Атлантида"@kk .\n',
        encoding="utf-8",
    )
    assert kg_fresh("build").exit_code == 0
    result = kg_fresh("path", "Atlantis", "Russia")
    assert result.exit_code == 1
    assert result.stderr == "Error: no chain of facts links Atlantis and Russia\n"


def test_rank_by_degree_counts_distinct_linked_entities(kg, links):
    rows = _json(kg("rank", "--top", "5", "--format", "json"))
    assert [int(row["rank"]) for row in rows] == [1, 2, 3, 4, 5]
    for row in rows:
        assert int(row["linked_entities"]) == len(links[row["entity"].removeprefix("kz:")])
    assert rows[0]["linked_entities"] == max(len(v) for v in links.values())
    degrees = [int(row["linked_entities"]) for row in rows]
    assert degrees == sorted(degrees, reverse=True)


def test_rank_by_class_keeps_only_that_class_with_subclasses(kg, graph):
    rows = _json(kg("rank", "--class", "Treaty", "--top", "1000", "--format", "json"))
    treaties = {f"kz:{local_name(t)}" for t in graph.subjects(RDF.type, KZO.Treaty) if isinstance(t, URIRef)}
    assert {row["entity"] for row in rows} == treaties  # declarations and protocols included


def test_rank_by_betweenness_matches_networkx(kg, graph):
    rows = _json(kg("rank", "--by", "betweenness", "--class", "State", "--top", "5", "--format", "json"))
    expected = nx.betweenness_centrality(undirected(build_network(graph)))
    for row in rows:
        assert row["betweenness"] == f"{expected[row['entity'].removeprefix('kz:')]:.4f}"
        assert (KZ[row["entity"].removeprefix("kz:")], RDF.type, KZO.State) in graph


def test_pagerank_matches_networkx_reference_implementation(graph):
    reference = pytest.importorskip("networkx.algorithms.link_analysis.pagerank_alg")
    if not hasattr(reference, "_pagerank_python"):
        pytest.skip("networkx no longer ships its pure-Python PageRank")
    links = undirected(build_network(graph))
    ours = pagerank(links)
    theirs = reference._pagerank_python(links, weight="weight", tol=1e-12, max_iter=1000)
    assert max(abs(ours[node] - theirs[node]) for node in links) < 1e-9
    assert abs(sum(ours.values()) - 1) < 1e-9


def test_rank_rejects_an_unknown_class(kg):
    result = kg("rank", "--class", "Planet")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no class 'Planet' (choose from ")


def test_communities_are_disjoint_groups_of_states_and_organizations(kg, graph):
    rows = _json(kg("communities", "--format", "json"))
    assert rows
    actors = {label(graph, e, "en") for cls in (KZO.State, KZO.InternationalOrganization) for e in graph.subjects(RDF.type, cls)}
    seen: list[str] = []
    for row in rows:
        members = row["members"].split(", ")
        assert int(row["shown"]) >= 2
        assert int(row["entities"]) >= int(row["shown"])
        seen.extend(members)
    assert len(seen) == len(set(seen))
    # Labels may hold ", " themselves, so check containment on the joined text.
    assert all(any(actor in row["members"] for actor in actors) for row in rows)


def test_communities_are_the_same_every_run(kg):
    assert kg("communities", "--format", "csv").stdout == kg("communities", "--format", "csv").stdout


def test_timeline_is_in_date_order_with_evidence(kg):
    rows = list(csv.DictReader(io.StringIO(kg("timeline", "--format", "csv").stdout)))
    assert rows
    firsts = [(row["date"] or row["end"])[:4] for row in rows]
    assert firsts == sorted(firsts)
    assert all(row["quote"] or row["source"] for row in rows)


def test_timeline_of_an_entity_holds_its_dated_facts(kg, graph):
    rows = _json(kg("timeline", "--entity", "Russia", "--format", "json"))
    treaty = label(graph, KZ["Treaty-1992-05-25-KZ-RU"], "en")
    assert {"date": "1992-05-25", "subject": "Russia", "relation": "signed", "object": treaty}.items() <= next(
        row for row in rows if row["object"] == treaty and row["subject"] == "Russia"
    ).items()
    assert all("Russia" in (row["subject"], row["object"]) for row in rows)
    assert kg("timeline", "--entity", label(graph, KZ.Russia, "kk"), "--format", "json").stdout == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def test_table_output_keeps_one_line_per_row(kg):
    result = kg("timeline", "--format", "table")
    rows = list(csv.DictReader(io.StringIO(kg("timeline", "--format", "csv").stdout)))
    assert len(result.stdout.splitlines()) == len(rows) + 2  # header and rule


@pytest.mark.parametrize("command", COMMANDS)
def test_every_analysis_command_has_help_with_an_example(kg, command):
    result = kg(command, "--help")
    assert result.exit_code == 0
    assert f"kg {command} " in result.output


def test_timeline_counts_show_the_diplomatic_relations_growing_as_a_series(kg):
    rows = list(csv.DictReader(io.StringIO(kg("timeline", "--property", "diplomaticRelationsCount", "--format", "csv").stdout)))
    points = [(row["year"], row["count"], row["source"]) for row in rows]
    # 001 «олардын 105 – імен …» (about 1996), 003 «… саны 120-ға жетті» (about 2003), 000 «138 мемлекетпен» (2011)
    assert ("1996", "105", "001_c575254485e987ed.txt") in points
    assert ("2003", "120", "003_8c1d28d887a3004f.txt") in points
    assert ("2011", "138", "000_478a5c079113c2cd.txt") in points
    assert [p[0] for p in points] == sorted(p[0] for p in points)
    assert all(row["quote"] and row["year from"] == "period of the source (curators' estimate)" for row in rows)
    assert {row["series"] for row in rows} == {"diplomatic relations (number of states)"}


def test_timeline_counts_answer_like_the_bundled_query(kg):
    series = list(csv.DictReader(io.StringIO(kg("timeline", "--counts", "--format", "csv").stdout)))
    bundled = list(csv.DictReader(io.StringIO(kg("query", "--name", "cq-44-count-series", "--format", "csv").stdout)))
    assert sorted((r["year"], r["count"], r["quote"]) for r in series) == sorted((r["year"], r["count"], r["quote"]) for r in bundled)
    assert {row["series"] for row in series} >= {"embassies and missions abroad (number)", "memberships in organizations (number)"}


def test_timeline_counts_of_an_unknown_property_lists_the_counts(kg):
    result = kg("timeline", "--property", "embassies")
    assert result.exit_code == 2
    assert "no count property is named 'embassies'; the counts are: diplomaticRelationsCount" in result.stderr
    assert "Traceback" not in result.stderr
