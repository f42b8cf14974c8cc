"""RDF files from the store's triples (pyoxigraph terms): N-Triples, RDF/XML and JSON-LD.

Oxigraph writes N-Triples and RDF/XML (and Turtle, from the store's graphs:
``kg.data.store.turtle_bytes``). JSON-LD is written here: Oxigraph's JSON-LD
writer takes no context and writes full IRIs on one line, and the export
promises JSON that reads like JSON (docs/exports.md). The same triples
always give the same bytes: the store names blank nodes by file and
position, and every list is sorted. No rdflib here: ``kg query -F jsonld``
and ``kg serve`` use the same writer.
"""

from __future__ import annotations

import json
import re

import pyoxigraph

from kg.core.errors import KGError
from kg.core.prefixes import KZO_IRI, PREFIXES, compact_iri


def _is_iri(term) -> bool:
    return isinstance(term, pyoxigraph.NamedNode)


def _is_blank(term) -> bool:
    return isinstance(term, pyoxigraph.BlankNode)


def _is_literal(term) -> bool:
    return isinstance(term, pyoxigraph.Literal)


def stable_triples(triples) -> list:
    """The triples (pyoxigraph), without repeats, sorted, with blank nodes named b0, b1, ... in that order.

    The store names blank nodes by file and position (kg.data.store.load_store),
    so the same data always gives the same names, and the same bytes.
    """
    ordered = sorted(set(triples), key=lambda triple: (str(triple.subject), str(triple.predicate), str(triple.object)))
    names: dict = {}

    def renamed(term):
        if not _is_blank(term):
            return term
        if term not in names:
            names[term] = pyoxigraph.BlankNode(f"b{len(names)}")
        return names[term]

    if not any(_is_blank(triple.subject) or _is_blank(triple.object) for triple in ordered):
        return ordered
    return [pyoxigraph.Triple(renamed(t.subject), t.predicate, renamed(t.object)) for t in ordered]


def _oxigraph_serialize(triples, rdf_format: str) -> bytes:
    """Serialize with Oxigraph, which writes triples in the order given."""
    return pyoxigraph.serialize(stable_triples(triples), format=getattr(pyoxigraph.RdfFormat, rdf_format), prefixes=PREFIXES)


def serialize_ntriples(triples) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    # split("\n"), not splitlines(): a literal may hold U+0085 or U+2028, which
    # N-Triples writes raw and splitlines() would take for line breaks.
    lines = _oxigraph_serialize(triples, "N_TRIPLES").decode("utf-8").split("\n")
    return ("\n".join(sorted(set(line for line in lines if line))) + "\n").encode("utf-8")


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def serialize_rdfxml(triples) -> bytes:
    """RDF/XML, one element per subject (typed by its first type), subjects sorted.

    XML 1.0 cannot hold most control characters at all, so a literal with one
    is refused with a clear error rather than written into a file no parser
    reads. A carriage return is written as ``&#13;``: a raw one would be read
    back as a line feed.
    """
    triples = list(triples)
    for triple in triples:
        if _is_literal(triple.object):
            found = _NOT_IN_XML.search(triple.object.value)
            if found:
                raise KGError(
                    f"RDF/XML cannot hold the control character U+{ord(found.group()):04X} in the "
                    f"{compact_iri(triple.predicate.value)} of {compact_iri(triple.subject.value)}: "
                    "export turtle, nt or jsonld instead"
                )
    return _oxigraph_serialize(triples, "RDF_XML").replace(b"\r", b"&#13;")


#: Short keys for the common annotation properties, so the JSON reads ``"label": {"en": ...}``.
JSONLD_SHORT_KEYS = {
    PREFIXES["rdfs"] + "label": "label",
    PREFIXES["rdfs"] + "comment": "comment",
    PREFIXES["skos"] + "altLabel": "altLabel",
    PREFIXES["dcterms"] + "title": "title",
    PREFIXES["dcterms"] + "description": "description",
    PREFIXES["rdf"] + "subject": "subject",
    PREFIXES["rdf"] + "predicate": "predicate",
    PREFIXES["rdf"] + "object": "object",
    PREFIXES["prov"] + "wasDerivedFrom": "wasDerivedFrom",
    PREFIXES["owl"] + "sameAs": "sameAs",
    PREFIXES["rdfs"] + "subClassOf": "subClassOf",
    PREFIXES["rdfs"] + "subPropertyOf": "subPropertyOf",
    PREFIXES["rdfs"] + "domain": "domain",
    PREFIXES["rdfs"] + "range": "range",
    PREFIXES["rdfs"] + "seeAlso": "seeAlso",
    PREFIXES["rdfs"] + "isDefinedBy": "isDefinedBy",
}

_RDF_TYPE = PREFIXES["rdf"] + "type"
_XSD_STRING = PREFIXES["xsd"] + "string"


def _jsonld_id(term) -> str:
    return f"_:{term.value}" if _is_blank(term) else compact_iri(term.value)


def _datatype(term) -> str | None:
    """A literal's datatype IRI; None for a plain or language-tagged string (JSON's own strings)."""
    if term.language:
        return None
    datatype = term.datatype.value
    return None if datatype == _XSD_STRING else datatype


def _jsonld_terms(triples) -> dict:
    """For each predicate: its key, and its term definition (None: no definition needed).

    A ``kzo:`` property is its local name (the ``@vocab``), a common
    annotation property its short name; any other a compact IRI. A property
    whose values are all IRIs is coerced to ``@id``, one whose values are
    all language-tagged a language map, one whose values share a datatype is
    coerced to it, so each value is a bare string; a property of mixed
    values keeps JSON-LD's value objects.
    """
    values: dict = {}
    for triple in triples:
        values.setdefault(triple.predicate.value, []).append(triple.object)
    kzo_names = {iri[len(KZO_IRI):] for iri in values if iri.startswith(KZO_IRI)}
    terms = {}
    for iri, objects in values.items():
        if iri.startswith(KZO_IRI) and iri[len(KZO_IRI):].isidentifier():
            key = iri[len(KZO_IRI):]
        elif iri in JSONLD_SHORT_KEYS and JSONLD_SHORT_KEYS[iri] not in kzo_names:
            key = JSONLD_SHORT_KEYS[iri]
        else:
            key = compact_iri(iri)
        definition: dict = {"@id": compact_iri(iri)}
        if all(_is_iri(o) or _is_blank(o) for o in objects):
            definition["@type"] = "@id"
        elif all(_is_literal(o) and o.language for o in objects):
            definition["@container"] = "@language"
        else:
            datatypes = {_datatype(o) if _is_literal(o) and not o.language else "mixed" for o in objects}
            if len(datatypes) == 1 and None not in datatypes and "mixed" not in datatypes:
                definition["@type"] = compact_iri(datatypes.pop())
        needed = key != compact_iri(iri) or len(definition) > 1
        terms[iri] = (key, definition if needed else None)
    return terms


def _jsonld_value(term, definition: dict | None):
    """A value as its key's term definition expects it: a bare string where coerced."""
    coerced = (definition or {}).get("@type")
    if _is_iri(term) or _is_blank(term):
        return _jsonld_id(term) if coerced == "@id" else {"@id": _jsonld_id(term)}
    if coerced and coerced != "@id":
        return term.value
    if term.language:
        return {"@value": term.value, "@language": term.language}
    datatype = _datatype(term)
    if datatype is not None:
        return {"@value": term.value, "@type": compact_iri(datatype)}
    return term.value


def _sorted_single(values: list):
    values.sort(key=lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True))
    return values[0] if len(values) == 1 else values


def serialize_jsonld(triples) -> bytes:
    """JSON-LD whose ``@context`` makes it read like JSON, one object per subject.

    ``@vocab`` is the ontology, so ``kzo:`` properties and classes are bare
    names (``"memberOf": "kz:UN"``, ``"@type": "State"``); names are language
    maps (``"label": {"en": "Russia", "kk": "Ресей"}``); IRIs are coerced, so
    a link is a string; the prefixes stay declared, so IRIs read as in the
    Turtle. Subjects, keys and values are sorted; it loads back into the same
    graph (``tests/render/test_export_tools.py``). The one JSON-LD writer:
    ``kg export jsonld``, ``kg build``, ``kg query -F jsonld`` and ``kg serve``.
    """
    triples = stable_triples(triples)
    if any(isinstance(term, pyoxigraph.Triple) for triple in triples for term in (triple.subject, triple.object)):
        raise KGError("JSON-LD has no way to write a triple term (<<( … )>>): use turtle or nt for this graph")
    terms = _jsonld_terms(triples)
    classes = {t.object.value[len(KZO_IRI):] for t in triples
               if t.predicate.value == _RDF_TYPE and _is_iri(t.object) and t.object.value.startswith(KZO_IRI)}
    keys = {key for key, _ in terms.values()}
    nodes: dict = {}
    for triple in triples:
        subject, obj = _jsonld_id(triple.subject), triple.object
        node = nodes.setdefault(subject, {"@id": subject})
        if triple.predicate.value == _RDF_TYPE and _is_iri(obj):
            name = obj.value[len(KZO_IRI):] if obj.value.startswith(KZO_IRI) else ""
            # A type is read vocabulary-relative: a bare name unless a key has that name.
            node.setdefault("@type", []).append(name if name in classes and name not in keys and name.isidentifier() else compact_iri(obj.value))
            continue
        key, definition = terms[triple.predicate.value]
        if definition and definition.get("@container") == "@language":
            node.setdefault(key, {}).setdefault(obj.language, []).append(obj.value)
        else:
            node.setdefault(key, []).append(_jsonld_value(obj, definition))
    for node in nodes.values():
        for key, values in node.items():
            if isinstance(values, list):
                node[key] = _sorted_single(values)
            elif isinstance(values, dict):
                node[key] = {language: _sorted_single(texts) for language, texts in values.items()}
    context: dict = {"@vocab": KZO_IRI, **PREFIXES}
    context.update({key: definition for key, definition in terms.values() if definition})
    document = {"@context": context, "@graph": [nodes[key] for key in sorted(nodes)]}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
