"""The graph in the formats other tools read, byte for byte deterministic.

RDF for triple stores and ontology editors (Turtle, N-Triples, JSON-LD,
RDF/XML), the network view for Gephi and Cytoscape (GraphML, GEXF), and one
row per fact for spreadsheets and pandas (CSV). The same graph always gives
the same bytes: every RDF file is written from the store's triples, whose
blank nodes the store names by file and position, and every list is sorted.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Callable

from rdflib import Graph

from kg.core.errors import KGError
from kg.data.store import exported_triples, turtle_bytes
from kg.render.rdf import serialize_jsonld, serialize_ntriples, serialize_rdfxml
from kg.render.records import FACT_COLUMNS, NODE_COLUMNS, fact_records, node_records

#: Every export format, with the file suffix it is usually saved under.
FORMAT_SUFFIXES = {
    "turtle": ".ttl",
    "nt": ".nt",
    "jsonld": ".jsonld",
    "rdfxml": ".rdf",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "csv": ".csv",
    "nodes-csv": ".csv",
}

GEXF_NAMESPACE = "http://gexf.net/1.3"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"


# --- the network view -------------------------------------------------------


def _flat_node(node: str, attributes: dict) -> dict:
    flat = {"label": attributes.get("label_en") or node}
    for key in ("label_en", "label_kk", "label_ru", "iri", "class", "alt_labels", "iso3166"):
        if attributes.get(key):
            flat[key] = attributes[key]
    return flat


def _flat_edge(attributes: dict) -> dict:
    evidence = attributes.get("evidence", [])
    flat = {
        "relation": attributes["relation"],
        "label": attributes.get("label_en") or attributes["relation"],
        "label_kk": attributes.get("label_kk", ""),
        "label_ru": attributes.get("label_ru", ""),
        "relation_iri": attributes.get("relation_iri", ""),
        "dates": " | ".join(sorted({e.date for e in evidence if e.date})),
        "year": attributes.get("year"),
        "sources": attributes.get("sources", ""),
        "statements": attributes.get("statements", ""),
        "quotes": " | ".join(e.quote for e in evidence if e.quote),
        "quotes_english": " | ".join(e.quote_english for e in evidence if e.quote_english),
        "notes": " | ".join(e.note for e in evidence if e.note),
    }
    # GraphML and GEXF have no "absent" value: an empty attribute is left out.
    return {key: value for key, value in flat.items() if value not in ("", None)}


def graphml_network(network):
    """The network as plain strings and integers, ready for GraphML.

    Edges are keyed ``e0``, ``e1``, ... (GraphML edge ids must be unique);
    ``start``/``end`` bound the time the fact held (absent: open or undated).
    """
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, attributes in network.nodes(data=True):
        flat.add_node(node, **_flat_node(node, attributes))
    for index, (source, target, attributes) in enumerate(network.edges(data=True)):
        edge = _flat_edge(attributes)
        spells = attributes.get("spells") or []
        if spells and spells[0][0]:
            edge["start"] = spells[0][0]
        if spells and spells[-1][1]:
            edge["end"] = spells[-1][1]
        flat.add_edge(source, target, key=f"e{index}", **edge)
    return flat


def claim_spells(attributes: dict) -> list[tuple[str | None, str | None]]:
    """One (start, end) per dated claim of a fact, in date order (None: open).

    A fact stated by two texts with two dates has two spells, so Gephi's
    timeline shows both claims; undated claims add none.
    """
    evidence = attributes.get("evidence")
    if evidence is None:  # a network read without evidence keeps only the merged intervals
        return list(attributes.get("spells") or [])
    spells = [interval for interval in (item.interval() for item in evidence) if interval]
    return sorted(spells, key=lambda spell: (spell[0] or "", spell[1] or ""))


def gexf_network(network):
    """The network as networkx represents a dynamic GEXF graph.

    Each edge carries ``spells``: one per dated claim. A node carries the
    spells of its facts, merged, when all of them are dated (it appears on
    the timeline with its first fact); a node with an undated fact has none,
    so it is there throughout. Nodes carry a ``viz`` colour per class, as in
    the HTML view.
    """
    import networkx as nx

    from kg.network.model import merge_intervals
    from kg.render.html import CLASS_STYLE

    flat = nx.MultiDiGraph(mode="dynamic")
    node_spells: dict[str, list | None] = {node: [] for node in network.nodes}
    edges = []
    for index, (source, target, attributes) in enumerate(network.edges(data=True)):
        edge = _flat_edge(attributes)
        spells = claim_spells(attributes)
        if spells:
            edge["spells"] = spells
        for node in (source, target):
            if node_spells[node] is not None:
                node_spells[node] = node_spells[node] + spells if spells else None
        edges.append((source, target, f"e{index}", edge))
    for node, attributes in network.nodes(data=True):
        colour = CLASS_STYLE.get(attributes.get("class", ""), ("#999999", ""))[0]
        red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        extra = {"spells": merge_intervals(node_spells[node])} if node_spells[node] else {}
        flat.add_node(node, **_flat_node(node, attributes), **extra, viz={"color": {"r": red, "g": green, "b": blue, "a": 1.0}})
    for source, target, key, edge in edges:
        flat.add_edge(source, target, key=key, **edge)
    return flat


def serialize_graphml(network) -> bytes:
    """GraphML for Cytoscape, yEd and networkx; attributes are named by attr.name."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml_xml(graphml_network(network), buffer)
    return buffer.getvalue()


def serialize_gexf(network) -> bytes:
    """GEXF 1.3 in dynamic mode for Gephi: each fact an edge alive over its dates.

    Written here rather than with ``networkx.write_gexf``, which stamps the
    day it ran into the file (so two runs differ) and writes a wrong XSI
    namespace for 1.3. ``networkx.read_gexf`` reads the file back.
    """
    import xml.etree.ElementTree as ET

    flat = gexf_network(network)
    ET.register_namespace("", GEXF_NAMESPACE)
    ET.register_namespace("viz", VIZ_NAMESPACE)
    ET.register_namespace("xsi", XSI_NAMESPACE)

    def tag(name: str, namespace: str = GEXF_NAMESPACE) -> str:
        return f"{{{namespace}}}{name}"

    root = ET.Element(tag("gexf"), {"version": "1.3", tag("schemaLocation", XSI_NAMESPACE): f"{GEXF_NAMESPACE} {GEXF_NAMESPACE}/gexf.xsd"})
    meta = ET.SubElement(root, tag("meta"))
    ET.SubElement(meta, tag("creator")).text = "kazakhstan-kg"
    ET.SubElement(meta, tag("description")).text = (
        "Kazakhstan's foreign relations: entities, and one edge per evidenced fact, alive from its date on "
        "(or over its start and end dates)"
    )
    graph = ET.SubElement(
        root, tag("graph"),
        {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date", "timerepresentation": "interval"},
    )
    special = {"label", "viz", "start", "end", "spells"}
    declared = {}
    for kind, items in (("node", [d for _, d in flat.nodes(data=True)]), ("edge", [d for *_, d in flat.edges(data=True)])):
        element = ET.SubElement(graph, tag("attributes"), {"class": kind, "mode": "static"})
        names: dict[str, str] = {}
        for data in items:
            for key, value in data.items():
                if key not in special and key not in names:
                    names[key] = "integer" if isinstance(value, int) else "string"
        for key, gexf_type in names.items():
            ET.SubElement(element, tag("attribute"), {"id": key, "title": key, "type": gexf_type})
        declared[kind] = names

    def attvalues(parent, data: dict, kind: str) -> None:
        values = ET.SubElement(parent, tag("attvalues"))
        for key in declared[kind]:
            if key in data:
                ET.SubElement(values, tag("attvalue"), {"for": key, "value": str(data[key])})

    def spells(parent, data: dict) -> None:
        if data.get("spells"):
            element = ET.SubElement(parent, tag("spells"))
            for start, end in data["spells"]:
                ET.SubElement(element, tag("spell"), {k: v for k, v in (("start", start), ("end", end)) if v})

    nodes = ET.SubElement(graph, tag("nodes"))
    for node, data in flat.nodes(data=True):
        element = ET.SubElement(nodes, tag("node"), {"id": node, "label": data["label"]})
        attvalues(element, data, "node")
        spells(element, data)
        colour = data["viz"]["color"]
        ET.SubElement(element, tag("color", VIZ_NAMESPACE), {k: str(colour[k]) for k in ("r", "g", "b", "a")})
    edges = ET.SubElement(graph, tag("edges"))
    for source, target, key, data in flat.edges(keys=True, data=True):
        attributes = {"id": key, "source": source, "target": target, "label": data["label"], "kind": data["relation"]}
        element = ET.SubElement(edges, tag("edge"), attributes)
        attvalues(element, data, "edge")
        spells(element, data)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- one row per fact ------------------------------------------------------


def _csv_bytes(columns: list[str], records: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def serialize_csv(store, lang: str = "en") -> bytes:
    """The facts table of the graph in ``store``: one row per fact and source (``kg.render.records``),
    labels in ``lang``; UTF-8, no BOM."""
    return _csv_bytes(FACT_COLUMNS, fact_records(store, lang))


def serialize_nodes_csv(graph: Graph, lang: str = "en") -> bytes:
    """The nodes table: one row per entity, beside the facts table."""
    return _csv_bytes(NODE_COLUMNS, node_records(graph, lang))


#: CSVW column descriptions: name -> (datatype, description). Every cell may be empty (CSVW null "").
CSV_COLUMN_DESCRIPTIONS = {
    "statement": ("anyURI", "The statement node (rdf:Statement) this row flattens: one fact as stated by one source."),
    "subject": ("anyURI", "The fact's subject (an entity: see the nodes table)."),
    "subject_label": ("string", "The subject's label in the language of the export."),
    "subject_class": ("anyURI", "The subject's class in the contract (kzo:State, kzo:Treaty, ...)."),
    "subject_iso3166": ("string", "The subject's ISO 3166-1 alpha-3 code, for a state."),
    "predicate": ("anyURI", "The property (kzo:memberOf, ...)."),
    "predicate_label": ("string", "The property's label."),
    "object": ("string", "The fact's object: an entity's IRI, or a value (a number of a numeric claim)."),
    "object_label": ("string", "The object's label, or the value."),
    "object_class": ("anyURI", "The object's class, when it is an entity."),
    "object_iso3166": ("string", "The object's ISO 3166-1 alpha-3 code, for a state."),
    "date": ("date", "kzo:date: the first day of the date the source gives (see date_precision)."),
    "date_precision": ("string", "day, month or year: how much of the date the source states (1992 is 1992-01-01, year)."),
    "start_date": ("date", "kzo:startDate, as the first day it stands for."),
    "start_date_precision": ("string", "day, month or year."),
    "end_date": ("date", "kzo:endDate, as the first day it stands for (an end year 2011 is 2011-01-01, year)."),
    "end_date_precision": ("string", "day, month or year."),
    "share_percent": ("decimal", "kzo:sharePercent: a share of the subject's trade."),
    "count": ("integer", "kzo:count: the number a numeric claim states."),
    "at_event": ("anyURI", "kzo:atEvent: the event at which it happened."),
    "note": ("string", "The curators' notes, joined with '; '."),
    "source": ("anyURI", "The source (kzo:Source) the statement is derived from."),
    "evidence": ("string", "text: one of the five source texts, with a quote; reference: a public reference outside them, "
                           "with citation and address but no quote."),
    "source_file": ("string", "The text's file name in seeds/texts/ (evidence text)."),
    "citation": ("string", "The bibliographic citation of a reference (evidence reference)."),
    "address": ("anyURI", "Where the reference was read (evidence reference)."),
    "quote": ("string", "The exact span of the source text that states the fact (Kazakh)."),
    "quote_english": ("string", "An English rendering of the quote."),
    "id": ("anyURI", "The entity's IRI."),
    "label": ("string", "The entity's label in the language of the export."),
    "label_en": ("string", "English label."),
    "label_kk": ("string", "Kazakh label."),
    "label_ru": ("string", "Russian label."),
    "class": ("anyURI", "The entity's class in the contract."),
    "iso3166": ("string", "ISO 3166-1 alpha-3 code of a state."),
    "iso3166_3": ("string", "ISO 3166-3 code of a former state."),
    "same_as": ("string", "Wikidata IRIs of the entity (owl:sameAs), space-separated."),
    "alt_labels": ("string", "Other names in any language, joined with ' | '."),
}


def serialize_csvw_metadata(facts_file: str = "kazakhstan.csv", nodes_file: str = "kazakhstan-nodes.csv") -> bytes:
    """CSVW metadata (W3C Metadata Vocabulary for Tabular Data) describing both CSV tables."""
    from kg.core.release import RELEASE_DATE, VERSION

    def schema(columns: list[str], key: str) -> dict:
        return {
            "columns": [
                {"name": name, "titles": name, "datatype": CSV_COLUMN_DESCRIPTIONS[name][0],
                 "dc:description": CSV_COLUMN_DESCRIPTIONS[name][1]}
                for name in columns
            ],
            "primaryKey": key,
        }

    document = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": "Kazakhstan's foreign relations: facts and entities",
        "dc:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
        "dc:issued": {"@value": RELEASE_DATE, "@type": "xsd:date"},
        "schema:version": VERSION,
        "dialect": {"encoding": "utf-8", "header": True, "delimiter": ","},
        "tables": [
            {"url": facts_file, "dc:description": "One row per fact and source, with its evidence.",
             "tableSchema": {**schema(FACT_COLUMNS, "statement"),
                             "foreignKeys": [{"columnReference": "subject",
                                              "reference": {"resource": nodes_file, "columnReference": "id"}}]}},
            {"url": nodes_file, "dc:description": "One row per entity: names, class, ISO codes.",
             "tableSchema": schema(NODE_COLUMNS, "id")},
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --- one entry point -------------------------------------------------------

#: RDF formats: serializer(triples) -> bytes, the triples read from the store (pyoxigraph terms).
#: Turtle is written by Oxigraph from the store's graphs, as kg build writes it (kg.data.store.turtle_bytes).
RDF_SERIALIZERS: dict[str, Callable] = {"nt": serialize_ntriples, "jsonld": serialize_jsonld, "rdfxml": serialize_rdfxml}
#: Table formats: serializer(store, lang) for the facts, read off the store; serializer(graph, lang)
#: for the nodes, over the rdflib graph; the labels are in ``lang``.
STORE_SERIALIZERS: dict[str, Callable] = {"csv": serialize_csv}
GRAPH_SERIALIZERS: dict[str, Callable[[Graph, str], bytes]] = {"nodes-csv": serialize_nodes_csv}
#: Network formats: serializer(network) -> bytes.
NETWORK_SERIALIZERS: dict[str, Callable] = {"graphml": serialize_graphml, "gexf": serialize_gexf}


def export_bytes(fmt: str, built=None, network=None, lang: str = "en") -> bytes:
    """``built`` (a kg.data.graph.BuiltGraph: RDF and CSV formats) or the network of facts
    (graphml, gexf) in format ``fmt``."""
    if fmt in NETWORK_SERIALIZERS:
        return NETWORK_SERIALIZERS[fmt](network)
    if fmt == "turtle":
        return turtle_bytes(built.store)
    if fmt in RDF_SERIALIZERS:
        return RDF_SERIALIZERS[fmt](exported_triples(built.store))
    if fmt in STORE_SERIALIZERS:
        return STORE_SERIALIZERS[fmt](built.store, lang)
    if fmt not in GRAPH_SERIALIZERS:
        raise KGError(f"unknown export format {fmt!r} (choose from {', '.join(FORMAT_SUFFIXES)})")
    return GRAPH_SERIALIZERS[fmt](built.full, lang)


def exchange_artifacts(built, network, paths) -> list[tuple]:
    """What ``kg build`` writes beside the Turtle: JSON-LD, GraphML, GEXF, the two CSV tables and their CSVW metadata."""
    graph = built.full
    return [
        (paths.jsonld_export, serialize_jsonld(exported_triples(built.store))),
        (paths.graphml_export, serialize_graphml(network)),
        (paths.gexf_export, serialize_gexf(network)),
        (paths.csv_export, serialize_csv(built.store, "en")),
        (paths.nodes_csv_export, serialize_nodes_csv(graph, "en")),
        (paths.csvw_export, serialize_csvw_metadata(paths.csv_export.name, paths.nodes_csv_export.name)),
    ]
