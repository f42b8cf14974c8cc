"""The ontology defines every contract term, with labels, comments, domains and ranges."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.core.namespaces import KZO, KZO_IRI, ONTOLOGY_IRI
from kg.core.paths import REPO_ROOT

ONTOLOGY = Graph().parse(REPO_ROOT / "ontology.ttl")
TERMS = sorted({t for t in ONTOLOGY.subjects() if isinstance(t, URIRef) and str(t).startswith(KZO_IRI)})
PROPERTIES = [t for t in TERMS if (t, RDF.type, OWL.ObjectProperty) in ONTOLOGY or (t, RDF.type, OWL.DatatypeProperty) in ONTOLOGY]

CONTRACT_CLASSES = ["State", "InternationalOrganization", "Treaty", "Event", "Person", "Initiative", "Company", "Place", "Source"]
CONTRACT_PROPERTIES = [
    "memberOf", "partOf", "partyTo", "signedBy", "chaired", "hosted", "borders", "strategicPartnerOf",
    "diplomaticRelationsWith", "guaranteesSecurityOf", "tradesWith", "providedAidTo", "proposed",
    "signed", "ratified", "acceded", "iso3166Alpha3", "date", "startDate", "endDate", "sharePercent",
    "count", "note", "quote", "quoteEnglish", "disagreesWith", "fileName",
]


def test_ontology_header():
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ONTOLOGY
    for prop in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ONTOLOGY.value(header, prop) is not None, prop


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class_defined(name):
    assert (KZO[name], RDF.type, OWL.Class) in ONTOLOGY


@pytest.mark.parametrize("name", CONTRACT_PROPERTIES)
def test_contract_property_defined(name):
    assert KZO[name] in PROPERTIES


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[1])
def test_every_term_has_three_labels_and_a_comment(term):
    languages = sorted(label.language for label in ONTOLOGY.objects(term, RDFS.label))
    assert languages == ["en", "kk", "ru"]
    comments = [c for c in ONTOLOGY.objects(term, RDFS.comment) if c.language == "en"]
    assert len(comments) == 1


@pytest.mark.parametrize("prop", PROPERTIES, ids=lambda t: t.split("#")[1])
def test_every_property_has_domain_and_range_or_is_open(prop):
    # Properties whose subject or object may be of any class say so in their comment.
    open_ended = {KZO.renounced, KZO.supported, KZO.founded, KZO.concerns, KZO.adopted}
    assert ONTOLOGY.value(prop, RDFS.domain) is not None
    if prop not in open_ended:
        assert ONTOLOGY.value(prop, RDFS.range) is not None


def test_symmetric_and_sub_properties():
    for name in ("borders", "strategicPartnerOf", "diplomaticRelationsWith", "disagreesWith"):
        assert (KZO[name], RDF.type, OWL.SymmetricProperty) in ONTOLOGY
    for name in ("signed", "ratified", "acceded"):
        assert (KZO[name], RDFS.subPropertyOf, KZO.partyTo) in ONTOLOGY


def test_namespace_module_matches_ontology():
    """kg/core/namespaces.py lists exactly the ontology's terms (regenerate it if this fails)."""
    source = (REPO_ROOT / "kg" / "core" / "namespaces.py").read_text(encoding="utf-8")
    declared = set(re.findall(r"^    (\w+): URIRef$", source, re.MULTILINE))
    assert declared == {t.split("#")[1] for t in TERMS}


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        KZO.memberof  # noqa: B018
