"""The part of a large graph a read command shows, read from the build's store as a small rdflib Graph.

``kg show``, ``kg conflicts`` and ``kg timeline`` walk statements in Python
(rdflib). Copying a million-triple graph into rdflib would take minutes and
gigabytes, so each reads only the statements it shows, then the names, types
and descriptions of everything those mention: two indexed queries, whatever
the size of the graph.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from kg.core.paths import DataPaths
from kg.core.prefixes import PREFIXES
from kg.data.kept import keep, kept
from kg.data.store import construct_graph

#: What the renderers read about a term a statement mentions (an entity, a relation, a source).
_DESCRIPTIONS = "rdfs:label, rdf:type, kzo:fileName, dcterms:bibliographicCitation, rdfs:seeAlso, kzo:accessed"


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
        # The predicates as a FILTER, not a second VALUES: Oxigraph joins two VALUES blocks
        # into every pair before reading the store (28 s for 2,740 terms at a million triples, 0.3 s so).
        part += construct_graph(store, f"""
            CONSTRUCT {{ ?term ?p ?value }} WHERE {{
              VALUES ?term {{ {listed} }}
              ?term ?p ?value . FILTER(?p IN ({_DESCRIPTIONS}))
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


def timeline_statements(store, entity: str | None = None, kept: dict | None = None) -> dict:
    """What ``kg timeline`` lists, as ``read_statements`` gives it: the dated statements (about
    ``entity``, if given). ``kept``: the dated statements ``kg build`` kept (``keep_timeline``);
    else they are read from ``store``."""
    if kept is None:
        about = (f"{{ ?statement rdf:subject <{entity}> }} UNION {{ ?statement rdf:object <{entity}> }}" if entity else "")
        return read_statements(store, f"{about} {DATED}")
    if entity is None:
        return kept
    rdf = PREFIXES["rdf"]
    mentions = lambda values: any(entity == text for prop in (rdf + "subject", rdf + "object")  # noqa: E731
                                  for text, _ in values.get(prop, ()))
    return {**kept, "statements": {s: v for s, v in kept["statements"].items() if mentions(v)}}


#: What ``read_statements`` reads about a term a statement mentions, beside its labels.
DESCRIBED = tuple(PREFIXES[prefix] + name for prefix, name in (
    ("rdf", "type"), ("kzo", "iso3166Alpha3"), ("kzo", "fileName"), ("dcterms", "bibliographicCitation"), ("rdfs", "seeAlso")))

#: The statements ``kg timeline`` lists: those with a date.
DATED = "{ ?statement kzo:date ?d } UNION { ?statement kzo:startDate ?d } UNION { ?statement kzo:endDate ?d }"


def read_statements(store, where: str) -> dict:
    """What the rows of the statements ``where`` binds to ``?statement`` are made of, as plain data
    (``kg build`` keeps it as JSON): each statement's values by property, each value ``[text, kind]``
    (kind ``i`` an IRI, ``l`` a literal, ``b`` a blank node); the labels (by language) of the terms
    they mention, and what ``DESCRIBED`` says of them (types, ISO codes, a source's file name,
    citation and address): all ``kg.render.records.records_of_statements`` needs to flatten them."""
    import pyoxigraph

    def query(text: str):
        return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)

    def value(term) -> list:
        kind = "i" if isinstance(term, pyoxigraph.NamedNode) else "b" if isinstance(term, pyoxigraph.BlankNode) else "l"
        return [term.value, kind]

    rdf = PREFIXES["rdf"]
    statements: dict[str, dict[str, list]] = {}
    for row in query(f"SELECT ?statement ?p ?v WHERE {{ {{ SELECT DISTINCT ?statement WHERE {{ {where} }} }} ?statement ?p ?v }}"):
        if isinstance(row[0], pyoxigraph.NamedNode):
            statements.setdefault(row[0].value, {}).setdefault(row[1].value, []).append(value(row[2]))
    statements = {s: values for s, values in statements.items() if [rdf + "Statement", "i"] in values.get(rdf + "type", ())}
    mentioned = {text for values in statements.values()
                 for prop in (rdf + "subject", rdf + "predicate", rdf + "object", PREFIXES["prov"] + "wasDerivedFrom")
                 for text, kind in values.get(prop, ()) if kind == "i"}
    labels: dict[str, dict[str, str]] = {}
    about: dict[str, dict[str, list[str]]] = {}
    if mentioned:
        listed = " ".join(f"<{iri}>" for iri in sorted(mentioned))
        described = " ".join(f"<{iri}>" for iri in DESCRIBED)
        for row in query(f"""SELECT ?term ?p ?value WHERE {{ VALUES ?term {{ {listed} }} ?term ?p ?value .
                               FILTER(?p IN (rdfs:label, {described.replace(" ", ", ")})) }}"""):
            term, prop, found = row[0].value, row[1].value, row[2]
            if prop == PREFIXES["rdfs"] + "label":
                language = getattr(found, "language", None) or ""
                known = labels.setdefault(term, {})
                known[language] = min(known.get(language, found.value), found.value)
            else:
                about.setdefault(term, {}).setdefault(prop, []).append(found.value)
    return {"statements": statements, "labels": labels, "about": about}


# ---------------------------------------------------------------------------
# The dated statements kept between commands

_CODE = (Path(__file__),)


def keep_timeline(paths: DataPaths, store, export_digest: str) -> None:
    """``kg build``'s step: read the dated statements from the build's store and keep them in ``.kg-cache/``
    (``kg timeline`` read them from the persistent store in 2.5 s at a million triples)."""
    keep(paths, "timeline", export_digest, _CODE, read_statements(store, DATED))


def kept_timeline(paths: DataPaths) -> dict | None:
    """The dated statements ``kg build`` kept for the export as it is now; None when there are none
    that fit (no build yet, an export copied in, a cache file damaged or planted)."""
    data = kept(paths, "timeline", _CODE)
    return data if _fits(data) else None


def _fits(data) -> bool:
    """Whether ``data`` has the shape ``read_statements`` gives (a cache file can come from anyone)."""
    if not (isinstance(data, dict) and isinstance(data.get("statements"), dict)
            and isinstance(data.get("labels"), dict) and isinstance(data.get("about"), dict)):
        return False
    statements = data["statements"].values()
    if not ({type(values) for values in statements} <= {dict}):
        return False
    lists = [values for properties in statements for values in properties.values()]
    if not ({type(values) for values in lists} <= {list}):
        return False
    found = [value for values in lists for value in values]
    if not ({type(value) for value in found} <= {list} and {len(value) for value in found} <= {2}
            and {type(part) for value in found for part in value} <= {str}
            and {value[1] for value in found} <= {"i", "l", "b"}):
        return False
    labels = data["labels"].values()
    return ({type(known) for known in labels} <= {dict}
            and {type(part) for known in labels for pair in known.items() for part in pair} <= {str}
            and {type(props) for props in data["about"].values()} <= {dict}
            and {type(values) for props in data["about"].values() for values in props.values()} <= {list}
            and {type(value) for props in data["about"].values() for values in props.values() for value in values} <= {str})
