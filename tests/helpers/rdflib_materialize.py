"""The closures of kg.data.store computed with rdflib: the second opinion on materialization.

Add what a plain SPARQL query should not need a reasoner for.

Three closures, read off the ontology: every superclass ``rdf:type``, the
superproperties of every fact (``kzo:signed`` gives ``kzo:partyTo``), and the
reverse direction of every symmetric property.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.core.namespaces import KZO_IRI


def _ancestors(graph: Graph, relation: URIRef) -> dict[URIRef, set[URIRef]]:
    """Transitive closure of ``relation`` (subClassOf or subPropertyOf) over named terms."""
    direct: dict[URIRef, set[URIRef]] = {}
    for child, parent in graph.subject_objects(relation):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            direct.setdefault(child, set()).add(parent)
    closed: dict[URIRef, set[URIRef]] = {}
    for term in direct:
        seen: set[URIRef] = set()
        stack = list(direct[term])
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(direct.get(parent, ()))
        closed[term] = seen
    return closed


def inferred_triples(data: Graph, ontology: Graph) -> Graph:
    """The triples that the closures add to ``data`` (and only those)."""
    superclasses = _ancestors(ontology, RDFS.subClassOf)
    superproperties = _ancestors(ontology, RDFS.subPropertyOf)
    symmetric = {p for p in ontology.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(p, URIRef)}

    added = Graph()
    for subject, cls in data.subject_objects(RDF.type):
        for parent in superclasses.get(cls, ()):
            if (subject, RDF.type, parent) not in data:
                added.add((subject, RDF.type, parent))

    # Superproperties, then symmetry, until nothing new appears: a symmetric
    # superproperty of a curated property needs both.
    frontier = [t for t in data if str(t[1]).startswith(KZO_IRI)]
    while frontier:
        new = []
        for subject, predicate, obj in frontier:
            candidates = [(subject, parent, obj) for parent in superproperties.get(predicate, ())]
            if predicate in symmetric and isinstance(obj, URIRef):
                candidates.append((obj, predicate, subject))
            for triple in candidates:
                if triple not in data and triple not in added:
                    added.add(triple)
                    new.append(triple)
        frontier = new
    return added


def materialize(data: Graph, ontology: Graph) -> Graph:
    """Return ontology + data + every inferred triple, as one new graph."""
    from kg.data.load import new_graph

    full = new_graph()
    full += ontology
    full += data
    full += inferred_triples(full, ontology)
    return full
