"""kg stats counted with rdflib over the curated and the materialized graph: the second opinion on kg.facts.stats."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph, URIRef
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


def compute_stats(curated: Graph, full: Graph, not_facts: set[str]) -> Stats:
    """Counts over the curated data (facts, statements) and the materialized graph (classes);
    ``not_facts``: the properties the ontology says are not facts (kg.data.ontology)."""
    classes = Counter()
    for cls in set(full.objects(None, RDF.type)):
        if isinstance(cls, URIRef) and str(cls).startswith(KZO_IRI) and cls != KZO.Source:
            classes[cls] = len(set(full.subjects(RDF.type, cls)))
    facts = set(fact_triples(curated, not_facts))
    properties = Counter(p for _, p, _ in facts)
    per_source_statements = Counter()
    per_source_facts: dict[URIRef, set] = {}
    for statement in curated.subjects(RDF.type, RDF.Statement):
        source = curated.value(statement, PROV.wasDerivedFrom)
        per_source_statements[source] += 1
        triple = tuple(curated.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        per_source_facts.setdefault(source, set()).add(triple)
    by_source = []
    for source in sorted(set(curated.subjects(RDF.type, KZO.Source))):
        name = curated.value(source, KZO.fileName)
        by_source.append((source, str(name) if name else "(outside the texts)", per_source_statements[source], len(per_source_facts.get(source, ()))))
    entity_count = len({s for cls in ENTITY_CLASSES for s in full.subjects(RDF.type, cls)})
    disagreements = len({frozenset((a, b)) for a, b in curated.subject_objects(KZO.disagreesWith)})
    return Stats(
        triples_curated=len(curated),
        triples_exported=len(full),
        entities=entity_count,
        facts=len(facts),
        statements=sum(per_source_statements.values()),
        by_class=sorted(classes.items(), key=lambda kv: (-kv[1], str(kv[0]))),
        by_property=sorted(properties.items(), key=lambda kv: (-kv[1], str(kv[0]))),
        by_source=by_source,
        disagreements=disagreements,
    )
