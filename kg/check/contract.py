"""The data contract, checked as SPARQL on the Oxigraph store: the one implementation.

``find_problems_in_store(store, paths)`` lists every problem (file, line,
subject and message) without rdflib or pySHACL, so that it finishes in
seconds on a million triples. The store is the one ``kg.data.store.load_store``
and ``materialize_store`` build: the union of its graphs is the materialized
graph, the seed graphs are the curated data and ``urn:kg:ontology`` the
ontology. The tests hold it to a second opinion: rdflib and pySHACL
(``tests/helpers/rdflib_checks.py``) must find the same problems (file, line,
node and rule) on every broken-data case. Terms in messages are written the
project's one way (``kg.core.prefixes``: prefixed names, literals as in
Turtle), and a literal's fit to its datatype is judged here once
(``is_ill_typed``: XSD's lexical spaces and the values they name).

How the work is split so that nothing loops over triples in Python:

* one pass over the seed graphs (``_scan``) collects what only a full pass
  can: the predicates in use, kzo: terms outside the predicate position, and
  the distinct typed literals; every other check is an indexed query that
  starts from a known predicate or class;
* the SHACL shapes are read from ``kg/check/shapes.ttl`` at run time and each
  property shape is compiled to SPARQL (``shape_checks``), so the
  messages, targets, code lists and languages live in that file only. A
  constraint the compiler does not know raises ``UnsupportedShape``, which
  ``tests/check/test_contract.py`` turns into a failing test;
* Python decides only what SPARQL cannot: whether a literal fits its
  datatype (the store keeps an ill-typed literal as written) and whether a
  quote is in its text, each once per distinct value;
* the file and line of a problem are worked out for the problems found only,
  and a file is scanned for subject lines only when it has a problem.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.check.problems import Problem
from kg.data.ontology import non_fact_properties
from kg.core.errors import KGError
from kg.data.evidence import is_verbatim, locate_quote
from kg.data.store import INFERRED_GRAPH, ONTOLOGY_GRAPH, SEEDS_GRAPH, file_graph
from kg.data.store import query as union_query  # the project's prefixes, over every graph
from kg.core.paths import SHAPES_FILE, DataPaths
from kg.core.prefixes import KZ_IRI, KZO_IRI, PREFIXES, iri_text, literal_text, shortened

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
SH = "http://www.w3.org/ns/shacl#"
PROV = PREFIXES["prov"]
RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = RDF + "langString"



class UnsupportedShape(KGError):
    """kg/shapes.ttl uses a SHACL feature that has no SPARQL translation here yet."""


# ---------------------------------------------------------------------------
# Terms in messages: the project's prefixed names, literals as in Turtle
# ---------------------------------------------------------------------------


def term_text(term, limit: int = 80) -> str:
    """A pyoxigraph term as a problem shows it, cut to ``limit`` characters (a literal may be megabytes).

    ``kz:Russia``, ``<http://example.org/x>``, ``"abc"^^xsd:integer``, ``"Ресей"@kk``, ``_:b0``.
    """
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        text = iri_text(term.value)
    elif isinstance(term, pyoxigraph.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, pyoxigraph.Literal):
        text = literal_text(term.value, term.language, term.datatype.value)
    else:
        text = str(term)
    return shortened(text, limit)


def _plain(term) -> str:
    """The IRI, the blank node id or the lexical form."""
    return "None" if term is None else term.value


# ---------------------------------------------------------------------------
# Literals that do not fit their datatype
# ---------------------------------------------------------------------------
#
# A literal fits its datatype when its form is in the datatype's lexical space
# (XSD 1.1 part 2, section 3: "1.5E1" is no xsd:decimal, " 5" and "1_000" no
# xsd:integer, whatever value Python would make of them) and names a value of
# it: a day that exists ("2024-02-30" does not), an integer within its type's
# bounds, well-formed XML. Dates, times and timestamps must also be ones
# Python's datetime holds (years 1 to 9999, no hour 24), so that every tool
# reading the export (pandas, rdflib) reads them. The store keeps such a
# literal as written: only this decides.

_INTEGER_BOUNDS = {
    "integer": (None, None), "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1), "byte": (-2**7, 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 2**8 - 1),
}


def _lexical_spaces() -> dict:
    """XSD 1.1's lexical spaces (part 2, section 3), as regular expressions."""
    digits = "[0-9]"
    timezone = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
    date = rf"-?([1-9]{digits}{{3,}}|0{digits}{{3}})-(0[1-9]|1[0-2])-(0[1-9]|[12]{digits}|3[01])"
    time = rf"(([01]{digits}|2[0-3]):[0-5]{digits}:[0-5]{digits}(\.{digits}+)?|24:00:00(\.0+)?)"
    decimal = rf"[+-]?({digits}+(\.{digits}*)?|\.{digits}+)"
    integer = rf"[+-]?{digits}+"
    floating = rf"([+-]?({digits}+(\.{digits}*)?|\.{digits}+)([Ee][+-]?{digits}+)?|[+-]?INF|NaN)"
    year = rf"-?([1-9]{digits}{{3,}}|0{digits}{{3}})"
    seconds = rf"({digits}+(\.{digits}*)?|\.{digits}+)S"
    clock = rf"T(?=.)({digits}+H)?({digits}+M)?({seconds})?"
    b64 = "[A-Za-z0-9+/]"
    spaces = {"decimal": decimal, "float": floating, "double": floating, "boolean": "true|false|1|0",
              "date": date + timezone, "dateTime": f"{date}T{time}{timezone}", "time": time + timezone,
              "gYear": year + timezone, "gYearMonth": rf"{year}-(0[1-9]|1[0-2]){timezone}",
              "duration": rf"-?P(?=.)({digits}+Y)?({digits}+M)?({digits}+D)?({clock})?",
              "dayTimeDuration": rf"-?P(?=.)({digits}+D)?({clock})?",
              "yearMonthDuration": rf"-?P(?=.)({digits}+Y)?({digits}+M)?",
              "hexBinary": "([0-9a-fA-F]{2})*",
              "base64Binary": rf"((({b64} ?){{4}})*(({b64} ?){{3}}{b64}|({b64} ?){{2}}[AEIMQUYcgkosw048] ?=|{b64} ?[AQgw] ?= ?=))?"}
    spaces.update({name: integer for name in _INTEGER_BOUNDS})
    return {XSD + name: re.compile(pattern, re.ASCII) for name, pattern in spaces.items()}


_LEXICAL_SPACES = _lexical_spaces()
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _names_a_day(lexical: str) -> bool:
    """A date (or a timestamp's date) that exists, in years Python's datetime holds."""
    from datetime import date

    found = _DAY.match(lexical)
    if found is None:  # a negative year, or one of five digits
        return False
    try:
        date(*(int(part) for part in found.groups()))
    except ValueError:
        return False
    return True


def _xml_fragment(lexical: str) -> bool:
    import xml.dom.minidom
    from xml.parsers.expat import ExpatError

    try:
        xml.dom.minidom.parseString(f"<fragment>{lexical}</fragment>")
    except ExpatError:
        return False
    return True


def _value_fits(lexical: str, datatype: str) -> bool:
    """What the lexical space leaves open: does the form name a value of the datatype?"""
    name = datatype[len(XSD):] if datatype.startswith(XSD) else None
    if name in _INTEGER_BOUNDS:
        low, high = _INTEGER_BOUNDS[name]
        return (low is None or int(lexical) >= low) and (high is None or int(lexical) <= high)
    if name in ("date", "dateTime"):
        return _names_a_day(lexical) and "T24:" not in lexical
    if name == "time":
        return not lexical.startswith("24:")
    if datatype == RDF + "XMLLiteral":
        return _xml_fragment(lexical)
    return True


#: The datatypes whose literals are judged; a literal of any other (xsd:string, xsd:anyURI, a
#: datatype of its own) always fits.
JUDGED_DATATYPES = frozenset(_LEXICAL_SPACES) | {RDF + "XMLLiteral"}


def is_ill_typed(lexical: str, datatype: str) -> bool:
    """Whether ``lexical`` is outside ``datatype``'s lexical space, or names no value of it.

    >>> is_ill_typed("1.5E1", XSD + "decimal"), is_ill_typed("15.0", XSD + "decimal")
    (True, False)
    >>> is_ill_typed("2024-02-30", XSD + "date"), is_ill_typed("128", XSD + "byte")
    (True, True)
    """
    space = _LEXICAL_SPACES.get(datatype)
    if space is not None and not space.fullmatch(lexical):
        return True
    return not _value_fits(lexical, datatype)


def number_value(term):
    """The number a well-typed numeric literal names (Decimal, or float for xsd:float and xsd:double); else None."""
    from decimal import Decimal

    datatype = term.datatype.value
    name = datatype[len(XSD):] if datatype.startswith(XSD) else None
    if term.language or is_ill_typed(term.value, datatype):
        return None
    if name in _INTEGER_BOUNDS or name == "decimal":
        return Decimal(term.value)
    if name in ("float", "double"):
        return float(term.value)
    return None


# ---------------------------------------------------------------------------
# SHACL shapes compiled to SPARQL
# ---------------------------------------------------------------------------
#
# Oxigraph (0.5) answers anti-joins (MINUS) and groupings fast, but a FILTER
# (NOT) EXISTS takes a slow path unless every variable of its pattern is
# already bound: at a million triples, `?s kzo:signed ?o FILTER NOT EXISTS
# { ?s a rdf:Statement }` takes 8.6 s where the same with MINUS takes 0.08 s.
# So a shape is never checked focus node by focus node: each constraint
# becomes a query over the triples of its path, which yields the few
# candidate violations, and Python then keeps those whose node is a target of
# the shape. Only "a target lacks a value" needs the targets themselves, as
# the left side of one MINUS per node shape.


@dataclass
class ShapeCheck:
    """One shape that carries a message, as SPARQL over the materialized graph.

    * ``required``: patterns (over ``?focus``) each target must match
      (sh:minCount 1, sh:qualifiedMinCount 1);
    * ``forbidden``: patterns binding ``?focus`` that are violations as they
      stand (sh:maxCount, sh:uniqueLang, sh:qualifiedMaxCount 0);
    * ``at_most_one``: sh:maxCount 1, first tested by counting;
    * values of ``path``: ``value_exact`` (SPARQL decides), ``value_classes``
      and ``value_in`` (sh:class and sh:in, by anti-join) and ``value_surely``
      / ``value_judges`` (what SPARQL cannot pass, Python judges the way
      rdflib and pySHACL do);
    * ``node_violation``: a node-level constraint (sh:xone) over the targets.
    """

    message: str
    targets: list[tuple[str, list[str]]]
    path: str | None = None
    required: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    at_most_one: bool = False
    value_exact: list[str] = field(default_factory=list)
    value_classes: list[str] = field(default_factory=list)
    value_in: list | None = None
    value_surely: list[str] = field(default_factory=list)
    value_judges: list = field(default_factory=list)
    surely_is_exact: bool = True
    node_violation: str | None = None

    def target_pattern(self) -> str:
        patterns = []
        for kind, iris in self.targets:
            listed = " ".join(f"<{iri}>" for iri in iris)
            if kind == "targetClass":
                patterns.append(f"{{ VALUES ?targetClass {{ {listed} }} ?focus a ?targetClass . }}")
            elif kind == "targetSubjectsOf":
                patterns.append(f"{{ VALUES ?targetPredicate {{ {listed} }} ?focus ?targetPredicate ?targetValue . }}")
            elif kind == "targetObjectsOf":
                patterns.append(f"{{ VALUES ?targetPredicate {{ {listed} }} ?targetSubject ?targetPredicate ?focus . }}")
            else:
                patterns.append(f"{{ VALUES ?focus {{ {listed} }} }}")
        return " UNION ".join(patterns)


class _ShapesGraph:
    def __init__(self, path: Path):
        import pyoxigraph

        self.about: dict = {}
        for triple in pyoxigraph.parse(path.read_text(encoding="utf-8"), format=pyoxigraph.RdfFormat.TURTLE):
            self.about.setdefault(triple.subject, {}).setdefault(triple.predicate.value, []).append(triple.object)

    def values(self, node, predicate: str) -> list:
        return self.about.get(node, {}).get(predicate, [])

    def value(self, node, predicate: str):
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head) -> list:
        members = []
        while head is not None and head.value != RDF + "nil":
            members.append(self.value(head, RDF + "first"))
            head = self.value(head, RDF + "rest")
        return members


class _Compiler:
    """Turns kg/shapes.ttl into ShapeChecks; refuses what it cannot translate exactly."""

    _IGNORED = {"path", "message", "name", "description", "order", "group", "severity", "flags"}
    _TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")

    def __init__(self, shapes: _ShapesGraph):
        self.shapes = shapes
        self.counter = 0

    def fresh(self, name: str) -> str:
        self.counter += 1
        return f"?{name}{self.counter}"

    def compile(self) -> list[ShapeCheck]:
        import pyoxigraph

        checks: list[ShapeCheck] = []
        node_shape = pyoxigraph.NamedNode(SH + "NodeShape")
        for node, about in self.shapes.about.items():
            if node_shape not in about.get(RDF_TYPE, []) and not any(SH + kind in about for kind in self._TARGETS):
                continue  # not a node shape (pySHACL also takes any node with a target for one)
            name = term_text(node) if isinstance(node, pyoxigraph.NamedNode) else "a node shape"
            targets = [(kind, about[SH + kind]) for kind in self._TARGETS if SH + kind in about]
            if any(not isinstance(value, pyoxigraph.NamedNode) for _, values in targets for value in values):
                raise UnsupportedShape(f"{name} has a target that is not an IRI")
            targets = [(kind, [value.value for value in values]) for kind, values in targets]
            if not targets:
                raise UnsupportedShape(f"{name} has no target this compiler knows")
            for property_shape in about.get(SH + "property", []):
                checks.append(self.property_check(property_shape, targets, name))
            node_level = {
                predicate[len(SH):]
                for predicate in about
                if predicate.startswith(SH) and predicate[len(SH):] not in self._IGNORED | {"property", *self._TARGETS}
            }
            if node_level:
                checks.append(self.node_check(node, node_level, targets, name))
        return checks

    def message(self, shape, where: str) -> str:
        message = self.shapes.value(shape, SH + "message")
        if message is None:  # pySHACL would write its own text, which is not reproduced here
            raise UnsupportedShape(f"a shape of {where} has no sh:message")
        return message.value

    def path(self, node) -> str:
        import pyoxigraph

        if isinstance(node, pyoxigraph.NamedNode):
            return f"<{node.value}>"
        about = self.shapes.about.get(node, {})
        if SH + "alternativePath" in about:
            members = self.shapes.items(about[SH + "alternativePath"][0])
            return "(" + "|".join(self.path(member) for member in members) + ")"
        if SH + "inversePath" in about:
            return f"^({self.path(about[SH + 'inversePath'][0])})"
        for suffix, operator in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            if SH + suffix in about:
                return f"({self.path(about[SH + suffix][0])}){operator}"
        if RDF + "first" in about:
            return "(" + "/".join(self.path(member) for member in self.shapes.items(node)) + ")"
        raise UnsupportedShape("a sh:path form that is not supported")

    def property_check(self, shape, targets, where: str) -> ShapeCheck:
        message = self.message(shape, where)
        path_node = self.shapes.value(shape, SH + "path")
        if path_node is None:
            raise UnsupportedShape(f"{message!r}: a property shape without sh:path")
        check = ShapeCheck(message=message, targets=targets, path=self.path(path_node))
        self.add_constraints(check, shape, message)
        return check

    def add_constraints(self, check: ShapeCheck, shape, message: str) -> None:
        path = check.path
        for predicate, values in self.shapes.about[shape].items():
            if not predicate.startswith(SH):
                continue  # rdfs:comment and the like
            name = predicate[len(SH):]
            if name in self._IGNORED or name in ("qualifiedMinCount", "qualifiedMaxCount"):
                continue
            if name == "class":  # several classes: each must hold
                check.value_classes += [value.value for value in values]
                continue
            if len(values) > 1:
                raise UnsupportedShape(f"{message!r}: sh:{name} given more than once")
            value = values[0]
            if name == "minCount":
                if int(value.value) > 1:
                    raise UnsupportedShape(f"{message!r}: sh:minCount {value.value} (0 and 1 are supported)")
                if int(value.value) == 1:
                    check.required.append(f"?focus {path} {self.fresh('required')} .")
            elif name == "maxCount":
                if int(value.value) > 1:
                    raise UnsupportedShape(f"{message!r}: sh:maxCount {value.value} (0 and 1 are supported)")
                if int(value.value) == 0:
                    check.forbidden.append(f"?focus {path} {self.fresh('any')} .")
                else:
                    check.at_most_one = True
            elif name == "uniqueLang":
                if value.value == "true":
                    label = self.fresh("label")
                    check.forbidden.append(
                        f"{{ SELECT ?focus WHERE {{ ?focus {path} {label} . FILTER(isLiteral({label}) && LANG({label}) != \"\") }}"
                        f" GROUP BY ?focus (LCASE(LANG({label}))) HAVING (COUNT(DISTINCT {label}) > 1) }}"
                    )
            elif name == "qualifiedValueShape":
                self.qualified(check, shape, value, message)
            elif name == "in":
                self.value_condition(name, value, "?value", message)  # refuses lists it cannot compare exactly
                check.value_in = self.shapes.items(value)
            elif name in ("nodeKind", "languageIn", "pattern"):
                self.current_shape = shape
                check.value_exact.append(self.value_condition(name, value, "?value", message))
            elif name == "datatype":
                surely, exact = self.datatype_surely(value.value, "?value")
                check.value_surely.append(surely)
                check.surely_is_exact = check.surely_is_exact and exact
                check.value_judges.append(lambda term, datatype=value.value: datatype_matches(term, datatype))
            elif name == "or":
                datatypes = []
                for member in self.shapes.items(value):
                    if set(self.shapes.about.get(member, {})) != {SH + "datatype"}:
                        raise UnsupportedShape(f"{message!r}: sh:or of shapes other than one sh:datatype each")
                    datatypes.append(self.shapes.value(member, SH + "datatype").value)
                surely = [self.datatype_surely(datatype, "?value") for datatype in datatypes]
                check.value_surely.append("(" + " || ".join(f"COALESCE({c}, false)" for c, _ in surely) + ")")
                check.surely_is_exact = check.surely_is_exact and all(exact for _, exact in surely)
                check.value_judges.append(lambda term, allowed=tuple(datatypes): any(datatype_matches(term, d) for d in allowed))
            elif name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
                check.value_surely.append(self.range_surely(name, value, message))
                check.surely_is_exact = False
                check.value_judges.append(lambda term, name=name, bound=value: range_holds(term, name, bound))
            else:
                raise UnsupportedShape(f"{message!r}: sh:{name} is not supported")

    def qualified(self, check: ShapeCheck, shape, qualified_shape, message: str) -> None:
        keys = set(self.shapes.about.get(qualified_shape, {}))
        if not keys <= {SH + "nodeKind", SH + "languageIn", SH + "in"}:
            raise UnsupportedShape(f"{message!r}: a sh:qualifiedValueShape with {sorted(keys)}")
        if self.shapes.value(shape, SH + "qualifiedValueShapesDisjoint") is not None:
            raise UnsupportedShape(f"{message!r}: sh:qualifiedValueShapesDisjoint")
        value = self.fresh("qualified")
        conforms = " && ".join(
            f"COALESCE({self.value_condition(key[len(SH):], self.shapes.value(qualified_shape, key), value, message)}, false)"
            for key in sorted(keys)
        )
        found = f"?focus {check.path} {value} . FILTER({conforms})"
        minimum = self.shapes.value(shape, SH + "qualifiedMinCount")
        maximum = self.shapes.value(shape, SH + "qualifiedMaxCount")
        if minimum is not None and int(minimum.value) > 1 or maximum is not None and int(maximum.value) > 0:
            raise UnsupportedShape(f"{message!r}: qualified counts other than min 1 and max 0")
        if minimum is not None and int(minimum.value) == 1:
            check.required.append(found)
        if maximum is not None:
            check.forbidden.append(found)

    def value_condition(self, name: str, value, var: str, message: str) -> str:
        """A SPARQL condition on one value node, decided exactly as pySHACL decides it."""
        import pyoxigraph

        if name == "nodeKind":
            kinds = {
                "IRI": f"isIRI({var})",
                "Literal": f"isLiteral({var})",
                "BlankNode": f"isBlank({var})",
                "BlankNodeOrIRI": f"!isLiteral({var})",
                "BlankNodeOrLiteral": f"!isIRI({var})",
                "IRIOrLiteral": f"!isBlank({var})",
            }
            return kinds[value.value[len(SH):]]
        if name == "languageIn":
            # pySHACL: the tag, or its part before the first "-", in the list (case-blind)
            languages = [item.value.lower() for item in self.shapes.items(value)]
            if "*" in languages:
                return f'(isLiteral({var}) && LANG({var}) != "")'
            listed = ", ".join(_sparql_string(language) for language in languages)
            # Oxigraph keeps tags in lower case, so the first test settles the usual value quickly
            return (
                f'(isLiteral({var}) && (LANG({var}) IN ({listed}) || LANG({var}) != "" && (LCASE(LANG({var})) IN ({listed}) '
                f'|| LCASE(STRBEFORE(CONCAT(LANG({var}), "-"), "-")) IN ({listed}))))'
            )
        if name == "in":
            members = self.shapes.items(value)
            strings = [m for m in members if isinstance(m, pyoxigraph.Literal) and not m.language and m.datatype.value == XSD_STRING]
            iris = [m for m in members if isinstance(m, pyoxigraph.NamedNode)]
            if len(strings) + len(iris) != len(members):
                raise UnsupportedShape(f"{message!r}: sh:in with members other than IRIs and plain strings")
            tests = ["false"]
            if strings:
                listed = ", ".join(_sparql_string(m.value) for m in strings)
                tests.append(f"(isLiteral({var}) && datatype({var}) = xsd:string && STR({var}) IN ({listed}))")
            if iris:
                tests.append(f"(isIRI({var}) && {var} IN ({', '.join(f'<{m.value}>' for m in iris)}))")
            return "(" + " || ".join(tests) + ")"
        if name == "pattern":
            # pySHACL: a blank node never matches; any other node's string form is matched (XPath regex)
            flags = self.shapes.value(self.current_shape, SH + "flags")
            flag_text = f", {_sparql_string(flags.value)}" if flags is not None else ""
            return f"(!isBlank({var}) && REGEX(STR({var}), {_sparql_string(value.value)}{flag_text}))"
        raise UnsupportedShape(f"{message!r}: sh:{name} is not supported here")

    @staticmethod
    def datatype_surely(datatype: str, var: str) -> tuple[str, bool]:
        """A SPARQL condition that passes only values sh:datatype passes; and whether it is exact.

        Oxigraph stores a literal it can parse in canonical form and keeps any
        other as written; what this condition does not pass goes to
        ``datatype_matches``, which judges the written form (``is_ill_typed``).
        """
        if datatype == XSD_STRING:
            return f"(isLiteral({var}) && datatype({var}) = xsd:string)", True
        if datatype == RDF_LANG_STRING:
            return f'(isLiteral({var}) && LANG({var}) != "")', True
        if datatype == RDFS + "Literal":
            return f"isLiteral({var})", True
        if datatype not in JUDGED_DATATYPES:  # any literal of such a datatype fits it
            return f"(isLiteral({var}) && datatype({var}) = <{datatype}>)", True
        if datatype in (XSD + "integer", XSD + "decimal"):
            return f"(isLiteral({var}) && datatype({var}) = <{datatype}> && isNumeric({var}))", False
        if datatype == XSD + "date":  # years Python's date cannot hold are left to Python
            return f"(isLiteral({var}) && datatype({var}) = xsd:date && YEAR({var}) >= 1 && YEAR({var}) <= 9999)", False
        return "false", False

    @staticmethod
    def range_surely(name: str, bound, message: str) -> str:
        import pyoxigraph

        if not isinstance(bound, pyoxigraph.Literal) or bound.datatype.value not in (XSD + "integer", XSD + "decimal"):
            raise UnsupportedShape(f"{message!r}: sh:{name} with a bound that is not a number")
        operator = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[name]
        return f"(isNumeric(?value) && ?value {operator} {bound.value})"

    def node_check(self, node, constraints: set[str], targets, where: str) -> ShapeCheck:
        message = self.message(node, where)
        if constraints != {"xone"}:
            raise UnsupportedShape(f"{message!r}: node-level sh:{sorted(constraints)} (only sh:xone is supported)")
        members = self.shapes.items(self.shapes.value(node, SH + "xone"))
        conforming = " + ".join(f"IF({self.conforms(member, message)}, 1, 0)" for member in members)
        return ShapeCheck(message=message, targets=targets, node_violation=f"({conforming}) != 1")

    def conforms(self, shape, message: str) -> str:
        """A SPARQL condition: the focus node conforms to a nested node shape (decided in SPARQL alone)."""
        about = self.shapes.about.get(shape, {})
        if set(about) != {SH + "property"}:
            raise UnsupportedShape(f"{message!r}: a nested shape other than sh:property shapes")
        parts = []
        for property_shape in about[SH + "property"]:
            nested = ShapeCheck(message=message, targets=[], path=self.path(self.shapes.value(property_shape, SH + "path")))
            self.add_constraints(nested, property_shape, message)
            if nested.value_in is not None:
                nested.value_exact.append(self.value_condition("in", self.shapes.value(property_shape, SH + "in"), "?value", message))
            if not nested.surely_is_exact or nested.value_classes:
                raise UnsupportedShape(f"{message!r}: a nested value constraint that needs Python")
            parts += [f"EXISTS {{ {pattern} }}" for pattern in nested.required]
            parts += [f"NOT EXISTS {{ {pattern} }}" for pattern in nested.forbidden]
            if nested.at_most_one:
                one, other = self.fresh("one"), self.fresh("other")
                parts.append(f"NOT EXISTS {{ ?focus {nested.path} {one} , {other} . FILTER(!sameTerm({one}, {other})) }}")
            conditions = nested.value_exact + nested.value_surely
            if conditions:
                value = self.fresh("nested")
                condition = " && ".join(f"COALESCE({c}, false)" for c in conditions).replace("?value", value)
                parts.append(f"NOT EXISTS {{ ?focus {nested.path} {value} . FILTER(!({condition})) }}")
        return "(" + " && ".join(parts or ["true"]) + ")"


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def datatype_matches(term, datatype: str) -> bool:
    """sh:datatype on one value: of that datatype, and fits it (``is_ill_typed``)."""
    import pyoxigraph

    if not isinstance(term, pyoxigraph.Literal):
        return False
    if term.language:
        return datatype in (RDF_LANG_STRING, RDFS + "Literal")
    own = term.datatype.value
    if own == XSD_STRING:  # a plain literal
        return datatype in (XSD_STRING, RDFS + "Literal")
    if own == datatype:
        return not is_ill_typed(term.value, datatype)
    return datatype in (RDFS + "Literal", RDFS + "Datatype")


def range_holds(term, name: str, bound) -> bool:
    """sh:min/maxIn/Exclusive on one value: only a well-typed number can pass."""
    from decimal import Decimal

    import pyoxigraph

    if not isinstance(term, pyoxigraph.Literal):
        return False
    value = number_value(term)
    if value is None:
        return False
    limit = Decimal(bound.value)
    try:
        return {
            "minInclusive": value >= limit,
            "maxInclusive": value <= limit,
            "minExclusive": value > limit,
            "maxExclusive": value < limit,
        }[name]
    except ArithmeticError:  # NaN
        return False


def shape_checks(path: Path = SHAPES_FILE) -> list[ShapeCheck]:
    """Every shape of kg/shapes.ttl that carries a message, compiled to SPARQL."""
    return _Compiler(_ShapesGraph(path)).compile()


def shape_messages(path: Path = SHAPES_FILE) -> set[str]:
    """Every sh:message in kg/shapes.ttl (what the SHACL layer can report)."""
    shapes = _ShapesGraph(path)
    return {message.value for about in shapes.about.values() for message in about.get(SH + "message", [])}


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Finding:
    subject: object
    message: str
    triple: tuple | None = None  # located at the file that states it, else at the subject's file


class _Run:
    """One run over one store: its graphs, its ontology, and what has been found."""

    def __init__(self, store, paths: DataPaths):
        import pyoxigraph

        self.store = store
        self.paths = paths
        self.files: dict[str, tuple[int, str, Path]] = {}  # graph IRI -> (order, relative name, path)
        for rank, path in enumerate(paths.seed_files()):
            relative = path.relative_to(paths.root) if paths.root in path.parents else path
            self.files[file_graph(relative)] = (rank, str(relative), path)
        # kg build loads every seed file into one graph (kg.data.store.SEEDS_GRAPH) and
        # reloads them one graph per file to locate problems, so this name is not shown.
        self.files[SEEDS_GRAPH] = (-1, "seeds", paths.seeds)
        present = list(store.named_graphs())
        self.seed_graphs = [graph for graph in present if graph.value in self.files]
        #: the graphs dataset.graph does not hold: the ontology, the inferred triples
        self.other_graphs = [graph for graph in present if graph.value not in self.files] + [pyoxigraph.DefaultGraph()]
        self.not_seeds = ", ".join(str(graph) for graph in present if graph.value not in self.files) or "<urn:kg:none>"
        self.findings: set[_Finding] = set()
        self.ontology = _Ontology(store)
        self.not_facts = non_fact_properties(store)  # read off ontology.ttl (kzo:NonFactProperty)
        self._agrees: dict = {}
        self._names = 0

    def select(self, text: str, **options) -> list:
        """Run a SELECT over the union of the graphs (the materialized graph, ``full``)."""
        return list(union_query(self.store, text, **options))

    def union_agrees(self, predicate, obj=None) -> bool:
        """True when no graph but the seed files holds a triple with this predicate (and object)."""
        key = (predicate, obj)
        if key not in self._agrees:
            self._agrees[key] = not any(
                next(iter(self.store.quads_for_pattern(None, predicate, obj, graph)), None) for graph in self.other_graphs
            )
        return self._agrees[key]

    def seeds(self, subject: str, predicate, obj) -> str:
        """A triple pattern as ``dataset.graph`` (the seed files only) sees it.

        Over the union where no other graph holds such triples (the common
        case, and the fast one); else restricted to the seed graphs.
        """
        import pyoxigraph

        fixed_object = obj if not isinstance(obj, str) else None
        text = f"{subject} {predicate} {obj}"
        if isinstance(predicate, pyoxigraph.NamedNode) and self.union_agrees(predicate, fixed_object):
            return text + " ."
        self._names += 1
        graph = f"?seedGraph{self._names}"
        return f"GRAPH {graph} {{ {text} }} FILTER({graph} NOT IN ({self.not_seeds}))"

    def in_seeds(self, subject, predicate: str, obj) -> bool:
        """Whether a seed file states such a triple (Python, for a few candidates)."""
        return any(
            getattr(quad.graph_name, "value", None) in self.files
            for quad in self.store.quads_for_pattern(subject, _iri(predicate), obj, None)
        )

    def kz_types_from_seeds_only(self) -> bool:
        """True when every rdf:type of a kz: node in the union is stated in, or inferred from, the seeds."""
        import pyoxigraph

        rdf_type = pyoxigraph.NamedNode(RDF_TYPE)
        return not any(
            isinstance(quad.subject, pyoxigraph.NamedNode) and quad.subject.value.startswith(KZ_IRI)
            for graph in self.other_graphs
            if getattr(graph, "value", None) != INFERRED_GRAPH
            for quad in self.store.quads_for_pattern(None, rdf_type, None, graph)
        )

    def is_target(self, focus, check: ShapeCheck) -> bool:
        """Whether ``focus`` is a focus node of the shape, over the materialized graph (as pySHACL)."""
        import pyoxigraph

        rdf_type = pyoxigraph.NamedNode(RDF_TYPE)
        for kind, iris in check.targets:
            for iri in iris:
                node = pyoxigraph.NamedNode(iri)
                if kind == "targetClass":
                    found = self.store.quads_for_pattern(focus, rdf_type, node, None)
                elif kind == "targetSubjectsOf":
                    found = self.store.quads_for_pattern(focus, node, None, None)
                elif kind == "targetObjectsOf":
                    found = self.store.quads_for_pattern(None, node, focus, None) if not isinstance(focus, pyoxigraph.Literal) else []
                else:
                    found = [focus] if focus == node else []
                if next(iter(found), None) is not None:
                    return True
        return False

    def add(self, subject, message: str, triple: tuple | None = None) -> None:
        self.findings.add(_Finding(subject, message, triple))


class _Ontology:
    """What the checks read off ontology.ttl (the graph ``urn:kg:ontology``).

    ``value`` is rdflib's ``Graph.value``: one of the values. The ontology
    gives each property one domain and one range; were there two, rdflib
    would take the first in the file, and this the first in the store.
    """

    def __init__(self, store):
        import pyoxigraph

        self.about: dict = {}
        for quad in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ONTOLOGY_GRAPH)):
            self.about.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(quad.object)
        self.defined = {node.value for node in self.about if isinstance(node, pyoxigraph.NamedNode)}

    def value(self, node, predicate: str):
        found = self.about.get(node, {}).get(predicate)
        return found[0] if found else None

    def numeric_claim_properties(self) -> set[str]:
        """tests/helpers/rdflib_checks.py's numeric_claim_properties: integer-valued kzo: properties not on statements."""
        import pyoxigraph

        integer = pyoxigraph.NamedNode(XSD + "integer")
        return {
            node.value
            for node, about in self.about.items()
            if integer in about.get(RDFS + "range", [])
            and isinstance(node, pyoxigraph.NamedNode)
            and node.value.startswith(KZO_IRI)
            and self.value(node, RDFS + "domain") != pyoxigraph.NamedNode(RDF + "Statement")
        }

    def allowed_classes(self, predicate, bound_predicate: str) -> list | None:
        """tests/helpers/rdflib_checks.py's _allowed_classes: one kzo: class, or the members of an owl:unionOf."""
        import pyoxigraph

        bound = self.value(predicate, bound_predicate)
        if bound is None:
            return None
        if isinstance(bound, pyoxigraph.NamedNode):
            return [bound] if bound.value.startswith(KZO_IRI) else None
        members = self.value(bound, OWL + "unionOf")
        if members is None:
            return None
        found = []
        while members is not None and members != pyoxigraph.NamedNode(RDF + "nil"):
            found.append(self.value(members, RDF + "first"))
            members = self.value(members, RDF + "rest")
        return [member for member in dict.fromkeys(found) if member is not None]


def _iri(iri: str):
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def _values(terms) -> str:
    return " ".join(str(term) for term in terms)


def _scan(run: _Run) -> dict:
    """The one pass over every seed triple: predicates in use, kzo: terms, typed literals.

    This pass is most of the cost of the checks (about a microsecond a triple).
    """
    import pyoxigraph

    rows = run.select(
        f"""SELECT DISTINCT ?p ?object ?subject ?blank WHERE {{
          GRAPH ?g {{ ?s ?p ?o }}
          BIND(IF(isLiteral(?o), IF(LANG(?o) = "" && datatype(?o) != xsd:string, ?o, ?none),
                  IF(STRSTARTS(STR(?o), "{KZO_IRI}"), ?o, ?none)) AS ?object)
          BIND(IF(STRSTARTS(STR(?s), "{KZO_IRI}"), ?s, ?none) AS ?subject)
          BIND(isBlank(?s) || isBlank(?o) AS ?blank)
        }}""",
        named_graphs=run.seed_graphs,
    )
    predicates = {row["p"] for row in rows}
    blank = any(row["blank"] is not None and row["blank"].value == "true" for row in rows)
    literals = {row["object"] for row in rows if isinstance(row["object"], pyoxigraph.Literal)}
    kzo_terms = {p for p in predicates if p.value.startswith(KZO_IRI)}
    kzo_terms |= {row["object"] for row in rows if isinstance(row["object"], pyoxigraph.NamedNode)}
    kzo_terms |= {row["subject"] for row in rows if row["subject"] is not None}
    return {"predicates": predicates, "literals": literals, "kzo_terms": kzo_terms, "blank": blank}


def _seed_triples_with(run: _Run, terms: list, positions: tuple[str, ...]) -> list[tuple]:
    """The seed triples with one of ``terms`` (IRIs or literals) in one of ``positions``."""
    listed = _values(terms)
    branches = " UNION ".join(
        f"{{ VALUES ?{position} {{ {listed} }} GRAPH ?g {{ ?s ?p ?o }} }}" for position in positions
    )
    rows = run.select(f"SELECT DISTINCT ?s ?p ?o WHERE {{ {branches} }}", named_graphs=run.seed_graphs)
    return [(row["s"], row["p"], row["o"]) for row in rows]


def _check_terms(run: _Run, scan: dict) -> None:
    """tests/helpers/rdflib_checks.py's _check_terms: every kzo: term is defined in ontology.ttl."""
    unknown = sorted((term for term in scan["kzo_terms"] if term.value not in run.ontology.defined), key=str)
    if not unknown:
        return
    for triple in _seed_triples_with(run, unknown, ("s", "p", "o")):
        for node in triple:
            if node in unknown:
                run.add(triple[0], f"unknown term {term_text(node)} (not defined in ontology.ttl)", triple)


def _check_literals(run: _Run, scan: dict) -> None:
    """No literal that does not fit its datatype (``is_ill_typed``)."""
    bad = [term for term in scan["literals"] if is_ill_typed(term.value, term.datatype.value)]
    if not bad:
        return
    for triple in _seed_triples_with(run, bad, ("o",)):
        message = f"{term_text(triple[1])} value {term_text(triple[2])} does not fit its datatype"
        run.add(triple[0], message, triple)


def _facts(run: _Run, predicates: list) -> str:
    """A pattern binding ?s ?p ?o to the seed triples of ``predicates`` (facts and statement qualifiers alike)."""
    agreeing = [p for p in predicates if run.union_agrees(p)]
    branches = [f"{{ VALUES ?p {{ {_values(agreeing)} }} ?s ?p ?o }}"] if agreeing else []
    branches += [f"{{ BIND({p} AS ?p) {run.seeds('?s', p, '?o')} }}" for p in predicates if p not in agreeing]
    return " UNION ".join(branches) or "FILTER(false)"


def _not_statement_or_source(run: _Run, var: str) -> str:
    statement = run.seeds(var, _iri(RDF_TYPE), _iri(RDF + "Statement"))
    source = run.seeds(var, _iri(RDF_TYPE), _iri(KZO_IRI + "Source"))
    return f"MINUS {{ {statement} }} MINUS {{ {source} }}"


def _is_fact_subject(run: _Run, subject) -> bool:
    """tests/helpers/rdflib_checks.py's fact_triples: a statement or source node's own triples are not facts."""
    return not (run.in_seeds(subject, RDF_TYPE, _iri(RDF + "Statement")) or run.in_seeds(subject, RDF_TYPE, _iri(KZO_IRI + "Source")))


def _check_blank_nodes(run: _Run, scan: dict) -> None:
    """No blank node in a seed file (``kg fmt`` could not write it back, nor a check name it):
    reported at the triple that first reaches it. Skipped when the scan saw none (two more
    passes over every seed triple: 10 s of a million-triple build)."""
    if not scan["blank"]:
        return
    rows = run.select(
        """SELECT DISTINCT ?s ?p ?o WHERE {
          { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?o) && !isBlank(?s)) }
          UNION
          { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s)) FILTER NOT EXISTS { GRAPH ?h { ?any ?reaches ?s } } }
        }""",
        named_graphs=run.seed_graphs,
    )
    for row in rows:
        run.add(row["s"], "blank nodes are not allowed in seed files; give the node an IRI",
                (row["s"], row["p"], row["o"]))


def _check_facts(run: _Run, scan: dict) -> None:
    """tests/helpers/rdflib_checks.py's facts without a statement, undefined entities, and domains and ranges."""
    predicates = sorted((p for p in scan["predicates"] if p.value.startswith(KZO_IRI) and p.value not in run.not_facts), key=str)
    if not predicates:
        return
    rdf_type = _iri(RDF_TYPE)
    reified = " ".join(
        run.seeds("?st", _iri(RDF + part), f"?{var}") for part, var in (("subject", "s"), ("predicate", "p"), ("object", "o"))
    )
    rows = run.select(
        f"""SELECT DISTINCT ?s ?p ?o WHERE {{ {{ {_facts(run, predicates)} }} {_not_statement_or_source(run, "?s")}
          MINUS {{ {reified} {run.seeds("?st", rdf_type, _iri(RDF + "Statement"))} }} }}"""
    )
    unreified = [(row["s"], row["p"], row["o"]) for row in rows]
    for s, p, o in unreified:
        run.add(s, f"fact {term_text(p)} {term_text(o)} has no statement node with its evidence", (s, p, o))
    _check_references(run, predicates, unreified)
    _check_domains(run, predicates)


def _check_references(run: _Run, predicates: list, unreified: list) -> None:
    """tests/helpers/rdflib_checks.py's _check_references: the kz: subjects and objects of facts have an rdf:type.

    A fact is either reified, so that its subject and object are the
    rdf:subject and rdf:object of a statement, or among ``unreified``: so the
    nodes to suspect are found among the statements' (one short pass),
    and only their facts are then looked at.
    """
    import pyoxigraph

    rdf_type = _iri(RDF_TYPE)
    typed = "?node a ?anyType ." if run.kz_types_from_seeds_only() else run.seeds("?node", rdf_type, "?anyType")
    rows = run.select(
        f"""SELECT DISTINCT ?node WHERE {{ {{ ?st rdf:subject ?node }} UNION {{ ?st rdf:object ?node }}
          FILTER(isIRI(?node)) MINUS {{ {typed} }} }}"""
    )
    suspects = {row["node"] for row in rows if row["node"].value.startswith(KZ_IRI)}
    suspects |= {
        node
        for triple in unreified
        for node in (triple[0], triple[2])
        if isinstance(node, pyoxigraph.NamedNode) and node.value.startswith(KZ_IRI) and not run.in_seeds(node, RDF_TYPE, None)
    }
    if not suspects:
        return
    listed = _values(sorted(suspects, key=str))
    rows = run.select(
        f"""SELECT DISTINCT ?s ?p ?o WHERE {{ {{ {_facts(run, predicates)} }}
          {{ VALUES ?s {{ {listed} }} }} UNION {{ VALUES ?o {{ {listed} }} }} }}"""
    )
    for row in rows:
        s, p, o = row["s"], row["p"], row["o"]
        if not _is_fact_subject(run, s):
            continue
        for node in (s, o):
            if node in suspects:
                run.add(s, f"refers to {term_text(node)}, which has no rdf:type (undefined entity?)", (s, p, o))


def _check_domains(run: _Run, predicates: list) -> None:
    """tests/helpers/rdflib_checks.py's _check_domains: a fact's subject and object are of the classes its property allows.

    The properties that allow the same classes share one anti-join per class;
    what survives every one of them has none of the classes.
    """
    import pyoxigraph

    groups: dict = {}
    allowed_of: dict = {}
    for predicate in predicates:
        for role, bound in (("subject", RDFS + "domain"), ("object", RDFS + "range")):
            allowed = run.ontology.allowed_classes(predicate, bound)
            if not allowed:
                continue
            allowed_of[predicate, role] = allowed
            # no kz: node has a blank node as its class, and VALUES cannot hold one
            named = tuple(sorted({str(c) for c in allowed if isinstance(c, pyoxigraph.NamedNode)}))
            groups.setdefault((role, named), []).append(predicate)
    branches = []
    for (role, classes), members in groups.items():
        var = "?s" if role == "subject" else "?o"
        minus = " ".join(f"MINUS {{ {var} a {cls} }}" for cls in classes)
        branches.append(f'{{ {{ {_facts(run, members)} }} FILTER(isIRI({var})) {minus} BIND("{role}" AS ?role) }}')
    if not branches:
        return
    for row in run.select(f"SELECT DISTINCT ?s ?p ?o ?role WHERE {{ {' UNION '.join(branches)} }}"):
        s, p, o, role = row["s"], row["p"], row["o"], row["role"].value
        if not _is_fact_subject(run, s):
            continue
        names = " or ".join(sorted(term_text(c) for c in allowed_of[p, role]))
        article, node = ("a", s) if role == "subject" else ("an", o)
        run.add(s, f"{term_text(p)} needs {article} {role} of class {names}; {term_text(node)} is not one", (s, p, o))


def _check_statements(run: _Run) -> None:
    """the rdflib oracle (tests/helpers/rdflib_checks.py): statements whose fact is not asserted, numeric claims without a matching kzo:count."""
    statement = run.seeds("?st", _iri(RDF_TYPE), _iri(RDF + "Statement"))
    parts = {part: run.seeds("?st", _iri(RDF + part), f"?{part}") for part in ("subject", "predicate", "object")}
    branches = [
        f"""{{ {statement} {parts["subject"]} {parts["predicate"]} {parts["object"]}
             FILTER NOT EXISTS {{ {run.seeds("?subject", "?predicate", "?object")} }} BIND("unasserted" AS ?kind) }}"""
    ]
    numeric = sorted(run.ontology.numeric_claim_properties())
    if numeric:
        count = run.seeds("?st", _iri(KZO_IRI + "count"), "?object")
        branches += [
            f"""{{ VALUES ?predicate {{ {_values(f'<{p}>' for p in numeric)} }} {statement} {parts["predicate"]}
                 {parts["object"]} MINUS {{ {count} }} BIND("numeric" AS ?kind) }}""",
            f"""{{ VALUES ?predicate {{ {_values(f'<{p}>' for p in numeric)} }} {statement} {parts["predicate"]}
                 MINUS {{ {parts["object"]} }} BIND("numeric" AS ?kind) }}""",
        ]
    for row in run.select(f"SELECT DISTINCT ?st ?kind ?object WHERE {{ {' UNION '.join(branches)} }}"):
        if row["kind"].value == "unasserted":
            run.add(row["st"], "states a fact that is not asserted in seeds/ (add the direct triple)")
        else:
            run.add(row["st"], f"numeric claim needs kzo:count equal to its object {_plain(row['object'])}")


def _check_quotes(run: _Run) -> None:
    """tests/helpers/rdflib_checks.py's _check_quotes: quotes verbatim in their text; quotes and renderings present."""
    import pyoxigraph

    from kg.data.load import read_text

    texts: dict = {}
    file_names: dict = {}
    file_name_pattern = run.seeds("?source", _iri(KZO_IRI + "fileName"), "?fileName")
    for row in run.select(f"SELECT DISTINCT ?source ?fileName WHERE {{ {file_name_pattern} }}"):
        source, file_name = row["source"], row["fileName"].value
        file_names.setdefault(source, file_name)
        path = run.paths.texts / file_name
        if Path(file_name).name != file_name or not path.is_file():
            run.add(source, f"source text {file_name} not found in seeds/texts/")
            continue
        texts[source] = read_text(path)

    sources = _values(source for source in texts if isinstance(source, pyoxigraph.NamedNode))
    statement = run.seeds("?st", _iri(RDF_TYPE), _iri(RDF + "Statement"))
    derived = run.seeds("?st", _iri(PROV + "wasDerivedFrom"), "?source")
    quote = run.seeds("?st", _iri(KZO_IRI + "quote"), "?quote")
    english = run.seeds("?st", _iri(KZO_IRI + "quoteEnglish"), "?english")
    rows = run.select(
        f"""SELECT DISTINCT ?st ?kind WHERE {{
          {{ VALUES ?source {{ {sources} }} {derived} {statement}
             OPTIONAL {{ {quote} }} OPTIONAL {{ {english} }} FILTER(!BOUND(?quote) || !BOUND(?english))
             BIND(IF(BOUND(?quote), "no English", "no quote") AS ?kind) }}
          UNION
          {{ {derived} {quote} {statement} MINUS {{ VALUES ?source {{ {sources} }} }} BIND("not a text" AS ?kind) }}
        }}"""
    )
    messages = {
        "no quote": "has no kzo:quote from its source text",
        "no English": "has no kzo:quoteEnglish rendering",
        "not a text": "has a kzo:quote but its source is not one of the texts",
    }
    for row in rows:
        run.add(row["st"], messages[row["kind"].value])

    # Quotes repeat: judge each (source, quote) pair once.
    pairs = run.select(f"SELECT DISTINCT ?source ?quote WHERE {{ VALUES ?source {{ {sources} }} {derived} {quote} {statement} }}")
    bad = [(row["source"], row["quote"]) for row in pairs if not is_verbatim(texts[row["source"]], row["quote"].value)]
    listed = " ".join(f"({source} {quoted})" for source, quoted in bad if not isinstance(quoted, pyoxigraph.BlankNode))
    if not listed:
        return
    rows = run.select(f"SELECT DISTINCT ?st ?source ?quote WHERE {{ VALUES (?source ?quote) {{ {listed} }} {derived} {quote} {statement} }}")
    for row in rows:
        text, quoted = texts[row["source"]], row["quote"].value
        hint = " (a near match exists: run `kg fix-quotes`)" if locate_quote(text, quoted) else ""
        run.add(row["st"], f"quote is not in {file_names[row['source']]} verbatim{hint}: {quoted[:60]!r}")


def _check_shapes(run: _Run, checks: list[ShapeCheck]) -> None:
    """kg/shapes.ttl over the materialized graph, as pySHACL reports it."""
    candidates: list[tuple[int, object, object]] = []  # (check, focus, value or None)

    # 1. Values that fail a constraint, and patterns that are violations outright.
    branches = []
    for number, check in enumerate(checks):
        if check.value_exact or check.value_surely:
            exact = " && ".join(f"COALESCE({c}, false)" for c in check.value_exact) or "true"
            surely = " && ".join(f"COALESCE({c}, false)" for c in check.value_surely) or "true"
            branches.append(
                f"""{{ ?focus {check.path} ?value . BIND(({exact}) AS ?exact) BIND(({surely}) AS ?surely)
                   FILTER(!?exact || !?surely) BIND({number} AS ?check) }}"""
            )
        if check.value_in is not None:  # an anti-join on the listed terms: term equality, as rdflib's
            branches.append(
                f"{{ ?focus {check.path} ?value MINUS {{ VALUES ?value {{ {_values(check.value_in)} }} }} BIND(false AS ?exact) BIND({number} AS ?check) }}"
            )
        for cls in check.value_classes:
            branches.append(
                f"{{ ?focus {check.path} ?value MINUS {{ ?value rdf:type/rdfs:subClassOf* <{cls}> }} BIND(false AS ?exact) BIND({number} AS ?check) }}"
            )
        branches += [f"{{ {pattern} BIND({number} AS ?check) }}" for pattern in check.forbidden]
    verdicts: dict = {}
    for row in run.select(f"SELECT DISTINCT ?check ?focus ?value ?exact WHERE {{ {' UNION '.join(branches) or 'FILTER(false)'} }}"):
        number, value = int(row["check"].value), row["value"]
        if value is not None and row["exact"] is not None and row["exact"].value == "true":
            # only Python can tell: whether the literal fits its datatype
            if (number, value) not in verdicts:
                verdicts[number, value] = all(judge(value) for judge in checks[number].value_judges)
            if verdicts[number, value]:
                continue
        candidates.append((number, row["focus"], value if row["exact"] is not None else None))

    # 2. At most one value: counting first, pairs only where the counts differ.
    single = [(number, check) for number, check in enumerate(checks) if check.at_most_one]
    if single:
        counts = " UNION ".join(
            f"{{ SELECT ({number} AS ?check) (COUNT(*) AS ?values) (COUNT(DISTINCT ?focus) AS ?foci) WHERE {{ ?focus {check.path} ?value }} }}"
            for number, check in single
        )
        crowded = [int(row["check"].value) for row in run.select(f"SELECT * WHERE {{ {counts} }}") if row["values"] != row["foci"]]
        if crowded:
            pairs = " UNION ".join(
                f"{{ ?focus {checks[n].path} ?one , ?other . FILTER(!sameTerm(?one, ?other)) BIND({n} AS ?check) }}" for n in crowded
            )
            candidates += [(int(row["check"].value), row["focus"], None) for row in run.select(f"SELECT DISTINCT ?check ?focus WHERE {{ {pairs} }}")]

    # 3. Targets that lack a required value: one anti-join per node shape, each check only where one is missing.
    by_targets: dict = {}
    for number, check in enumerate(checks):
        if check.required:
            by_targets.setdefault(check.target_pattern(), []).append(number)
    for targets, numbers in by_targets.items():
        everything = " ".join(pattern for n in numbers for pattern in checks[n].required)
        if not run.select(f"SELECT ?focus WHERE {{ {{ {targets} }} MINUS {{ {everything} }} }} LIMIT 1"):
            continue
        for n in numbers:
            query = f"SELECT DISTINCT ?focus WHERE {{ {{ {targets} }} MINUS {{ {' '.join(checks[n].required)} }} }}"
            candidates += [(n, row["focus"], None) for row in run.select(query)]

    # 4. Node-level constraints (sh:xone) over their targets.
    for number, check in enumerate(checks):
        if check.node_violation:
            query = f"SELECT DISTINCT ?focus WHERE {{ {{ {check.target_pattern()} }} FILTER({check.node_violation}) }}"
            candidates += [(number, row["focus"], None) for row in run.select(query)]

    targets_checked: dict = {}
    for number, focus, value in candidates:
        check = checks[number]
        if (number, focus) not in targets_checked:
            targets_checked[number, focus] = run.is_target(focus, check)
        if not targets_checked[number, focus]:
            continue
        text = check.message
        if value is not None and "iso3166" in text:  # the rdflib oracle (tests/helpers/rdflib_checks.py) names the offending code
            text += f" ({_plain(value)})"
        run.add(focus, text)


# ---------------------------------------------------------------------------
# Where a problem is: the file and line the rdflib oracle's Dataset gives
# ---------------------------------------------------------------------------


class _Locator:
    def __init__(self, run: _Run):
        from kg.data.load import subject_lines

        self.run = run
        self.subject_lines = subject_lines
        self.lines: dict[str, dict[str, int]] = {}

    def line(self, graph_iri: str, subject) -> int | None:
        import pyoxigraph

        if not isinstance(subject, pyoxigraph.NamedNode) or not subject.value.startswith(KZ_IRI):
            return None
        if graph_iri == SEEDS_GRAPH:
            return None  # all seed files in one graph: kg build reloads them per file to locate
        if graph_iri not in self.lines:  # read a file only when it has a problem
            self.lines[graph_iri] = self.subject_lines(self.run.files[graph_iri][2])
        return self.lines[graph_iri].get("kz:" + subject.value[len(KZ_IRI):])

    def origin(self, subject) -> tuple[str | None, int | None]:
        """Dataset.origin: the first file that types the subject, else the first that describes it."""
        typed: dict[str, bool] = {}
        for quad in self.run.store.quads_for_pattern(subject, None, None, None):
            graph = getattr(quad.graph_name, "value", None)
            if graph in self.run.files:
                typed[graph] = typed.get(graph, False) or quad.predicate.value == RDF_TYPE
        if not typed:
            return None, None
        ordered = sorted(typed, key=lambda graph: self.run.files[graph][0])
        home = next((graph for graph in ordered if typed[graph]), ordered[0])
        return home, self.line(home, subject)

    def triple_origin(self, triple) -> tuple[str | None, int | None]:
        """Dataset.triple_origin: the first file that states the triple."""
        graphs = [
            quad.graph_name.value
            for quad in self.run.store.quads_for_pattern(*triple)
            if getattr(quad.graph_name, "value", None) in self.run.files
        ]
        if not graphs:
            return self.origin(triple[0])
        first = min(graphs, key=lambda graph: self.run.files[graph][0])
        return first, self.line(first, triple[0])


def _problems(run: _Run) -> list:
    locator = _Locator(run)
    origins: dict = {}
    problems = set()
    for finding in run.findings:
        key = ("triple", finding.triple) if finding.triple is not None else ("subject", finding.subject)
        if key not in origins:
            origins[key] = locator.triple_origin(finding.triple) if finding.triple else locator.origin(finding.subject)
        graph, line = origins[key]
        file = run.files[graph][1] if graph else "(materialized)"
        problems.add(Problem(file, line or 0, term_text(finding.subject), finding.message))
    return sorted(problems)


def find_problems_in_store(store, paths: DataPaths, timings: dict | None = None) -> list:
    """Every contract failure of the data in ``store`` (built by kg.data.store from ``paths``).

    A sorted list of ``kg.check.problems.Problem``: the same problems the second opinion
    (``tests/helpers/rdflib_checks.py``: rdflib and pySHACL) finds in the same data. ``timings``, if
    given, receives the seconds each check took.
    """
    timings = timings if timings is not None else {}

    def timed(name: str, work, *args):
        started = time.perf_counter()
        result = work(*args)
        timings[name] = time.perf_counter() - started
        return result

    checks = timed("compile shapes", shape_checks)
    run = _Run(store, paths)
    scan = timed("scan", _scan, run)
    timed("terms", _check_terms, run, scan)
    timed("literals", _check_literals, run, scan)
    timed("blank nodes", _check_blank_nodes, run, scan)
    timed("facts", _check_facts, run, scan)
    timed("statements", _check_statements, run)
    timed("quotes", _check_quotes, run)
    timed("shapes", _check_shapes, run, checks)
    return timed("locate", _problems, run)
