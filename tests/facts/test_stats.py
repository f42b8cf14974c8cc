"""kg stats counts in SPARQL on the loaded store what rdflib counts over the curated and the materialized graph."""

from __future__ import annotations

from kg.data.ontology import non_fact_properties
from kg.data.store import SEEDS_GRAPH, graph_of, materialized_store
from kg.facts.stats import compute_stats
from tests.helpers.rdflib_stats import compute_stats as rdflib_stats


def test_stats_in_the_store_are_rdflibs(built_data):
    store = materialized_store(built_data)
    not_facts = non_fact_properties(store)
    assert compute_stats(store, not_facts) == rdflib_stats(graph_of(store, SEEDS_GRAPH), graph_of(store), not_facts)
