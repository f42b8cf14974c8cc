"""The interactive HTML view: one self-contained, offline page per view.

The page embeds vis-network (the copy shipped inside pyvis) and the graph
data inline, so it opens without any network access. Positions are computed
here with networkx from a fixed seed and physics is off: the page draws at
once and always opens the same way. Data reaches the page only as JSON in a
``<script type="application/json">`` block, with ``<``, ``>`` and ``&``
escaped, and the page's script inserts it with ``textContent``: a label
holding markup shows as text.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from .atomic import write_atomic
from .entities import label as entity_label
from .errors import KGError

#: Colour and vis-network shape per contract class.
CLASS_STYLE = {
    "State": ("#4e79a7", "dot"),
    "InternationalOrganization": ("#f28e2b", "diamond"),
    "Treaty": ("#59a14f", "square"),
    "Event": ("#e15759", "triangle"),
    "Person": ("#b07aa1", "star"),
    "Initiative": ("#edc948", "triangleDown"),
    "Company": ("#9c755f", "hexagon"),
    "Place": ("#76b7b2", "dot"),
    "NationalAct": ("#bab0ac", "square"),
}

_PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363", "#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc",
]

#: Largest network the page is allowed to hold; past it a browser stops being interactive.
MAX_NODES = 5000


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, from the copy inside the pyvis package."""
    import pyvis

    base = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (base / "vis-network.min.js").read_text(encoding="utf-8"), (base / "vis-network.css").read_text(encoding="utf-8")


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' survives."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _html_text(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def layout(network, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Fixed positions: a spring layout from a fixed seed, scaled to screen units."""
    import networkx as nx

    simple = nx.Graph(network.to_undirected(as_view=True))
    if simple.number_of_nodes() == 0:
        return {}
    k = 2.2 / max(simple.number_of_nodes(), 1) ** 0.5
    positions = nx.spring_layout(simple, seed=seed, k=k, iterations=200)
    scale = 90 * max(simple.number_of_nodes(), 1) ** 0.5
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in sorted(positions.items())}


def page_data(graph, network, title: str, lang: str = "en") -> dict:
    """Everything the page shows, as plain data (sorted, so the page is deterministic)."""
    from rdflib import URIRef

    from .namespaces import KZO_IRI

    positions = layout(network)
    degree = dict(network.degree())
    classes: dict[str, dict] = {}
    nodes = []
    labels = {}
    for node, attributes in sorted(network.nodes(data=True)):
        cls = attributes["class"]
        color, shape = CLASS_STYLE.get(cls, ("#999999", "dot"))
        if cls not in classes:
            classes[cls] = {"label": entity_label(graph, URIRef(KZO_IRI + cls), lang), "color": color, "shape": shape, "count": 0}
        classes[cls]["count"] += 1
        node_labels = {l: attributes.get(f"label_{l}", "") for l in ("kk", "en", "ru")}
        shown = node_labels.get(lang) or node_labels["en"] or node_labels["kk"] or node_labels["ru"] or node
        labels[node] = shown
        names = {v for v in node_labels.values() if v} | {node}
        names |= {a for a in attributes.get("alt_labels", "").split(" | ") if a}
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append(
            {
                "id": node,
                "label": shown,
                "labels": node_labels,
                "names": sorted(names),
                "cls": cls,
                "iso": attributes.get("iso3166", ""),
                "x": x,
                "y": y,
                "size": 10 + 4 * min(degree.get(node, 0), 20) ** 0.5 * 2,
            }
        )
    relations: dict[str, dict] = {}
    edges = []
    symmetric = {"borders", "strategicPartnerOf", "diplomaticRelationsWith", "cooperatesWith"}
    for index, (source, target, key, attributes) in enumerate(sorted(network.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))):
        relation = attributes["relation"]
        if relation not in relations:
            relations[relation] = {"label": attributes.get(f"label_{lang}") or attributes["label_en"], "count": 0, "symmetric": relation in symmetric}
        relations[relation]["count"] += 1
        edges.append(
            {
                "id": index,
                "from": source,
                "to": target,
                "rel": relation,
                "year": attributes.get("year"),
                "evidence": [
                    {"source": e.source, "quote": e.quote, "quote_english": e.quote_english, "date": e.date, "note": e.note}
                    for e in attributes.get("evidence", [])
                ],
            }
        )
    for index, name in enumerate(sorted(relations)):
        relations[name]["color"] = _PALETTE[index % len(_PALETTE)]
    return {"title": title, "lang": lang, "nodes": nodes, "edges": edges, "classes": classes, "relations": relations, "nodeLabel": labels}


def render_page(data: dict) -> str:
    """The complete HTML document for ``data``."""
    if len(data["nodes"]) > MAX_NODES:
        raise KGError(
            f"the view would hold {len(data['nodes'])} nodes (more than {MAX_NODES}, too many for a browser): "
            "narrow it with --focus ENTITY, --relation or --since/--until"
        )
    template = resources.files("kg").joinpath("templates/view.html").read_text(encoding="utf-8")
    vis_js, vis_css = _vis_assets()
    # Replace the data placeholders last, and the scripts before them, so no
    # data string can ever be taken for a placeholder.
    page = template.replace("__VIS_CSS__", vis_css)
    page = page.replace("__LANG__", _html_text(data["lang"]))
    page = page.replace("__TITLE__", _html_text(data["title"]))
    head, tail = page.split("__VIS_JS__", 1)
    head = head.replace("__DATA__", _script_json(data))
    return head + vis_js.replace("</script", "<\\/script") + tail


def write_view(graph, network, path: Path, title: str, lang: str = "en") -> Path:
    """Write one view atomically."""
    return write_atomic(path, render_page(page_data(graph, network, title, lang)))
