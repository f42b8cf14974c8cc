"""An entity's card: its names, and every relation with its dates and evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.facts.entities import DATE_PROPERTIES, describe_source, label, local_name
from kg.core.namespaces import KZO, KZO_IRI
from kg.core.paths import reading_link


@dataclass
class Evidence:
    """One statement's evidence: a quote from a text, or a cited reference outside the texts."""

    statement: URIRef
    source: str
    quote: str | None
    quote_english: str | None
    dates: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)
    #: "text" (a quote from one of the five texts) or "reference" (no quote: citation and address)
    kind: str = "text"
    citation: str | None = None
    address: str | None = None
    accessed: str | None = None


@dataclass
class Relation:
    predicate: URIRef
    incoming: bool
    other: URIRef | Literal
    evidence: list[Evidence]


@dataclass
class Card:
    entity: URIRef
    types: list[URIRef]
    labels: dict[str, str]
    alt_labels: list[str]
    iso_code: str | None
    relations: list[Relation]
    surface_forms: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)


def _evidence(graph: Graph, statement: URIRef) -> Evidence:
    source = graph.value(statement, PROV.wasDerivedFrom)
    source_text = describe_source(graph, source)
    quote = graph.value(statement, KZO.quote)
    english = graph.value(statement, KZO.quoteEnglish)
    dates = {local_name(p): str(graph.value(statement, p)) for p in DATE_PROPERTIES if graph.value(statement, p)}
    qualifiers = {}
    for prop in (KZO.sharePercent, KZO["count"], KZO.note, KZO.atEvent):
        # every value, in a stable order (a statement may carry two notes)
        values = sorted(str(label(graph, value)) if isinstance(value, URIRef) else str(value) for value in graph.objects(statement, prop))
        if values:
            qualifiers[local_name(prop)] = "; ".join(values)
    if source is not None and graph.value(source, KZO.fileName) is None:
        # every value in a stable order: a reference may be read at two addresses
        citation, address, accessed = (
            "; ".join(sorted(str(value) for value in graph.objects(source, p))) or None
            for p in (DCTERMS.bibliographicCitation, RDFS.seeAlso, KZO.accessed)
        )
        return Evidence(statement, local_name(source), None, None, dates, qualifiers, "reference", citation, address, accessed)
    return Evidence(statement, source_text, str(quote) if quote else None, str(english) if english else None, dates, qualifiers)


def entity_card(graph: Graph, entity: URIRef) -> Card:
    """Collect ``entity``'s names and its evidenced relations from the built graph."""
    labels = {lit.language or "": str(lit) for lit in graph.objects(entity, RDFS.label)}
    alt_labels = sorted({str(lit) for lit in graph.objects(entity, SKOS.altLabel)})
    types = sorted(t for t in graph.objects(entity, RDF.type) if str(t).startswith(KZO_IRI))
    iso = graph.value(entity, KZO.iso3166Alpha3) or graph.value(entity, KZO.iso3166Part3Code)
    surface_forms = sorted({str(lit) for lit in graph.objects(entity, KZO.surfaceForm)})
    same_as = sorted(str(iri) for iri in graph.objects(entity, OWL.sameAs))

    grouped: dict[tuple, list[Evidence]] = {}
    for role, incoming in ((RDF.subject, False), (RDF.object, True)):
        for statement in graph.subjects(role, entity):
            if (statement, RDF.type, RDF.Statement) not in graph:
                continue
            predicate = graph.value(statement, RDF.predicate)
            other = graph.value(statement, RDF.object if not incoming else RDF.subject)
            # A symmetric relation reads the same from both ends: no inverse heading.
            direction = incoming and (predicate, RDF.type, OWL.SymmetricProperty) not in graph
            grouped.setdefault((predicate, direction, other), []).append(_evidence(graph, statement))
    relations = [
        Relation(predicate, incoming, other, sorted(evidence, key=lambda e: (e.source, str(e.statement))))
        for (predicate, incoming, other), evidence in grouped.items()
    ]
    relations.sort(key=lambda r: (str(r.predicate), r.incoming, _first_date(r), str(r.other)))
    return Card(entity, types, labels, alt_labels, str(iso) if iso else None, relations, surface_forms, same_as)


def _first_date(relation: Relation) -> str:
    dates = [d for e in relation.evidence for d in e.dates.values()]
    return min(dates) if dates else "9999"


def render_card(graph: Graph, card: Card, lang: str = "en") -> str:
    """The card as plain text, for a terminal."""
    lines = [f"{label(graph, card.entity, lang)}  <{card.entity}>"]
    lines.append("  types: " + ", ".join(label(graph, t, lang) for t in card.types))
    for language in ("kk", "en", "ru"):
        if language in card.labels:
            lines.append(f"  label@{language}: {card.labels[language]}")
    if card.alt_labels:
        lines.append("  also: " + ", ".join(card.alt_labels))
    if card.surface_forms:
        lines.append("  forms in the texts: " + ", ".join(card.surface_forms))
    if card.iso_code:
        part = "ISO 3166-3 (former state)" if len(card.iso_code) == 4 else "ISO 3166-1 alpha-3"
        lines.append(f"  {part}: {card.iso_code}")
    for iri in card.same_as:
        lines.append(f"  same as: {iri}")
    current = None
    for relation in card.relations:
        heading = (relation.predicate, relation.incoming)
        if heading != current:
            current = heading
            name = label(graph, relation.predicate, lang)
            lines.append("")
            lines.append(f"{name} (incoming: ← what has this relation to it)" if relation.incoming else name)
        other = label(graph, relation.other, lang) if isinstance(relation.other, URIRef) else str(relation.other)
        symmetric = (relation.predicate, RDF.type, OWL.SymmetricProperty) in graph
        arrow = "↔" if symmetric else ("←" if relation.incoming else "→")
        lines.append(f"  {arrow} {other}")
        for evidence in relation.evidence:
            extras = [f"{k} {v}" for k, v in {**evidence.dates, **evidence.qualifiers}.items()]
            if evidence.kind == "reference":
                # a reference outside the texts: no quote, its citation and address instead
                lines.append(f"      [reference: {evidence.source}]" + (f" {'; '.join(extras)}" if extras else ""))
                if evidence.citation:
                    lines.append(f"        cited: {evidence.citation}")
                if evidence.address:
                    lines.append(f"        at: {evidence.address}" + (f" (read {evidence.accessed})" if evidence.accessed else ""))
                continue
            lines.append(f"      [{evidence.source}]" + (f" {'; '.join(extras)}" if extras else ""))
            if evidence.quote:
                lines.append(f"        kk: «{evidence.quote}»")
                if evidence.source.endswith(".txt"):  # a quote from one of the texts: its reading page
                    lines.append(f"        in the text: exports/{reading_link(evidence.source, local_name(evidence.statement))}")
            if evidence.quote_english:
                lines.append(f"        en: “{evidence.quote_english}”")
    return "\n".join(lines) + "\n"
