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
