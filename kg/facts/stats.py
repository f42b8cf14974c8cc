"""Counts: entities by class, facts by property, statements by source, in SPARQL on the loaded store.

The store is the one ``kg.data.store.materialized_store`` builds: the curated
seeds in their own graph (``urn:kg:seeds``), the ontology and the inferred
triples beside them; so curated and exported counts come from one load.

``kg build`` counts on its own store and keeps the counts (with the labels
the table shows) in ``.kg-cache/``, keyed by the export's digest
(``keep_stats``); ``kg stats`` reads them there (``kept_stats``) instead of
loading every seed again (14 s and 620 MB at a million triples).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import URIRef

from kg.core.paths import DataPaths
from kg.core.prefixes import KZO_IRI, PREFIXES
from kg.data.kept import keep, kept
from kg.data.store import SEEDS_GRAPH, construct_graph, exported_count
from kg.facts.entities import ENTITY_CLASS_IRIS, label


@dataclass
class Stats:
    triples_curated: int
    triples_exported: int
    entities: int
    facts: int
    statements: int
    by_class: list[tuple[URIRef, int]]
    by_property: list[tuple[URIRef, int]]
    by_source: list[tuple[URIRef, str, int, int]]  # source, file or citation, statements, facts
    disagreements: int


def _rows(store, text: str) -> list:
    return list(store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True))


def compute_stats(store, not_facts: set[str]) -> Stats:
    """Counts over the curated seeds (facts, statements) and the exported graph (classes, entities);
    ``not_facts``: the properties the ontology types kzo:NonFactProperty (kg.data.ontology)."""
    seeds = f"<{SEEDS_GRAPH}>"
    excluded = ", ".join(f"<{iri}>" for iri in sorted(not_facts)) or "<urn:kg:none>"
    own = f"""MINUS {{ GRAPH {seeds} {{ ?s a rdf:Statement }} }} MINUS {{ GRAPH {seeds} {{ ?s a kzo:Source }} }}"""

    def count(text: str) -> int:
        return int(_rows(store, text)[0]["n"].value)

    entity_classes = " ".join(f"<{iri}>" for iri in ENTITY_CLASS_IRIS)
    # entity classes and their subclasses only: sources, references and the ontology's own
    # kinds of term (kzo:NonFactProperty) are not entities
    by_class = sorted(
        ((URIRef(row["class"].value), int(row["n"].value)) for row in _rows(store, f"""
            SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
              VALUES ?top {{ {entity_classes} }}
              ?class rdfs:subClassOf* ?top .
              ?s a ?class
            }} GROUP BY ?class""")),
        key=lambda kv: (-kv[1], str(kv[0])),
    )
    by_property = sorted(
        ((URIRef(row["p"].value), int(row["n"].value)) for row in _rows(store, f"""
            SELECT ?p (COUNT(*) AS ?n) WHERE {{
              GRAPH {seeds} {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?p), STR(kzo:)) && ?p NOT IN ({excluded})) {own}
            }} GROUP BY ?p""")),
        key=lambda kv: (-kv[1], str(kv[0])),
    )
    # The texts one row each; the references outside them together in one row (there are dozens).
    per_source = {row["source"].value: (int(row["statements"].value), int(row["facts"].value)) for row in _rows(store, f"""
        SELECT ?source (COUNT(DISTINCT ?statement) AS ?statements) (COUNT(DISTINCT ?fact) AS ?facts) WHERE {{
          GRAPH {seeds} {{ ?statement a rdf:Statement ; prov:wasDerivedFrom ?from .
                           OPTIONAL {{ ?statement rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}
                           OPTIONAL {{ ?from kzo:fileName ?file }} }}
          BIND(IF(BOUND(?file), STR(?from), STR(kzo:Reference)) AS ?source)
          BIND(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o)) AS ?fact)
        }} GROUP BY ?source""")}
    by_source = []
    for row in _rows(store, f"""
            SELECT ?source ?file WHERE {{ GRAPH {seeds} {{ ?source kzo:fileName ?file }} }} ORDER BY STR(?source)"""):
        statements, facts = per_source.get(row["source"].value, (0, 0))
        by_source.append((URIRef(row["source"].value), row["file"].value, statements, facts))
    references = count(f"""SELECT (COUNT(DISTINCT ?source) AS ?n) WHERE {{
        GRAPH {seeds} {{ ?source a kzo:Source FILTER NOT EXISTS {{ ?source kzo:fileName ?file }} }} }}""")
    if references:
        statements, facts = per_source.get(KZO_IRI + "Reference", (0, 0))
        by_source.append((URIRef(KZO_IRI + "Reference"), f"({references} references outside the texts)", statements, facts))
    return Stats(
        triples_curated=count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {seeds} {{ ?s ?p ?o }} }}"),
        triples_exported=exported_count(store),
        entities=count(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?class {{ {entity_classes} }} ?s a ?class }}"),
        facts=sum(n for _, n in by_property),
        statements=count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {seeds} {{ ?st a rdf:Statement ; prov:wasDerivedFrom ?src }} }}"),
        by_class=by_class,
        by_property=by_property,
        by_source=by_source,
        disagreements=count(f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?a ?b WHERE {{
            GRAPH {seeds} {{ {{ ?a kzo:disagreesWith ?b }} UNION {{ ?b kzo:disagreesWith ?a }} }} FILTER(STR(?a) < STR(?b)) }} }}"""),
    )


def label_graph(store, stats: Stats):
    """The labels of the classes and properties ``stats`` names (what the table shows beside them)."""
    terms = " ".join(f"<{term}>" for term, _ in [*stats.by_class, *stats.by_property])
    return construct_graph(store, f"CONSTRUCT {{ ?t rdfs:label ?l }} WHERE {{ VALUES ?t {{ {terms} }} ?t rdfs:label ?l }}")


def stat_labels(store, stats: Stats) -> dict[str, str]:
    """The English label of each class and property ``stats`` names (what the table shows beside them)."""
    graph = label_graph(store, stats)
    return {str(term): label(graph, term) for term, _ in [*stats.by_class, *stats.by_property]}


# ---------------------------------------------------------------------------
# The counts kept between commands (kg.data.kept)

_CODE = (Path(__file__),)


def count_with_labels(store) -> tuple[Stats, dict[str, str]]:
    """The counts of the materialized ``store`` and the labels the table shows beside them."""
    from kg.data.ontology import non_fact_properties

    stats = compute_stats(store, non_fact_properties(store))
    return stats, stat_labels(store, stats)


def keep_stats(paths: DataPaths, store, export_digest: str) -> None:
    """``kg build``'s step: count on the build's store and keep the counts and their labels in ``.kg-cache/``."""
    stats, labels = count_with_labels(store)
    keep(paths, "stats", export_digest, _CODE, {"stats": asdict(stats), "labels": labels})


def kept_stats(paths: DataPaths) -> tuple[Stats, dict[str, str]] | None:
    """The counts ``kg build`` kept for the export as it is now, with their labels; None when there
    are none that fit (no build yet, an export copied in, a cache file damaged or planted)."""
    try:
        return _stats_from_json(kept(paths, "stats", _CODE))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def _stats_from_json(data) -> tuple[Stats, dict[str, str]]:
    if not isinstance(data, dict):
        raise ValueError("not kept counts")
    values, labels = data["stats"], data["labels"]

    def number(value) -> int:
        if type(value) is not int:
            raise ValueError("not a count")
        return value

    def text(value) -> str:
        if not isinstance(value, str):
            raise ValueError("not a text")
        return value

    def counted(pairs) -> list[tuple[URIRef, int]]:
        return [(URIRef(text(term)), number(n)) for term, n in pairs]

    stats = Stats(
        **{name: number(values[name]) for name in
           ("triples_curated", "triples_exported", "entities", "facts", "statements", "disagreements")},
        by_class=counted(values["by_class"]),
        by_property=counted(values["by_property"]),
        by_source=[(URIRef(text(s)), text(f), number(n), number(k)) for s, f, n, k in values["by_source"]],
    )
    if not (isinstance(labels, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items())):
        raise ValueError("not labels")
    return stats, labels
