"""Kazakh word forms: a name typed in an inflected form finds its entity by its stem,
tested on forms taken from the texts."""

from __future__ import annotations

import pytest
from rdflib.namespace import RDFS, SKOS

from kg.facts.entities import entities, local_name, resolve_name
from kg.core.errors import EntityNotFound
from kg.data.graph import load_graph
from kg.core.namespaces import KZO
from kg.core.paths import DataPaths
from kg.facts.wordforms import stem_candidates

from tests.helpers.data import REPO

TEXTS = "\n".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "seeds" / "texts").glob("*.txt")))

#: (form as a text writes it, the entity it names); every form occurs in a text.
FORMS_FROM_THE_TEXTS = [
    ("Ресеймен", "Russia"),
    ("Ресейге", "Russia"),
    ("Ресейдің", "Russia"),
    ("Ресей Федерациясымен", "Russia"),
    ("Қытайдың", "China"),
    ("Қытайға", "China"),
    ("ҚХР-ға", "China"),
    ("Қазақстанның", "Kazakhstan"),
    ("Қазақстандағы", "Kazakhstan"),
    ("Қазақстанмен", "Kazakhstan"),
    ("БҰҰ-ның", "UN"),
    ("БҰҰ-ға", "UN"),
    ("ТМД-ның", "CIS"),
    ("АҚШ-тың", "USA"),
    ("Америка Құрама Штаттарымен", "USA"),
    ("Германияға", "Germany"),
    ("Францияға", "France"),
    ("Үндістанмен", "India"),
    ("Жапонияның", "Japan"),
    ("Иранның", "Iran"),
    ("Тәжікстанда", "Tajikistan"),
    ("Кеден одағын", "CustomsUnion"),
    ("Семей полигонын", "SemipalatinskTestSite"),
    ("Орталық Азиядағы", "CentralAsia"),
    ("Еуропада", "Europe"),
]


@pytest.fixture(scope="module")
def names_without_forms():
    """Entity IRI -> its labels and alt labels only: what a lookup knows without stored word forms."""
    graph = load_graph(DataPaths(REPO)).full
    return {str(e): [str(v) for p in (RDFS.label, SKOS.altLabel) for v in graph.objects(e, p)] for e in entities(graph)}


@pytest.mark.parametrize("form, entity", FORMS_FROM_THE_TEXTS)
def test_a_word_form_of_the_texts_finds_its_entity_by_its_stem(names_without_forms, form, entity):
    assert form in TEXTS, "the form is taken from a text"
    assert local_name(resolve_name(names_without_forms, form)) == entity


def test_stems_are_tried_least_peeled_first():
    candidates = stem_candidates("қазақстандағы")
    assert candidates[0] == "қазақстандағы" and "қазақстан" in candidates
    assert [len(c) for c in candidates[1:]] == sorted((len(c) for c in candidates[1:]), reverse=True)
    assert stem_candidates("бұұ-ның") == ["бұұ-ның", "бұұ"]


def test_a_short_name_is_not_peeled_into_another():
    # "Иран" must not lose its last letters to look like another name; three letters is the floor
    assert all(len(form.rpartition(" ")[2]) >= 3 for form in stem_candidates("иранның"))


def test_an_unknown_word_is_still_not_found(names_without_forms):
    with pytest.raises(EntityNotFound):
        resolve_name(names_without_forms, "Марсқа")


def test_no_alt_label_is_a_word_form_of_another_name():
    """skos:altLabel holds names only: no Kazakh alt label is an inflection of the entity's own label."""
    graph = load_graph(DataPaths(REPO)).full
    offenders = []
    for entity in entities(graph):
        names = {str(v).casefold() for p in (RDFS.label, SKOS.altLabel) for v in graph.objects(entity, p)}
        for alt in graph.objects(entity, SKOS.altLabel):
            if alt.language == "kk":
                stems = stem_candidates(str(alt).casefold())[1:]
                if any(stem in names for stem in stems):
                    offenders.append((local_name(entity), str(alt)))
    assert offenders == []


def test_surface_forms_are_never_names_too():
    graph = load_graph(DataPaths(REPO)).full
    both = [(local_name(s), str(o)) for s, o in graph.subject_objects(KZO.surfaceForm) if (s, SKOS.altLabel, o) in graph]
    assert both == []
