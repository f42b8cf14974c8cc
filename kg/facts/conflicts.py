"""Disagreements: pairs of statements linked with kzo:disagreesWith."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from kg.facts.entities import DATE_PROPERTIES, describe_source, label, local_name
from kg.core.namespaces import KZO
from kg.render.tables import render_rows


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


def render_conflicts(graph: Graph, conflicts: list[Conflict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            [{"first": _as_dict(c.first), "second": _as_dict(c.second)} for c in conflicts], ensure_ascii=False, indent=2
        ) + "\n"
    if fmt == "csv":
        rows = []
        for number, conflict in enumerate(conflicts, start=1):
            for claim in (conflict.first, conflict.second):
                rows.append([number, local_name(claim.statement), claim.fact, claim.value, claim.source, claim.quote, claim.quote_english, claim.note])
        return render_rows(["conflict", "statement", "fact", "value", "source", "quote", "quote_english", "note"], rows, "csv")
    lines = [f"{len(conflicts)} disagreement(s)\n"]
    for number, conflict in enumerate(conflicts, start=1):
        lines.append(f"#{number}")
        for side, claim in (("A", conflict.first), ("B", conflict.second)):
            lines.append(f"  {side}. {claim.fact}" + (f"  [{claim.value}]" if claim.value else ""))
            lines.append(f"     source: {claim.source}   ({local_name(claim.statement)})")
            if claim.quote:
                lines.append(f"     kk: «{claim.quote}»")
            if claim.quote_english:
                lines.append(f"     en: “{claim.quote_english}”")
            if claim.note:
                lines.append(f"     note: {claim.note}")
        lines.append("")
    return "\n".join(lines)


def _as_dict(claim: Claim) -> dict:
    return {
        "statement": str(claim.statement),
        "fact": claim.fact,
        "value": claim.value,
        "source": claim.source,
        "quote": claim.quote,
        "quote_english": claim.quote_english,
        "note": claim.note,
    }
