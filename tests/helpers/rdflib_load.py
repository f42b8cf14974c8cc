"""The curated data loaded into rdflib, file by file: the second opinion's input.

kg loads everything into Oxigraph (kg.data.store); the oracles in this folder
read the same files into rdflib to check that the two readings agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from kg.core.errors import DataError
from kg.core.namespaces import PREFIXES
from kg.core.paths import DataPaths
from kg.data.load import check_seed_tree, load_ontology, new_graph, parse_turtle, read_text
from kg.data.load import subject_lines as lines_of_subjects



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
    check_seed_tree(paths)
    for path in paths.seed_files():
        part = new_graph()
        parse_turtle(path, part)
        lines = lines_of_subjects(path)
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


def _qname(node: Node) -> str | None:
    text = str(node)
    for prefix in ("kz",):
        base = PREFIXES[prefix]
        if isinstance(node, URIRef) and text.startswith(base):
            return f"{prefix}:{text[len(base):]}"
    return None


def rdflib_pipeline(paths: DataPaths):
    """(dataset, full): the seeds and the materialized graph, read and closed by rdflib alone."""
    from tests.helpers.rdflib_materialize import materialize

    dataset = load_dataset(paths)
    return dataset, materialize(dataset.graph, dataset.ontology)
