"""Facts and entities as records of plain values: the CSV tables, ``kg.load().facts()``, the DataFrame, ``kg timeline``.

One record per statement node (a fact stated by two sources has two), and
one per entity. Every identifier is a full IRI, so the two tables join on
``subject``/``object`` = ``id`` and any RDF tool reads them back. A date is
written as the ISO 8601 day its value starts on (``"1992"`` becomes
``"1992-01-01"``), beside a precision column (``day``, ``month`` or
``year``): every value then has one format that pandas and spreadsheets
parse without hints, and the precision says how much of it the source
stated.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.core.namespaces import KZO
from kg.core.prefixes import LANGUAGES, compact_iri
from kg.facts.entities import entities, label
from kg.network.analysis import Table
from kg.network.model import date_bounds, most_specific_class_iri

#: The date qualifiers of a statement, as (column, property).
DATE_COLUMNS = (("date", KZO.date), ("start_date", KZO.startDate), ("end_date", KZO.endDate))

#: Columns of the facts table, in order.
FACT_COLUMNS = [
    "statement", "subject", "subject_label", "subject_class", "subject_iso3166",
    "predicate", "predicate_label", "object", "object_label", "object_class", "object_iso3166",
    "date", "date_precision", "start_date", "start_date_precision", "end_date", "end_date_precision",
    "share_percent", "count", "at_event", "note",
    "source", "evidence", "source_file", "citation", "address", "quote", "quote_english",
]

#: Columns of the nodes table, in order.
NODE_COLUMNS = ["id", "label", "label_en", "label_kk", "label_ru", "class", "iso3166", "iso3166_3", "same_as", "alt_labels"]


def iso_date(value: str) -> tuple[str, str]:
    """The first day ``value`` (an xsd:date, gYearMonth or gYear) stands for, and its precision.

    >>> iso_date("1992"), iso_date("2012-02"), iso_date("1992-03-02")
    (('1992-01-01', 'year'), ('2012-02-01', 'month'), ('1992-03-02', 'day'))
    >>> iso_date("")
    ('', '')
    """
    value = value.strip()
    first, _ = date_bounds(value) if value else (None, None)
    if first is None:
        return value, ""
    return first, {4: "year", 7: "month"}.get(len(value), "day")


def _text(term) -> str:
    return "" if term is None else str(term)


def _first(graph: Graph, node, prop) -> str:
    """The smallest value of ``prop`` on ``node`` (a statement has at most one of each qualifier)."""
    values = sorted(str(v) for v in graph.objects(node, prop))
    return values[0] if values else ""


def entity_class(graph: Graph, node) -> str:
    """The contract class of an entity (full IRI); empty for a literal or a node of no entity class."""
    if not isinstance(node, URIRef):
        return ""
    types = {str(t) for t in graph.objects(node, RDF.type)}
    from kg.facts.entities import ENTITY_CLASS_IRIS

    return most_specific_class_iri(types) if types & set(ENTITY_CLASS_IRIS) else ""


def fact_records(graph: Graph, lang: str = "en") -> list[dict]:
    """One record per statement node, sorted by subject, predicate, object, statement."""
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


def node_records(graph: Graph, lang: str = "en") -> list[dict]:
    """One record per entity, sorted by IRI: names in each language, class, ISO codes, Wikidata link."""
    records = []
    for entity in entities(graph):
        labels = {literal.language: str(literal) for literal in graph.objects(entity, RDFS.label) if isinstance(literal, Literal)}
        record = {"id": str(entity), "label": label(graph, entity, lang)}
        record.update({f"label_{language}": labels.get(language, "") for language in LANGUAGES})
        record.update({
            "class": entity_class(graph, entity),
            "iso3166": _first(graph, entity, KZO.iso3166Alpha3),
            "iso3166_3": _first(graph, entity, KZO.iso3166Part3Code),
            "same_as": " ".join(sorted({str(v) for p in (OWL.sameAs, SKOS.exactMatch) for v in graph.objects(entity, p)})),
            "alt_labels": " | ".join(sorted({str(v) for v in graph.objects(entity, SKOS.altLabel)})),
        })
        records.append(record)
    return records


def timeline_table(rows, entity: str | None = None) -> Table:
    """``kg timeline``: the dated ones of ``rows`` (``kg.facts.rows.FactRow``, as
    ``kg.facts.parts.timeline_rows`` reads them), about ``entity`` if given, in date order
    (then by fact), with their evidence."""
    def first_day(row) -> str:
        value = (row.date or row.start_date or row.end_date).split(" | ")[0]
        return date_bounds(value)[0] or value

    rows = [row for row in rows if row.date or row.start_date or row.end_date]
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
