"""The network view read from the Oxigraph query store, for data too large for rdflib.

``the rdflib oracle's build_network (tests/helpers/rdflib_network.py)`` needs the whole graph in rdflib: at a million
triples that is minutes and gigabytes before the first answer. Here the same
network (same nodes, attributes, edges, keys and evidence) is read from the
store ``kg query`` answers from (``kg.data.querystore.open_store`` over
``exports/kazakhstan.ttl``) with a few SPARQL SELECT queries, one per
property, and assembled in Python with the pure helpers of ``kg.network``.
No rdflib is imported on this path, except by ``html_from_store``: kg.render.html
reads labels, alt labels and source titles from an rdflib Graph, so it gets
a small one holding only the vocabulary and the entities of the view.

The analysis commands, ``kg export graphml|gexf`` and ``kg export html``
choose between the two with ``is_large``: the rdflib path answers from the
seeds as they are now, this one from the last build.

Reading a million-triple export this way still takes some 10 seconds (most
of it Oxigraph turning stored ids back into IRIs and strings), so ``kg build``
keeps the network in ``.kg-cache/`` beside the store (``cached_network``),
keyed like the store by the export's digest. It is kept as plain JSON and
checked value by value when read: a data directory can come from anyone,
and nothing in it is ever unpickled.

One known difference: Oxigraph keeps numbers in canonical form, so a
``kzo:sharePercent`` written ``"22.50"^^xsd:decimal`` reads ``share 22.5 %``
in an edge's evidence note here (the curated data writes none such).
"""

from __future__ import annotations

import contextlib
import gc
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from kg.facts.entities import (DATE_PROPERTY_IRIS, ENTITY_CLASS_IRIS, LANGUAGES, choose_label, direct_match, local_name, resolve_name,
                       source_description)
from kg.core.errors import EntityNotFound
from kg.network.model import EvidenceItem, evidence_note, fact_attributes, most_specific_class_iri
from kg.core.paths import DataPaths
from kg.data.querystore import STALE_WARNING, export_is_stale, open_export_store  # noqa: F401  (what the commands read)
from kg.core.prefixes import KZ_IRI, KZO_IRI, PREFIXES


_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_PROV = PREFIXES["prov"]
_DCTERMS = PREFIXES["dcterms"]


# ---------------------------------------------------------------------------
# Reading the store


def _select(store, query: str):
    # The union of the graphs: the build's query store holds one default graph,
    # a freshly loaded store (kg.data.store) one named graph per part.
    return store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)


def _values(iris) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(iris))


def _pairs(store, predicate: str, subjects: set[str] | None = None):
    """(subject IRI, object term) for every ``?s <predicate> ?o``, optionally only for ``subjects``."""
    restriction = f"VALUES ?s {{ {_values(subjects)} }}\n" if subjects is not None else ""
    for row in _select(store, f"SELECT ?s ?o WHERE {{ {restriction}?s <{predicate}> ?o }}"):
        yield row[0].value, row[1]


def _entity_types(store, entities: set[str] | None = None) -> dict[str, set[str]]:
    """Entity IRI -> its contract classes: every IRI typed with one of ENTITY_CLASS_IRIS."""
    found: dict[str, set[str]] = {}
    if entities is None:
        rows = _select(store, f"""
            SELECT ?entity ?class WHERE {{
              VALUES ?class {{ {_values(ENTITY_CLASS_IRIS)} }}
              ?entity a ?class . FILTER(isIRI(?entity))
            }}""")
    else:
        # Every type of each listed IRI, the classes picked here: joined with a
        # list of classes too, Oxigraph would compare every pair of the two lists.
        rows = _select(store, f"SELECT ?entity ?class WHERE {{ VALUES ?entity {{ {_values(entities)} }} ?entity a ?class }}")
    classes = set(ENTITY_CLASS_IRIS)
    for row in rows:
        if row[1].value in classes:
            found.setdefault(row[0].value, set()).add(row[1].value)
    return found


def entity_nodes(store, entities: set[str] | None = None) -> dict[str, dict]:
    """Node key -> node attributes, as ``build_network`` gives them, sorted by IRI.

    ``entities`` (IRIs) limits the nodes to those of them that are entities.
    """
    types = _entity_types(store, entities)
    wanted = set(types)
    labels: dict[str, dict[str, list[str]]] = {}
    for entity, term in _pairs(store, _RDFS + "label", wanted if entities is not None else None):
        if entity in wanted:
            labels.setdefault(entity, {}).setdefault(getattr(term, "language", None) or "", []).append(term.value)
    alt_labels: dict[str, set[str]] = {}
    for entity, term in _pairs(store, _SKOS + "altLabel", wanted if entities is not None else None):
        if entity in wanted:
            alt_labels.setdefault(entity, set()).add(term.value)
    surface_forms: dict[str, set[str]] = {}
    for entity, term in _pairs(store, KZO_IRI + "surfaceForm", wanted if entities is not None else None):
        if entity in wanted:
            surface_forms.setdefault(entity, set()).add(term.value)
    iso: dict[str, list[str]] = {}
    for code in ("iso3166Alpha3", "iso3166Part3Code"):
        for entity, term in _pairs(store, KZO_IRI + code, wanted if entities is not None else None):
            if entity in wanted:
                iso.setdefault(entity, []).append(term.value)

    nodes: dict[str, dict] = {}
    for entity in sorted(types):
        attributes = {
            "iri": entity,
            "class": local_name(most_specific_class_iri(types[entity])),
            "alt_labels": " | ".join(sorted(alt_labels.get(entity, ()))),
            "surface_forms": " | ".join(sorted(surface_forms.get(entity, ()))),
            "iso3166": min(iso.get(entity, [""])),
        }
        own = labels.get(entity, {})
        for lang in LANGUAGES:
            attributes[f"label_{lang}"] = min(own.get(lang, [""]))
        nodes[local_name(entity)] = attributes
    return nodes


#: ``FILTER(?o IN (...))`` compares with each listed IRI in turn: past this many, checking in Python is faster.
_LISTED_OBJECTS_LIMIT = 300


def _statements(store, among: set[str] | None = None, pairs=None) -> dict[str, tuple[str, str, str]]:
    """Statement IRI -> (subject, predicate, object) for every statement about two IRIs
    (both of them in ``among``, when given; one of the ``pairs`` of IRIs, either way round, when given)."""
    if pairs is not None:
        # A few pairs (the hops of kg path's chains): each looked up in both directions, never
        # every statement about a hub among them (Kazakhstan is the subject of 43 thousand
        # at a million triples: 2 s for a chain through it, against 0.2 s so).
        listed = " ".join(f"(<{s}> <{o}>) (<{o}> <{s}>)" for s, o in sorted(pairs))
        # Object first: the hub is the subject of most of its statements (8 thousand statements
        # have Kazakhstan as object, 43 thousand as subject).
        restriction = f"VALUES (?s ?o) {{ {listed} }} ?statement rdf:object ?o ; rdf:subject ?s .\n"
    elif among is None:
        restriction = ""
    elif len(among) > _LISTED_OBJECTS_LIMIT:
        restriction = f"VALUES ?s {{ {_values(among)} }}\n"  # the caller drops the other objects
    else:
        # Read from the objects' side, the subject checked before the rest of the statement is
        # read: a hub in ``among`` is the subject of thousands of statements about others
        # (Kazakhstan of 43 thousand at a million triples, the object of 8 thousand; Russia's
        # focused view read its statements in 0.7 s so, 4.5 s from the subjects' side).
        listed = ", ".join(f"<{iri}>" for iri in sorted(among))
        restriction = f"VALUES ?o {{ {_values(among)} }} ?statement rdf:object ?o ; rdf:subject ?s . FILTER(?s IN ({listed}))\n"
    rows = _select(store, f"""
        SELECT ?statement ?s ?p ?o WHERE {{
          {restriction}?statement rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; a rdf:Statement .
          FILTER(isIRI(?s) && isIRI(?o))
        }}""")
    found: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        statement, fact = row[0].value, (row[1].value, row[2].value, row[3].value)
        # A statement reifies one triple; were it given two, keep one, the same every run.
        if statement not in found or fact < found[statement]:
            found[statement] = fact
    return found


def _first_values(store, predicate: str, subjects: set[str], restrict: bool) -> dict[str, str]:
    values: dict[str, str] = {}
    for subject, term in _pairs(store, predicate, subjects if restrict else None):
        if subject in subjects and (subject not in values or term.value < values[subject]):
            values[subject] = term.value
    return values


def _property_labels(store, properties: set[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for prop, term in _pairs(store, _RDFS + "label", properties):
        found.setdefault(prop, {})[getattr(term, "language", None)] = term.value
    return found


def _source_descriptions(store, sources: set[str]) -> dict[str, str]:
    file_names = _first_values(store, KZO_IRI + "fileName", sources, restrict=False)
    citations = _first_values(store, _DCTERMS + "bibliographicCitation", sources, restrict=False)
    return {
        source: source_description(source, file_names.get(source), None if source in file_names else citations.get(source))
        for source in sources
    }


def network_from_store(store, evidence: bool = True, entities: set[str] | None = None, pairs=None):
    """The network ``the rdflib oracle's build_network (tests/helpers/rdflib_network.py)`` gives, read from a pyoxigraph Store of the export.

    ``evidence=False`` leaves out each edge's ``evidence`` list (quotes and
    notes, the bulk of the data) and skips the queries that read it; every
    other attribute is the same. ``entities`` (IRIs) keeps only those
    entities and the facts between them: the induced part of the network.
    ``pairs`` (of entity IRIs, with ``entities``) keeps only the facts
    between the two of a pair.
    """
    with _collector_paused():
        return _network_from_store(store, evidence, entities, pairs)


@contextlib.contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector: building a network makes hundreds of thousands of
    objects and no cycles, and the collections they trigger cost a fifth of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _network_from_store(store, evidence: bool, entities: set[str] | None, pairs=None):
    import networkx as nx

    network = nx.MultiDiGraph()
    nodes = entity_nodes(store, entities)
    network.add_nodes_from(nodes.items())

    restrict = entities is not None
    statements = {
        statement: fact
        for statement, fact in _statements(store, {a["iri"] for a in nodes.values()} if restrict else None, pairs).items()
        if local_name(fact[0]) in network and local_name(fact[2]) in network
    }
    chosen = set(statements)
    sources = _first_values(store, _PROV + "wasDerivedFrom", chosen, restrict)
    described = _source_descriptions(store, set(sources.values()))
    # kzo:date, else kzo:startDate, else kzo:endDate: the order of DATE_PROPERTY_IRIS.
    dates = {prop: _first_values(store, prop, chosen, restrict) for prop in DATE_PROPERTY_IRIS}
    if evidence:
        quotes = _first_values(store, KZO_IRI + "quote", chosen, restrict)
        quotes_english = _first_values(store, KZO_IRI + "quoteEnglish", chosen, restrict)
        shares = _first_values(store, KZO_IRI + "sharePercent", chosen, restrict)
        notes: dict[str, list[str]] = {}
        for statement, term in _pairs(store, KZO_IRI + "note", chosen if restrict else None):
            if statement in chosen:
                notes.setdefault(statement, []).append(term.value)

    facts: dict[tuple, list[EvidenceItem]] = {}
    for statement in sorted(statements):
        date = next((dates[p][statement] for p in DATE_PROPERTY_IRIS if statement in dates[p]), "")
        source = sources.get(statement)
        facts.setdefault(statements[statement], []).append(EvidenceItem(
            statement=local_name(statement),
            source=described[source] if source is not None else source_description(None),
            quote=quotes.get(statement, "") if evidence else "",
            quote_english=quotes_english.get(statement, "") if evidence else "",
            date=date,
            note=evidence_note(notes.get(statement, []), shares.get(statement)) if evidence else "",
            start_date=dates[KZO_IRI + "startDate"].get(statement, ""),
            end_date=dates[KZO_IRI + "endDate"].get(statement, ""),
        ))

    found = _property_labels(store, {predicate for _, predicate, _ in facts})
    labels = {p: {lang: choose_label(found.get(p, {}), p, lang) for lang in LANGUAGES} for p in found}
    for (subject, predicate, obj), items in sorted(facts.items()):
        if predicate not in labels:
            labels[predicate] = {lang: local_name(predicate) for lang in LANGUAGES}
        network.add_edge(local_name(subject), local_name(obj), key=local_name(predicate),
                         **fact_attributes(predicate, labels[predicate], items, keep_evidence=evidence))
    return network


# ---------------------------------------------------------------------------
# The network kept between commands

#: The modules whose code shapes the network: a change to any of them changes the cache key.
_NETWORK_CODE = (Path(__file__).parent / "model.py", Path(__file__), Path(__file__).parent.parent / "facts" / "entities.py")


def network_cache_key(paths: DataPaths, export_digest: str | None = None) -> str:
    """The key of the network read from an export: the export's digest, networkx's version and the code.

    ``kg build`` gives the digest of the bytes it wrote (the file may already
    be another build's); a read command's is that of the export it reads.
    """
    import hashlib

    import networkx

    from kg.data.querystore import export_digest as digest_of_export

    digest = export_digest or digest_of_export(paths.turtle_export, paths.cache)
    key = hashlib.sha256(digest.encode())
    key.update(networkx.__version__.encode())
    for name in _NETWORK_CODE:
        key.update(name.read_bytes())
    return key.hexdigest()[:24]


def network_cache_file(paths: DataPaths, evidence: bool, key: str | None = None) -> Path:
    """Where the network read from this export is kept (plain JSON, never a pickle)."""
    key = key or network_cache_key(paths)
    return paths.cache / f"network-{key}-{'evidence' if evidence else 'links'}.json"


#: What the kept network file says it is; a file that says anything else is not read.
_NETWORK_FORMAT = "kg-network/2"
_EVIDENCE_FIELDS = tuple(EvidenceItem.__dataclass_fields__)
#: A relation's attributes, the same on each of its edges: kept once per relation, not once per edge.
_RELATION_FIELDS = ("relation", "relation_iri", "label_en", "label_kk", "label_ru")
#: An edge's own attributes, in the order ``fact_attributes`` gives them (after the relation's).
_EDGE_FIELDS = ("start", "end", "year", "sources", "statements", "spells")


def network_to_json(network, key: str, evidence: bool) -> dict:
    """The network as plain data, in columns (``network_from_json`` reads it back, checking every value).

    Nodes are numbered and each relation's labels kept once: at a million
    triples this reads back several times faster than one object per edge.
    """
    node_fields: list[str] = []
    for _, attributes in network.nodes(data=True):
        node_fields = list(attributes)
        break
    numbers = {node: number for number, node in enumerate(network)}
    relations: dict[tuple, int] = {}
    edges = []
    for u, v, k, attributes in network.edges(keys=True, data=True):
        relation = (k, *(attributes[name] for name in _RELATION_FIELDS))
        edge = [numbers[u], numbers[v], relations.setdefault(relation, len(relations)),
                *(attributes[name] for name in _EDGE_FIELDS[:-1]),
                [list(spell) for spell in attributes["spells"]]]
        if evidence:
            edge.append([[getattr(item, name) for name in _EVIDENCE_FIELDS] for item in attributes["evidence"]])
        edges.append(edge)
    return {
        "format": _NETWORK_FORMAT,
        "key": key,
        "evidence": evidence,
        "node_fields": node_fields,
        "nodes": [[node, *(attributes[name] for name in node_fields)] for node, attributes in network.nodes(data=True)],
        "relations": [list(relation) for relation in relations],
        "edges": edges,
    }


class _DoesNotFit(ValueError):
    """A kept network that is not what this code writes: read the store instead."""


def _require(condition: bool) -> None:
    if not condition:
        raise _DoesNotFit


def _texts(values) -> bool:
    return all(isinstance(value, str) for value in values)


def network_from_json(data, key: str, evidence: bool):
    """The network ``network_to_json`` wrote for ``key``; raises ValueError when ``data`` does not fit."""
    import networkx as nx

    _require(isinstance(data, dict) and data.get("format") == _NETWORK_FORMAT)
    _require(data.get("key") == key and data.get("evidence") is evidence)
    fields, nodes, relations, edges = (data.get(name) for name in ("node_fields", "nodes", "relations", "edges"))
    _require(all(isinstance(part, list) for part in (fields, nodes, relations, edges)) and _texts(fields))
    # Checked a column at a time (the types of all its values as one set): one object per value
    # checked in Python took longer than building the network.
    _require({type(entry) for entry in nodes} <= {list} and {len(entry) for entry in nodes} <= {len(fields) + 1})
    _require({type(value) for entry in nodes for value in entry} <= {str})
    _require({type(entry) for entry in relations} <= {list}
             and {len(entry) for entry in relations} <= {len(_RELATION_FIELDS) + 1}
             and {type(value) for entry in relations for value in entry} <= {str})
    names = [entry[0] for entry in nodes]
    _require(len(set(names)) == len(names))
    size = 3 + len(_EDGE_FIELDS) + (1 if evidence else 0)
    _require({type(entry) for entry in edges} <= {list} and {len(entry) for entry in edges} <= {size})
    if edges:
        columns = list(zip(*edges))
        for column, count in ((columns[0], len(names)), (columns[1], len(names)), (columns[2], len(relations))):
            _require(set(map(type, column)) == {int} and min(column) >= 0 and max(column) < count)
        _require(set(map(type, columns[3] + columns[4] + columns[6] + columns[7])) == {str})
        _require(set(map(type, columns[5])) <= {int, type(None)})
        _require(set(map(type, columns[8])) == {list})
        spells = [spell for value in columns[8] for spell in value]
        _require({type(spell) for spell in spells} <= {list} and {len(spell) for spell in spells} <= {2}
                 and {type(part) for spell in spells for part in spell} <= {str, type(None)})
        if evidence:
            _require(set(map(type, columns[9])) == {list})
            items = [item for value in columns[9] for item in value]
            _require({type(item) for item in items} <= {list} and {len(item) for item in items} <= {len(_EVIDENCE_FIELDS)}
                     and {type(field) for item in items for field in item} <= {str})
    network = nx.MultiDiGraph()
    network.add_nodes_from((entry[0], dict(zip(fields, entry[1:]))) for entry in nodes)
    shared = [dict(zip(_RELATION_FIELDS, entry[1:])) for entry in relations]
    keys = [entry[0] for entry in relations]

    def attributes(e) -> dict:
        values = {**shared[e[2]], "start": e[3], "end": e[4], "year": e[5], "sources": e[6], "statements": e[7],
                  "spells": [tuple(spell) for spell in e[8]]}
        if evidence:
            values["evidence"] = [EvidenceItem(*item) for item in e[9]]
        return values

    network.add_edges_from((names[e[0]], names[e[1]], keys[e[2]], attributes(e)) for e in edges)
    return network


def cached_network(paths: DataPaths, store, evidence: bool = True):
    """``network_from_store`` of the export, loaded from ``.kg-cache/`` where ``kg build`` kept it.

    The cache is plain JSON, checked value by value: a file that is missing,
    unreadable, planted, of another key or of the wrong shape is ignored and
    the network read from the store again (a read command never writes it).
    """
    from kg.core.cache import read_cache_json

    key = network_cache_key(paths)
    with _collector_paused():
        try:
            return network_from_json(read_cache_json(network_cache_file(paths, evidence, key)), key, evidence)
        except ValueError:
            pass
    return network_from_store(store, evidence)


def keep_networks(paths: DataPaths, network, export_digest: str) -> None:
    """``kg build``'s step: keep ``network`` (``network_from_store`` with evidence, of the
    export whose bytes have ``export_digest``) in ``.kg-cache/``, with and without evidence.

    The file without evidence is the same network with the evidence lists
    left out, which is all that ``evidence=False`` changes: the network is
    read once.
    """
    key = network_cache_key(paths, export_digest)
    for evidence in (True, False):
        _keep(network_cache_file(paths, evidence, key), network_to_json(network, key, evidence))


def _keep(target: Path, data: dict) -> None:
    from kg.core.cache import write_cache_json

    if not write_cache_json(target, data):
        return  # a read-only cache only costs the reading next time
    kind = target.name.rsplit("-", 1)[1]
    for pattern in (f"network-*-{kind}", f"network-*-{kind.replace('.json', '.pickle')}"):
        for old in target.parent.glob(pattern):
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()


# ---------------------------------------------------------------------------
# Names and classes without rdflib


def entity_names(nodes) -> dict[str, list[str]]:
    """Entity IRI -> the labels, alt labels and surface forms its node holds (what
    ``resolve_name`` matches), from node attribute dicts (``network.nodes.values()``)."""
    names = {}
    for attributes in nodes:
        labels = [attributes.get(f"label_{lang}", "") for lang in LANGUAGES]
        others = [attributes.get(key, "") for key in ("alt_labels", "surface_forms")]
        names[attributes["iri"]] = [n for n in labels if n] + [n for text in others if text for n in text.split(" | ")]
    return names


#: What may stand between < and > in a SPARQL IRI.
_IRI_TEXT = re.compile(r'[^\x00-\x20<>"{}|^`\\]+')


def resolve_in_store(store, name: str) -> str:
    """``resolve_in_network`` over the store, reading every entity's names only when needed.

    An IRI, prefixed name or local name is looked up directly, in the order
    ``kg.facts.entities.resolve_name`` tries them; any other name (a label) needs
    every name to match against.
    """
    text = unicodedata.normalize("NFC", name.strip())  # as resolve_name compares names
    direct = []
    if not text.startswith(("http://", "https://")) and ":" in text:
        prefix, rest = text.split(":", 1)
        if prefix in PREFIXES:
            direct.append(PREFIXES[prefix] + rest)
    direct.append(text if text.startswith(("http://", "https://")) else KZ_IRI + text)
    direct = [iri for iri in direct if _IRI_TEXT.fullmatch(iri)]
    found = _entity_types(store, set(direct)) if direct else {}
    for iri in direct:
        if iri in found:
            return iri
    if text.startswith(("http://", "https://")):
        raise EntityNotFound(text)  # an IRI is never taken for a label
    return resolve_name(entity_names(entity_nodes(store).values()), name)


def resolve_in_network(network, name: str) -> str:
    """The IRI of the entity ``name`` refers to, as ``kg.facts.entities.resolve`` finds it, from node attributes.

    ``name`` is an IRI, a prefixed name, a local name, or any label or alt
    label; raises EntityNotFound with suggestions, like ``resolve``. The
    nodes hold the en, kk and ru labels (the contract's languages) and
    every alt label. An IRI or a prefixed or local name is looked up without
    gathering every entity's names (0.3 s at a million triples).
    """
    found = direct_match({attributes["iri"] for attributes in network.nodes.values()}, name)
    return found or resolve_name(entity_names(network.nodes.values()), name)


class StoreClasses:
    """The kzo: classes and their members, read from the store (``kg.network.analysis.EntityClasses``)."""

    def __init__(self, store):
        self.store = store

    def classes(self) -> list[str]:
        rows = _select(self.store, "SELECT DISTINCT ?class WHERE { ?class a owl:Class . FILTER(isIRI(?class)) }")
        return sorted(row[0].value for row in rows if row[0].value.startswith(KZO_IRI))

    def members(self, cls: str) -> set[str]:
        # The export is materialized, so a Declaration is typed a Treaty too.
        return {row[0].value for row in _select(self.store, f"SELECT ?e WHERE {{ ?e a <{cls}> . FILTER(isIRI(?e)) }}")}


# ---------------------------------------------------------------------------
# What the commands read: the network, and how to name entities and classes


@dataclass
class NetworkData:
    """The network view, with the lookups the commands need beside it."""

    network: object
    classes: object  # kg.network.analysis.EntityClasses
    resolve: Callable[[str], str]  # a name as users type it -> the entity's IRI
    from_store: bool = False
    stale: bool = False  # read from an export older than the seeds
    store: object = None  # the query store it was read from

    def with_evidence(self, pairs: set[tuple[str, str]]):
        """The facts between the two entities (IRIs) of each of ``pairs``, with their evidence:
        what ``kg path`` prints for the hops of its chains, without reading every quote."""
        if self.store is None:  # a network given whole, with its evidence (the tests' rdflib second opinion)
            return self.network
        return network_from_store(self.store, evidence=True, entities={iri for pair in pairs for iri in pair},
                                  pairs=pairs)


def load_network(paths: DataPaths, evidence: bool = True) -> NetworkData:
    """The network of the last build, with its lookups, read from the query store."""
    store = open_export_store(paths)
    network = cached_network(paths, store, evidence)
    return NetworkData(network, StoreClasses(store), lambda name: resolve_in_network(network, name),
                       from_store=True, stale=export_is_stale(paths), store=store)


# ---------------------------------------------------------------------------
# The HTML view from the store


def focus_ball(store, focus: str, depth: int) -> set[str]:
    """The entities (IRIs) at most ``depth`` facts away from ``focus``, in either direction.

    Any path of at most ``depth`` steps from the focus stays inside this
    ball, so the part of the network induced on it gives the same focused
    view (``kg.render.html.select_view``) as the whole network, whatever relations
    and years the view then keeps.
    """
    ball = {focus}
    frontier = {focus}
    for _ in range(depth):
        if not frontier:
            break
        rows = _select(store, f"""
            SELECT DISTINCT ?next WHERE {{
              VALUES ?here {{ {_values(frontier)} }}
              {{ ?statement rdf:subject ?here ; rdf:object ?next }} UNION {{ ?statement rdf:object ?here ; rdf:subject ?next }}
              ?statement a rdf:Statement . FILTER(isIRI(?next))
            }}""")
        reached = {row[0].value for row in rows} - ball
        frontier = set(_entity_types(store, reached)) if reached else set()
        ball |= frontier
    return ball
