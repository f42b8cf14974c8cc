"""Network questions over the entity graph: neighbours, paths, centrality,
communities (``kg timeline`` is ``kg.render.records.timeline``).

Every function takes the network view (``the rdflib oracle's build_network (tests/helpers/rdflib_network.py)``, or
``kg.network.store.network_from_store`` for large data) and, where it filters by
class, an ``EntityClasses`` (``GraphClasses`` over the materialized rdflib
graph, ``kg.network.store.StoreClasses`` over the query store), and returns a
``Table`` that ``kg.render.tables.render_rows`` prints; only ``GraphClasses``, which
reads the rdflib graph, imports rdflib. Paths, ranks and
communities treat a fact as a link in both directions: "what connects Russia
and China" does not care who signed what with whom first.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from kg.facts.entities import local_name
from kg.core.errors import KGError
from kg.core.prefixes import KZO_IRI

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

#: Centrality measures ``rank`` knows.
MEASURES = ("degree", "betweenness", "pagerank")

#: What ``communities`` lists by default: the actors, not treaties or places.
ACTOR_CLASSES = ("State", "InternationalOrganization")

#: Louvain is randomized; a fixed seed gives the same communities every run.
COMMUNITY_SEED = 7

#: Betweenness from every entity costs about nodes x edges: past this many
#: entities ``rank --by betweenness`` samples ``BETWEENNESS_SAMPLE`` sources
#: unless told otherwise (the curated graph, a few hundred, stays exact).
BETWEENNESS_EXACT_LIMIT = 2000
BETWEENNESS_SAMPLE = 200
#: Sampled betweenness picks its sources at random; a fixed seed gives the same ranks every run.
BETWEENNESS_SEED = 7

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

    # Counted in a dict first (a pair keeps the direction it was first seen in,
    # so the links come out in the same order as adding them one by one):
    # at a million triples this is several times faster than updating the Graph.
    # Read off the adjacency, a pair of entities at a time (the facts between them counted
    # with len), in the order network.edges() gives them: a third of the time at a million.
    weights: dict[tuple[str, str], int] = {}
    for source, targets in network.adjacency():
        for target, facts in targets.items():
            if source != target:
                pair = (target, source) if (target, source) in weights else (source, target)
                weights[pair] = weights.get(pair, 0) + len(facts)
    links = nx.Graph()
    links.add_nodes_from(network.nodes)
    links.add_weighted_edges_from((source, target, weight) for (source, target), weight in weights.items())
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


def find_paths(network, source: URIRef, target: URIRef, avoid=(), limit: int = 5) -> list[list[str]]:
    """The first ``limit`` shortest chains (node names) from ``source`` to ``target``, in sort order.

    Needs only the links (no evidence); ``path_table`` then prints them from a
    network that has the evidence of at least the entities on them. Raises
    NoPath when none is left.
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
    return found[:limit]


def path_table(network, paths: list[list[str]], lang: str = "en") -> Table:
    """One row per hop and evidence of each of ``paths``, from ``network`` (with evidence)."""
    rows = []
    for number, path in enumerate(paths, start=1):
        for hop, (here, there) in enumerate(zip(path, path[1:]), start=1):
            for subject, relation, obj, attributes in _facts_between(network, here, there):
                for evidence in attributes.get("evidence", []):
                    rows.append([
                        number, hop, node_label(network, subject, lang), relation, node_label(network, obj, lang),
                        evidence.date, evidence.source, evidence.quote, evidence.quote_english,
                    ])
    return Table(["path", "hop", "subject", "relation", "object", "date", "source", "quote", "quote_english"], rows)


class EntityClasses(Protocol):
    """The kzo: classes and which entities each holds, wherever the graph lives."""

    def classes(self) -> list[str]:
        """The IRIs of the kzo: owl:Class terms, sorted."""

    def members(self, cls: str) -> set[str]:
        """The IRIs of the entities typed ``cls`` (subclasses included: the graph is materialized)."""


class GraphClasses:
    """``EntityClasses`` over the materialized rdflib graph."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def classes(self) -> list[str]:
        from rdflib import OWL, RDF, URIRef

        found = self.graph.subjects(RDF.type, OWL.Class)
        return sorted(str(c) for c in found if isinstance(c, URIRef) and str(c).startswith(KZO_IRI))

    def members(self, cls: str) -> set[str]:
        from rdflib import RDF, URIRef

        return {str(e) for e in self.graph.subjects(RDF.type, URIRef(cls)) if isinstance(e, URIRef)}


def _entity_classes(classes) -> EntityClasses:
    # An rdflib Graph is accepted where EntityClasses is expected, as before.
    return classes if hasattr(classes, "members") else GraphClasses(classes)


def class_iri(classes, name: str) -> str:
    """The kzo: class called ``name`` (``State``, ``kzo:Treaty``, case ignored)."""
    wanted = name.removeprefix("kzo:").casefold()
    known = _entity_classes(classes).classes()
    for cls in known:
        if local_name(cls).casefold() == wanted:
            return cls
    raise KGError(f"no class {name!r} (choose from {', '.join(local_name(c) for c in known)})")


def _members(classes, network, cls: str) -> set[str]:
    return {local_name(e) for e in _entity_classes(classes).members(cls)} & set(network.nodes)


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


def betweenness_sources(node_count: int, sample: int | None = None) -> int | None:
    """How many source entities betweenness starts from: None for all of them (exact).

    ``sample`` None chooses: exact up to BETWEENNESS_EXACT_LIMIT entities,
    else BETWEENNESS_SAMPLE; 0 asks for exact; a sample as large as the
    network is exact too.
    """
    if sample is None:
        sample = 0 if node_count <= BETWEENNESS_EXACT_LIMIT else BETWEENNESS_SAMPLE
    return sample if 0 < sample < node_count else None


def centrality(network, by: str = "degree", sample: int | None = None, links=None) -> dict[str, float]:
    """Each entity's score: distinct entities linked (degree), betweenness, or PageRank.

    Betweenness is estimated from ``betweenness_sources`` random sources
    (fixed seed) on large networks, as networkx does with ``k``. ``links``:
    ``undirected(network)``, when the caller has it already.
    """
    import networkx as nx

    links = undirected(network) if links is None else links
    if by == "degree":
        return {node: links.degree(node) for node in links}
    if by == "betweenness":
        sources = betweenness_sources(links.number_of_nodes(), sample)
        if sources is None:
            return nx.betweenness_centrality(links)
        return nx.betweenness_centrality(links, k=sources, seed=BETWEENNESS_SEED)
    if by == "pagerank":
        return pagerank(links)
    raise KGError(f"unknown measure {by!r} (choose from {', '.join(MEASURES)})")


def rank(classes, network, by: str = "degree", cls: str | None = None, top: int = 10, lang: str = "en",
         sample: int | None = None) -> Table:
    """The ``top`` entities by ``by``, optionally only those of class ``cls`` (``classes``: EntityClasses)."""
    links = undirected(network)
    scores = centrality(network, by, sample, links)
    candidates = _members(classes, network, class_iri(classes, cls)) if cls else set(network.nodes)
    # Rounded before sorting, so float noise never reorders a tie; ties go by name.
    ordered = sorted(candidates, key=lambda node: (-round(scores[node], 9), node))[:top]
    rows = []
    for position, node in enumerate(ordered, start=1):
        score = [] if by == "degree" else [f"{scores[node]:.4f}"]  # degree is linked_entities already
        rows.append([position, f"kz:{node}", node_label(network, node, lang), network.nodes[node]["class"], *score,
                     links.degree(node), network.degree(node)])
    headers = ["rank", "entity", "label", "class"] + ([] if by == "degree" else [by]) + ["linked_entities", "facts"]
    return Table(headers, rows)


def communities(entity_classes, network, classes=ACTOR_CLASSES, min_members: int = 2, lang: str = "en") -> Table:
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
        shown_classes |= _members(entity_classes, network, class_iri(entity_classes, name))
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

