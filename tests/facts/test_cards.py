"""kg show, conflicts and timeline read only the part of the build's store they show: the answer is the whole graph's."""

from __future__ import annotations

import pytest

from kg.data.querystore import open_export_store
from kg.facts.cards import entity_card, render_card
from kg.facts.conflicts import find_conflicts
from kg.facts.parts import card_part, conflicts_part, timeline_part
from kg.network.analysis import timeline
from kg.facts.entities import entities
from tests.helpers.rdflib_load import rdflib_pipeline


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_every_card_read_from_the_store_is_the_card_of_the_whole_graph(built_data, lang):
    _, full = rdflib_pipeline(built_data)
    store = open_export_store(built_data)
    for entity in entities(full):
        part = card_part(store, str(entity))
        assert render_card(part, entity_card(part, entity), lang) == render_card(full, entity_card(full, entity), lang), entity


def test_conflicts_read_from_the_store_are_those_of_the_whole_graph(built_data):
    _, full = rdflib_pipeline(built_data)
    assert find_conflicts(conflicts_part(open_export_store(built_data))) == find_conflicts(full)


@pytest.mark.parametrize("entity", [None, "Russia", "Kazakhstan", "UN"])
def test_the_timeline_read_from_the_store_is_that_of_the_whole_graph(built_data, entity):
    from rdflib import URIRef

    from kg.core.prefixes import KZ_IRI

    _, full = rdflib_pipeline(built_data)
    iri = KZ_IRI + entity if entity else None
    part = timeline_part(open_export_store(built_data), iri)
    node = URIRef(iri) if iri else None
    assert timeline(part, node) == timeline(full, node)
