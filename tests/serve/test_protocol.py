"""The SPARQL 1.1 Protocol's rules in kg.serve.protocol, without a server: content negotiation
and the ``format=`` parameter."""

from __future__ import annotations

import pytest

from kg.serve.protocol import GRAPH_TYPES, RESULT_TYPES, ProtocolError, answer_format, negotiate, parse_accept


def test_accept_is_read_by_quality_then_order():
    ranges = parse_accept("text/csv;q=0.5, application/xml;q=0.9, text/turtle, */*;q=0.1")
    assert [(r.type, r.quality) for r in ranges] == [
        ("text/turtle", 1.0), ("application/xml", 0.9), ("text/csv", 0.5), ("*/*", 0.1)]
    assert parse_accept("text/csv;q=oops")[0].quality == 0.0


@pytest.mark.parametrize("accept, expected", [
    (None, "json"), ("", "json"), ("*/*", "json"),
    ("text/csv", "csv"), ("text/*", "csv"), ("application/json", "json"), ("text/xml", "xml"),
    ("text/csv;q=0.2, text/tab-separated-values;q=0.8", "tsv"),
    ("application/sparql-results+json;q=0, application/json;q=0, */*", "xml"),  # q=0 refuses a type
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "xml"),  # a browser's Accept
    ("image/png", None),
])
def test_select_negotiation(accept, expected):
    assert negotiate(accept, RESULT_TYPES) == expected


@pytest.mark.parametrize("accept, expected", [
    (None, "turtle"), ("application/n-triples", "nt"), ("text/plain", "nt"), ("application/ld+json", "jsonld"),
    ("application/n-triples,*/*;q=0.9", "nt"),  # what YASGUI sends for CONSTRUCT
    ("application/sparql-results+json", None),
])
def test_graph_negotiation(accept, expected):
    assert negotiate(accept, GRAPH_TYPES) == expected


def test_format_parameter_names_and_media_types():
    assert answer_format("select", "srj", None) == "json"
    assert answer_format("select", "text/csv", "application/sparql-results+json") == "csv"
    assert answer_format("construct", "ttl", None) == "turtle"
    assert answer_format("describe", "application/ld+json", None) == "jsonld"
    with pytest.raises(ProtocolError) as refused:
        answer_format("select", "turtle", None)
    assert refused.value.status == 406 and "json, xml, csv, tsv" in refused.value.message
    with pytest.raises(ProtocolError) as refused:
        answer_format("construct", None, "text/csv")
    assert refused.value.status == 406 and "text/turtle" in refused.value.message
