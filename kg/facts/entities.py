"""Entities and the names people use for them: find one by IRI, prefixed name,
local name or any label in any language; label it; name a statement's source.

rdflib is imported only inside the functions that take an rdflib Graph, so the
pure helpers here (``local_name``, ``source_description``, the class and
language lists) serve the rdflib-free path over the query store too
(``kg.network.store``).
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING

from kg.core.errors import EntityNotFound
from kg.data.evidence import fold_for_search
from kg.core.prefixes import KZ_IRI, KZO_IRI, LANGUAGES, PREFIXES
from kg.facts.wordforms import stem_candidates

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

#: The entity classes of the contract (statements and sources are not entities),
#: in the order that picks an entity's colour class (``kg.network.most_specific_class``).
ENTITY_CLASS_NAMES = (
    "State",
    "InternationalOrganization",
    "Treaty",
    "Event",
    "Person",
    "Initiative",
    "Company",
    "Place",
    "NationalAct",
    "Weapon",
    "StateGroup",
    "Topic",
)
ENTITY_CLASS_IRIS = tuple(KZO_IRI + name for name in ENTITY_CLASS_NAMES)

#: Date qualifiers of a statement, most specific use first.
DATE_PROPERTY_IRIS = (KZO_IRI + "date", KZO_IRI + "startDate", KZO_IRI + "endDate")


def __getattr__(name: str):
    # The rdflib forms of the lists above, built on first use: importing this
    # module must not import rdflib.
    if name == "ENTITY_CLASSES":
        from kg.core.namespaces import KZO

        return tuple(KZO[n] for n in ENTITY_CLASS_NAMES)
    if name == "DATE_PROPERTIES":
        from kg.core.namespaces import KZO

        return (KZO.date, KZO.startDate, KZO.endDate)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def entities(graph: Graph) -> list[URIRef]:
    """Every entity of the (materialized) graph, sorted."""
    from rdflib import RDF, URIRef

    from kg.core.namespaces import KZO

    found = set()
    for cls in ENTITY_CLASS_NAMES:
        found.update(s for s in graph.subjects(RDF.type, KZO[cls]) if isinstance(s, URIRef))
    return sorted(found)


def label(graph: Graph, node, lang: str = "en") -> str:
    """The node's rdfs:label in ``lang``, falling back to en, kk, ru, then its local name."""
    from rdflib import RDFS

    return choose_label({literal.language: str(literal) for literal in graph.objects(node, RDFS.label)}, node, lang)


def choose_label(labels: dict, node, lang: str = "en") -> str:
    """From ``labels`` (language tag -> text): ``lang``, else en, kk, ru, else any (the first in
    sort order), else the node's local name."""
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
    from rdflib.namespace import DCTERMS

    from kg.core.namespaces import KZO

    if source is None:
        return "?"
    file_name = graph.value(source, KZO.fileName)
    citation = graph.value(source, DCTERMS.bibliographicCitation) if file_name is None else None
    return source_description(str(source), file_name, citation)


def source_description(source: str | None, file_name=None, citation=None) -> str:
    """``describe_source`` from the source's IRI, kzo:fileName and dcterms:bibliographicCitation (None: absent)."""
    if source is None:
        return "?"
    if file_name is not None:
        return str(file_name)
    return f"{local_name(source)} (outside the texts: {citation})" if citation else local_name(source)


def resolve(graph: Graph, name: str) -> URIRef:
    """The one entity ``name`` refers to; raise EntityNotFound with suggestions otherwise."""
    from rdflib import RDFS, URIRef
    from rdflib.namespace import SKOS

    from kg.core.namespaces import KZO

    names = {
        str(entity): [str(v) for p in (RDFS.label, SKOS.altLabel, KZO.surfaceForm) for v in graph.objects(entity, p)]
        for entity in entities(graph)
    }
    return URIRef(resolve_name(names, name))


def direct_match(candidates: set[str], name: str) -> str | None:
    """The IRI among ``candidates`` that ``name`` spells out as an IRI, a prefixed name or a
    local name, as ``resolve_name`` tries them first; None when it spells none (it may be a
    label). An IRI that is no candidate raises EntityNotFound: it is never taken for a label."""
    name = unicodedata.normalize("NFC", name.strip())
    if name.startswith(("http://", "https://")):
        if name in candidates:
            return name
        raise EntityNotFound(name)
    if ":" in name:
        prefix, rest = name.split(":", 1)
        if prefix in PREFIXES and PREFIXES[prefix] + rest in candidates:
            return PREFIXES[prefix] + rest
    if KZ_IRI + name in candidates:
        return KZ_IRI + name
    return None


def resolve_name(names: dict[str, list[str]], name: str) -> str:
    """The IRI of the one entity ``name`` refers to, among ``names`` (entity IRI -> its labels,
    alt labels and surface forms); raise EntityNotFound with suggestions otherwise.

    ``name`` is an IRI, a prefixed name (``kz:Russia``), a local name, or any
    label, alt label or surface form, with case, ə/ә and spacing folded; a
    Kazakh word form not listed is found by its stem (Қытаймен → China).
    """
    # NFC: a name typed with combining marks (й as и + U+0306, as some keyboards and macOS
    # file names give it) is the same name as the precomposed one in the data.
    found = direct_match(set(names), name)
    if found is not None:
        return found
    name = unicodedata.normalize("NFC", name.strip())

    wanted = fold_for_search(name)
    by_key: dict[str, set[str]] = {}
    for entity, labels in names.items():
        keys = {fold_for_search(local_name(entity))}
        keys.update(fold_for_search(label) for label in labels)
        for key in keys:
            by_key.setdefault(key, set()).add(entity)
    matches: set[str] = set()
    for form in stem_candidates(wanted):  # the name as typed first, then its stems
        matches = by_key.get(form, set())
        if matches:
            break
    if len(matches) == 1:
        return next(iter(matches))
    if len(matches) > 1:
        found = sorted(local_name(m) for m in matches)
        raise EntityNotFound(name, [f"kz:{n}" for n in found])
    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.7)
    suggestions = sorted({f"kz:{local_name(e)}" for key in close for e in by_key[key]})
    raise EntityNotFound(name, suggestions)
