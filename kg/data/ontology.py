"""What the code reads off ontology.ttl instead of listing it: which properties are not facts.

A property typed ``kzo:NonFactProperty`` in the ontology (the ISO codes,
``kzo:surfaceForm``, ``kzo:fileName``) holds names, codes or bookkeeping:
its triples need no statement node and no evidence.
"""

from __future__ import annotations

from kg.core.prefixes import KZO_IRI, PREFIXES

NON_FACT_CLASS = KZO_IRI + "NonFactProperty"


def non_fact_properties(store) -> set[str]:
    """The IRIs of the properties ``ontology.ttl`` types ``kzo:NonFactProperty``, from any store holding it."""
    rows = store.query(
        f"SELECT DISTINCT ?p WHERE {{ ?p a <{NON_FACT_CLASS}> }}",
        prefixes=PREFIXES,
        use_default_graph_as_union=True,
    )
    return {row["p"].value for row in rows}
