"""Network questions over the entity graph: neighbours, paths, centrality,
communities, and the facts in date order.

Every function takes the materialized graph and the network view built from
it (``kg.network.build_network``) and returns a ``Table`` that
``kg.report.render_rows`` prints. Paths, ranks and communities treat a fact
as a link in both directions: "what connects Russia and China" does not care
who signed what with whom first.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from rdflib import OWL, RDF, Graph, URIRef

from .entities import local_name
from .errors import KGError
from .namespaces import KZO_IRI

#: Centrality measures ``rank`` knows.
MEASURES = ("degree", "betweenness", "pagerank")

#: What ``communities`` lists by default: the actors, not treaties or places.
ACTOR_CLASSES = ("State", "InternationalOrganization")

#: Louvain is randomized; a fixed seed gives the same communities every run.
COMMUNITY_SEED = 7

#: Enough shortest paths to sort and choose from, without enumerating a hub's thousands.
MAX_PATHS_CONSIDERED = 1000


class NoPath(KGError):
    """Two entities that no chain of facts connects: the answer is "no" (exit 1)."""

    exit_code = 1


@dataclass
class Table:
    """Rows ready for ``render_rows``."""

    headers: list[str]
    rows: list[list]


def node_label(network, node: str, lang: str = "en") -> str:
    """The entity's label in ``lang``, falling back to en, kk, ru, then its local name."""
    attributes = network.nodes[node]
    for choice in (lang, "en", "kk", "ru"):
        if attributes.get(f"label_{choice}"):
            return attributes[f"label_{choice}"]
    return node


def undirected(network):
    """One link per pair of linked entities, weighted by the number of facts between them."""
    import networkx as nx

    links = nx.Graph()
    links.add_nodes_from(network.nodes)
    for source, target in network.edges():
        if source != target:
            weight = links.get_edge_data(source, target, {}).get("weight", 0)
            links.add_edge(source, target, weight=weight + 1)
    return links


def _facts_between(network, first: str, second: str) -> list[tuple[str, str, str, dict]]:
    """Every fact linking the two entities, in either direction, sorted."""
    facts = []
    for source, target in ((first, second), (second, first)):
        for relation, attributes in (network.get_edge_data(source, target) or {}).items():
            facts.append((source, relation, target, attributes))
    return sorted(facts, key=lambda fact: fact[:3])


def neighbors(network, entity: URIRef, depth: int = 1, lang: str = "en") -> Table:
    """Entities within ``depth`` links of ``entity``, nearest first, with the facts that reach them."""
    import networkx as nx

    start = local_name(entity)
    links = undirected(network)
    distances = nx.single_source_shortest_path_length(links, start, cutoff=depth)
    rows = []
    for node, distance in sorted(distances.items(), key=lambda item: (item[1], item[0])):
        if distance == 0:
            continue
        previous = [p for p in links[node] if distances.get(p) == distance - 1]
        via = [f"{s} {r} {t}" for p in sorted(previous) for s, r, t, _ in _facts_between(network, p, node)]
        rows.append([distance, f"kz:{node}", node_label(network, node, lang), network.nodes[node]["class"], "; ".join(via)])
    return Table(["depth", "entity", "label", "class", "via"], rows)


def shortest_paths(network, source: URIRef, target: URIRef, avoid=(), limit: int = 5, lang: str = "en") -> Table:
    """The shortest chains of facts from ``source`` to ``target``, one row per hop and evidence.

    ``avoid`` lists entities the chains may not pass through (Kazakhstan,
    say, which every text links to everything). Raises NoPath when none is left.
    """
    import networkx as nx

    first, last = local_name(source), local_name(target)
    if first == last:
        raise KGError("give two different entities")
    links = undirected(network)
    skipped = {local_name(entity) for entity in avoid}
    if skipped & {first, last}:
        raise KGError("an entity to avoid cannot be an end of the path")
    links.remove_nodes_from(skipped)
    try:
        found = sorted(islice(nx.all_shortest_paths(links, first, last), MAX_PATHS_CONSIDERED))
    except nx.NetworkXNoPath:
        raise NoPath(f"no chain of facts links {first} and {last}" + (f" without {', '.join(sorted(skipped))}" if skipped else "")) from None
    rows = []
    for number, path in enumerate(found[:limit], start=1):
        for hop, (here, there) in enumerate(zip(path, path[1:]), start=1):
            for subject, relation, obj, attributes in _facts_between(network, here, there):
                for evidence in attributes.get("evidence", []):
                    rows.append([
                        number, hop, node_label(network, subject, lang), relation, node_label(network, obj, lang),
                        evidence.date, evidence.source, evidence.quote, evidence.quote_english,
                    ])
    return Table(["path", "hop", "subject", "relation", "object", "date", "source", "quote", "quote_english"], rows)


def class_iri(graph: Graph, name: str) -> URIRef:
    """The kzo: class called ``name`` (``State``, ``kzo:Treaty``, case ignored)."""
    wanted = name.removeprefix("kzo:").casefold()
    classes = sorted(c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and str(c).startswith(KZO_IRI))
    for cls in classes:
        if local_name(cls).casefold() == wanted:
            return cls
    raise KGError(f"no class {name!r} (choose from {', '.join(local_name(c) for c in classes)})")


def _members(graph: Graph, network, cls: URIRef) -> set[str]:
    # The graph is materialized, so a Declaration is typed a Treaty too.
    return {local_name(e) for e in graph.subjects(RDF.type, cls) if isinstance(e, URIRef)} & set(network.nodes)


def pagerank(links, alpha: float = 0.85, tolerance: float = 1e-12, max_iterations: int = 1000) -> dict[str, float]:
    """PageRank of a weighted undirected graph, by power iteration.

    The same algorithm and defaults as ``networkx.pagerank``, which needs
    SciPy; this needs nothing (the graph has hundreds of nodes, not millions).
    """
    nodes = list(links)
    if not nodes:
        return {}
    count = len(nodes)
    strength = {node: sum(d.get("weight", 1) for d in links[node].values()) for node in nodes}
    rank = dict.fromkeys(nodes, 1.0 / count)
    for _ in range(max_iterations):
        dangling = alpha * sum(rank[node] for node in nodes if not strength[node]) / count
        updated = dict.fromkeys(nodes, (1.0 - alpha) / count + dangling)
        for node in nodes:
            if strength[node]:
                share = alpha * rank[node] / strength[node]
                for neighbour, data in links[node].items():
                    updated[neighbour] += share * data.get("weight", 1)
        change = sum(abs(updated[node] - rank[node]) for node in nodes)
        rank = updated
        if change < count * tolerance:
            break
    return rank


def centrality(network, by: str = "degree") -> dict[str, float]:
    """Each entity's score: distinct entities linked (degree), betweenness, or PageRank."""
    import networkx as nx

    links = undirected(network)
    if by == "degree":
        return {node: links.degree(node) for node in links}
    if by == "betweenness":
        return nx.betweenness_centrality(links)
    if by == "pagerank":
        return pagerank(links)
    raise KGError(f"unknown measure {by!r} (choose from {', '.join(MEASURES)})")


def rank(graph: Graph, network, by: str = "degree", cls: str | None = None, top: int = 10, lang: str = "en") -> Table:
    """The ``top`` entities by ``by``, optionally only those of class ``cls``."""
    scores = centrality(network, by)
    candidates = _members(graph, network, class_iri(graph, cls)) if cls else set(network.nodes)
    # Rounded before sorting, so float noise never reorders a tie; ties go by name.
    ordered = sorted(candidates, key=lambda node: (-round(scores[node], 9), node))[:top]
    links = undirected(network)
    rows = []
    for position, node in enumerate(ordered, start=1):
        score = [] if by == "degree" else [f"{scores[node]:.4f}"]  # degree is linked_entities already
        rows.append([position, f"kz:{node}", node_label(network, node, lang), network.nodes[node]["class"], *score,
                     links.degree(node), network.degree(node)])
    headers = ["rank", "entity", "label", "class"] + ([] if by == "degree" else [by]) + ["linked_entities", "facts"]
    return Table(headers, rows)


def communities(graph: Graph, network, classes=ACTOR_CLASSES, min_members: int = 2, lang: str = "en") -> Table:
    """Groups of closely linked entities (Louvain, fixed seed), listed by their members of ``classes``.

    Communities are found on the whole network, where treaties, events and
    people link the states; a group is shown when at least ``min_members``
    of its members belong to ``classes``.
    """
    import networkx as nx

    links = undirected(network)
    groups = nx.community.louvain_communities(links, weight="weight", seed=COMMUNITY_SEED)
    shown_classes = set()
    for name in classes:
        shown_classes |= _members(graph, network, class_iri(graph, name))
    listed = []
    for group in groups:
        members = sorted(group & shown_classes, key=lambda node: (node_label(network, node, lang).casefold(), node))
        if len(members) >= max(min_members, 1):
            listed.append((members, len(group)))
    listed.sort(key=lambda item: (-len(item[0]), -item[1], item[0]))
    rows = [
        [number, size, len(members), ", ".join(node_label(network, node, lang) for node in members)]
        for number, (members, size) in enumerate(listed, start=1)
    ]
    return Table(["community", "entities", "shown", "members"], rows)


def timeline(graph: Graph, entity: URIRef | None = None, lang: str = "en") -> Table:
    """Every dated statement in date order (then by fact), with its evidence."""
    from .exports import compact_iri, fact_rows
    from .network import date_bounds

    def first_day(row) -> str:
        value = (row.date or row.start_date or row.end_date).split(" | ")[0]
        return date_bounds(value)[0] or value

    rows = [row for row in fact_rows(graph, lang) if row.date or row.start_date or row.end_date]
    if entity is not None:
        name = compact_iri(str(entity))
        rows = [row for row in rows if name in (row.subject, row.object)]
    rows.sort(key=lambda row: (first_day(row), row.subject, row.predicate, row.object, row.statement))
    return Table(
        ["date", "end", "subject", "relation", "object", "source", "quote", "quote_english"],
        [
            [row.date or row.start_date, row.end_date, row.subject_label, row.predicate.removeprefix("kzo:"),
             row.object_label, row.source_file or row.source, row.quote, row.quote_english]
            for row in rows
        ],
    )
