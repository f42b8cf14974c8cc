"""The contract checked with rdflib and pySHACL: the second opinion on kg.check.

kg checks the data in Oxigraph (SHACL shapes compiled to SPARQL). This is the
implementation it replaced, kept as a test oracle: every broken-data case must
give the same problems both ways. Two layers: SHACL shapes (``kg/shapes.ttl``, run by pySHACL) for the shape of
entities, statements and sources; and checks SHACL cannot express well here:
every kzo: term exists, every fact has a statement, every statement's fact is
asserted, every quote is an exact substring of its text, every literal fits
its datatype, every referenced entity is defined.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH
from rdflib.term import Node

from kg.data.evidence import is_verbatim, locate_quote
from kg.data.load import read_text
from tests.helpers.rdflib_load import Dataset
from kg.core.namespaces import KZ_IRI, KZO, KZO_IRI
from kg.core.paths import REPO_ROOT, SHAPES_FILE
from kg.core.prefixes import iri_text, literal_text, shortened

#: kzo: properties whose triples are names or bookkeeping, not facts needing evidence.
NOT_FACTS = set(Graph().parse(REPO_ROOT / "ontology.ttl").subjects(RDF.type, KZO.NonFactProperty))

def numeric_claim_properties(ontology: Graph) -> set[URIRef]:
    """Numeric-claim properties: integer-valued facts about an entity, repeated as kzo:count.

    Read off the ontology (an xsd:integer range and a domain other than
    rdf:Statement), so a new count property needs no code change.
    """
    from rdflib.namespace import XSD

    return {
        prop
        for prop in ontology.subjects(RDFS.range, XSD.integer)
        if isinstance(prop, URIRef) and str(prop).startswith(KZO_IRI) and ontology.value(prop, RDFS.domain) != RDF.Statement
    }


from kg.check.problems import Problem  # noqa: E402


def _short(graph: Graph, node: Node, limit: int = 80) -> str:
    """A node as kg's problems write it (kg.core.prefixes), cut to ``limit`` characters.

    What the oracle judges is its own (rdflib, pySHACL); how it writes a term is kg's, so that the
    two lists of problems compare on what matters: the file and line, the node, the rule.
    """
    if isinstance(node, URIRef):
        text = iri_text(str(node))
    elif isinstance(node, BNode):
        text = f"_:{node}"
    elif isinstance(node, Literal):
        text = literal_text(str(node), node.language, str(node.datatype) if node.datatype is not None else None)
    else:
        text = str(node)
    return shortened(text, limit)


class _Reporter:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.problems: set[Problem] = set()

    def add(self, subject: Node, message: str, triple=None) -> None:
        path, line = self.dataset.triple_origin(triple) if triple else self.dataset.origin(subject)
        self.problems.add(
            Problem(str(path) if path else "(materialized)", line or 0, _short(self.dataset.graph, subject), message)
        )


def is_statement(graph: Graph, node: Node) -> bool:
    return (node, RDF.type, RDF.Statement) in graph


def is_source(graph: Graph, node: Node) -> bool:
    return (node, RDF.type, KZO.Source) in graph


def fact_triples(graph: Graph):
    """Triples about entities with a kzo: predicate: the ones that need evidence."""
    for subject, predicate, obj in graph:
        if not str(predicate).startswith(KZO_IRI) or predicate in NOT_FACTS:
            continue
        if is_statement(graph, subject) or is_source(graph, subject):
            continue
        yield subject, predicate, obj


def statements(graph: Graph):
    """(statement node, (subject, predicate, object)) for every rdf:Statement."""
    for node in sorted(graph.subjects(RDF.type, RDF.Statement)):
        yield node, (graph.value(node, RDF.subject), graph.value(node, RDF.predicate), graph.value(node, RDF.object))


def _check_terms(report: _Reporter, graph: Graph, ontology: Graph) -> None:
    defined = {term for term in ontology.subjects() if isinstance(term, URIRef)}
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and str(node).startswith(KZO_IRI) and node not in defined:
                report.add(triple[0], f"unknown term {_short(graph, node)} (not defined in ontology.ttl)", triple)


#: XSD 1.1 part 2's lexical spaces where rdflib's converters accept more ("1.5E1" as a decimal,
#: " 12 " or "1_000" as an integer): written out here from the specification, apart from kg's own.
_DIGITS = "[0-9]"
_TIMEZONE = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_DATE = r"-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_FLOAT = r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_CLOCK = r"T(?=.)([0-9]+H)?([0-9]+M)?(([0-9]+(\.[0-9]*)?|\.[0-9]+)S)?"
_B64 = "[A-Za-z0-9+/]"
_SPACES = {
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", "float": _FLOAT, "double": _FLOAT,
    "date": _DATE + _TIMEZONE, "dateTime": _DATE + "T" + _TIME + _TIMEZONE, "time": _TIME + _TIMEZONE,
    "gYear": _YEAR + _TIMEZONE, "gYearMonth": _YEAR + "-(0[1-9]|1[0-2])" + _TIMEZONE,
    "duration": r"-?P(?=.)([0-9]+Y)?([0-9]+M)?([0-9]+D)?(" + _CLOCK + ")?",
    "dayTimeDuration": r"-?P(?=.)([0-9]+D)?(" + _CLOCK + ")?",
    "yearMonthDuration": r"-?P(?=.)([0-9]+Y)?([0-9]+M)?",
    "base64Binary": "(((" + _B64 + " ?){4})*((" + _B64 + " ?){3}" + _B64 + "|(" + _B64 + " ?){2}[AEIMQUYcgkosw048] ?=|"
                    + _B64 + " ?[AQgw] ?= ?=))?",
    **{name: r"[+-]?[0-9]+" for name in (
        "integer", "nonPositiveInteger", "long", "nonNegativeInteger", "negativeInteger", "int", "unsignedLong",
        "positiveInteger", "short", "unsignedInt", "byte", "unsignedShort", "unsignedByte")},
}


def outside_lexical_space(lexical: str, datatype: str) -> bool:
    import re

    xsd = "http://www.w3.org/2001/XMLSchema#"
    name = datatype[len(xsd):] if datatype.startswith(xsd) else None
    return name in _SPACES and re.fullmatch(_SPACES[name], lexical, re.ASCII) is None


def _check_literals(report: _Reporter, graph: Graph) -> None:
    for subject, predicate, obj in graph:
        if isinstance(obj, Literal) and (obj.ill_typed or (obj.datatype is not None
                                                           and outside_lexical_space(str(obj), str(obj.datatype)))):
            report.add(subject, f"{_short(graph, predicate)} value {_short(graph, obj)} does not fit its datatype", (subject, predicate, obj))


def _check_blank_nodes(report: _Reporter, graph: Graph) -> None:
    reached = {o for o in graph.objects() if isinstance(o, BNode)}
    for s, p, o in graph:
        if (isinstance(o, BNode) and not isinstance(s, BNode)) or (isinstance(s, BNode) and s not in reached):
            report.add(s, "blank nodes are not allowed in seed files; give the node an IRI", (s, p, o))


def _check_facts(report: _Reporter, graph: Graph, ontology: Graph) -> None:
    numeric = numeric_claim_properties(ontology)
    reified = {triple for _, triple in statements(graph)}
    for triple in fact_triples(graph):
        if triple not in reified:
            report.add(
                triple[0],
                f"fact {_short(graph, triple[1])} {_short(graph, triple[2])} has no statement node with its evidence",
                triple,
            )
    for node, triple in statements(graph):
        if None not in triple and triple not in graph:
            report.add(node, "states a fact that is not asserted in seeds/ (add the direct triple)")
        if triple[1] in numeric:
            count = graph.value(node, KZO["count"])
            # equal as values: "051" and "51" are the same xsd:integer, as kg compares them
            if count is None or not (isinstance(count, Literal) and isinstance(triple[2], Literal) and count.eq(triple[2])):
                report.add(node, f"numeric claim needs kzo:count equal to its object {triple[2]}")


def _check_quotes(report: _Reporter, dataset: Dataset) -> None:
    graph = dataset.graph
    texts: dict[Node, str] = {}
    for source, file_name in graph.subject_objects(KZO.fileName):
        path = dataset.paths.texts / str(file_name)
        if Path(str(file_name)).name != str(file_name) or not path.is_file():
            report.add(source, f"source text {file_name} not found in seeds/texts/")
            continue
        texts[source] = read_text(path)
    for node, _ in statements(graph):
        source = graph.value(node, PROV.wasDerivedFrom)
        quote = graph.value(node, KZO.quote)
        if source in texts:
            if quote is None:
                report.add(node, "has no kzo:quote from its source text")
                continue
            if graph.value(node, KZO.quoteEnglish) is None:
                report.add(node, "has no kzo:quoteEnglish rendering")
            if not is_verbatim(texts[source], str(quote)):
                hint = " (a near match exists: run `kg fix-quotes`)" if locate_quote(texts[source], str(quote)) else ""
                file_name = graph.value(source, KZO.fileName)
                report.add(node, f"quote is not in {file_name} verbatim{hint}: {str(quote)[:60]!r}")
        elif source is not None and quote is not None:
            report.add(node, "has a kzo:quote but its source is not one of the texts")


def _check_references(report: _Reporter, graph: Graph) -> None:
    """An entity IRI used as a fact's subject or object must be described somewhere."""
    for subject, predicate, obj in fact_triples(graph):
        for node in (subject, obj):
            if isinstance(node, URIRef) and str(node).startswith(KZ_IRI) and (node, RDF.type, None) not in graph:
                report.add(subject, f"refers to {_short(graph, node)}, which has no rdf:type (undefined entity?)", (subject, predicate, obj))


def _allowed_classes(ontology: Graph, node) -> set | None:
    """The classes a domain or range allows: one class, or an owl:unionOf list."""
    from rdflib import OWL
    from rdflib.collection import Collection

    if node is None:
        return None
    if isinstance(node, URIRef):
        return {node} if str(node).startswith(KZO_IRI) else None
    members = ontology.value(node, OWL.unionOf)
    return set(Collection(ontology, members)) if members is not None else None


def _check_domains(report: _Reporter, graph: Graph, full: Graph, ontology: Graph) -> None:
    """Every fact's subject and object belong to the classes its property allows."""
    for subject, predicate, obj in fact_triples(graph):
        for node, bound, role in (
            (subject, ontology.value(predicate, RDFS.domain), "subject"),
            (obj, ontology.value(predicate, RDFS.range), "object"),
        ):
            allowed = _allowed_classes(ontology, bound)
            if not allowed or not isinstance(node, URIRef):
                continue
            if not any((node, RDF.type, cls) in full for cls in allowed):
                names = " or ".join(sorted(_short(graph, c) for c in allowed))
                article = "an" if role == "object" else "a"
                report.add(
                    subject,
                    f"{_short(graph, predicate)} needs {article} {role} of class {names}; {_short(graph, node)} is not one",
                    (subject, predicate, obj),
                )


def _check_shapes(report: _Reporter, full: Graph) -> None:
    import pyshacl

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    # rdflib reads " 7 " as the integer 7; XSD does not. pySHACL asks each literal's ill_typed,
    # so mark the ones outside their lexical space as kg's checks read them.
    for literal in set(full.objects()):
        if isinstance(literal, Literal) and literal.datatype is not None and outside_lexical_space(str(literal), str(literal.datatype)):
            literal._ill_typed = True
    conforms, results, _ = pyshacl.validate(full, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        text = str(message) if message else "does not conform to the contract shapes"
        if value is not None and value != focus and "iso3166" in text:
            text += f" ({value})"
        report.add(focus, text)


def find_problems(dataset: Dataset, full: Graph) -> list[Problem]:
    """Every contract failure of ``dataset``; ``full`` is its materialized graph."""
    report = _Reporter(dataset)
    graph = dataset.graph
    _check_terms(report, graph, dataset.ontology)
    _check_literals(report, graph)
    _check_blank_nodes(report, graph)
    _check_facts(report, graph, dataset.ontology)
    _check_quotes(report, dataset)
    _check_references(report, graph)
    _check_domains(report, graph, full, dataset.ontology)
    _check_shapes(report, full)
    return sorted(report.problems)
