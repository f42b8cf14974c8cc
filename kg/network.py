"""The network view of the graph: entities as nodes, evidenced facts as edges.

Statement and source nodes are folded into edge attributes (relation, dates,
sources, quotes), so network tools and the HTML view see states,
organizations, treaties and the rest linked directly. Built once here and
used by the HTML view, the GraphML/GEXF exports and the analysis commands.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .entities import ENTITY_CLASSES, LANGUAGES, entities, label, local_name
from .namespaces import KZO, KZO_IRI

DATE_PROPERTIES = (KZO.date, KZO.startDate, KZO.endDate)


@dataclass(frozen=True)
class EvidenceItem:
    statement: str
    source: str
    quote: str
    quote_english: str
    date: str
    note: str


def most_specific_class(graph: Graph, entity: URIRef) -> URIRef:
    """The entity's contract class (State, Treaty, ...), not a subclass, for colouring."""
    types = set(graph.objects(entity, RDF.type))
    for cls in ENTITY_CLASSES:
        if cls in types:
            return cls
    return KZO.Place


def _year(value: str) -> int | None:
    digits = value[:4]
    return int(digits) if digits.isdigit() else None


def build_network(graph: Graph):
    """A networkx MultiDiGraph of the entities and their evidenced facts.

    Node keys are the entities' local names (``Russia``); node attributes hold
    the IRI, class, labels in three languages, alt labels and the ISO code.
    One edge per fact triple (subject, relation, object entity), with the
    evidence of every statement that states it.
    """
    import networkx as nx

    network = nx.MultiDiGraph()
    for entity in entities(graph):
        cls = most_specific_class(graph, entity)
        attributes = {
            "iri": str(entity),
            "class": local_name(cls),
            "alt_labels": " | ".join(sorted({str(a) for a in graph.objects(entity, SKOS.altLabel)})),
            "iso3166": str(graph.value(entity, KZO.iso3166Alpha3) or ""),
        }
        for lang in LANGUAGES:
            attributes[f"label_{lang}"] = _label_exact(graph, entity, lang)
        network.add_node(local_name(entity), **attributes)

    facts: dict[tuple, list[EvidenceItem]] = {}
    for statement in sorted(graph.subjects(RDF.type, RDF.Statement)):
        subject = graph.value(statement, RDF.subject)
        predicate = graph.value(statement, RDF.predicate)
        obj = graph.value(statement, RDF.object)
        if not (isinstance(subject, URIRef) and isinstance(obj, URIRef)):
            continue  # numeric claims have a literal object: they are not edges
        if local_name(subject) not in network or local_name(obj) not in network:
            continue
        facts.setdefault((subject, predicate, obj), []).append(_evidence_item(graph, statement))

    for (subject, predicate, obj), evidence in sorted(facts.items()):
        dates = sorted(e.date for e in evidence if e.date)
        years = [y for y in (_year(d) for d in dates) if y is not None]
        network.add_edge(
            local_name(subject),
            local_name(obj),
            key=local_name(predicate),
            relation=local_name(predicate),
            relation_iri=str(predicate),
            label_en=label(graph, predicate, "en"),
            label_kk=label(graph, predicate, "kk"),
            label_ru=label(graph, predicate, "ru"),
            start=dates[0] if dates else "",
            end=dates[-1] if dates else "",
            year=min(years) if years else None,
            sources=" | ".join(sorted({e.source for e in evidence})),
            statements=" | ".join(e.statement for e in evidence),
            evidence=evidence,
        )
    return network


def _label_exact(graph: Graph, node, lang: str) -> str:
    for literal in graph.objects(node, RDFS.label):
        if literal.language == lang:
            return str(literal)
    return ""


def _evidence_item(graph: Graph, statement: URIRef) -> EvidenceItem:
    source = graph.value(statement, PROV.wasDerivedFrom)
    file_name = graph.value(source, KZO.fileName) if source is not None else None
    if file_name is None and source is not None:
        citation = graph.value(source, DCTERMS.bibliographicCitation)
        source_text = f"{local_name(source)}: {citation}" if citation else local_name(source)
    else:
        source_text = str(file_name or "")
    date = ""
    for prop in DATE_PROPERTIES:
        value = graph.value(statement, prop)
        if value is not None:
            date = str(value)
            break
    notes = [str(n) for n in graph.objects(statement, KZO.note)]
    share = graph.value(statement, KZO.sharePercent)
    if share is not None:
        notes.insert(0, f"share {share} %")
    return EvidenceItem(
        statement=local_name(statement),
        source=source_text,
        quote=str(graph.value(statement, KZO.quote) or ""),
        quote_english=str(graph.value(statement, KZO.quoteEnglish) or ""),
        date=date,
        note="; ".join(notes),
    )


def relation_labels(graph: Graph) -> dict[str, dict[str, str]]:
    """Labels of every kzo: property, by local name and language."""
    out = {}
    for prop in set(graph.subjects(RDF.type, None)):
        if isinstance(prop, URIRef) and str(prop).startswith(KZO_IRI):
            out[local_name(prop)] = {lang: label(graph, prop, lang) for lang in LANGUAGES}
    return out


def is_literal(node) -> bool:
    return isinstance(node, Literal)
