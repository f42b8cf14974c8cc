"""The content rules of round two, checked over every record of the curated data:
every entity has a fact, references are kept apart from quotes, disagreements are
real, sources say when they speak, intentions are not stored as relations."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.facts.entities import entities, local_name
from kg.data.graph import load_graph
from kg.core.namespaces import KZO
from kg.core.paths import REPO_ROOT, data_paths

PATHS = data_paths(REPO_ROOT)


@pytest.fixture(scope="module")
def full():
    return load_graph(PATHS).full


def _statements(graph):
    return set(graph.subjects(RDF.type, RDF.Statement))


def test_every_entity_has_at_least_one_fact(full):
    in_statements = {node for st in _statements(full) for node in (full.value(st, RDF.subject), full.value(st, RDF.object))}
    orphans = sorted(local_name(e) for e in entities(full) if e not in in_statements)
    assert orphans == []


def test_every_text_source_says_the_period_it_speaks_of_and_why(full):
    for source in full.subjects(KZO.fileName, None):
        start, end = full.value(source, KZO.periodStart), full.value(source, KZO.periodEnd)
        assert start is not None and end is not None, source
        assert int(str(start)) <= int(str(end)), source
        basis = str(full.value(source, KZO.periodBasis) or "")
        assert basis.startswith("Curators' estimate"), source


def test_references_carry_citation_address_and_date_read_and_no_quote(full):
    references = set(full.subjects(RDF.type, KZO.Reference))
    assert references, "the reference layer is not empty"
    for reference in references:
        assert full.value(reference, KZO.fileName) is None, reference
        assert full.value(reference, DCTERMS.bibliographicCitation) is not None, reference
        address = full.value(reference, RDFS.seeAlso)
        assert isinstance(address, URIRef) and str(address).startswith(("https://", "http://")), reference
        assert full.value(reference, KZO.accessed) is not None, reference
    for statement in _statements(full):
        if full.value(statement, PROV.wasDerivedFrom) in references:
            assert full.value(statement, KZO.quote) is None, statement


def test_every_source_outside_the_texts_is_a_reference(full):
    for source in full.subjects(RDF.type, KZO.Source):
        if full.value(source, KZO.fileName) is None:
            assert (source, RDF.type, KZO.Reference) in full, source


def test_counts_from_texts_of_different_times_are_a_series_not_a_disagreement(full):
    numeric = {p for p in full.subjects(RDFS.range, None) if full.value(p, RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#integer")}
    for claim, other in full.subject_objects(KZO.disagreesWith):
        if full.value(claim, RDF.predicate) in numeric:
            ends = {full.value(full.value(s, PROV.wasDerivedFrom), KZO.periodEnd) for s in (claim, other)}
            assert len(ends) == 1, f"{local_name(claim)} and {local_name(other)} speak of different times"


def test_no_alt_label_is_also_a_label(full):
    for entity in entities(full):
        labels = set(full.objects(entity, RDFS.label))  # text and language: Египет is a kk alt label and the ru label
        assert not labels & set(full.objects(entity, SKOS.altLabel)), entity


def test_groups_of_states_have_members_only_where_states(full):
    for group, member in full.subject_objects(KZO.hasMember):
        assert (group, RDF.type, KZO.StateGroup) in full and (member, RDF.type, KZO.State) in full


def test_the_issue_s_aspirations_are_not_stored_as_cooperation(full):
    kz = "https://w3id.org/kzkg/id/"
    for partner in ("India", "Pakistan", "Ukraine", "Belarus"):
        for statement in _statements(full):
            if (
                full.value(statement, RDF.predicate) == KZO.cooperatesWith
                and {str(full.value(statement, RDF.subject)), str(full.value(statement, RDF.object))} == {kz + "Kazakhstan", kz + partner}
            ):
                assert not str(full.value(statement, PROV.wasDerivedFrom)).endswith("source-003"), statement
