"""Entities and the names people use for them: find one by IRI, prefixed name,
local name or any label in any language; label it; name a statement's source."""

from __future__ import annotations

import difflib

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .errors import EntityNotFound
from .evidence import fold_for_search
from .namespaces import KZ_IRI, KZO, PREFIXES

#: The entity classes of the contract (statements and sources are not entities).
ENTITY_CLASSES = (
    KZO.State,
    KZO.InternationalOrganization,
    KZO.Treaty,
    KZO.Event,
    KZO.Person,
    KZO.Initiative,
    KZO.Company,
    KZO.Place,
    KZO.NationalAct,
    KZO.Weapon,
)

#: Languages in the order labels fall back to.
LANGUAGES = ("en", "kk", "ru")

#: Date qualifiers of a statement, most specific use first.
DATE_PROPERTIES = (KZO.date, KZO.startDate, KZO.endDate)


def entities(graph: Graph) -> list[URIRef]:
    """Every entity of the (materialized) graph, sorted."""
    found = set()
    for cls in ENTITY_CLASSES:
        found.update(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef))
    return sorted(found)


def label(graph: Graph, node, lang: str = "en") -> str:
    """The node's rdfs:label in ``lang``, falling back to en, kk, ru, then its local name."""
    labels = {literal.language: str(literal) for literal in graph.objects(node, RDFS.label)}
    for choice in (lang, *LANGUAGES):
        if choice in labels:
            return labels[choice]
    if labels:
        return sorted(labels.values())[0]
    return local_name(node)


def local_name(node) -> str:
    text = str(node)
    for separator in ("#", "/"):
        if separator in text:
            text = text.rsplit(separator, 1)[1] or text
    return text


def describe_source(graph: Graph, source) -> str:
    """A source as people cite it: its text's file name, or its citation when outside the texts."""
    if source is None:
        return "?"
    file_name = graph.value(source, KZO.fileName)
    if file_name is not None:
        return str(file_name)
    citation = graph.value(source, DCTERMS.bibliographicCitation)
    return f"{local_name(source)} (outside the texts: {citation})" if citation else local_name(source)


def resolve(graph: Graph, name: str) -> URIRef:
    """The one entity ``name`` refers to; raise EntityNotFound with suggestions otherwise."""
    name = name.strip()
    candidates = set(entities(graph))
    if name.startswith(("http://", "https://")):
        if URIRef(name) in candidates:
            return URIRef(name)
        raise EntityNotFound(name)
    if ":" in name:
        prefix, rest = name.split(":", 1)
        if prefix in PREFIXES and URIRef(PREFIXES[prefix] + rest) in candidates:
            return URIRef(PREFIXES[prefix] + rest)
    if URIRef(KZ_IRI + name) in candidates:
        return URIRef(KZ_IRI + name)

    wanted = fold_for_search(name)
    by_key: dict[str, set[URIRef]] = {}
    for entity in candidates:
        keys = {fold_for_search(local_name(entity))}
        keys.update(fold_for_search(str(v)) for v in graph.objects(entity, RDFS.label))
        keys.update(fold_for_search(str(v)) for v in graph.objects(entity, SKOS.altLabel))
        for key in keys:
            by_key.setdefault(key, set()).add(entity)
    matches = by_key.get(wanted, set())
    if len(matches) == 1:
        return next(iter(matches))
    if len(matches) > 1:
        names = sorted(local_name(m) for m in matches)
        raise EntityNotFound(name, [f"kz:{n}" for n in names])
    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.7)
    suggestions = sorted({f"kz:{local_name(e)}" for key in close for e in by_key[key]})
    raise EntityNotFound(name, suggestions)
