"""The network of facts built from an rdflib graph: the second opinion on kg.network.store."""

from __future__ import annotations

import functools
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from kg.facts.entities import LANGUAGES, describe_source, entities, label, local_name
from kg.network.model import EvidenceItem, evidence_note, fact_attributes, most_specific_class_iri


def most_specific_class(graph: Graph, entity: URIRef) -> URIRef:
    """The entity's contract class (State, Treaty, ...), not a subclass, for colouring."""
    from rdflib import RDF, URIRef

    return URIRef(most_specific_class_iri({str(t) for t in graph.objects(entity, RDF.type) if isinstance(t, URIRef)}))


def build_network(graph: Graph):
    """A networkx MultiDiGraph of the entities and their evidenced facts.

    Node keys are the entities' local names (``Russia``); node attributes hold
    the IRI, class, labels in three languages, alt labels and the ISO code.
    One edge per fact triple (subject, relation, object entity), with the
    evidence of every statement that states it, and ``spells``: the merged
    intervals of xsd:date bounds (None: open) over which the fact held, empty
    when no statement dates it.
    """
    import networkx as nx
    from rdflib import RDF, URIRef
    from rdflib.namespace import SKOS

    from kg.core.namespaces import KZO

    network = nx.MultiDiGraph()
    for entity in entities(graph):
        cls = most_specific_class(graph, entity)
        attributes = {
            "iri": str(entity),
            "class": local_name(cls),
            "alt_labels": " | ".join(sorted({str(a) for a in graph.objects(entity, SKOS.altLabel)})),
            "surface_forms": " | ".join(sorted({str(a) for a in graph.objects(entity, KZO.surfaceForm)})),
            "iso3166": str(graph.value(entity, KZO.iso3166Alpha3) or graph.value(entity, KZO.iso3166Part3Code) or ""),
        }
        for lang in LANGUAGES:
            attributes[f"label_{lang}"] = _label_exact(graph, entity, lang)
        network.add_node(local_name(entity), **attributes)

    facts: dict[tuple, list[EvidenceItem]] = {}
    for statement in sorted(graph.subjects(RDF.type, RDF.Statement)):
        subject = graph.value(statement, RDF.subject)
        predicate = graph.value(statement, RDF.predicate)
        obj = graph.value(statement, RDF.object)
        if not (isinstance(subject, URIRef) and isinstance(obj, URIRef)):
            continue  # numeric claims have a literal object: they are not edges
        if local_name(subject) not in network or local_name(obj) not in network:
            continue
        facts.setdefault((subject, predicate, obj), []).append(_evidence_item(graph, statement))

    for (subject, predicate, obj), evidence in sorted(facts.items()):
        labels = {lang: label(graph, predicate, lang) for lang in LANGUAGES}
        network.add_edge(local_name(subject), local_name(obj), key=local_name(predicate),
                         **fact_attributes(str(predicate), labels, evidence))
    return network


def _label_exact(graph: Graph, node, lang: str) -> str:
    from rdflib import RDFS

    for literal in graph.objects(node, RDFS.label):
        if literal.language == lang:
            return str(literal)
    return ""


def _evidence_item(graph: Graph, statement: URIRef) -> EvidenceItem:
    from rdflib.namespace import PROV

    from kg.facts.entities import DATE_PROPERTIES
    from kg.core.namespaces import KZO

    source_text = describe_source(graph, graph.value(statement, PROV.wasDerivedFrom))
    date = ""
    for prop in DATE_PROPERTIES:
        value = graph.value(statement, prop)
        if value is not None:
            date = str(value)
            break
    share = graph.value(statement, KZO.sharePercent)
    return EvidenceItem(
        statement=local_name(statement),
        source=source_text,
        quote=str(graph.value(statement, KZO.quote) or ""),
        quote_english=str(graph.value(statement, KZO.quoteEnglish) or ""),
        date=date,
        note=evidence_note([str(n) for n in graph.objects(statement, KZO.note)], None if share is None else str(share)),
        start_date=str(graph.value(statement, KZO.startDate) or ""),
        end_date=str(graph.value(statement, KZO.endDate) or ""),
    )


def _rdflib_graph(paths):
    """The rdflib pipeline's graph of ``paths``, read again only when a file of the data changed
    (the tests call the two functions below many times on one unchanged copy). Read-only."""
    files = [paths.ontology, *paths.seed_files(), *sorted(paths.texts.glob("*"))]
    return _rdflib_graph_of(str(paths.root), tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))


@functools.lru_cache(maxsize=4)
def _rdflib_graph_of(root: str, signature: tuple):
    from kg.core.paths import DataPaths
    from tests.helpers.rdflib_load import rdflib_pipeline

    return rdflib_pipeline(DataPaths(Path(root)))[1]


def rdflib_load_network(paths, evidence: bool = True):
    """``kg.network.store.load_network`` as the rdflib pipeline gave it: the second opinion for the commands."""
    from kg.facts.entities import resolve
    from kg.network.analysis import GraphClasses
    from kg.network.store import NetworkData

    graph = _rdflib_graph(paths)
    return NetworkData(build_network(graph), GraphClasses(graph), lambda name: str(resolve(graph, name)))


def rdflib_export_html(paths, spec) -> str:
    """``kg export html`` as the rdflib pipeline gave it: the view selected from the whole rdflib network."""
    from kg.render.html import render_view, select_view

    graph = _rdflib_graph(paths)
    view, focus = select_view(graph, build_network(graph), spec)
    return render_view(graph, view, spec, focus)
