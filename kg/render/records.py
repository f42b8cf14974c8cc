"""Facts and entities as records of plain values: the CSV tables, ``kg.load().facts()``, the DataFrame, ``kg timeline``.

One record per statement node (a fact stated by two sources has two), and
one per entity. Every identifier is a full IRI, so the two tables join on
``subject``/``object`` = ``id`` and any RDF tool reads them back. A date is
written as the ISO 8601 day its value starts on (``"1992"`` becomes
``"1992-01-01"``), beside a precision column (``day``, ``month`` or
``year``): every value then has one format that pandas and spreadsheets
parse without hints, and the precision says how much of it the source
stated.

A statement is flattened once, by ``records_of_statements``, from the plain
data ``kg.facts.parts.read_statements`` reads off a store with two SELECTs
(or that ``kg build`` kept for ``kg timeline``): the CSV, ``facts()`` and the
timeline all get their records there, at any size. The entities' records
still walk an rdflib graph.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.core.namespaces import KZO
from kg.core.prefixes import LANGUAGES, PREFIXES, compact_iri
from kg.facts.entities import ENTITY_CLASS_IRIS, choose_label, entities, label
from kg.facts.parts import read_statements, timeline_statements
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


def fact_records(store, lang: str = "en") -> list[dict]:
    """One record per statement node of the graph in ``store`` (a pyoxigraph Store), sorted by
    subject, predicate, object, statement."""
    return records_of_statements(read_statements(store, "?statement a rdf:Statement ."), lang)


def records_of_statements(data: dict, lang: str = "en") -> list[dict]:
    """The records of the statements ``data`` holds (``kg.facts.parts.read_statements``, or what
    ``kg build`` kept of it), labelled in ``lang``: the one flattening of a statement, for the CSV,
    ``kg.load().facts()`` and ``kg timeline``."""
    rdf, rdfs, kzo = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["kzo"]
    about = data["about"]
    labels = {iri: {language or None: text for language, text in known.items()} for iri, known in data["labels"].items()}
    entity_classes = set(ENTITY_CLASS_IRIS)

    def first(values: list | None) -> str:  # the smallest value (a statement has one of each qualifier)
        return min(values) if values else ""

    def texts(values: dict, prop: str) -> list[str]:
        return [text for text, _ in values.get(prop, ())]

    def described(term: str, prop: str) -> str:
        return first(about.get(term, {}).get(prop))

    def label_of(value) -> str:
        if value is None:
            return ""
        return choose_label(labels.get(value[0], {}), value[0], lang) if value[1] == "i" else value[0]

    def class_of(value) -> str:
        if value is None or value[1] != "i":
            return ""
        types = set(about.get(value[0], {}).get(rdf + "type", ()))
        return most_specific_class_iri(types) if types & entity_classes else ""

    records = []
    for statement, values in data["statements"].items():
        subject, predicate, obj, source = (min(values[prop]) if values.get(prop) else None for prop in (
            rdf + "subject", rdf + "predicate", rdf + "object", PREFIXES["prov"] + "wasDerivedFrom"))
        source_iri = source[0] if source is not None and source[1] == "i" else None
        record = {
            "statement": statement,
            "subject": subject[0] if subject else "",
            "subject_label": label_of(subject),
            "subject_class": class_of(subject),
            "subject_iso3166": described(subject[0], kzo + "iso3166Alpha3") if subject else "",
            "predicate": predicate[0] if predicate else "",
            "predicate_label": label_of(predicate),
            "object": obj[0] if obj else "",
            "object_label": label_of(obj),
            "object_class": class_of(obj),
            "object_iso3166": described(obj[0], kzo + "iso3166Alpha3") if obj and obj[1] == "i" else "",
        }
        for column, prop in DATE_COLUMNS:
            record[column], record[f"{column}_precision"] = iso_date(first(texts(values, str(prop))))
        record.update({
            "share_percent": first(texts(values, kzo + "sharePercent")),
            "count": first(texts(values, kzo + "count")),
            "at_event": first(texts(values, kzo + "atEvent")),
            "note": "; ".join(sorted(texts(values, kzo + "note"))),
            "source": source[0] if source else "",
            "evidence": "reference" if source_iri and kzo + "Reference" in about.get(source_iri, {}).get(rdf + "type", ()) else "text",
            "source_file": described(source_iri, kzo + "fileName") if source_iri else "",
            "citation": described(source_iri, PREFIXES["dcterms"] + "bibliographicCitation") if source_iri else "",
            "address": described(source_iri, rdfs + "seeAlso") if source_iri else "",
            "quote": first(texts(values, kzo + "quote")),
            "quote_english": first(texts(values, kzo + "quoteEnglish")),
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


def timeline(store, entity: str | None = None, lang: str = "en", kept: dict | None = None) -> Table:
    """``kg timeline``: every dated statement (about ``entity``, if given) in date order, then by
    fact, with its evidence; ``kept``: the dated statements ``kg build`` kept, else read from ``store``."""
    def written(record: dict, column: str) -> str:  # the date as the source gives it: 1992, 1992-03, 1992-03-02
        value, precision = record[column], record[f"{column}_precision"]
        return value[:{"year": 4, "month": 7}.get(precision, len(value))]

    records = records_of_statements(timeline_statements(store, entity, kept), lang)
    first_day = lambda record: record["date"] or record["start_date"] or record["end_date"]  # noqa: E731
    records.sort(key=lambda record: (first_day(record), compact_iri(record["subject"]), compact_iri(record["predicate"]),
                                     compact_iri(record["object"]), compact_iri(record["statement"])))
    return Table(
        ["date", "end", "subject", "relation", "object", "source", "quote", "quote_english"],
        [
            [written(record, "date") or written(record, "start_date"), written(record, "end_date"),
             record["subject_label"], compact_iri(record["predicate"]).removeprefix("kzo:"), record["object_label"],
             record["source_file"] or record["citation"] or compact_iri(record["source"]),
             record["quote"], record["quote_english"]]
            for record in records if first_day(record)
        ],
    )
