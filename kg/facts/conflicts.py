"""Disagreements: pairs of statements linked with kzo:disagreesWith."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from kg.facts.entities import DATE_PROPERTIES, describe_source, label, local_name
from kg.core.namespaces import KZO


@dataclass
class Claim:
    statement: URIRef
    fact: str
    value: str
    source: str
    quote: str
    quote_english: str
    note: str


@dataclass
class Conflict:
    first: Claim
    second: Claim


def _claim(graph: Graph, statement: URIRef) -> Claim:
    subject = graph.value(statement, RDF.subject)
    predicate = graph.value(statement, RDF.predicate)
    obj = graph.value(statement, RDF.object)
    other = label(graph, obj) if isinstance(obj, URIRef) else str(obj)
    values = []
    for prop in (*DATE_PROPERTIES, KZO["count"], KZO.sharePercent):
        value = graph.value(statement, prop)
        if value is not None:
            values.append(f"{local_name(prop)}={value}")
    return Claim(
        statement=statement,
        fact=f"{label(graph, subject)} — {label(graph, predicate)} — {other}",
        value=", ".join(values),
        source=describe_source(graph, graph.value(statement, PROV.wasDerivedFrom)),
        quote=str(graph.value(statement, KZO.quote) or ""),
        quote_english=str(graph.value(statement, KZO.quoteEnglish) or ""),
        note=" ".join(str(n) for n in graph.objects(statement, KZO.note)),
    )


def find_conflicts(graph: Graph) -> list[Conflict]:
    """Every disagreeing pair once, in a stable order."""
    pairs = {tuple(sorted((a, b))) for a, b in graph.subject_objects(KZO.disagreesWith)}
    return [Conflict(_claim(graph, a), _claim(graph, b)) for a, b in sorted(pairs)]
