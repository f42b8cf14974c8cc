"""The project's namespaces and label languages as plain strings, with no import of rdflib.

``kg query`` needs them and must start fast; ``kg.namespaces`` builds the
checked rdflib vocabulary on top of them.
"""

KZO_IRI = "https://w3id.org/kzkg/ontology#"
KZ_IRI = "https://w3id.org/kzkg/id/"
ONTOLOGY_IRI = "https://w3id.org/kzkg/ontology"

#: The contract's prefixes: the header of every seed file (``kg fmt``).
CONTRACT_PREFIXES = {
    "kzo": KZO_IRI,
    "kz": KZ_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: Prefixes predeclared for queries and used in every serialization: the contract's, and those
#: of the dataset's description (kg.data.describe) and the ontology's publishing annotations.
PREFIXES = {
    **CONTRACT_PREFIXES,
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
}

#: Languages of the labels, in the order labels fall back to.
LANGUAGES = ("en", "kk", "ru")


def compact_iri(iri: str) -> str:
    """``kz:Russia`` for ``https://w3id.org/kzkg/id/Russia``; other IRIs unchanged.

    >>> compact_iri("https://w3id.org/kzkg/ontology#memberOf")
    'kzo:memberOf'
    >>> compact_iri("https://example.org/x")
    'https://example.org/x'
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best and not iri[len(PREFIXES[best]):].startswith("//"):
        return f"{best}:{iri[len(PREFIXES[best]):]}"
    return iri


def iri_text(iri: str) -> str:
    """An IRI as a message shows it: a prefixed name where a prefix fits, else ``<iri>``.

    >>> iri_text("https://w3id.org/kzkg/id/Russia"), iri_text("http://example.org/x")
    ('kz:Russia', '<http://example.org/x>')
    """
    compact = compact_iri(iri)
    return compact if compact != iri else f"<{iri}>"


_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_XSD_STRING = PREFIXES["xsd"] + "string"


def literal_text(lexical: str, language: str | None = None, datatype: str | None = None, *, compact: bool = True) -> str:
    """A literal as written in Turtle: quoted and escaped, then ``@lang`` or ``^^datatype``.

    The datatype is a prefixed name (``compact``) or a full ``<iri>``; an xsd:string has none.

    >>> literal_text("abc", datatype=PREFIXES["xsd"] + "integer"), literal_text('say "hi"', "en")
    ('"abc"^^xsd:integer', '"say \\\\"hi\\\\""@en')
    """
    quoted = '"' + lexical.translate(_LITERAL_ESCAPES) + '"'
    if language:
        return f"{quoted}@{language}"
    if datatype and datatype != _XSD_STRING:
        return f"{quoted}^^{iri_text(datatype) if compact else f'<{datatype}>'}"
    return quoted


def shortened(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters (a literal may be megabytes), ending in "…" where cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
