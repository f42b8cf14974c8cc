"""The part of a large graph a read command shows, read from the build's store as a small rdflib Graph.

``kg show``, ``kg conflicts`` and ``kg timeline`` walk statements in Python
(rdflib). Copying a million-triple graph into rdflib would take minutes and
gigabytes, so each reads only the statements it shows, then the names, types
and descriptions of everything those mention: two indexed queries, whatever
the size of the graph.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.data.store import construct_graph

#: What the renderers read about a term a statement mentions (an entity, a relation, a source).
_DESCRIPTIONS = "rdfs:label rdf:type kzo:fileName dcterms:bibliographicCitation rdfs:seeAlso kzo:accessed"


def statements_part(store, where: str, about: str | None = None) -> Graph:
    """Every triple of the statements ``where`` binds to ``?statement`` (and ``about``'s own
    triples), with the descriptions of the terms they mention."""
    own = f"UNION {{ <{about}> ?sp ?so BIND(<{about}> AS ?statement) }}" if about else ""
    part = construct_graph(store, f"""
        CONSTRUCT {{ ?statement ?sp ?so }} WHERE {{
          {{ {{ SELECT DISTINCT ?statement WHERE {{ {where} }} }} ?statement ?sp ?so }} {own}
        }}""")
    mentioned = {term for triple in part for term in triple[1:] if isinstance(term, URIRef)}
    if mentioned:
        listed = " ".join(f"<{term}>" for term in sorted(mentioned))
        part += construct_graph(store, f"""
            CONSTRUCT {{ ?term ?p ?value }} WHERE {{
              VALUES ?term {{ {listed} }} VALUES ?p {{ {_DESCRIPTIONS} }}
              ?term ?p ?value .
            }}""")
    return part


def card_part(store, entity: str) -> Graph:
    """What ``kg show`` reads: the entity's triples and the statements about it."""
    return statements_part(
        store, f"{{ ?statement rdf:subject <{entity}> }} UNION {{ ?statement rdf:object <{entity}> }}", about=entity
    )


def conflicts_part(store) -> Graph:
    """What ``kg conflicts`` reads: the statements linked by kzo:disagreesWith."""
    return statements_part(store, "{ ?statement kzo:disagreesWith ?other } UNION { ?other kzo:disagreesWith ?statement }")


def timeline_part(store, entity: str | None = None) -> Graph:
    """What ``kg timeline`` reads: the dated statements (about ``entity``, if given)."""
    about = (f"{{ ?statement rdf:subject <{entity}> }} UNION {{ ?statement rdf:object <{entity}> }}" if entity else
             "?statement a rdf:Statement .")
    dated = "{ ?statement kzo:date ?d } UNION { ?statement kzo:startDate ?d } UNION { ?statement kzo:endDate ?d }"
    return statements_part(store, f"{about} {dated}")
