"""One row per piece of evidence: a statement node, flattened (``kg export csv``, ``kg timeline``)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.core.namespaces import KZO
from kg.core.prefixes import compact_iri
from kg.facts.entities import label


@dataclass(frozen=True)
class FactRow:
    """One piece of evidence for one fact: a statement node, flattened."""

    statement: str
    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    date: str
    start_date: str
    end_date: str
    share_percent: str
    count: str
    at_event: str
    note: str
    source: str
    source_file: str
    quote: str
    quote_english: str


FACT_COLUMNS = [f.name for f in fields(FactRow)]


def _term_text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    return str(term)


def _joined(graph: Graph, node, prop, separator: str = " | ") -> str:
    return separator.join(sorted(_term_text(v) for v in graph.objects(node, prop)))


def fact_rows(graph: Graph, lang: str = "en") -> list[FactRow]:
    """One row per statement node (a fact stated by two texts has two rows), sorted."""
    rows = []
    for statement in graph.subjects(RDF.type, RDF.Statement):
        subject = graph.value(statement, RDF.subject)
        predicate = graph.value(statement, RDF.predicate)
        obj = graph.value(statement, RDF.object)
        source = graph.value(statement, PROV.wasDerivedFrom)
        source_file = ""
        if source is not None:
            source_file = str(graph.value(source, KZO.fileName) or graph.value(source, DCTERMS.bibliographicCitation) or "")
        rows.append(
            FactRow(
                statement=_term_text(statement),
                subject=_term_text(subject),
                subject_label=label(graph, subject, lang) if subject is not None else "",
                predicate=_term_text(predicate),
                predicate_label=label(graph, predicate, lang) if predicate is not None else "",
                object=_term_text(obj),
                object_label=label(graph, obj, lang) if isinstance(obj, URIRef) else _term_text(obj),
                date=_joined(graph, statement, KZO.date),
                start_date=_joined(graph, statement, KZO.startDate),
                end_date=_joined(graph, statement, KZO.endDate),
                share_percent=_joined(graph, statement, KZO.sharePercent),
                count=_joined(graph, statement, KZO["count"]),
                at_event=_joined(graph, statement, KZO.atEvent),
                note=_joined(graph, statement, KZO.note, "; "),
                source=_term_text(source),
                source_file=source_file,
                quote=_joined(graph, statement, KZO.quote),
                quote_english=_joined(graph, statement, KZO.quoteEnglish),
            )
        )
    return sorted(rows, key=lambda row: (row.subject, row.predicate, row.object, row.statement))
