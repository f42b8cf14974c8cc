"""The graph in the formats other tools read, byte for byte deterministic.

RDF for triple stores and ontology editors (Turtle, N-Triples, JSON-LD,
RDF/XML), the network view for Gephi and Cytoscape (GraphML, GEXF), and one
row per fact for spreadsheets and pandas (CSV). The same graph always gives
the same bytes: blank nodes get canonical names (``rdflib.compare``) and every
list is sorted, because rdflib's own JSON-LD and RDF/XML writers follow set
order, which changes from one Python process to the next.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import astuple
from typing import Callable

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.plugins.serializers.turtle import TurtleSerializer

from kg.facts.entities import label
from kg.core.errors import KGError
from kg.core.namespaces import KZO, PREFIXES
from kg.core.prefixes import compact_iri
from kg.facts.rows import FACT_COLUMNS, fact_rows

#: Every export format, with the file suffix it is usually saved under.
FORMAT_SUFFIXES = {
    "turtle": ".ttl",
    "nt": ".nt",
    "jsonld": ".jsonld",
    "rdfxml": ".rdf",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "csv": ".csv",
}

GEXF_NAMESPACE = "http://gexf.net/1.3"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"


# --- RDF ------------------------------------------------------------------


class _LosslessTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle writer, except that no literal changes its spelling.

    rdflib writes ``"22"^^xsd:decimal`` as the bare token ``22.0``: the same
    number, but another lexical form, so the file no longer loads back into
    the graph it came from. Such literals keep their quoted, typed form.
    """

    def label(self, node, position) -> str:
        text = super().label(node, position)
        if isinstance(node, Literal) and not text.startswith('"') and text != str(node):
            return node._literal_n3(use_plain=False, qname_callback=lambda datatype: self.get_pname(datatype, False))
        return text


def serialize_turtle(graph: Graph) -> bytes:
    """Turtle with the project's prefixes, subjects sorted (rdflib sorts them)."""
    from kg.data.load import new_graph

    rebound = new_graph()
    rebound += graph
    buffer = io.BytesIO()
    _LosslessTurtleSerializer(rebound).serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


def canonical_triples(graph: Graph) -> list[tuple]:
    """The graph's triples, sorted, with blank nodes named b0, b1, ... canonically.

    Parsing gives blank nodes random names; the canonical labelling depends
    only on the graph's shape, so the same graph always gets the same names.
    """
    from rdflib.compare import to_canonical_graph

    canonical = list(to_canonical_graph(graph)) if any(isinstance(t, BNode) for triple in graph for t in triple) else list(graph)
    blanks = sorted({term for triple in canonical for term in triple if isinstance(term, BNode)})
    names = {blank: BNode(f"b{index}") for index, blank in enumerate(blanks)}
    renamed = [tuple(names.get(term, term) for term in triple) for triple in canonical]
    return sorted(renamed, key=lambda triple: tuple(term.n3() for term in triple))


def _oxigraph_term(term):
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


def _oxigraph_serialize(graph: Graph, rdf_format: str) -> bytes:
    """Serialize with Oxigraph, which writes triples in the order given."""
    import pyoxigraph

    triples = [pyoxigraph.Triple(*(_oxigraph_term(t) for t in triple)) for triple in canonical_triples(graph)]
    return pyoxigraph.serialize(triples, format=getattr(pyoxigraph.RdfFormat, rdf_format), prefixes=PREFIXES)


def serialize_ntriples(graph: Graph) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    # split("\n"), not splitlines(): a literal may hold U+0085 or U+2028, which
    # N-Triples writes raw and splitlines() would take for line breaks.
    lines = _oxigraph_serialize(graph, "N_TRIPLES").decode("utf-8").split("\n")
    return ("\n".join(sorted(set(line for line in lines if line))) + "\n").encode("utf-8")


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def serialize_rdfxml(graph: Graph) -> bytes:
    """RDF/XML, one element per subject (typed by its first type), subjects sorted.

    XML 1.0 cannot hold most control characters at all, so a literal with one
    is refused with a clear error rather than written into a file no parser
    reads. A carriage return is written as ``&#13;``: a raw one would be read
    back as a line feed.
    """
    for subject, predicate, obj in graph:
        if isinstance(obj, Literal):
            found = _NOT_IN_XML.search(str(obj))
            if found:
                raise KGError(
                    f"RDF/XML cannot hold the control character U+{ord(found.group()):04X} in the "
                    f"{compact_iri(str(predicate))} of {compact_iri(str(subject))}: export turtle, nt or jsonld instead"
                )
    return _oxigraph_serialize(graph, "RDF_XML").replace(b"\r", b"&#13;")


def _jsonld_value(term) -> dict | str:
    if isinstance(term, URIRef):
        return {"@id": compact_iri(str(term))}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is not None:
        return {"@value": str(term), "@type": compact_iri(str(term.datatype))}
    return str(term)


def serialize_jsonld(graph: Graph) -> bytes:
    """JSON-LD: an ``@context`` of the contract's prefixes and one object per subject.

    IRIs are written as compact IRIs (``kz:Russia``, ``kzo:memberOf``), so
    the file reads like the Turtle; subjects, keys and values are sorted.
    """
    nodes: dict = {}
    for subject, predicate, obj in canonical_triples(graph):
        key = f"_:{subject}" if isinstance(subject, BNode) else compact_iri(str(subject))
        node = nodes.setdefault(key, {"@id": key})
        if predicate == RDF.type and isinstance(obj, URIRef):
            node.setdefault("@type", []).append(compact_iri(str(obj)))
        else:
            node.setdefault(compact_iri(str(predicate)), []).append(_jsonld_value(obj))
    for node in nodes.values():
        for key, values in node.items():
            if isinstance(values, list):
                values.sort(key=lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True))
                node[key] = values[0] if len(values) == 1 else values
    document = {"@context": dict(PREFIXES), "@graph": [nodes[key] for key in sorted(nodes)]}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


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


def gexf_network(network):
    """The network as networkx represents a dynamic GEXF graph.

    A fact held over one interval gets ``start``/``end`` (either may be
    absent: open); a fact held over several gets ``spells``. Nodes carry a
    ``viz`` colour per class, as in the HTML view.
    """
    import networkx as nx

    from kg.render.html import CLASS_STYLE

    flat = nx.MultiDiGraph(mode="dynamic")
    for node, attributes in network.nodes(data=True):
        colour = CLASS_STYLE.get(attributes.get("class", ""), ("#999999", ""))[0]
        red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        flat.add_node(node, **_flat_node(node, attributes), viz={"color": {"r": red, "g": green, "b": blue, "a": 1.0}})
    for index, (source, target, attributes) in enumerate(network.edges(data=True)):
        edge = _flat_edge(attributes)
        spells = attributes.get("spells") or []
        if len(spells) == 1:
            start, end = spells[0]
            edge.update({key: value for key, value in (("start", start), ("end", end)) if value})
        elif spells:
            edge["spells"] = list(spells)
        flat.add_edge(source, target, key=f"e{index}", **edge)
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

    nodes = ET.SubElement(graph, tag("nodes"))
    for node, data in flat.nodes(data=True):
        element = ET.SubElement(nodes, tag("node"), {"id": node, "label": data["label"]})
        attvalues(element, data, "node")
        colour = data["viz"]["color"]
        ET.SubElement(element, tag("color", VIZ_NAMESPACE), {k: str(colour[k]) for k in ("r", "g", "b", "a")})
    edges = ET.SubElement(graph, tag("edges"))
    for source, target, key, data in flat.edges(keys=True, data=True):
        attributes = {"id": key, "source": source, "target": target, "label": data["label"], "kind": data["relation"]}
        attributes.update({k: data[k] for k in ("start", "end") if k in data})
        element = ET.SubElement(edges, tag("edge"), attributes)
        attvalues(element, data, "edge")
        if "spells" in data:
            spells = ET.SubElement(element, tag("spells"))
            for start, end in data["spells"]:
                ET.SubElement(spells, tag("spell"), {k: v for k, v in (("start", start), ("end", end)) if v})
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- one row per fact ------------------------------------------------------


def serialize_csv(graph: Graph, lang: str = "en") -> bytes:
    """CSV, one row per fact and source, labels in ``lang``; UTF-8, no BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FACT_COLUMNS)
    writer.writerows(astuple(row) for row in fact_rows(graph, lang))
    return buffer.getvalue().encode("utf-8")


# --- one entry point -------------------------------------------------------

#: RDF and CSV formats: serializer(graph, lang) -> bytes; only CSV has labels to choose a language for.
GRAPH_SERIALIZERS: dict[str, Callable[[Graph, str], bytes]] = {
    "turtle": lambda graph, lang: serialize_turtle(graph),
    "nt": lambda graph, lang: serialize_ntriples(graph),
    "jsonld": lambda graph, lang: serialize_jsonld(graph),
    "rdfxml": lambda graph, lang: serialize_rdfxml(graph),
    "csv": serialize_csv,
}
#: Network formats: serializer(network) -> bytes.
NETWORK_SERIALIZERS: dict[str, Callable] = {"graphml": serialize_graphml, "gexf": serialize_gexf}


def export_bytes(fmt: str, graph: Graph | None = None, network=None, lang: str = "en") -> bytes:
    """The graph (RDF and CSV formats) or the network of facts (graphml, gexf) in format ``fmt``."""
    if fmt in NETWORK_SERIALIZERS:
        return NETWORK_SERIALIZERS[fmt](network)
    if fmt not in GRAPH_SERIALIZERS:
        raise KGError(f"unknown export format {fmt!r} (choose from {', '.join(FORMAT_SUFFIXES)})")
    return GRAPH_SERIALIZERS[fmt](graph, lang)


def exchange_artifacts(graph: Graph, network, paths) -> list[tuple]:
    """What ``kg build`` writes beside the Turtle: JSON-LD, GraphML and CSV."""
    return [
        (paths.jsonld_export, serialize_jsonld(graph)),
        (paths.graphml_export, serialize_graphml(network)),
        (paths.csv_export, serialize_csv(graph, "en")),
    ]
