"""Answers written out: SELECT solutions as an aligned table, CSV, TSV, JSON or XML; graphs as Turtle, N-Triples or JSON-LD; the same writers for the built graph and for remote endpoints."""

from __future__ import annotations

import csv
import io
import re
from collections import namedtuple
from pathlib import Path

from kg.core.errors import QueryError
from kg.core.prefixes import PREFIXES, compact_iri, literal_text
from kg.facts.entities import choose_label
from kg.render.rdf import serialize_jsonld
from kg.render.tables import format_table
from kg.sparql.text import FORMAT_BY_SUFFIX, GRAPH_FORMATS, RDFS_LABEL, XSD_INTEGER, XSD_STRING


#: Each answer format's media type, as the SPARQL 1.1 and RDF specifications name it: what
#: ``kg serve`` answers with, and what ``kg query --endpoint`` asks for and reads.
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

#: Media type → format for SELECT and ASK answers, the specifications' names and the older
#: ones clients and servers still use; in the order ``kg serve`` prefers them.
RESULT_MEDIA_TYPES = {
    MEDIA_TYPES["json"]: "json",
    "application/json": "json",
    MEDIA_TYPES["xml"]: "xml",
    "application/xml": "xml",
    MEDIA_TYPES["csv"]: "csv",
    MEDIA_TYPES["tsv"]: "tsv",
    "text/xml": "xml",
}

#: The same for CONSTRUCT and DESCRIBE answers (and the entity pages' RDF).
GRAPH_MEDIA_TYPES = {
    MEDIA_TYPES["turtle"]: "turtle",
    "application/x-turtle": "turtle",
    MEDIA_TYPES["nt"]: "nt",
    "text/plain": "nt",
    MEDIA_TYPES["jsonld"]: "jsonld",
    "application/json": "jsonld",
    "text/ntriples": "nt",
    "text/rdf+n3": "turtle",
}


def accept_header(formats: tuple[tuple[str, float], ...]) -> str:
    """An Accept header asking for ``formats`` (format, quality), best first.

    >>> accept_header((("nt", 1.0), ("turtle", 0.9)))
    'application/n-triples, text/turtle;q=0.9'
    """
    return ", ".join(MEDIA_TYPES[fmt] + ("" if quality == 1.0 else f";q={quality:g}") for fmt, quality in formats)


class Term(namedtuple("Term", ["kind", "value", "lang", "datatype", "direction"], defaults=(None, None, None))):
    """An RDF term as the SPARQL results formats see it: ``kind`` ("uri",
    "bnode", "literal" or "triple"), ``value``, ``lang``, ``datatype``
    (None for xsd:string and language-tagged strings) and the base
    ``direction`` of a literal ("ltr", "rtl"). A triple term's ``value`` is
    its (subject, predicate, object) as Terms."""

    __slots__ = ()


def to_term(node) -> Term | None:
    """A pyoxigraph term (or None for unbound) as a Term."""
    if node is None:
        return None
    kind = type(node).__name__  # by name, so this hot path needs no import
    if kind == "NamedNode":
        return Term("uri", node.value)
    if kind == "BlankNode":
        return Term("bnode", node.value)
    if kind == "Literal":
        if node.language:
            direction = getattr(node, "direction", None)
            return Term("literal", node.value, node.language, None, str(direction) if direction is not None else None)
        datatype = node.datatype.value
        return Term("literal", node.value, None, None if datatype == XSD_STRING else datatype)
    if kind == "Triple":  # RDF 1.2: kept whole, so each format can write it as its specification says
        return Term("triple", (to_term(node.subject), to_term(node.predicate), to_term(node.object)))
    raise TypeError(f"not an RDF term: {node!r}")


def term_text(term, labels: dict[str, str] | None = None) -> str:
    """A term as people read it: a label or a prefixed name for an IRI, a literal's text."""
    if term is None:
        return ""
    if not isinstance(term, Term):
        term = to_term(term)
    if term.kind == "uri":
        return (labels or {}).get(term.value) or compact_iri(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind == "triple":
        return "<<( " + " ".join(_inner_text(part, labels) for part in term.value) + " )>>"
    return term.value


def _inner_text(term: Term, labels: dict[str, str] | None) -> str:
    """A term inside a triple term, as people read it: a literal keeps its quotes."""
    return turtle_term(term) if term.kind == "literal" else term_text(term, labels)


class SolutionsWriter:
    """Writes SELECT results piece by piece: ``start``, ``rows`` (in batches), ``end``."""

    def __init__(self, variables: list[str], max_width: int | None = None):
        self.variables = variables
        self.max_width = max_width  # of a table on a terminal

    def start(self) -> str:
        return ""

    def rows(self, rows: list[list[Term | None]], labels: dict[str, str] | None = None) -> str:
        raise NotImplementedError

    def end(self) -> str:
        return ""


class TableWriter(SolutionsWriter):
    def __init__(self, variables, max_width=None):
        super().__init__(variables, max_width)
        self.cells: list[list[str]] = []

    def rows(self, rows, labels=None):
        self.cells.extend([term_text(term, labels) for term in row] for row in rows)
        return ""

    def end(self):
        return format_table(self.variables, self.cells, self.max_width)


class CsvWriter(SolutionsWriter):
    """SPARQL 1.1 Query Results CSV: full IRIs, bare literal text, CRLF line ends."""

    def _line(self, cells):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(cells)
        return buffer.getvalue()

    def start(self):
        return self._line([self.variables])

    def rows(self, rows, labels=None):
        def cell(term):
            if term is None:
                return ""
            if term.kind == "uri":
                return (labels or {}).get(term.value) or term.value
            if term.kind == "triple":  # SPARQL CSV has no form for it: the Turtle one, full IRIs
                return turtle_term(term)
            return f"_:{term.value}" if term.kind == "bnode" else term.value

        return self._line([[cell(term) for term in row] for row in rows])


_TURTLE_INTEGER = r"[+-]?\d+"


def turtle_term(term: Term | None) -> str:
    """A term in the Turtle/N-Triples syntax used by SPARQL TSV results."""
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind == "triple":
        return "<<( " + " ".join(turtle_term(part) for part in term.value) + " )>>"
    if term.datatype == XSD_INTEGER and re.fullmatch(_TURTLE_INTEGER, term.value):
        return term.value
    if term.lang and term.direction:
        return f"{literal_text(term.value)}@{term.lang}--{term.direction}"
    return literal_text(term.value, term.lang, term.datatype, compact=False)


class TsvWriter(SolutionsWriter):
    """SPARQL 1.1 Query Results TSV: ``?var`` headers, terms in Turtle syntax."""

    def start(self):
        return "\t".join(f"?{v}" for v in self.variables) + "\n"

    def rows(self, rows, labels=None):
        return "".join("\t".join(turtle_term(term) for term in row) + "\n" for row in rows)


def json_term(term: Term) -> dict:
    if term.kind == "uri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    if term.kind == "triple":  # SPARQL 1.2 Query Results JSON
        return {"type": "triple", "value": dict(zip(("subject", "predicate", "object"), map(json_term, term.value)))}
    out = {"type": "literal", "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
        if term.direction:
            out["its:dir"] = term.direction
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


class JsonWriter(SolutionsWriter):
    """W3C SPARQL 1.1 Query Results JSON, one binding per line."""

    def start(self):
        import json  # here, not at the top: only JSON output pays for the import

        self.dumps = json.dumps
        self.first = True
        head = json.dumps({"vars": self.variables}, ensure_ascii=False)
        return f'{{\n  "head": {head},\n  "results": {{\n    "bindings": ['

    def rows(self, rows, labels=None):
        parts = []
        for row in rows:
            binding = {v: json_term(t) for v, t in zip(self.variables, row) if t is not None}
            parts.append(("\n      " if self.first else ",\n      ") + self.dumps(binding, ensure_ascii=False))
            self.first = False
        return "".join(parts)

    def end(self):
        return ("\n    ]" if not self.first else "]") + "\n  }\n}\n"


def _xml_escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


class XmlWriter(SolutionsWriter):
    """W3C SPARQL Query Results XML Format."""

    def start(self):
        variables = "".join(f'    <variable name="{_xml_escape(v, True)}"/>\n' for v in self.variables)
        return f"{_XML_HEAD}  <head>\n{variables}  </head>\n  <results>\n"

    def rows(self, rows, labels=None):
        parts = []
        for row in rows:
            parts.append("    <result>\n")
            for variable, term in zip(self.variables, row):
                if term is not None:
                    parts.append(f'      <binding name="{_xml_escape(variable, True)}">{self._term(term)}</binding>\n')
            parts.append("    </result>\n")
        return "".join(parts)

    @staticmethod
    def _term(term: Term) -> str:
        if term.kind == "uri":
            return f"<uri>{_xml_escape(term.value)}</uri>"
        if term.kind == "bnode":
            return f"<bnode>{_xml_escape(term.value)}</bnode>"
        if term.kind == "triple":  # SPARQL 1.2 Query Results XML
            parts = "".join(f"<{role}>{XmlWriter._term(part)}</{role}>"
                            for role, part in zip(("subject", "predicate", "object"), term.value))
            return f"<triple>{parts}</triple>"
        if term.lang and term.direction:
            return (f'<literal xml:lang="{_xml_escape(term.lang, True)}" its:dir="{_xml_escape(term.direction, True)}" '
                    f'xmlns:its="http://www.w3.org/2005/11/its">{_xml_escape(term.value)}</literal>')
        if term.lang:
            return f'<literal xml:lang="{_xml_escape(term.lang, True)}">{_xml_escape(term.value)}</literal>'
        if term.datatype:
            return f'<literal datatype="{_xml_escape(term.datatype, True)}">{_xml_escape(term.value)}</literal>'
        return f"<literal>{_xml_escape(term.value)}</literal>"

    def end(self):
        return "  </results>\n</sparql>\n"


WRITERS = {"table": TableWriter, "csv": CsvWriter, "tsv": TsvWriter, "json": JsonWriter, "xml": XmlWriter}


def format_boolean(value: bool, fmt: str) -> str:
    """An ASK answer: ``true``/``false``, or the SPARQL JSON or XML boolean document."""
    if fmt == "json":
        return f'{{"head": {{}}, "boolean": {"true" if value else "false"}}}\n'
    if fmt == "xml":
        return f"{_XML_HEAD}  <head/>\n  <boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n"
    return ("true" if value else "false") + "\n"


def format_graph(triples: list, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE triples (pyoxigraph) as Turtle, N-Triples or JSON-LD, sorted."""
    import pyoxigraph

    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt == "jsonld":
        if any(isinstance(term, pyoxigraph.Triple) for triple in triples for term in (triple.subject, triple.object)):
            raise QueryError("JSON-LD has no way to write a triple term (<<( … )>>): "
                             "use --format turtle or nt for this answer")
        return serialize_jsonld(triples).decode("utf-8")
    if fmt == "nt":
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    # pyoxigraph writes every prefix given, in no fixed order: keep the used ones, in ours.
    lines = text.splitlines(keepends=True)
    body = "".join(line for line in lines if not line.startswith("@prefix "))
    used = [p for p in PREFIXES if re.search(rf"(^|[\s(\[,;^]){p}:", body, re.MULTILINE)]
    header = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in used)
    return header + ("\n" if header and body else "") + body


def choose_format(form: str | None, fmt: str | None, output: str | None, on_terminal: bool) -> str:
    """The output format: the one asked for if it fits the query form, else a default."""
    graph = form in ("construct", "describe")
    if fmt is None and output and output != "-":
        fmt = FORMAT_BY_SUFFIX.get(Path(output).suffix.lower())
        if graph and fmt == "json":
            fmt = "jsonld"
        if fmt is not None and graph != (fmt in GRAPH_FORMATS) and fmt not in ("table", "csv", "tsv"):
            fmt = None  # e.g. answer.json for a CONSTRUCT: fall back to the default
    if fmt is None:
        if graph:
            return "turtle"
        return "table" if on_terminal and not output else "csv"
    if graph and fmt in ("json", "xml"):
        raise QueryError(
            f"--format {fmt} is for SELECT and ASK; a {form.upper()} gives turtle, nt, jsonld (or table, csv, tsv)"
        )
    if not graph and fmt in GRAPH_FORMATS:
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; a {(form or 'select').upper()} "
            "gives table, csv, tsv, json or xml"
        )
    return fmt


# --------------------------------------------------------------------------
# Running a query
# --------------------------------------------------------------------------


def labels_query(iris: list[str]) -> str:
    values = " ".join(f"<{iri}>" for iri in iris)
    return f"SELECT ?item ?label WHERE {{ VALUES ?item {{ {values} }} ?item <{RDFS_LABEL}> ?label }}"


def choose_labels(solutions, lang: str) -> dict[str, str]:
    """The best label of each item (``labels_query``'s solutions), as every view chooses one
    (``kg.facts.entities.choose_label``): in ``lang``, else en, kk, ru, else the first of the others."""
    by_item: dict[str, dict[str, str]] = {}
    for solution in solutions:
        item, label = solution[0], solution[1]
        if item is None or label is None:
            continue
        language = getattr(label, "language", None) or ""
        labels = by_item.setdefault(item.value, {})
        if language not in labels or label.value < labels[language]:
            labels[language] = label.value
    return {item: choose_label(labels, item, lang) for item, labels in by_item.items()}
