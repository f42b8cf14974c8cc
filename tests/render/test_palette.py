"""One colour and line style per relation, the same in every view, readable on white."""

from __future__ import annotations

import json
import re

from rdflib import OWL, RDF, RDFS

from kg.core.namespaces import KZO_IRI
from kg.render.palette import LINE_COLOURS, contrast, relation_styles


def _page_data(path) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', path.read_text(encoding="utf-8"), re.S)
    return json.loads(match.group(1))


def test_every_line_colour_is_at_least_three_to_one_on_white():
    assert all(contrast(colour, "#ffffff") >= 3 for colour in LINE_COLOURS)


def test_no_two_properties_of_the_ontology_look_alike(built_graph):
    graph = built_graph
    properties = [str(p)[len(KZO_IRI):] for p in graph.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(KZO_IRI)]
    looks = [(s["color"], str(s["dashes"])) for s in relation_styles(properties).values()]
    assert len(looks) == len(set(looks)) == len(set(properties))


def test_a_relation_keeps_its_look_in_every_view(built_data):
    seen: dict[str, tuple] = {}
    pages = [built_data.html_export, *sorted((built_data.exports / "views").glob("*.html"))]
    for page in pages:
        for name, relation in _page_data(page)["relations"].items():
            look = (relation["color"], str(relation["dashes"]))
            assert seen.setdefault(name, look) == look, f"{name} changes look in {page.name}"
    assert len(seen) > 20


def test_no_two_relations_share_a_name_in_one_language(built_graph):
    graph = built_graph
    for lang in ("en", "kk", "ru"):
        names: dict[str, list[str]] = {}
        for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
            if str(prop).startswith(KZO_IRI):
                for label in graph.objects(prop, RDFS.label):
                    if label.language == lang:
                        names.setdefault(str(label), []).append(str(prop)[len(KZO_IRI):])
        assert {n: p for n, p in names.items() if len(p) > 1} == {}, lang


def test_every_class_of_the_data_has_its_own_look_at_three_to_one(built_data):
    from kg.render.html import CLASS_STYLE, FALLBACK_CLASS_STYLE, HOLLOW_CLASSES

    classes = _page_data(built_data.html_export)["classes"]
    assert set(classes) <= set(CLASS_STYLE), "a class of the data has no style of its own"
    looks = [(shape, name in HOLLOW_CLASSES) for name, (_, shape) in CLASS_STYLE.items()]
    assert len(looks) == len(set(looks)), "two classes share a shape and fill"
    assert all(contrast(colour, "#ffffff") >= 3 for colour, _ in [*CLASS_STYLE.values(), FALLBACK_CLASS_STYLE])
