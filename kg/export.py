"""Serialize the built graph, deterministically: the same input gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .atomic import write_atomic
from .load import new_graph

#: Export formats: name -> (rdflib serializer, file suffix).
RDF_FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "rdfxml": ("pretty-xml", ".rdf"),
}


def serialize_turtle(graph: Graph) -> bytes:
    """Turtle with the project's prefixes, subjects sorted (rdflib sorts them)."""
    rebound = new_graph()
    rebound += graph
    return rebound.serialize(format="turtle", encoding="utf-8")


def serialize_ntriples(graph: Graph) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()))
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def write_turtle(graph: Graph, path: Path) -> Path:
    return write_atomic(path, serialize_turtle(graph))
