"""kg stats counted with rdflib over the curated and the materialized graph: the second opinion on kg.facts.stats."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV

from kg.core.namespaces import KZO, KZO_IRI
from kg.facts.entities import ENTITY_CLASS_IRIS
from kg.facts.stats import Stats

ENTITY_CLASSES = [URIRef(iri) for iri in ENTITY_CLASS_IRIS]


def fact_triples(graph: Graph, not_facts: set[str]):
    """Triples about entities with a kzo: predicate other than ``not_facts`` (names, codes, bookkeeping)."""
    statement_or_source = set(graph.subjects(RDF.type, RDF.Statement)) | set(graph.subjects(RDF.type, KZO.Source))
    for subject, predicate, obj in graph:
        if str(predicate).startswith(KZO_IRI) and str(predicate) not in not_facts and subject not in statement_or_source:
            yield subject, predicate, obj


def _entity_classes(full: Graph) -> set[URIRef]:
    """The entity classes and every class below them (rdfs:subClassOf, followed to any depth)."""
    found = set(ENTITY_CLASSES)
    todo = list(ENTITY_CLASSES)
    while todo:
        for sub in full.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def compute_stats(curated: Graph, full: Graph, not_facts: set[str]) -> Stats:
    """Counts over the curated data (facts, statements) and the materialized graph (classes);
    ``not_facts``: the properties the ontology says are not facts (kg.data.ontology).

    Classes: the entity classes and their subclasses only. Sources: one row per text
    (a source with a kzo:fileName), then the references outside the texts together
    in one row named kzo:Reference, their statements and distinct facts counted over all of them.
    """
    classes = Counter()
    for cls in _entity_classes(full):
        members = set(full.subjects(RDF.type, cls))
        if members:
            classes[cls] = len(members)
    facts = set(fact_triples(curated, not_facts))
    properties = Counter(p for _, p, _ in facts)
    texts = {source for source, _ in curated.subject_objects(KZO.fileName)}
    reference = URIRef(KZO_IRI + "Reference")
    per_source_statements: dict[URIRef, set] = {}
    per_source_facts: dict[URIRef, set] = {}
    derivations = 0
    for statement in set(curated.subjects(RDF.type, RDF.Statement)):
        triple = tuple(curated.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        for origin in set(curated.objects(statement, PROV.wasDerivedFrom)):
            derivations += 1
            row = origin if origin in texts else reference
            per_source_statements.setdefault(row, set()).add(statement)
            if None not in triple:
                per_source_facts.setdefault(row, set()).add(triple)
    by_source = [
        (source, str(name), len(per_source_statements.get(source, ())), len(per_source_facts.get(source, ())))
        for source, name in sorted(curated.subject_objects(KZO.fileName), key=lambda pair: (str(pair[0]), str(pair[1])))
    ]
    references = {source for source in curated.subjects(RDF.type, KZO.Source) if source not in texts}
    if references:
        by_source.append((reference, f"({len(references)} references outside the texts)",
                          len(per_source_statements.get(reference, ())), len(per_source_facts.get(reference, ()))))
    entity_count = len({s for cls in ENTITY_CLASSES for s in full.subjects(RDF.type, cls)})
    disagreements = len({frozenset((a, b)) for a, b in curated.subject_objects(KZO.disagreesWith)})
    return Stats(
        triples_curated=len(curated),
        triples_exported=len(full),
        entities=entity_count,
        facts=len(facts),
        statements=derivations,
        by_class=sorted(classes.items(), key=lambda kv: (-kv[1], str(kv[0]))),
        by_property=sorted(properties.items(), key=lambda kv: (-kv[1], str(kv[0]))),
        by_source=by_source,
        disagreements=disagreements,
    )
