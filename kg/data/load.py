"""Read the data files: UTF-8 text, strictly parsed Turtle, terms as rdflib terms.

Every Turtle file is parsed by Oxigraph's strict parser, not rdflib's: rdflib
accepts malformed IRIs and other invalid Turtle, resolves relative IRIs against
the working directory, and recurses on deep nesting. ``parse_turtle`` keeps
each literal's written form (``"22.50"`` stays ``"22.50"``; the Oxigraph
store would canonicalize it to ``"22.5"``), which is what ``kg fmt`` and the
literal checks need.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.core.errors import DataError
from kg.core.namespaces import PREFIXES
from kg.core.paths import DataPaths

# rdflib logs a warning with a traceback for every literal that does not fit its datatype
# ("1992-13-45"^^xsd:date) when the Literal is made; kg's own checks report each such literal
# with its file and line, so rdflib's message only put a stray traceback before them (issue 15).
logging.getLogger("rdflib.term").setLevel(logging.ERROR)

_SUBJECT_AT_LINE_START = re.compile(r"^(kz:[^\s;,.]+(?:\.[^\s;,.]+)*)\s")

_LINE_COLUMN = re.compile(r"line (\d+)", re.IGNORECASE)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def read_text(path: Path) -> str:
    """Read a UTF-8 file, with a clear error for anything that is not one."""
    if path.is_dir():
        raise DataError("is a directory, expected a Turtle file", path)
    if not path.is_file():
        raise DataError("is not a regular file", path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataError(f"cannot be read ({error.strerror})", path) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DataError(f"invalid UTF-8 at byte offset {error.start}", path, line) from None


class _KnownIllTyped(logging.Filter):
    """rdflib logs a warning with a traceback for every literal it cannot convert to a Python
    value ("1992-13-45"^^xsd:date); the checks report those literals themselves, in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form to value")


logging.getLogger("rdflib.term").addFilter(_KnownIllTyped())


def refuse_triple_terms(text: str, path: Path) -> None:
    """Refuse an RDF 1.2 triple term (``<<( s p o )>>``, ``<< s p o >>``): the curated graph has none,
    and the tools downstream (rdflib, the checks, the exports) do not read them."""
    if "<<" not in text:  # every triple term and reifier is written with <<
        return
    import pyoxigraph

    try:
        for triple in pyoxigraph.parse(text, pyoxigraph.RdfFormat.TURTLE):
            if isinstance(triple.subject, pyoxigraph.Triple) or isinstance(triple.object, pyoxigraph.Triple):
                line = text.count("\n", 0, text.index("<<")) + 1
                raise DataError(
                    "holds a triple term (<<( … )>> or << … >>); the curated graph states facts as "
                    "rdf:Statement nodes (see docs/curation.md), not as RDF 1.2 triple terms", path, line)
    except SyntaxError:
        return  # the loader reports the syntax error with its line


def to_rdflib(term) -> Node:
    """The rdflib term of a pyoxigraph term, the literal's lexical form kept exactly as written.

    rdflib would otherwise normalize it ("007" to "7", "1"^^xsd:boolean to
    "true", a date's timezone dropped). A literal with a base direction
    (RDF 1.2's ``"x"@en--rtl``) has no rdflib form and is refused.
    """
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if not isinstance(term, pyoxigraph.Literal):
        raise DataError(f"{term} is not an IRI, blank node or literal (a triple term?), which the seeds cannot hold")
    if getattr(term, "direction", None):
        raise DataError(f"the literal {term} has a base direction (--{term.direction}), which kg cannot keep; "
                        f"write it as \"{term.value}\"@{term.language}")
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


def parse_turtle(path: Path, into: Graph, base_iri: str | None = None) -> None:
    """Parse one Turtle file strictly into ``into``; raise DataError on any fault.

    Seeds are parsed with no base IRI, so a relative IRI is an error instead
    of silently becoming a path on the local machine.
    """
    import pyoxigraph

    text = read_text(path)
    refuse_triple_terms(text, path)
    try:
        for triple in pyoxigraph.parse(text, pyoxigraph.RdfFormat.TURTLE, base_iri=base_iri):
            try:
                into.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            except DataError as error:
                raise DataError(error.message, path) from None
    except SyntaxError as error:
        message = str(error).splitlines()[0] if str(error) else "Turtle syntax error"
        match = _LINE_COLUMN.search(message)
        line = int(match.group(1)) if match else None
        raise DataError(f"Turtle syntax error: {message}", path, line) from None


def load_ontology(paths: DataPaths) -> Graph:
    graph = new_graph()
    parse_turtle(paths.ontology, graph)
    return graph


def check_seed_tree(paths: DataPaths) -> None:
    """Refuse entries under seeds/ that are not regular files or folders (FIFOs, sockets)."""
    for entry in sorted(paths.seeds.rglob("*")):
        if entry.is_symlink() and not entry.exists():
            raise DataError("is a broken symbolic link", entry)
        if not (entry.is_file() or entry.is_dir()):
            raise DataError("is not a regular file or directory", entry)
        if entry.is_dir() and entry.name.endswith(".ttl"):
            raise DataError("is a directory, expected a Turtle file", entry)


def subject_lines(path: Path) -> dict[str, int]:
    """Map each prefixed subject that starts a line to its first line number."""
    lines: dict[str, int] = {}
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        match = _SUBJECT_AT_LINE_START.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines
