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


def timeline_rows(store, entity: str | None = None, lang: str = "en", kept: dict | None = None) -> list:
    """What ``kg timeline`` lists: the dated statements (about ``entity``, if given) as ``FactRow``s.

    ``kept``: the dated statements as ``read_statements`` gave them, which
    ``kg build`` keeps (``kg.facts.kept``); else they are read from ``store``.
    """
    if kept is None:
        about = (f"{{ ?statement rdf:subject <{entity}> }} UNION {{ ?statement rdf:object <{entity}> }}" if entity else "")
        kept = read_statements(store, f"{about} {DATED}")
    rows = rows_of_statements(kept, lang)
    if entity is not None:
        from kg.core.prefixes import compact_iri

        name = compact_iri(entity)
        rows = [row for row in rows if name in (row.subject, row.object)]
    return rows


#: The statements ``kg timeline`` lists: those with a date.
DATED = "{ ?statement kzo:date ?d } UNION { ?statement kzo:startDate ?d } UNION { ?statement kzo:endDate ?d }"


def read_statements(store, where: str) -> dict:
    """What the rows of the statements ``where`` binds to ``?statement`` are made of, as plain data
    (``kg build`` keeps it as JSON): each statement's values by property, each value ``[text, kind]``
    (kind ``i`` an IRI, ``l`` a literal, ``b`` a blank node); the labels (by language) of the terms
    they mention, and the file name or citation of their sources."""
    import pyoxigraph

    from kg.core.prefixes import PREFIXES

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
    sources: dict[str, dict[str, list[str]]] = {}
    if mentioned:
        listed = " ".join(f"<{iri}>" for iri in sorted(mentioned))
        for row in query(f"""SELECT ?term ?p ?value WHERE {{ VALUES ?term {{ {listed} }} ?term ?p ?value .
                               FILTER(?p IN (rdfs:label, kzo:fileName, dcterms:bibliographicCitation)) }}"""):
            term, prop, found = row[0].value, row[1].value, row[2]
            if prop == PREFIXES["rdfs"] + "label":
                language = getattr(found, "language", None) or ""
                known = labels.setdefault(term, {})
                known[language] = min(known.get(language, found.value), found.value)
            else:
                sources.setdefault(term, {}).setdefault(prop, []).append(found.value)
    described = {}
    for source, about in sources.items():
        found = about.get(PREFIXES["kzo"] + "fileName") or about.get(PREFIXES["dcterms"] + "bibliographicCitation")
        described[source] = min(found)
    return {"statements": statements, "labels": labels, "sources": described}


def rows_of_statements(data: dict, lang: str = "en") -> list:
    """The ``FactRow``s of what ``read_statements`` read, labelled in ``lang``, sorted by subject, predicate, object and statement."""
    from kg.core.prefixes import PREFIXES, compact_iri
    from kg.facts.entities import choose_label
    from kg.facts.rows import FactRow

    compacted: dict[str, str] = {}

    def text(value) -> str:
        if value is None:
            return ""
        if value[1] != "i":
            return value[0]
        if value[0] not in compacted:
            compacted[value[0]] = compact_iri(value[0])
        return compacted[value[0]]

    def first(values: dict, prop: str):
        # rdflib's Graph.value: one of the values (a statement has one of each of these)
        found = values.get(prop)
        return min(found) if found else None

    labels = {iri: {language or None: label for language, label in known.items()}
              for iri, known in data["labels"].items()}

    def label(value) -> str:
        return choose_label(labels.get(value[0], {}), value[0], lang)

    def joined(values: dict, prop: str, separator: str = " | ") -> str:
        return separator.join(sorted(text(v) for v in values.get(prop, ())))

    rdf, kzo = PREFIXES["rdf"], PREFIXES["kzo"]
    rows = []
    for statement, values in data["statements"].items():
        subject, predicate, obj = (first(values, rdf + name) for name in ("subject", "predicate", "object"))
        source = first(values, PREFIXES["prov"] + "wasDerivedFrom")
        rows.append(FactRow(
            statement=text([statement, "i"]),
            subject=text(subject),
            subject_label=label(subject) if subject is not None else "",
            predicate=text(predicate),
            predicate_label=label(predicate) if predicate is not None else "",
            object=text(obj),
            object_label=label(obj) if obj is not None and obj[1] == "i" else text(obj),
            date=joined(values, kzo + "date"),
            start_date=joined(values, kzo + "startDate"),
            end_date=joined(values, kzo + "endDate"),
            share_percent=joined(values, kzo + "sharePercent"),
            count=joined(values, kzo + "count"),
            at_event=joined(values, kzo + "atEvent"),
            note=joined(values, kzo + "note", "; "),
            source=text(source),
            source_file=data["sources"].get(source[0], "") if source is not None and source[1] == "i" else "",
            quote=joined(values, kzo + "quote"),
            quote_english=joined(values, kzo + "quoteEnglish"),
        ))
    return sorted(rows, key=lambda row: (row.subject, row.predicate, row.object, row.statement))


# ---------------------------------------------------------------------------
# The dated statements kept between commands

_CODE = (Path(__file__), Path(__file__).with_name("rows.py"), Path(__file__).with_name("entities.py"))


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
            and isinstance(data.get("labels"), dict) and isinstance(data.get("sources"), dict)):
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
            and {type(part) for pair in data["sources"].items() for part in pair} <= {str})
