"""The dataset's description, as published Linked Data carries it (VoID and DCAT).

``kg build`` puts it into the exported graph, in the named graph
``urn:kg:description``: title and description in en, kk and ru, the data's
licence (CC BY 4.0), creator and publisher, version, issue and modification
dates (from ``kg.core.release``, never the clock), the number of triples and
entities (``void:triples`` counts the description itself too, so it equals
the number of triples a loader finds in ``kazakhstan.ttl``), the entities of
each class, example resources, the vocabularies, one ``void:dataDump`` and
``dcat:distribution`` per export file, and the SPARQL endpoint ``kg serve``
runs on this machine.
"""

from __future__ import annotations

from kg.core.prefixes import KZ_IRI, KZO_IRI, ONTOLOGY_IRI, PREFIXES
from kg.core.release import RELEASE_DATE, VERSION
from kg.data.store import DESCRIPTION_GRAPH, exported_count
#: The dataset's IRI: the namespace's root, the graph ``kg push`` fills on a server.
DATASET_IRI = "https://w3id.org/kzkg/"
#: Where the export files are published (docs/publishing.md: the w3id redirect rules).
DUMP_BASE = DATASET_IRI + "exports/"
#: The endpoint ``kg serve`` runs: on this machine only (127.0.0.1), so it is described as local.
LOCAL_SPARQL_ENDPOINT = "http://127.0.0.1:8000/sparql"

#: Export files: (file name, media type, what it is). The first is the one every build writes.
DUMPS = (
    ("kazakhstan.ttl", "text/turtle", "Turtle: the ontology, the curated data with its evidence, the materialized triples"),
    ("kazakhstan.jsonld", "application/ld+json", "JSON-LD, with a context that reads like JSON"),
    ("kazakhstan.csv", "text/csv", "CSV: one row per fact and source, with its quote (CSVW metadata beside it)"),
    ("kazakhstan-nodes.csv", "text/csv", "CSV: one row per entity, with its names, class and ISO code"),
    ("kazakhstan.csv-metadata.json", "application/csvm+json", "CSVW metadata describing both CSV tables"),
    ("kazakhstan.graphml", "application/graphml+xml", "GraphML network of facts, for Cytoscape and yEd"),
    ("kazakhstan.gexf", "application/gexf+xml", "GEXF 1.3 dynamic network, for Gephi's timeline"),
)
RDF_DUMPS = ("kazakhstan.ttl", "kazakhstan.jsonld")

EXAMPLE_RESOURCES = ("Kazakhstan", "Russia", "UN", "SemipalatinskTestSite")

TITLES = {
    "en": "Kazakhstan's foreign relations: a knowledge graph with evidence",
    "kk": "Қазақстанның сыртқы қатынастары: дәлелі бар білім графы",
    "ru": "Внешние связи Казахстана: граф знаний с доказательствами",
}
DESCRIPTIONS = {
    "en": "States, international organizations, treaties, events, initiatives, people, companies and places in "
          "Kazakhstan's foreign relations, curated by hand from five Kazakh-language texts. Every fact carries its "
          "source and a verbatim quote with an English rendering; where sources disagree, each claim keeps its own.",
    "kk": "Қазақстанның сыртқы қатынастарындағы мемлекеттер, халықаралық ұйымдар, шарттар, оқиғалар, бастамалар, "
          "адамдар, компаниялар мен орындар; бес қазақ тіліндегі мәтіннен қолмен жинақталған. Әр дерек өз "
          "дереккөзі мен мәтіннен алынған дәйексөзді ағылшынша аудармасымен бірге сақтайды.",
    "ru": "Государства, международные организации, договоры, события, инициативы, люди, компании и места во "
          "внешних связях Казахстана, собранные вручную из пяти текстов на казахском языке. Каждый факт хранит "
          "свой источник и дословную цитату с английским переводом; расхождения источников сохранены.",
}

_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
_CREATOR = DATASET_IRI + "#contributors"


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _language_map(predicate: str, values: dict[str, str]) -> str:
    return f"    {predicate} " + " ,\n        ".join(f"{_literal(values[lang])}@{lang}" for lang in sorted(values)) + " ;\n"


def description_turtle(triples: int, entities: int, class_entities: dict[str, int], dumps=DUMPS) -> str:
    """The description as Turtle, for the counts given (``triples`` includes the description's own)."""
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    names = [name for name, *_ in dumps]
    body = [f"<{DATASET_IRI}> a void:Dataset , dcat:Dataset ;\n"]
    body.append(_language_map("dcterms:title", TITLES))
    body.append(_language_map("dcterms:description", DESCRIPTIONS))
    body.append(
        f"    dcterms:license <{_LICENSE}> ;\n"
        f"    dcterms:rights \"Data: CC BY 4.0 (LICENSE-DATA); code: MIT (LICENSE)\"@en ;\n"
        f"    dcterms:creator <{_CREATOR}> ;\n    dcterms:publisher <{_CREATOR}> ;\n"
        f"    owl:versionInfo {_literal(VERSION)} ;\n    dcat:version {_literal(VERSION)} ;\n"
        f"    dcterms:issued \"{RELEASE_DATE}\"^^xsd:date ;\n    dcterms:modified \"{RELEASE_DATE}\"^^xsd:date ;\n"
        f"    dcterms:language <http://id.loc.gov/vocabulary/iso639-1/kk> , <http://id.loc.gov/vocabulary/iso639-1/en> , "
        f"<http://id.loc.gov/vocabulary/iso639-1/ru> ;\n"
        f"    dcat:keyword \"Kazakhstan\"@en , \"foreign relations\"@en , \"treaties\"@en , \"international organizations\"@en ;\n"
        f"    void:triples {triples} ;\n    void:entities {entities} ;\n"
        f"    void:uriSpace {_literal(KZ_IRI)} ;\n"
        f"    void:vocabulary <{ONTOLOGY_IRI}> , " + " , ".join(f"<{PREFIXES[p]}>" for p in ("rdf", "rdfs", "owl", "skos", "prov", "dcterms")) + " ;\n"
        f"    void:exampleResource " + " , ".join(f"kz:{name}" for name in EXAMPLE_RESOURCES) + " ;\n"
        f"    void:rootResource kz:Kazakhstan ;\n"
        f"    void:sparqlEndpoint <{LOCAL_SPARQL_ENDPOINT}> ;\n"
    )
    rdf_dumps = [name for name in names if name in RDF_DUMPS]
    if rdf_dumps:
        body.append("    void:dataDump " + " , ".join(f"<{DUMP_BASE}{name}>" for name in rdf_dumps) + " ;\n")
    if class_entities:
        body.append("    void:classPartition " + " , ".join(f"<{DATASET_IRI}#class-{name}>" for name in sorted(class_entities)) + " ;\n")
    body.append("    dcat:distribution " + " , ".join(f"<{DATASET_IRI}#dump-{name}>" for name in names) + " .\n\n")
    for name, media_type, title in dumps:
        body.append(
            f"<{DATASET_IRI}#dump-{name}> a dcat:Distribution ;\n"
            f"    dcterms:title {_literal(title)}@en ;\n"
            f"    dcat:downloadURL <{DUMP_BASE}{name}> ;\n    dcat:mediaType <https://www.iana.org/assignments/media-types/{media_type}> ;\n"
            f"    dcterms:license <{_LICENSE}> .\n\n"
        )
    for name, count in sorted(class_entities.items()):
        body.append(f"<{DATASET_IRI}#class-{name}> void:class kzo:{name} ;\n    void:entities {count} .\n\n")
    body.append(
        f"<{_CREATOR}> a foaf:Organization ;\n    foaf:name \"The kazakhstan-kg contributors\"@en .\n\n"
        f"<{LOCAL_SPARQL_ENDPOINT}> a dcat:DataService ;\n"
        f"    dcterms:title \"The SPARQL endpoint of kg serve, on the machine that runs it (local only)\"@en ;\n"
        f"    dcat:endpointURL <{LOCAL_SPARQL_ENDPOINT}> ;\n    dcat:servesDataset <{DATASET_IRI}> .\n"
    )
    return prefixes + "\n" + "".join(body)


_COUNT_ENTITIES = f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{KZ_IRI}")) }}'
_CLASS_ENTITIES = f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }} FILTER(STRSTARTS(STR(?s), "{KZ_IRI}") && STRSTARTS(STR(?class), "{KZO_IRI}"))
}} GROUP BY ?class"""


def describe_store(store, dumps=DUMPS) -> None:
    """Add the description of the graph in ``store`` to it, in ``urn:kg:description``."""
    import pyoxigraph

    def number(query: str) -> int:
        return int(next(iter(store.query(query)))["n"].value)

    graph = pyoxigraph.NamedNode(DESCRIPTION_GRAPH)
    store.clear_graph(graph)
    base, entities = exported_count(store), number(_COUNT_ENTITIES)
    classes = {row["class"].value[len(KZO_IRI):]: int(row["n"].value) for row in store.query(_CLASS_ENTITIES)}
    # The description adds the same number of triples whatever its counts say.
    own = len(list(pyoxigraph.parse(description_turtle(0, 0, classes, dumps), format=pyoxigraph.RdfFormat.TURTLE)))
    text = description_turtle(base + own, entities, classes, dumps)
    store.load(text, format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph)
