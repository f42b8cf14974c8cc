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


def timeline_part(store, entity: str | None = None) -> Graph:
    """What ``kg timeline`` reads: the dated statements (about ``entity``, if given)."""
    about = (f"{{ ?statement rdf:subject <{entity}> }} UNION {{ ?statement rdf:object <{entity}> }}" if entity else
             "?statement a rdf:Statement .")
    dated = "{ ?statement kzo:date ?d } UNION { ?statement kzo:startDate ?d } UNION { ?statement kzo:endDate ?d }"
    return statements_part(store, f"{about} {dated}")


def timeline_rows(store, entity: str | None = None, lang: str = "en") -> list:
    """What ``kg timeline`` lists: the dated statements (about ``entity``, if given) as ``FactRow``s."""
    about = (f"{{ ?statement rdf:subject <{entity}> }} UNION {{ ?statement rdf:object <{entity}> }}" if entity else "")
    dated = "{ ?statement kzo:date ?d } UNION { ?statement kzo:startDate ?d } UNION { ?statement kzo:endDate ?d }"
    return statement_rows(store, f"{about} {dated}", lang)


def statement_rows(store, where: str, lang: str = "en") -> list:
    """``kg.facts.rows.fact_rows`` of the statements ``where`` binds to ``?statement``, read with two
    SELECTs instead of a copy in rdflib (which took 12 s for the 19 thousand dated statements of
    a million-triple graph: rdflib's own bookkeeping of each triple added).

    The same rows as ``fact_rows(statements_part(store, where), lang)``, in the same order.
    """
    import pyoxigraph

    from kg.core.prefixes import PREFIXES, compact_iri
    from kg.facts.entities import choose_label
    from kg.facts.rows import FactRow

    compacted: dict[str, str] = {}

    def text(term) -> str:
        if term is None:
            return ""
        if not isinstance(term, pyoxigraph.NamedNode):
            return term.value
        iri = term.value
        if iri not in compacted:
            compacted[iri] = compact_iri(iri)
        return compacted[iri]

    def query(text_: str):
        return store.query(text_, prefixes=PREFIXES, use_default_graph_as_union=True)

    rdf, kzo = PREFIXES["rdf"], PREFIXES["kzo"]
    statements: dict[str, dict[str, list]] = {}
    for row in query(f"SELECT ?statement ?p ?v WHERE {{ {{ SELECT DISTINCT ?statement WHERE {{ {where} }} }} ?statement ?p ?v }}"):
        statements.setdefault(row[0].value, {}).setdefault(row[1].value, []).append(row[2])
    statements = {s: values for s, values in statements.items() if rdf + "Statement" in
                  {v.value for v in values.get(rdf + "type", ())}}

    def first(values: dict, prop: str):
        # rdflib's Graph.value: one of the values (a statement has one of each of these)
        found = values.get(prop)
        return min(found, key=lambda term: term.value) if found else None

    mentioned = {term.value for values in statements.values()
                 for prop in (rdf + "subject", rdf + "predicate", rdf + "object", PREFIXES["prov"] + "wasDerivedFrom")
                 for term in values.get(prop, ()) if isinstance(term, pyoxigraph.NamedNode)}
    labels: dict[str, dict] = {}
    described: dict[str, dict[str, list[str]]] = {}
    if mentioned:
        listed = " ".join(f"<{iri}>" for iri in sorted(mentioned))
        for row in query(f"""SELECT ?term ?p ?value WHERE {{ VALUES ?term {{ {listed} }} ?term ?p ?value .
                               FILTER(?p IN (rdfs:label, kzo:fileName, dcterms:bibliographicCitation)) }}"""):
            term, prop, value = row[0].value, row[1].value, row[2]
            if prop == PREFIXES["rdfs"] + "label":
                language = getattr(value, "language", None)
                known = labels.setdefault(term, {})
                known[language] = min(known.get(language, value.value), value.value)
            else:
                described.setdefault(term, {}).setdefault(prop, []).append(value.value)

    def label(term) -> str:
        return choose_label(labels.get(term.value, {}), term.value, lang)

    def joined(values: dict, prop: str, separator: str = " | ") -> str:
        return separator.join(sorted(text(v) for v in values.get(prop, ())))

    rows = []
    for statement, values in statements.items():
        subject, predicate, obj = (first(values, rdf + name) for name in ("subject", "predicate", "object"))
        source = first(values, PREFIXES["prov"] + "wasDerivedFrom")
        source_file = ""
        if source is not None:
            about_source = described.get(source.value, {})
            found = about_source.get(kzo + "fileName") or about_source.get(PREFIXES["dcterms"] + "bibliographicCitation")
            source_file = min(found) if found else ""
        rows.append(FactRow(
            statement=text(pyoxigraph.NamedNode(statement)),
            subject=text(subject),
            subject_label=label(subject) if subject is not None else "",
            predicate=text(predicate),
            predicate_label=label(predicate) if predicate is not None else "",
            object=text(obj),
            object_label=label(obj) if isinstance(obj, pyoxigraph.NamedNode) else text(obj),
            date=joined(values, kzo + "date"),
            start_date=joined(values, kzo + "startDate"),
            end_date=joined(values, kzo + "endDate"),
            share_percent=joined(values, kzo + "sharePercent"),
            count=joined(values, kzo + "count"),
            at_event=joined(values, kzo + "atEvent"),
            note=joined(values, kzo + "note", "; "),
            source=text(source),
            source_file=source_file,
            quote=joined(values, kzo + "quote"),
            quote_english=joined(values, kzo + "quoteEnglish"),
        ))
    return sorted(rows, key=lambda row: (row.subject, row.predicate, row.object, row.statement))
