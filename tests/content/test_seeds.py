"""Integrity of the curated data: texts, sources, canonical form, every statement."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import RDF
from rdflib.namespace import PROV

from kg.data.curation import format_seeds
from kg.data.evidence import is_verbatim
from tests.helpers.rdflib_load import load_dataset
from kg.core.namespaces import KZO
from kg.core.paths import REPO_ROOT, data_paths

PATHS = data_paths(REPO_ROOT)
TEXT_SHA256 = {
    "000_478a5c079113c2cd.txt": None,
    "001_c575254485e987ed.txt": None,
    "002_df0a2fa518fe6822.txt": None,
    "003_8c1d28d887a3004f.txt": None,
    "004_440d1df941257403.txt": None,
}
CORPUS = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(PATHS)


def test_the_five_texts_are_present():
    assert sorted(p.name for p in PATHS.texts.iterdir()) == sorted(TEXT_SHA256)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
@pytest.mark.parametrize("name", sorted(TEXT_SHA256))
def test_texts_are_byte_identical_to_the_corpus(name):
    assert (PATHS.texts / name).read_bytes() == (CORPUS / name).read_bytes()


def test_every_text_has_a_source_node(dataset):
    named = {str(f) for f in dataset.graph.objects(None, KZO.fileName)}
    assert named == set(TEXT_SHA256)


def test_seed_files_are_canonical():
    drifted = format_seeds(PATHS, check=True)
    assert not drifted, f"not in canonical form: {[str(p) for p in drifted]}; run `kg fmt` to fix"


def test_every_statement_quotes_its_text_verbatim(dataset):
    graph = dataset.graph
    texts = {s: (PATHS.texts / str(f)).read_text(encoding="utf-8") for s, f in graph.subject_objects(KZO.fileName)}
    checked = 0
    for statement in graph.subjects(RDF.type, RDF.Statement):
        source = graph.value(statement, PROV.wasDerivedFrom)
        if source in texts:
            quote = graph.value(statement, KZO.quote)
            assert quote is not None and is_verbatim(texts[source], str(quote)), statement
            assert graph.value(statement, KZO.quoteEnglish) is not None, statement
            checked += 1
    assert checked >= 40
