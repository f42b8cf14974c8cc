"""Count series: how a number the texts give grew, one point per text (``kg timeline --counts``).

The figures come from texts written years apart (105, 120, then 138 states
with diplomatic relations): a series, not a disagreement. The points are the
answer of the bundled query ``cq-44-count-series``, run here on the build's
store, so the CLI and ``kg query --name cq-44-count-series`` give the same
points from one query.
"""

from __future__ import annotations

from kg.core.errors import KGError
from kg.core.prefixes import KZO_IRI, PREFIXES
from kg.facts.entities import choose_label, local_name
from kg.network.analysis import Table
from kg.sparql.bundled import find_named_query
from kg.sparql.text import set_parameters

SERIES_QUERY = "cq-44-count-series"

_COUNT_PROPERTIES = """
SELECT ?property ?label WHERE {
  ?property rdfs:range xsd:integer .
  FILTER (STRSTARTS(STR(?property), STR(kzo:)))
  FILTER NOT EXISTS { ?property rdfs:domain rdf:Statement }
  OPTIONAL { ?property rdfs:label ?label }
}"""


def count_properties(store) -> dict[str, dict[str, str]]:
    """The numeric-claim properties of the ontology: IRI → its labels by language."""
    found: dict[str, dict[str, str]] = {}
    for row in store.query(_COUNT_PROPERTIES, prefixes=PREFIXES):
        labels = found.setdefault(row["property"].value, {})
        if row["label"] is not None:
            labels[row["label"].language or ""] = row["label"].value
    return found


def resolve_count_property(store, name: str) -> str:
    """The count property ``name`` means: a local name (diplomaticRelationsCount), a prefixed
    name or IRI, or an English label; the error lists the ones there are."""
    known = count_properties(store)
    wanted = name.strip().removeprefix("kzo:").removeprefix(KZO_IRI).casefold()
    for iri, labels in known.items():
        if wanted in {local_name(iri).casefold(), *(label.casefold() for label in labels.values())}:
            return iri
    listed = ", ".join(sorted(local_name(iri) for iri in known))
    raise KGError(f"no count property is named {name!r}; the counts are: {listed}")


def count_series(store, prop: str | None = None, subject: str | None = None, lang: str = "en") -> Table:
    """The points of every count series (of ``prop``, about ``subject``, if given), in year order."""
    properties = count_properties(store)
    assignments = [("property", f"<{prop}>")] if prop else []
    assignments += [("subject", f"<{subject}>")] if subject else []
    text = set_parameters(find_named_query(SERIES_QUERY).path.read_text(encoding="utf-8"), assignments)
    rows = []
    for row in store.query(text, prefixes=PREFIXES):
        value = {name: (row[name].value if row[name] is not None else "") for name in (
            "property", "subject", "year", "yearBasis", "count", "source", "quote", "quoteEnglish", "note")}
        rows.append([
            choose_label(properties.get(value["property"], {}), value["property"], lang),
            _label(store, value["subject"], lang),
            value["year"], value["count"], value["yearBasis"], _source_name(store, value["source"]),
            value["quote"], value["quoteEnglish"], value["note"],
        ])
    rows.sort(key=lambda r: (r[0], r[1], r[2] or "9999", int(r[3] or 0)))
    return Table(["series", "subject", "year", "count", "year from", "source", "quote", "quote_english", "note"], rows)


def _label(store, iri: str, lang: str) -> str:
    labels = {row["l"].language or "": row["l"].value
              for row in store.query(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}", prefixes=PREFIXES)}
    return choose_label(labels, iri, lang)


def _source_name(store, iri: str) -> str:
    for row in store.query(f"SELECT ?f WHERE {{ <{iri}> kzo:fileName ?f }}", prefixes=PREFIXES):
        return row["f"].value
    return local_name(iri)
