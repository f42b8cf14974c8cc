"""Load the ontology and the curated seeds into one rdflib graph.

Every Turtle file is parsed by Oxigraph's strict parser, not rdflib's: rdflib
accepts malformed IRIs and other invalid Turtle, resolves relative IRIs against
the working directory, and recurses on deep nesting. The parsed triples are
then copied into an rdflib graph for modelling, validation and serialization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.core.errors import DataError
from kg.core.namespaces import PREFIXES
from kg.core.paths import DataPaths

_LINE_COLUMN = re.compile(r"line (\d+)", re.IGNORECASE)
_SUBJECT_AT_LINE_START = re.compile(r"^(kz:[^\s;,.]+(?:\.[^\s;,.]+)*)\s")


@dataclass
class Dataset:
    """The curated data as loaded: the graph, and where each subject was written."""

    graph: Graph
    ontology: Graph
    paths: DataPaths
    origins: dict[Node, tuple[Path, int | None, bool]] = field(default_factory=dict)
    parts: dict[Path, Graph] = field(default_factory=dict)
    subject_lines: dict[Path, dict[str, int]] = field(default_factory=dict)

    def origin(self, subject: Node) -> tuple[Path | None, int | None]:
        """The file (and line) where ``subject`` is described, if it is."""
        path, line, _ = self.origins.get(subject, (None, None, False))
        return path, line

    def triple_origin(self, triple) -> tuple[Path | None, int | None]:
        """The file that states ``triple`` (and the line of its subject there)."""
        for path, part in self.parts.items():
            if triple in part:
                qname = _qname(triple[0])
                return path, self.subject_lines.get(path, {}).get(qname) if qname else None
        return self.origin(triple[0])


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


def _to_rdflib(term) -> Node:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def parse_turtle(path: Path, into: Graph, base_iri: str | None = None) -> None:
    """Parse one Turtle file strictly into ``into``; raise DataError on any fault.

    Seeds are parsed with no base IRI, so a relative IRI is an error instead
    of silently becoming a path on the local machine.
    """
    import pyoxigraph

    text = read_text(path)
    try:
        for triple in pyoxigraph.parse(text, pyoxigraph.RdfFormat.TURTLE, base_iri=base_iri):
            into.add((_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object)))
    except SyntaxError as error:
        message = str(error).splitlines()[0] if str(error) else "Turtle syntax error"
        match = _LINE_COLUMN.search(message)
        line = int(match.group(1)) if match else None
        raise DataError(f"Turtle syntax error: {message}", path, line) from None


def _subject_lines(path: Path) -> dict[str, int]:
    """Map each prefixed subject that starts a line to its first line number."""
    lines: dict[str, int] = {}
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        match = _SUBJECT_AT_LINE_START.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def load_ontology(paths: DataPaths) -> Graph:
    graph = new_graph()
    parse_turtle(paths.ontology, graph)
    return graph


def load_dataset(paths: DataPaths) -> Dataset:
    """Load ontology.ttl and every curated file under seeds/ (not materialized)."""
    if not paths.ontology.exists():
        raise DataError("ontology not found (is this a kazakhstan-kg data directory?)", paths.ontology)
    if not paths.seeds.is_dir():
        raise DataError("seeds directory not found", paths.seeds)
    ontology = load_ontology(paths)
    graph = new_graph()
    origins: dict[Node, tuple[Path, int | None, bool]] = {}
    parts: dict[Path, Graph] = {}
    subject_lines: dict[Path, dict[str, int]] = {}
    _check_seed_tree(paths)
    for path in paths.seed_files():
        part = new_graph()
        parse_turtle(path, part)
        lines = _subject_lines(path)
        relative = path.relative_to(paths.root) if paths.root in path.parents else path
        parts[relative] = part
        subject_lines[relative] = lines
        for subject in set(part.subjects()):
            # A subject is reported where it is typed; a file that only adds
            # to it (a note in conflicts.ttl) is not its home.
            typed_here = (subject, RDF.type, None) in part
            if subject not in origins or (typed_here and not origins[subject][2]):
                qname = _qname(subject)
                origins[subject] = (relative, lines.get(qname) if qname else None, typed_here)
        graph += part
    return Dataset(graph=graph, ontology=ontology, paths=paths, origins=origins, parts=parts, subject_lines=subject_lines)


def _check_seed_tree(paths: DataPaths) -> None:
    """Refuse entries under seeds/ that are not regular files or folders (FIFOs, sockets)."""
    for entry in sorted(paths.seeds.rglob("*")):
        if entry.is_symlink() and not entry.exists():
            raise DataError("is a broken symbolic link", entry)
        if not (entry.is_file() or entry.is_dir()):
            raise DataError("is not a regular file or directory", entry)
        if entry.is_dir() and entry.name.endswith(".ttl"):
            raise DataError("is a directory, expected a Turtle file", entry)


def _qname(node: Node) -> str | None:
    text = str(node)
    for prefix in ("kz",):
        base = PREFIXES[prefix]
        if isinstance(node, URIRef) and text.startswith(base):
            return f"{prefix}:{text[len(base):]}"
    return None
