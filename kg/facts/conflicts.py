"""Disagreements: pairs of statements linked with kzo:disagreesWith.

``kg build`` finds them on its own store and keeps them in ``.kg-cache/``
(``keep_conflicts``, ``kg.data.kept``): ``kg conflicts`` read them from the
persistent store in 1.5 s at a million triples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from kg.core.namespaces import KZO
from kg.core.paths import DataPaths
from kg.data.kept import keep, kept
from kg.facts.entities import DATE_PROPERTIES, describe_source, label, local_name


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


_CODE = (Path(__file__), Path(__file__).with_name("parts.py"), Path(__file__).with_name("entities.py"))
_CLAIM_FIELDS = [f.name for f in fields(Claim)]


def conflicts_in_store(store) -> list[Conflict]:
    """``find_conflicts`` of the statements linked by kzo:disagreesWith in ``store``, read alone."""
    from kg.facts.parts import conflicts_part

    return find_conflicts(conflicts_part(store))


def keep_conflicts(paths: DataPaths, store, export_digest: str) -> None:
    """``kg build``'s step: find the disagreements on the build's store and keep them in ``.kg-cache/``."""
    found = conflicts_in_store(store)
    keep(paths, "conflicts", export_digest, _CODE,
         [[[str(getattr(claim, name)) for name in _CLAIM_FIELDS] for claim in (c.first, c.second)] for c in found])


def kept_conflicts(paths: DataPaths) -> list[Conflict] | None:
    """The disagreements ``kg build`` kept for the export as it is now; None when there are none that fit."""
    data = kept(paths, "conflicts", _CODE)
    if not (isinstance(data, list) and {type(pair) for pair in data} <= {list} and {len(pair) for pair in data} <= {2}):
        return None
    claims = [claim for pair in data for claim in pair]
    if not ({type(claim) for claim in claims} <= {list} and {len(claim) for claim in claims} <= {len(_CLAIM_FIELDS)}
            and {type(value) for claim in claims for value in claim} <= {str}):
        return None
    return [Conflict(*(Claim(URIRef(claim[0]), *claim[1:]) for claim in pair)) for pair in data]
