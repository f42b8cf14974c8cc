"""kg show, conflicts and timeline read only the part of the build's store they show: the answer is the whole graph's."""

from __future__ import annotations

import pytest

from kg.data.querystore import open_export_store
from kg.facts.cards import entity_card, render_card
from kg.facts.conflicts import find_conflicts
from kg.facts.parts import card_part, conflicts_part
from kg.render.records import timeline
from kg.facts.entities import entities
from tests.helpers.rdflib_records import fact_records


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_every_card_read_from_the_store_is_the_card_of_the_whole_graph(built_data, rdflib_reading, lang):
    _, full = rdflib_reading
    store = open_export_store(built_data)
    for entity in entities(full):
        part = card_part(store, str(entity))
        assert render_card(part, entity_card(part, entity), lang) == render_card(full, entity_card(full, entity), lang), entity


def test_conflicts_read_from_the_store_are_those_of_the_whole_graph(built_data, rdflib_reading):
    _, full = rdflib_reading
    assert find_conflicts(conflicts_part(open_export_store(built_data))) == find_conflicts(full)


def _timeline_of_the_whole_graph(full, iri: str | None) -> list[list[str]]:
    """The timeline's rows as the records of the whole rdflib graph give them
    (tests/helpers/rdflib_records.py: a second flattening of each statement to compare with)."""
    from kg.core.prefixes import compact_iri
    from kg.network.model import date_bounds

    def written(record, column):  # the date as the source gives it
        value, precision = record[column], record[f"{column}_precision"]
        return value[:{"year": 4, "month": 7}.get(precision, len(value))]

    records = [r for r in fact_records(full) if r["date"] or r["start_date"] or r["end_date"]]
    if iri:
        records = [r for r in records if iri in (r["subject"], r["object"])]
    day = lambda r: date_bounds(written(r, "date") or written(r, "start_date") or written(r, "end_date"))[0]  # noqa: E731
    records.sort(key=lambda r: (day(r), *(compact_iri(r[c]) for c in ("subject", "predicate", "object", "statement"))))
    return [[written(r, "date") or written(r, "start_date"), written(r, "end_date"), r["subject_label"],
             compact_iri(r["predicate"]).removeprefix("kzo:"), r["object_label"],
             r["source_file"] or r["citation"] or compact_iri(r["source"]), r["quote"], r["quote_english"]]
            for r in records]


@pytest.mark.parametrize("entity", [None, "Russia", "Kazakhstan", "UN"])
def test_the_timeline_read_from_the_store_is_that_of_the_whole_graph(built_data, rdflib_reading, entity):
    from kg.core.prefixes import KZ_IRI

    _, full = rdflib_reading
    iri = KZ_IRI + entity if entity else None
    table = timeline(open_export_store(built_data), iri)
    expected = _timeline_of_the_whole_graph(full, iri)
    assert expected  # something to compare: every one of these entities has dated facts
    assert table.rows == expected


def test_a_reference_shows_its_citation_and_address_apart_from_the_quotes(kg):
    card = kg("show", "OSCE").stdout
    chaired = card[card.index("chaired"):card.index("concerns")]
    # the text's claim with its quote; the references with no quote, cited and addressed
    assert "[000_478a5c079113c2cd.txt]" in chaired and "kk: «ЕҚЫҰ-дағы төрағалық»" in chaired
    reference = chaired[chaired.index("[reference: ref-mfa-vienna-osce]"):]
    assert reference.splitlines()[1].strip().startswith("cited: Permanent Mission of the Republic of Kazakhstan to the OSCE")
    assert reference.splitlines()[2].strip().startswith("at: https://www.gov.kz/") and "(read 2026-12-06)" in reference.splitlines()[2]
    assert "kk:" not in reference.split("\n      [")[0]


def test_the_card_lists_names_and_the_texts_forms_apart(kg):
    card = kg("show", "Russia").stdout
    also = next(line for line in card.splitlines() if line.startswith("  also: "))
    forms = next(line for line in card.splitlines() if line.startswith("  forms in the texts: "))
    assert "Ресей Федерациясы" in also and "Ресеймен" not in also
    assert "Ресеймен" in forms and "Ресейге" in forms
    assert "  same as: http://www.wikidata.org/entity/Q159" in card


def test_a_former_state_shows_its_iso_3166_3_code(kg):
    assert "  ISO 3166-3 (former state): SUHH" in kg("show", "SovietUnion").stdout
