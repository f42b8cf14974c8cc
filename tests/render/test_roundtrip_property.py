"""Property tests: any literal the data may hold survives every RDF export format.

Literals with quotes, backslashes, CR/LF, control characters (not NUL),
emoji, right-to-left marks, Kazakh and Russian letters, with and without
language tags, must load back into an isomorphic graph.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import pyoxigraph

from kg.data.store import ONTOLOGY_GRAPH, exported_triples, turtle_bytes
from kg.render.rdf import serialize_jsonld, serialize_ntriples, serialize_rdfxml

KZ = "https://w3id.org/kzkg/id/"
KZO = "https://w3id.org/kzkg/ontology#"

# XML 1.0 cannot carry most C0 control characters, so RDF/XML gets its own alphabet.
CONTROLS = [chr(c) for c in range(1, 32)]
TRICKY = ['"', "'", "\\", "\r", "\n", "\t", "\u200f", "\u200e", "\u202e", "😀", "🇰🇿", "ә", "ə", "Ұ", "ғ", "ё", "Щ", "\u00a0", "<", "&", "]]>", "\"\"\""]
KAZAKH_RUSSIAN = st.characters(min_codepoint=0x0400, max_codepoint=0x04FF)

TEXT = st.lists(st.one_of(st.sampled_from(TRICKY + CONTROLS), KAZAKH_RUSSIAN, st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")), max_size=40).map("".join)
XML_TEXT = st.lists(
    st.one_of(st.sampled_from([c for c in TRICKY if c not in CONTROLS or c in "\t\n\r"]), KAZAKH_RUSSIAN,
              st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff")), max_size=40
).map("".join)
LANGUAGE = st.sampled_from([None, "kk", "ru", "en", "en-gb", "kk-cyrl"])


def _graph(values: list[tuple[str, str | None]]) -> Graph:
    graph = Graph()
    for index, (text, language) in enumerate(values):
        graph.add((URIRef(f"{KZ}x{index}"), URIRef(f"{KZO}note"), Literal(text, lang=language)))
    graph.add((URIRef(f"{KZ}x"), URIRef(f"{KZO}count"), Literal("12", datatype=XSD.integer)))
    return graph


def _store(graph: Graph):
    """The graph in a store: what every RDF export is written from."""
    store = pyoxigraph.Store()
    graph_name = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)  # the first graph turtle_bytes writes, with the @prefix header
    store.extend(pyoxigraph.Quad(*(_term(t) for t in triple), graph_name) for triple in graph)
    return store


def _term(term):
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype or XSD.string)))


def _from_store(serializer):
    return lambda graph: serializer(exported_triples(_store(graph)))


FORMATS = {
    "turtle": (lambda graph: turtle_bytes(_store(graph)), "turtle"),
    "nt": (_from_store(serialize_ntriples), "nt"),
    "jsonld": (_from_store(serialize_jsonld), "json-ld"),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(TEXT, LANGUAGE), min_size=1, max_size=5))
def test_text_literals_round_trip(name, values):
    serialize, rdflib_format = FORMATS[name]
    graph = _graph(values)
    loaded = Graph().parse(io.BytesIO(serialize(graph)), format=rdflib_format)
    assert isomorphic(graph, loaded)


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.tuples(XML_TEXT, LANGUAGE), min_size=1, max_size=5))
def test_text_literals_round_trip_rdfxml(values):
    graph = _graph(values)
    loaded = Graph().parse(io.BytesIO(_from_store(serialize_rdfxml)(graph)), format="xml")
    assert isomorphic(graph, loaded)


@pytest.mark.parametrize("control", ["\x01", "\x0b", "\x1f"])
def test_rdfxml_refuses_control_characters_clearly(control):
    from kg.core.errors import KGError

    graph = _graph([(f"a{control}b", "kk")])
    with pytest.raises(KGError, match=f"U\\+{ord(control):04X} in the kzo:note of kz:x0"):
        _from_store(serialize_rdfxml)(graph)


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029", "\x0b", "\x1c"])
def test_ntriples_keeps_characters_python_takes_for_line_breaks(separator):
    """Regression: N-Triples lines were split with str.splitlines(), which breaks on U+0085 and U+2028."""
    graph = _graph([(f"a{separator}b", None)])
    loaded = Graph().parse(io.BytesIO(_from_store(serialize_ntriples)(graph)), format="nt")
    assert isomorphic(graph, loaded)
