"""The second opinion on kg.render.records: a statement flattened into the CSV's record by walking an
rdflib graph (what kg did before it read the records off the store with SELECTs)."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.core.namespaces import KZO
from kg.facts.entities import label
from kg.render.records import DATE_COLUMNS, _first, entity_class, iso_date  # the walk of one node's values is shared


def _text(term) -> str:
    return "" if term is None else str(term)


def fact_records(graph: Graph, lang: str = "en") -> list[dict]:
    """One record per statement node of an rdflib graph, sorted by subject, predicate, object, statement."""
    records = []
    for statement in graph.subjects(RDF.type, RDF.Statement):
        subject = graph.value(statement, RDF.subject)
        predicate = graph.value(statement, RDF.predicate)
        obj = graph.value(statement, RDF.object)
        source = graph.value(statement, PROV.wasDerivedFrom)
        record = {
            "statement": str(statement),
            "subject": _text(subject),
            "subject_label": label(graph, subject, lang) if subject is not None else "",
            "subject_class": entity_class(graph, subject),
            "subject_iso3166": _first(graph, subject, KZO.iso3166Alpha3),
            "predicate": _text(predicate),
            "predicate_label": label(graph, predicate, lang) if predicate is not None else "",
            "object": _text(obj),
            "object_label": label(graph, obj, lang) if isinstance(obj, URIRef) else _text(obj),
            "object_class": entity_class(graph, obj),
            "object_iso3166": _first(graph, obj, KZO.iso3166Alpha3) if isinstance(obj, URIRef) else "",
        }
        for column, prop in DATE_COLUMNS:
            record[column], record[f"{column}_precision"] = iso_date(_first(graph, statement, prop))
        at_event = _first(graph, statement, KZO.atEvent)
        record.update({
            "share_percent": _first(graph, statement, KZO.sharePercent),
            "count": _first(graph, statement, KZO["count"]),
            "at_event": at_event,
            "note": "; ".join(sorted(str(v) for v in graph.objects(statement, KZO.note))),
            "source": _text(source),
            "evidence": "reference" if source is not None and (source, RDF.type, KZO.Reference) in graph else "text",
            "source_file": _first(graph, source, KZO.fileName) if source is not None else "",
            "citation": _first(graph, source, DCTERMS.bibliographicCitation) if source is not None else "",
            "address": _first(graph, source, RDFS.seeAlso) if source is not None else "",
            "quote": _first(graph, statement, KZO.quote),
            "quote_english": _first(graph, statement, KZO.quoteEnglish),
        })
        records.append(record)
    return sorted(records, key=lambda r: (r["subject"], r["predicate"], r["object"], r["statement"]))
