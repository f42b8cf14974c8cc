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
from typing import Callable

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.plugins.serializers.turtle import TurtleSerializer

from kg.facts.entities import label
from kg.core.errors import KGError
from kg.core.namespaces import KZO, PREFIXES
from kg.core.prefixes import KZO_IRI, compact_iri
from kg.data.store import turtle_bytes
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


#: Short keys for the common annotation properties, so the JSON reads ``"label": {"en": ...}``.
JSONLD_SHORT_KEYS = {
    PREFIXES["rdfs"] + "label": "label",
    PREFIXES["rdfs"] + "comment": "comment",
    PREFIXES["skos"] + "altLabel": "altLabel",
    PREFIXES["dcterms"] + "title": "title",
    PREFIXES["dcterms"] + "description": "description",
    PREFIXES["rdf"] + "subject": "subject",
    PREFIXES["rdf"] + "predicate": "predicate",
    PREFIXES["rdf"] + "object": "object",
    PREFIXES["prov"] + "wasDerivedFrom": "wasDerivedFrom",
    PREFIXES["owl"] + "sameAs": "sameAs",
    PREFIXES["rdfs"] + "subClassOf": "subClassOf",
    PREFIXES["rdfs"] + "subPropertyOf": "subPropertyOf",
    PREFIXES["rdfs"] + "domain": "domain",
    PREFIXES["rdfs"] + "range": "range",
    PREFIXES["rdfs"] + "seeAlso": "seeAlso",
    PREFIXES["rdfs"] + "isDefinedBy": "isDefinedBy",
}


def _jsonld_id(term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else compact_iri(str(term))


def _jsonld_terms(triples) -> dict[str, tuple[str, dict | None]]:
    """For each predicate: its key, and its term definition (None: no definition needed).

    A ``kzo:`` property is its local name (the ``@vocab``), a common
    annotation property its short name; any other a compact IRI. A property
    whose values are all IRIs is coerced to ``@id``, one whose values are
    all language-tagged a language map, one whose values share a datatype is
    coerced to it, so each value is a bare string; a property of mixed
    values keeps JSON-LD's value objects.
    """
    values: dict = {}
    for _, predicate, obj in triples:
        values.setdefault(predicate, []).append(obj)
    kzo_names = {str(p)[len(KZO_IRI):] for p in values if str(p).startswith(KZO_IRI)}
    terms = {}
    for predicate, objects in values.items():
        iri = str(predicate)
        if iri.startswith(KZO_IRI) and iri[len(KZO_IRI):].isidentifier():
            key = iri[len(KZO_IRI):]
        elif iri in JSONLD_SHORT_KEYS and JSONLD_SHORT_KEYS[iri] not in kzo_names:
            key = JSONLD_SHORT_KEYS[iri]
        else:
            key = compact_iri(iri)
        definition: dict = {"@id": compact_iri(iri)}
        if all(isinstance(o, (URIRef, BNode)) for o in objects):
            definition["@type"] = "@id"
        elif all(isinstance(o, Literal) and o.language for o in objects):
            definition["@container"] = "@language"
        else:
            datatypes = {o.datatype if isinstance(o, Literal) and not o.language else "mixed" for o in objects}
            if len(datatypes) == 1 and None not in datatypes and "mixed" not in datatypes:
                definition["@type"] = compact_iri(str(datatypes.pop()))
        needed = key != compact_iri(iri) or len(definition) > 1
        terms[predicate] = (key, definition if needed else None)
    return terms


def _jsonld_value(term, definition: dict | None):
    """A value as its key's term definition expects it: a bare string where coerced."""
    coerced = (definition or {}).get("@type")
    if isinstance(term, (URIRef, BNode)):
        return _jsonld_id(term) if coerced == "@id" else {"@id": _jsonld_id(term)}
    if coerced and coerced != "@id":
        return str(term)
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is not None:
        return {"@value": str(term), "@type": compact_iri(str(term.datatype))}
    return str(term)


def _sorted_single(values: list):
    values.sort(key=lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True))
    return values[0] if len(values) == 1 else values


def serialize_jsonld(graph: Graph) -> bytes:
    """JSON-LD whose ``@context`` makes it read like JSON, one object per subject.

    ``@vocab`` is the ontology, so ``kzo:`` properties and classes are bare
    names (``"memberOf": "kz:UN"``, ``"@type": "State"``); names are language
    maps (``"label": {"en": "Russia", "kk": "Ресей"}``); IRIs are coerced, so
    a link is a string; the prefixes stay declared, so IRIs read as in the
    Turtle. Subjects, keys and values are sorted; it loads back into the same
    graph (``tests/render/test_export_tools.py``).
    """
    triples = canonical_triples(graph)
    terms = _jsonld_terms(triples)
    classes = {str(o)[len(KZO_IRI):] for _, p, o in triples if p == RDF.type and str(o).startswith(KZO_IRI)}
    keys = {key for key, _ in terms.values()}
    nodes: dict = {}
    for subject, predicate, obj in triples:
        node = nodes.setdefault(_jsonld_id(subject), {"@id": _jsonld_id(subject)})
        if predicate == RDF.type and isinstance(obj, URIRef):
            name = str(obj)[len(KZO_IRI):] if str(obj).startswith(KZO_IRI) else ""
            # A type is read vocabulary-relative: a bare name unless a key has that name.
            node.setdefault("@type", []).append(name if name in classes and name not in keys and name.isidentifier() else compact_iri(str(obj)))
            continue
        key, definition = terms[predicate]
        if definition and definition.get("@container") == "@language":
            node.setdefault(key, {}).setdefault(obj.language, []).append(str(obj))
        else:
            node.setdefault(key, []).append(_jsonld_value(obj, definition))
    for node in nodes.values():
        for key, values in node.items():
            if isinstance(values, list):
                node[key] = _sorted_single(values)
            elif isinstance(values, dict):
                node[key] = {language: _sorted_single(texts) for language, texts in values.items()}
    context: dict = {"@vocab": KZO_IRI, **PREFIXES}
    context.update({key: definition for key, definition in terms.values() if definition})
    document = {"@context": context, "@graph": [nodes[key] for key in sorted(nodes)]}
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


def serialize_csv(graph: Graph, lang: str = "en") -> bytes:
    """The facts table: one row per fact and source (``kg.render.records``), labels in ``lang``; UTF-8, no BOM."""
    return _csv_bytes(FACT_COLUMNS, fact_records(graph, lang))


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

#: RDF and CSV formats: serializer(graph, lang) -> bytes; only CSV has labels to choose a language for.
#: Turtle is written by Oxigraph from the store, as kg build writes it (kg.data.store.turtle_bytes).
GRAPH_SERIALIZERS: dict[str, Callable[[Graph, str], bytes]] = {
    "nt": lambda graph, lang: serialize_ntriples(graph),
    "jsonld": lambda graph, lang: serialize_jsonld(graph),
    "rdfxml": lambda graph, lang: serialize_rdfxml(graph),
    "csv": serialize_csv,
    "nodes-csv": serialize_nodes_csv,
}
#: Network formats: serializer(network) -> bytes.
NETWORK_SERIALIZERS: dict[str, Callable] = {"graphml": serialize_graphml, "gexf": serialize_gexf}


def export_bytes(fmt: str, built=None, network=None, lang: str = "en") -> bytes:
    """``built`` (a kg.data.graph.BuiltGraph: RDF and CSV formats) or the network of facts
    (graphml, gexf) in format ``fmt``."""
    if fmt in NETWORK_SERIALIZERS:
        return NETWORK_SERIALIZERS[fmt](network)
    if fmt == "turtle":
        return turtle_bytes(built.store)
    if fmt not in GRAPH_SERIALIZERS:
        raise KGError(f"unknown export format {fmt!r} (choose from {', '.join(FORMAT_SUFFIXES)})")
    return GRAPH_SERIALIZERS[fmt](built.full, lang)


def exchange_artifacts(graph: Graph, network, paths) -> list[tuple]:
    """What ``kg build`` writes beside the Turtle: JSON-LD, GraphML, GEXF, the two CSV tables and their CSVW metadata."""
    return [
        (paths.jsonld_export, serialize_jsonld(graph)),
        (paths.graphml_export, serialize_graphml(network)),
        (paths.gexf_export, serialize_gexf(network)),
        (paths.csv_export, serialize_csv(graph, "en")),
        (paths.nodes_csv_export, serialize_nodes_csv(graph, "en")),
        (paths.csvw_export, serialize_csvw_metadata(paths.csv_export.name, paths.nodes_csv_export.name)),
    ]
