"""The interactive HTML view: one self-contained, offline page per view.

The page embeds vis-network (the copy shipped inside pyvis) and the graph
data inline, so it opens without any network access. Positions are computed
here with networkx from a fixed seed and physics is off: the page draws at
once and always opens the same way.

Data reaches the page only as JSON in a ``<script type="application/json">``
block, with ``<``, ``>`` and ``&`` escaped, and the page's script inserts it
with ``textContent``; the few data strings written into the HTML itself (the
``<title>``, the index page) go through ``html.escape``. A label holding
markup therefore shows as text. As a second line of defence the page's
Content-Security-Policy allows only its own two scripts, by hash: an inline
event handler that slipped through would still not run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from kg.facts.entities import label as entity_label
from kg.facts.entities import local_name
from kg.core.errors import KGError
from kg.core.prefixes import KZ_IRI, PREFIXES
from kg.data.load import new_graph, to_rdflib
from kg.network.store import _entity_types, _values, focus_ball, network_from_store, resolve_in_store
from kg.core.paths import TEXTS_DIR_NAME, quote_anchor, reading_page_name
from kg.render.palette import relation_styles, style_for

#: Colour and vis-network shape per contract class; each colour at least 3:1 against white (WCAG, graphics).
CLASS_STYLE = {
    "State": ("#4e79a7", "dot"),
    "InternationalOrganization": ("#c0660a", "diamond"),
    "Treaty": ("#4f8f45", "square"),
    "Event": ("#e15759", "triangle"),
    "Person": ("#b07aa1", "star"),
    "Initiative": ("#9a7400", "triangleDown"),
    "Company": ("#9c755f", "hexagon"),
    "Place": ("#3a8a84", "dot"),
    "NationalAct": ("#8f8a85", "square"),
    "Weapon": ("#555555", "triangle"),
    "StateGroup": ("#3b5b92", "hexagon"),
    "Topic": ("#7a5c99", "diamond"),
}
#: For a class added to the ontology after this table was written.
FALLBACK_CLASS_STYLE = ("#767676", "ellipse")
#: Classes drawn as an outline of their shape (white inside): State and Place are
#: both dots, Event and Weapon triangles, Treaty and NationalAct squares,
#: Company and StateGroup hexagons, InternationalOrganization and Topic
#: diamonds, and colour alone must not tell them apart.
HOLLOW_CLASSES = frozenset({"Place", "Weapon", "NationalAct", "StateGroup", "Topic"})

#: Largest network the page is allowed to hold; past it a browser stops being interactive.
MAX_NODES = 5000

#: Canvas labels longer than this are shortened (the tooltip keeps the full name).
MAX_LABEL_CHARS = 34

LANGUAGES = ("en", "kk", "ru")

#: The main view's title, per language.
MAIN_TITLE = {
    "en": "Kazakhstan's foreign relations",
    "kk": "Қазақстанның сыртқы байланыстары",
    "ru": "Внешние связи Казахстана",
}

#: "(depth N)" in a focused view's title, per language.
DEPTH_WORD = {"en": "depth", "kk": "тереңдігі", "ru": "глубина"}

#: Where ``kg build`` writes the ready views and the page linking them.
VIEWS_DIR_NAME = "views"
INDEX_FILE_NAME = "index.html"


class ViewTooLarge(KGError):
    """The view holds more nodes than a browser can draw interactively."""


# ---------------------------------------------------------------------------
# Choosing what a view shows


@dataclass(frozen=True)
class ViewSpec:
    """What one view shows: the whole network, or a focused part of it.

    ``focus`` is an entity as a user names it (IRI, local name, any label);
    ``relations`` are kzo: properties by local name, prefixed name, IRI or
    label, and each takes its subproperties along (``partyTo`` shows
    ``signed``); ``since``/``until`` keep the facts dated within those years.
    """

    lang: str = "en"
    focus: str | None = None
    depth: int = 1
    relations: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None


def resolve_relation(graph, name: str):
    """The one kzo: property ``name`` stands for: its local name, prefixed name, IRI or any label."""
    import difflib

    from rdflib import OWL, RDF, RDFS, URIRef

    from kg.data.evidence import fold_for_search
    from kg.core.namespaces import KZO_IRI

    by_key: dict[str, set[URIRef]] = {}
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if isinstance(prop, URIRef) and str(prop).startswith(KZO_IRI):
            keys = {local_name(prop), f"kzo:{local_name(prop)}", str(prop), *map(str, graph.objects(prop, RDFS.label))}
            for key in keys:
                by_key.setdefault(fold_for_search(key), set()).add(prop)
    matches = by_key.get(fold_for_search(name), set())
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        raise KGError(f"relation {name!r} is ambiguous: give one of {', '.join(sorted(f'kzo:{local_name(m)}' for m in matches))}")
    close = difflib.get_close_matches(fold_for_search(name), sorted(by_key), n=3, cutoff=0.6)
    suggestions = sorted({f"kzo:{local_name(p)}" for key in close for p in by_key[key]})
    hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
    raise KGError(f"no relation matches {name!r}{hint}")


def resolve_relations(graph, names) -> set[str]:
    """The local names of the kzo: properties ``names`` stand for, subproperties included
    (a fact stated with kzo:signed is also a kzo:partyTo fact)."""
    from rdflib import RDFS

    chosen: set[str] = set()
    for name in names:
        prop = resolve_relation(graph, name)
        chosen.update(local_name(p) for p in graph.transitive_subjects(RDFS.subPropertyOf, prop))
    return chosen


def _evidence_years(attributes) -> list[int]:
    years = []
    for item in attributes.get("evidence", []):
        digits = item.date[:4]
        if digits.isdigit():
            years.append(int(digits))
    return years


def select_view(graph, network, spec: ViewSpec):
    """The part of ``network`` that ``spec`` asks for (a new MultiDiGraph) and its focus IRI."""
    import networkx as nx

    from kg.facts.entities import resolve

    if spec.since is not None and spec.until is not None and spec.since > spec.until:
        raise KGError(f"--since {spec.since} is after --until {spec.until}")
    relations = resolve_relations(graph, spec.relations) if spec.relations else None
    dated = spec.since is not None or spec.until is not None
    low = spec.since if spec.since is not None else -10**6
    high = spec.until if spec.until is not None else 10**6

    kept_edges = []
    for source, target, key, attributes in network.edges(keys=True, data=True):
        if relations is not None and attributes["relation"] not in relations:
            continue
        if dated and not any(low <= year <= high for year in _evidence_years(attributes)):
            continue
        kept_edges.append((source, target, key))

    focus = resolve(graph, spec.focus) if spec.focus is not None else None
    filtering = relations is not None or dated
    if filtering:
        kept_nodes = {n for edge in kept_edges for n in edge[:2]}
    else:
        kept_nodes = set(network.nodes)
    if focus is not None:
        focus_name = local_name(focus)
        kept_nodes.add(focus_name)
        reachable = nx.MultiDiGraph()
        reachable.add_nodes_from(kept_nodes)
        reachable.add_edges_from(kept_edges)
        kept_nodes = set(nx.ego_graph(reachable, focus_name, radius=spec.depth, undirected=True))

    view = nx.MultiDiGraph()
    view.add_nodes_from((n, network.nodes[n]) for n in sorted(kept_nodes))
    view.add_edges_from(
        (s, t, k, network.edges[s, t, k]) for s, t, k in sorted(kept_edges) if s in kept_nodes and t in kept_nodes
    )
    if view.number_of_nodes() == 0:
        raise KGError("the view is empty: no fact matches these options (try fewer --relation or a wider --since/--until)")
    return view, focus


def view_title(graph, spec: ViewSpec, focus) -> str:
    """A title that says what the view holds (it comes from the data: escape it)."""
    parts = []
    if focus is not None:
        parts.append(f"{entity_label(graph, focus, spec.lang)} ({DEPTH_WORD.get(spec.lang, 'depth')} {spec.depth})")
    if spec.relations:
        parts.append(", ".join(entity_label(graph, resolve_relation(graph, r), spec.lang) for r in spec.relations))
    if spec.since is not None or spec.until is not None:
        parts.append(f"{spec.since if spec.since is not None else '…'}–{spec.until if spec.until is not None else '…'}")
    main = MAIN_TITLE.get(spec.lang, MAIN_TITLE["en"])
    return f"{' · '.join(parts)} — {main}" if parts else main


def render_view(graph, view, spec: ViewSpec, focus) -> str:
    """The page for ``view`` (from ``select_view``); ``graph`` need only describe its entities,
    their evidence's sources and the vocabulary (``html_from_store`` below passes such a part)."""
    titles = {l: view_title(graph, replace(spec, lang=l), focus) for l in LANGUAGES}
    links = {"command": export_command(spec)}
    return render_page(page_data(graph, view, titles, spec.lang, focus=local_name(focus) if focus is not None else None, links=links))


def export_command(spec: ViewSpec, output: str = "view.html") -> str:
    """The ``kg export html`` command that makes ``spec``'s view, for the page to show."""
    import shlex

    words = ["kg", "export", "html"]
    if spec.lang != "en":
        words += ["--lang", spec.lang]
    if spec.focus:
        words += ["--focus", spec.focus, "--depth", str(spec.depth)]
    for relation in spec.relations:
        words += ["--relation", relation]
    if spec.since is not None:
        words += ["--since", str(spec.since)]
    if spec.until is not None:
        words += ["--until", str(spec.until)]
    return " ".join(shlex.quote(w) for w in [*words, "-o", output])


def check_size(count: int) -> None:
    if count > MAX_NODES:
        raise ViewTooLarge(
            f"the view would hold {count} nodes (more than {MAX_NODES}, too many for a browser to stay responsive): "
            "narrow it with --focus ENTITY --depth 1, --relation P or --since/--until YEAR"
        )


# ---------------------------------------------------------------------------
# Layout


def layout(network, boxes: dict | None = None, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Fixed positions in screen units: the same network always opens the same way.

    Each connected part is laid out on its own (see ``_spread``), then nodes
    whose label boxes overlap are pushed apart (``boxes``: half width, half
    height and downward offset of each node with its label). The largest
    part goes first; smaller parts and lone nodes are packed in columns to
    its right (a screen is wider than tall), so they neither crowd the centre
    nor fly off to the edges.
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in network.edges() if u != v))
    if simple.number_of_nodes() == 0:
        return {}
    boxes = {n: (boxes or {}).get(n, DEFAULT_BOX) for n in simple.nodes}

    def place(part, minimum_scale=0.0):
        local = _spread(simple.subgraph(part), seed, minimum_scale)
        if len(part) <= SPRING_LAYOUT_LIMIT:
            local = remove_overlaps(local, boxes)
        return local

    def extent(local):
        left = min(x - boxes[n][0] for n, (x, _) in local.items())
        right = max(x + boxes[n][0] for n, (x, _) in local.items())
        top = min(y + boxes[n][2] - boxes[n][1] for n, (_, y) in local.items())
        bottom = max(y + boxes[n][2] + boxes[n][1] for n, (_, y) in local.items())
        return left, right, top, bottom

    parts = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    # A small view gets room too: its relation names are shown along the lines.
    positions = place(parts[0], MIN_SPRING_SCALE)
    _, right, top, bottom = extent(positions)
    height = max(bottom - top, 600.0)
    column_x, cursor_y, column_width = right + 120.0, top, 0.0
    for part in parts[1:]:
        local = place(part)
        p_left, p_right, p_top, p_bottom = extent(local)
        if cursor_y + (p_bottom - p_top) > top + height and cursor_y > top:
            column_x, cursor_y, column_width = column_x + column_width + 40.0, top, 0.0
        for node, (x, y) in local.items():
            positions[node] = (column_x + x - p_left, cursor_y + y - p_top)
        cursor_y += p_bottom - p_top
        column_width = max(column_width, p_right - p_left)
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in sorted(positions.items())}


#: networkx's spring layout needs scipy from this size on; bigger parts get a radial layout.
SPRING_LAYOUT_LIMIT = 499
SPRING_K = 1.6
SPRING_ITERATIONS = 300
SPRING_SCALE = 45.0
MIN_SPRING_SCALE = 260.0
HUB_DAMPING = 0.5
ASPECT = 2.0
#: A node's box when its label is not known: half width, half height, downward offset.
DEFAULT_BOX = (40.0, 20.0, 0.0)


def _spread(graph, seed: int, minimum_scale: float = 0.0) -> dict[str, tuple[float, float]]:
    """Positions for one connected graph: a spring layout from a fixed seed, in screen units."""
    import networkx as nx

    count = graph.number_of_nodes()
    if count == 1:
        return {next(iter(graph.nodes)): (0.0, 0.0)}
    if count > SPRING_LAYOUT_LIMIT:
        return _radial(graph)
    # Weaker springs to hubs: a hub's many neighbours spread out around it
    # instead of piling up at the centre.
    weighted = nx.Graph()
    weighted.add_nodes_from(sorted(graph.nodes))
    for u, v in sorted(graph.edges()):
        weighted.add_edge(u, v, weight=1.0 / max(graph.degree(u), graph.degree(v)) ** HUB_DAMPING)
    positions = nx.spring_layout(weighted, seed=seed, k=SPRING_K / count**0.5, iterations=SPRING_ITERATIONS)
    scale = max(SPRING_SCALE * count**0.5, minimum_scale)
    # Wider than tall, like a screen, which also gives the (wide) labels room.
    return {node: (float(x) * scale * ASPECT, float(y) * scale) for node, (x, y) in positions.items()}


def _radial(graph) -> dict[str, tuple[float, float]]:
    """Rings around the best-connected node, one per step away, each node near its parent's angle."""
    import math

    import networkx as nx

    centre = max(sorted(graph.nodes), key=graph.degree)
    parent = dict(nx.bfs_predecessors(graph, centre, sort_neighbors=sorted))
    depth = nx.single_source_shortest_path_length(graph, centre)
    rings: dict[int, list[str]] = {}
    for node in sorted(parent):
        rings.setdefault(depth[node], []).append(node)
    angle = {centre: 0.0}
    positions = {centre: (0.0, 0.0)}
    for step, ring in sorted(rings.items()):
        ring.sort(key=lambda n: (angle[parent[n]], n))
        radius = max(step * 300.0, len(ring) * 30.0 / (2 * math.pi))
        for index, node in enumerate(ring):
            angle[node] = 2 * math.pi * index / len(ring)
            positions[node] = (radius * math.cos(angle[node]), radius * math.sin(angle[node]))
    return positions


def label_box(label: str, size: float, font: float) -> tuple[float, float, float]:
    """Half width, half height and downward offset of a node with its label drawn under it."""
    width = max(2 * size, 0.56 * font * len(label)) + 14
    height = 2 * size + 1.35 * font + 8
    return width / 2, height / 2, 1.35 * font / 2


def remove_overlaps(positions: dict, boxes: dict, iterations: int = 400) -> dict:
    """Push apart nodes whose boxes overlap, each pair along the axis where it overlaps least.

    Vectorized pairwise pushes, run on parts of at most SPRING_LAYOUT_LIMIT
    nodes. A node squeezed between two others is pushed both ways at once
    and would stay put, so every few rounds the whole part also grows a
    little around its centre until nothing overlaps.
    """
    import numpy as np

    names = sorted(positions)
    if len(names) < 2:
        return dict(positions)
    offset = np.array([boxes[n][2] for n in names])
    xy = np.array([positions[n] for n in names], dtype=float)
    xy[:, 1] += offset
    half = np.array([boxes[n][:2] for n in names], dtype=float)
    order = np.arange(len(names))
    tie = np.sign(order[:, None] - order[None, :]).astype(float)
    for round_ in range(iterations):
        dx = xy[:, 0][:, None] - xy[:, 0][None, :]
        dy = xy[:, 1][:, None] - xy[:, 1][None, :]
        ox = half[:, 0][:, None] + half[:, 0][None, :] - np.abs(dx)
        oy = half[:, 1][:, None] + half[:, 1][None, :] - np.abs(dy)
        overlap = (ox > 0) & (oy > 0)
        np.fill_diagonal(overlap, False)
        if not overlap.any():
            break
        along_x = overlap & (ox <= oy * WIDEN)
        along_y = overlap & (ox > oy * WIDEN)
        xy[:, 0] += np.where(along_x, ox * np.where(dx == 0, tie, np.sign(dx)), 0.0).sum(axis=1) * PUSH
        xy[:, 1] += np.where(along_y, oy * np.where(dy == 0, tie, np.sign(dy)), 0.0).sum(axis=1) * PUSH
        if round_ % GROW_EVERY == GROW_EVERY - 1:
            centre = xy.mean(axis=0)
            xy = centre + (xy - centre) * GROWTH
    xy[:, 1] -= offset
    return {name: (float(x), float(y)) for name, (x, y) in zip(names, xy)}


#: How hard overlapping boxes push each other apart, and how a part grows when they stay stuck.
PUSH = 0.7
GROW_EVERY = 40
GROWTH = 1.03
#: Above 1, overlapping boxes move sideways more often than up or down: a screen is wide.
WIDEN = 2.0


# ---------------------------------------------------------------------------
# Page data


def _short_label(name: str, abbreviations: list[str]) -> str:
    """What the canvas shows: the name, or an abbreviation or a cut form of a long one."""
    if len(name) <= MAX_LABEL_CHARS:
        return name
    for abbreviation in sorted(abbreviations, key=lambda a: (len(a), a)):
        if 2 <= len(abbreviation) <= 12 and sum(ch.isupper() for ch in abbreviation) >= 2:
            return abbreviation
    cut = name[: MAX_LABEL_CHARS - 1]
    if " " in cut[MAX_LABEL_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def _labels_by_language(graph, node, predicate) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for literal in graph.objects(node, predicate):
        found.setdefault(getattr(literal, "language", None) or "", []).append(str(literal))
    return {lang: sorted(values) for lang, values in found.items()}


def _with_fallback(labels: dict[str, str], last: str) -> dict[str, str]:
    """Each language's label, or the first of en, kk, ru that exists, or ``last``."""
    order = [labels.get(l, "") for l in LANGUAGES]
    fallback = next((value for value in order if value), last)
    return {l: labels.get(l) or fallback for l in LANGUAGES}


def page_data(graph, network, title, lang: str = "en", focus: str | None = None, links: dict | None = None) -> dict:
    """Everything the page shows, as plain data (sorted, so the page is deterministic).

    ``title``: one string, or one per language; ``links``: where the index,
    the other views and the reading pages are from this page, and the
    command that makes it (``render_ready_views`` fills them in).
    """
    from rdflib import OWL, RDF, RDFS, URIRef
    from rdflib.namespace import DCTERMS, PROV, SKOS

    from kg.core.namespaces import KZ_IRI, KZO, KZO_IRI
    from kg.facts.wordforms import search_endings

    check_size(network.number_of_nodes())
    page_links = dict(links or {})
    degree = dict(network.degree())
    classes: dict[str, dict] = {}
    nodes = []
    for node, attributes in sorted(network.nodes(data=True)):
        cls = attributes["class"]
        if cls not in classes:
            color, shape = CLASS_STYLE.get(cls, FALLBACK_CLASS_STYLE)
            class_iri = URIRef(KZO_IRI + cls)
            classes[cls] = {"labels": {l: entity_label(graph, class_iri, l) for l in LANGUAGES}, "color": color, "shape": shape,
                            "hollow": cls in HOLLOW_CLASSES, "count": 0}
        classes[cls]["count"] += 1
        own = {l: attributes.get(f"label_{l}", "") for l in LANGUAGES}
        shown = _with_fallback(own, node)
        alt = _labels_by_language(graph, URIRef(attributes["iri"]), SKOS.altLabel)
        links = degree.get(node, 0)
        nodes.append(
            {
                "id": node,
                "labels": own,
                "shown": shown,
                "short": {l: _short_label(shown[l], alt.get(l, []) + alt.get("", [])) for l in LANGUAGES},
                "alt": sorted({a for values in alt.values() for a in values}),
                # Word forms the texts use (kzo:surfaceForm): search finds the entity by them too.
                "forms": sorted({str(f) for f in graph.objects(URIRef(attributes["iri"]), KZO.surfaceForm)}
                                | {f for f in attributes.get("surface_forms", "").split(" | ") if f}),
                "cls": cls,
                "iso": attributes.get("iso3166", ""),
                "degree": links,
                "size": round(9 + 4.5 * min(links, 60) ** 0.5, 1),
                # Hubs get bigger labels: zoomed out, only theirs stay readable.
                "font": round(min(34.0, 14 + 3 * links**0.5), 1),
            }
        )
    boxes = {n["id"]: label_box(max(n["short"].values(), key=len), n["size"], n["font"]) for n in nodes}
    positions = layout(network, boxes)
    for item in nodes:
        item["x"], item["y"] = positions[item["id"]]

    symmetric = {local_name(p) for p in graph.subjects(RDF.type, OWL.SymmetricProperty)}
    styles = relation_styles(local_name(p) for p in graph.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(KZO_IRI))
    relations: dict[str, dict] = {}
    edges = []
    sources: dict[str, dict] = {}
    ordered = sorted(network.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    for index, (source, target, key, attributes) in enumerate(ordered):
        relation = attributes["relation"]
        if relation not in relations:
            relations[relation] = {
                "labels": {l: attributes.get(f"label_{l}") or attributes.get("label_en") or relation for l in LANGUAGES},
                "count": 0,
                "symmetric": relation in symmetric,
            }
        relations[relation]["count"] += 1
        evidence = []
        for item in attributes.get("evidence", []):
            if item.source not in sources:
                origin = graph.value(URIRef(KZ_IRI + item.statement), PROV.wasDerivedFrom)
                sources[item.source] = _source_facts(graph, origin)
            origin_facts = sources[item.source]
            # A quote from one of the texts, or a reference cited without a quote.
            quoted = bool(item.quote) and bool(origin_facts["file"])
            evidence.append(
                {"source": item.source, "title": origin_facts["title"], "quote": item.quote,
                 "english": item.quote_english, "date": item.date, "note": item.note,
                 "statement": item.statement, "kind": "quote" if quoted else "reference",
                 "citation": origin_facts["citation"], "address": origin_facts["address"],
                 "text": f"{reading_page_name(origin_facts['file'])}#{quote_anchor(item.statement)}" if quoted else ""}
            )
        edges.append(
            {
                "id": index,
                "from": source,
                "to": target,
                "rel": relation,
                "year": attributes.get("year"),
                "years": sorted(set(_evidence_years(attributes))),
                "start": attributes.get("start", ""),
                "end": attributes.get("end", ""),
                "evidence": evidence,
            }
        )
    for name in sorted(relations):
        relations[name].update(style_for(name, styles))
    _distinct_relation_names(relations)
    _bend_parallel_edges(edges)
    titles = title if isinstance(title, dict) else {l: title for l in LANGUAGES}
    return {"title": titles.get(lang, titles["en"]), "titles": titles, "lang": lang, "focus": focus, "nodes": nodes,
            "edges": edges, "classes": classes, "relations": relations, "links": page_links,
            # The Kazakh endings search peels off a typed word, as kg.facts.wordforms does.
            "wordforms": search_endings()}


def _source_facts(graph, origin) -> dict:
    """What the page says of a source: its title, text file, or citation and address."""
    from rdflib import RDFS
    from rdflib.namespace import DCTERMS

    from kg.core.namespaces import KZO

    if origin is None:
        return {"title": "", "file": "", "citation": "", "address": ""}
    address = next((str(a) for a in sorted(graph.objects(origin, RDFS.seeAlso)) if str(a).startswith(("https://", "http://"))), "")
    return {
        "title": str(graph.value(origin, DCTERMS.title) or ""),
        "file": str(graph.value(origin, KZO.fileName) or ""),
        "citation": str(graph.value(origin, DCTERMS.bibliographicCitation) or ""),
        "address": address,
    }


def _distinct_relation_names(relations: dict[str, dict]) -> None:
    """Two relations that share a name in some language get their kzo: name after it,
    so the legend, menus and sentences never show two relations as one."""
    for lang in LANGUAGES:
        named: dict[str, list[str]] = {}
        for key, relation in relations.items():
            named.setdefault(relation["labels"][lang], []).append(key)
        for label_text, keys in named.items():
            if len(keys) > 1:
                for key in keys:
                    relations[key]["labels"][lang] = f"{label_text} ({key})"


def _bend_parallel_edges(edges: list[dict]) -> None:
    """Give each of several edges between the same two nodes its own curve (0 is straight).

    The bend is stated for the pair's sorted direction, so edges that run
    the other way get the opposite sign and still curve apart.
    """
    pairs: dict[tuple[str, str], list[dict]] = {}
    for edge in edges:
        pairs.setdefault(tuple(sorted((edge["from"], edge["to"]))), []).append(edge)
    for (first, _), group in pairs.items():
        for rank, edge in enumerate(group):
            step = (rank + 1) // 2 * (1 if rank % 2 else -1) if len(group) % 2 else (rank // 2 + 0.5) * (1 if rank % 2 else -1)
            bend = round(0.22 * step, 2)
            edge["bend"] = bend if edge["from"] == first else -bend


# ---------------------------------------------------------------------------
# The page


def _vis_script() -> str:
    """vis-network's script, from the copy inside the pyvis package.

    Its stylesheet is left out: it styles the editing toolbars and pickers
    the page does not use; the template styles the tooltip itself.
    """
    import pyvis

    base = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    script = (base / "vis-network.min.js").read_text(encoding="utf-8")
    # The source map is not shipped; a browser with DevTools open would ask for it.
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", script)


def _template(name: str) -> str:
    return resources.files("kg.render").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def script_json(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' survives.

    >>> script_json({"label": "</script><b>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def fill_template(template: str, values: dict[str, str]) -> str:
    """Replace each ``__NAME__`` placeholder in one pass: inserted text is never rescanned,
    so a label that reads ``__DATA__`` stays a label.

    >>> fill_template("<b>__A__</b>", {"A": "__B__", "B": "x"})
    '<b>__B__</b>'
    """
    return re.sub(r"__([A-Z_]+?)__", lambda match: values[match.group(1)], template)


def render_page(data: dict) -> str:
    """The complete HTML document for ``data``."""
    check_size(len(data["nodes"]))
    vis_js = _vis_script().replace("</script", "<\\/script")
    app_js = _template("view.js")
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    return fill_template(
        _template("view.html"),
        {
            "CSP": html.escape(csp, quote=True),
            "LANG": html.escape(data["lang"], quote=True),
            "TITLE": html.escape(data["title"], quote=True),
            "DATA": script_json(data),
            "VIS_JS": vis_js,
            "APP_JS": app_js,
        },
    )


# ---------------------------------------------------------------------------
# The ready views that ``kg build`` writes


@dataclass(frozen=True)
class Theme:
    """A ready view on one subject: its own relations, and the entities it is about.

    An edge belongs to the theme when its relation is one of ``relations``, or
    when one of its ends is an anchor: an entity of one of ``classes`` (or a
    subclass) or whose English label has a word starting with one of
    ``words`` (regular expressions; ``\\b`` ends a whole word).
    """

    name: str
    title: str
    relations: frozenset[str]
    classes: frozenset[str]
    words: tuple[str, ...]


THEMES = (
    Theme(
        "security",
        "Security: alliances, guarantees, conflicts and arms",
        frozenset({"guaranteesSecurityOf", "partyToConflict", "soughtInfluenceIn"}),
        frozenset({"Conflict", "Weapon", "TestSite"}),
        ("security", "defence", "defense", "military", "arms", "weapon", "terror", "conflict", "peace", r"war\b",
         "non-proliferation", "nuclear"),
    ),
    Theme(
        "economy",
        "Economy: trade, investment, energy and integration",
        frozenset({"tradesWith", "investedIn", "operatesIn", "leases", "leasedTo", "providedAidTo"}),
        frozenset({"Company", "Pipeline"}),
        ("econom", "trade", "customs", "financ", "invest", "energy", "oil", "gas", "pipeline", "petroleum", "integration"),
    ),
    Theme(
        "nuclear",
        "The nuclear file: test sites, renunciation, non-proliferation",
        frozenset({"renounced", "transferredTo"}),
        frozenset({"Weapon", "TestSite"}),
        ("nuclear", "atomic", "test site", "non-proliferation", "semipalatinsk", "strategic arms", "lisbon protocol"),
    ),
)


def theme_network(graph, network, theme: Theme):
    """The edges of ``network`` that belong to ``theme``, with their ends."""
    import networkx as nx
    from rdflib import RDF, URIRef

    from kg.core.namespaces import KZO

    wanted_classes = {KZO[c] for c in theme.classes}
    pattern = re.compile(r"\b(?:" + "|".join(theme.words) + r")", re.IGNORECASE)
    anchors = set()
    for node, attributes in network.nodes(data=True):
        types = set(graph.objects(URIRef(attributes["iri"]), RDF.type))
        if types & wanted_classes or pattern.search(attributes.get("label_en", "")):
            anchors.add(node)
    view = nx.MultiDiGraph()
    for source, target, key, attributes in sorted(network.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        if attributes["relation"] in theme.relations or source in anchors or target in anchors:
            for node in (source, target):
                view.add_node(node, **network.nodes[node])
            view.add_edge(source, target, key=key, **attributes)
    return view


def strategic_partners(graph) -> list:
    """The states linked to Kazakhstan by kzo:strategicPartnerOf, in either direction."""
    from rdflib import RDF

    from kg.core.namespaces import KZ, KZO

    kazakhstan = KZ.Kazakhstan
    found = set(graph.objects(kazakhstan, KZO.strategicPartnerOf)) | set(graph.subjects(KZO.strategicPartnerOf, kazakhstan))
    return sorted(p for p in found if p != kazakhstan and (p, RDF.type, KZO.State) in graph)


def _file_stem(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "view"


@dataclass(frozen=True)
class ReadyView:
    file_name: str
    title: str
    description: str
    nodes: int
    edges: int


#: The ready views' titles in Kazakh and Russian (English: ``Theme.title``).
THEME_TITLES = {
    "security": {"kk": "Қауіпсіздік: одақтар, кепілдіктер, қақтығыстар және қару",
                 "ru": "Безопасность: союзы, гарантии, конфликты и вооружения"},
    "economy": {"kk": "Экономика: сауда, инвестиция, энергетика және интеграция",
                "ru": "Экономика: торговля, инвестиции, энергетика и интеграция"},
    "nuclear": {"kk": "Ядролық мәселе: сынақ алаңдары, қарудан бас тарту, таратпау",
                "ru": "Ядерное досье: полигоны, отказ от оружия, нераспространение"},
}
PARTNER_TITLE = {"en": "Kazakhstan's strategic partner: {}", "kk": "Қазақстанның стратегиялық серіктесі: {}",
                 "ru": "Стратегический партнёр Казахстана: {}"}


def view_links(file_name: str, siblings: list[ReadyView], command: str) -> dict:
    """The links a ready view shows (relative to exports/``file_name``): the index, the
    other views, the reading pages, and the command that makes it."""
    up = "../" * file_name.count("/")
    return {
        "index": up + INDEX_FILE_NAME,
        "texts": up + TEXTS_DIR_NAME + "/",
        "views": [{"href": up + v.file_name, "title": v.title, "current": v.file_name == file_name} for v in siblings],
        "command": command,
    }


def render_ready_views(graph, network, paths) -> list[tuple[Path, bytes]]:
    """``kg build``'s renderer: the main view, the themed and per-partner views, and exports/index.html."""
    from rdflib.namespace import DCTERMS

    from kg.core.namespaces import KZO

    planned: list[tuple[ReadyView, object, dict, str | None, str]] = []

    def add(file_name: str, view, titles: dict, description: str, command: str, focus: str | None = None) -> None:
        if view.number_of_edges() == 0:
            return  # nothing on this subject in the data yet
        ready = ReadyView(file_name, titles["en"], description, view.number_of_nodes(), view.number_of_edges())
        planned.append((ready, view, titles, focus, command))

    add(paths.html_export.name, network, dict(MAIN_TITLE), "the whole graph",
        export_command(ViewSpec(), paths.html_export.name))
    for theme in THEMES:
        add(f"{VIEWS_DIR_NAME}/{theme.name}.html", theme_network(graph, network, theme),
            {"en": theme.title, **THEME_TITLES.get(theme.name, {})},
            "facts whose relation or one of whose ends is about this subject",
            f"kg build  # a theme view: THEMES[{theme.name!r}] in kg/render/html.py")
    for partner in strategic_partners(graph):
        view, focus = select_view(graph, network, ViewSpec(focus=str(partner), depth=1))
        titles = {l: PARTNER_TITLE[l].format(entity_label(graph, partner, l)) for l in LANGUAGES}
        name = entity_label(graph, partner, "en")
        file_name = f"partner-{_file_stem(local_name(partner))}.html"
        add(f"{VIEWS_DIR_NAME}/{file_name}", view, titles, f"{name} and everything it is linked to, one step away",
            export_command(ViewSpec(focus=local_name(partner), depth=1), file_name), focus=local_name(partner))

    listed = [ready for ready, *_ in planned]
    artifacts: list[tuple[Path, bytes]] = []
    for ready, view, titles, focus, command in planned:
        data = page_data(graph, view, titles, "en", focus=focus, links=view_links(ready.file_name, listed, command))
        artifacts.append((paths.exports / ready.file_name, render_page(data).encode("utf-8")))
    texts = sorted((f"{TEXTS_DIR_NAME}/{reading_page_name(str(f))}", str(graph.value(s, DCTERMS.title) or f))
                   for s, f in graph.subject_objects(KZO.fileName))
    artifacts.append((paths.exports / INDEX_FILE_NAME, render_index(listed, texts).encode("utf-8")))
    return artifacts


def render_index(views: list[ReadyView], texts: list[tuple[str, str]] = ()) -> str:
    """exports/index.html: a plain page linking every view and reading page (no script at all).
    ``texts``: (page under exports/, title) of each reading page."""
    rows = "\n".join(
        f'<li><a href="{html.escape(v.file_name, quote=True)}">{html.escape(v.title)}</a>'
        f' <span class="meta">{v.nodes} nodes, {v.edges} relations: {html.escape(v.description)}</span></li>'
        for v in views
    )
    text_rows = "\n".join(
        f'<li><a href="{html.escape(page, quote=True)}" lang="kk">{html.escape(title)}</a></li>' for page, title in texts
    )
    return fill_template(_template("index.html"), {"VIEWS": rows, "TEXTS": text_rows})


# ---------------------------------------------------------------------------
# Views read from the query store: only the part shown is read, laid out and labelled


def _rdflib_triples(store, construct: str):
    for triple in store.query(construct, prefixes=PREFIXES, use_default_graph_as_union=True):
        yield to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)


def _ontology_context(store):
    """A small rdflib Graph of the vocabulary: what kg.render.html reads of classes and properties."""
    graph = new_graph()
    # The terms first, in a subquery: joined the other way round, every label
    # and type of the data would be read.
    for triple in _rdflib_triples(store, """
        CONSTRUCT { ?term ?p ?value } WHERE {
          { SELECT DISTINCT ?term WHERE {
              VALUES ?kind { owl:Class owl:ObjectProperty owl:SymmetricProperty owl:DatatypeProperty }
              ?term a ?kind . FILTER(isIRI(?term))
          } }
          ?term ?p ?value . FILTER(?p IN (rdf:type, rdfs:label, rdfs:subPropertyOf))
        }"""):
        graph.add(triple)
    return graph


def _add_view_context(store, graph, view) -> None:
    """Add to ``graph`` what kg.render.html reads about the view's entities and evidence."""
    entities = {attributes["iri"] for attributes in view.nodes.values()}
    statements = {KZ_IRI + item.statement for *_, data in view.edges(data=True) for item in data.get("evidence", [])}
    if entities:
        for triple in _rdflib_triples(store, f"""
            CONSTRUCT {{ ?e ?p ?value }} WHERE {{
              VALUES ?e {{ {_values(entities)} }}
              ?e ?p ?value . FILTER(?p IN (rdf:type, rdfs:label, skos:altLabel, kzo:surfaceForm))
            }}"""):  # one VALUES block: Oxigraph joins two into every pair before reading (kg.facts.parts)
            graph.add(triple)
    if statements:
        for triple in _rdflib_triples(store, f"""
            CONSTRUCT {{ ?statement prov:wasDerivedFrom ?source . ?source ?p ?value }} WHERE {{
              VALUES ?statement {{ {_values(statements)} }}
              ?statement prov:wasDerivedFrom ?source .
              # What _source_facts reads: the title, the text's file, or the citation and address.
              OPTIONAL {{
                VALUES ?p {{ dcterms:title kzo:fileName dcterms:bibliographicCitation rdfs:seeAlso }}
                ?source ?p ?value .
              }}
            }}"""):
            graph.add(triple)


#: A focused view's entities are read with their IRIs listed in the queries up to
#: this many; a larger neighbourhood (only a --relation or --since/--until view
#: can be shown from one) is cut from the whole network instead.
BALL_READ_LIMIT = 5000


def html_from_store(store, spec, whole_network: Callable[[], object] | None = None) -> str:
    """``kg export html``: the page for one view, read from the query store. The focused
    part of the network is read first, so the layout, the evidence and the labels
    cover only the entities shown.

    ``whole_network`` gives the network with evidence when a view needs all
    of it (the CLI passes ``cached_network``); by default it is read from the store.
    """
    read_whole = whole_network or (lambda: network_from_store(store, evidence=True))
    filtered = bool(spec.relations) or spec.since is not None or spec.until is not None
    focus = None
    if spec.focus is not None:
        focus = resolve_in_store(store, spec.focus)
        ball = focus_ball(store, focus, spec.depth)
        if not filtered:
            check_size(len(ball))  # the view is the whole neighbourhood: refuse before reading it
        network = network_from_store(store, evidence=True, entities=ball) if len(ball) <= BALL_READ_LIMIT else read_whole()
    else:
        if not filtered:
            check_size(len(_entity_types(store)))  # the whole network: refuse before reading its evidence
        network = read_whole()
    graph = _ontology_context(store)
    if focus is not None:
        _add_view_context(store, graph, network.subgraph([local_name(focus)]))
    view, focus_term = select_view(graph, network, replace(spec, focus=focus))
    check_size(view.number_of_nodes())
    _add_view_context(store, graph, view)
    return render_view(graph, view, spec, focus_term)
