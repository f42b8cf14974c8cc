"""The built graph: loaded and materialized in Oxigraph, handed out as rdflib where people want it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kg.core.paths import DataPaths
from kg.data.store import SEEDS_GRAPH, graph_of, materialized_store


@dataclass
class BuiltGraph:
    """The exported graph in an Oxigraph store (ontology, curated seeds, inferred triples).

    ``full`` and ``curated`` are rdflib copies, made on first use, for the
    Python API and for the renderers that walk a graph in Python.
    """

    store: object  # pyoxigraph.Store

    @cached_property
    def full(self):
        """The exported graph as an rdflib Graph."""
        return graph_of(self.store)

    @cached_property
    def curated(self):
        """The curated seeds alone (no ontology, no inferred triples) as an rdflib Graph."""
        return graph_of(self.store, SEEDS_GRAPH)


def load_graph(paths: DataPaths) -> BuiltGraph:
    """Load ontology and seeds into Oxigraph and materialize them; no validation.

    >>> from kg.core.paths import data_paths
    >>> built = load_graph(data_paths())
    >>> len(built.full) == len(built.store)
    True
    """
    return BuiltGraph(materialized_store(paths))
