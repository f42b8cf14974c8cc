"""The network view read from the Oxigraph query store, for data too large for rdflib.

``kg.network.build_network`` needs the whole graph in rdflib: at a million
triples that is minutes and gigabytes before the first answer. Here the same
network (same nodes, attributes, edges, keys and evidence) is read from the
store ``kg query`` answers from (``kg.store.open_store`` over
``exports/kazakhstan.ttl``) with a few SPARQL SELECT queries, one per
property, and assembled in Python with the pure helpers of ``kg.network``.
No rdflib is imported on this path, except by ``html_from_store``: kg.html
reads labels, alt labels and source titles from an rdflib Graph, so it gets
a small one holding only the vocabulary and the entities of the view.

The analysis commands, ``kg export graphml|gexf`` and ``kg export html``
choose between the two with ``is_large``: the rdflib path answers from the
seeds as they are now, this one from the last build.

Reading a million-triple export this way still takes some 10 seconds (most
of it Oxigraph turning stored ids back into IRIs and strings), so the
commands keep the network they read in ``.kg-cache/`` beside the store
(``cached_network``), keyed like the store by the export's digest: the next
command loads it in about a second.

One known difference: Oxigraph keeps numbers in canonical form, so a
``kzo:sharePercent`` written ``"22.50"^^xsd:decimal`` reads ``share 22.5 %``
in an edge's evidence note here (the curated data writes none such).
"""

from __future__ import annotations

import contextlib
import gc
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .entities import (DATE_PROPERTY_IRIS, ENTITY_CLASS_IRIS, LANGUAGES, choose_label, local_name, resolve_name,
                       source_description)
from .errors import EntityNotFound
from .network import EvidenceItem, evidence_note, fact_attributes, most_specific_class_iri
from .oxgraph import is_large  # noqa: F401  (the one size threshold, re-exported for the commands)
from .paths import DataPaths
from .prefixes import KZ_IRI, KZO_IRI, PREFIXES

STALE_WARNING = "exports/ is older than seeds/: answering from the last build; run kg build"

_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_PROV = PREFIXES["prov"]
_DCTERMS = PREFIXES["dcterms"]


def export_is_stale(paths: DataPaths) -> bool:
    """True when ontology.ttl or any file under seeds/ is newer than the built export."""
    try:
        built = paths.turtle_export.stat().st_mtime_ns
    except OSError:
        return False  # no export: open_store says "run kg build first"
    sources = [paths.ontology, *(p for p in paths.seeds.rglob("*") if p.is_file())]
    for path in sources:
        try:
            if path.stat().st_mtime_ns > built:
                return True
        except OSError:
            pass
    return False


def open_export_store(paths: DataPaths):
    """The query store of ``exports/kazakhstan.ttl`` (KGError "run kg build first" without one)."""
    from .store import open_store

    return open_store(paths.turtle_export, paths.cache)


# ---------------------------------------------------------------------------
# Reading the store


def _select(store, query: str):
    return store.query(query, prefixes=PREFIXES)


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
    iso: dict[str, list[str]] = {}
    for entity, term in _pairs(store, KZO_IRI + "iso3166Alpha3", wanted if entities is not None else None):
        if entity in wanted:
            iso.setdefault(entity, []).append(term.value)

    nodes: dict[str, dict] = {}
    for entity in sorted(types):
        attributes = {
            "iri": entity,
            "class": local_name(most_specific_class_iri(types[entity])),
            "alt_labels": " | ".join(sorted(alt_labels.get(entity, ()))),
            "iso3166": min(iso.get(entity, [""])),
        }
        own = labels.get(entity, {})
        for lang in LANGUAGES:
            attributes[f"label_{lang}"] = min(own.get(lang, [""]))
        nodes[local_name(entity)] = attributes
    return nodes


#: ``FILTER(?o IN (...))`` compares with each listed IRI in turn: past this many, checking in Python is faster.
_LISTED_OBJECTS_LIMIT = 300


def _statements(store, among: set[str] | None = None) -> dict[str, tuple[str, str, str]]:
    """Statement IRI -> (subject, predicate, object) for every statement about two IRIs
    (both of them in ``among``, when given)."""
    if among is None:
        restriction = ""
    elif len(among) > _LISTED_OBJECTS_LIMIT:
        restriction = f"VALUES ?s {{ {_values(among)} }}\n"  # the caller drops the other objects
    else:
        # The object is checked before the rest of the statement is read: a hub
        # in ``among`` is the subject of thousands of statements about others.
        listed = ", ".join(f"<{iri}>" for iri in sorted(among))
        restriction = f"VALUES ?s {{ {_values(among)} }} ?statement rdf:subject ?s ; rdf:object ?o . FILTER(?o IN ({listed}))\n"
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


def network_from_store(store, evidence: bool = True, entities: set[str] | None = None):
    """The network ``kg.network.build_network`` gives, read from a pyoxigraph Store of the export.

    ``evidence=False`` leaves out each edge's ``evidence`` list (quotes and
    notes, the bulk of the data) and skips the queries that read it; every
    other attribute is the same. ``entities`` (IRIs) keeps only those
    entities and the facts between them: the induced part of the network.
    """
    with _collector_paused():
        return _network_from_store(store, evidence, entities)


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


def _network_from_store(store, evidence: bool, entities: set[str] | None):
    import networkx as nx

    network = nx.MultiDiGraph()
    nodes = entity_nodes(store, entities)
    network.add_nodes_from(nodes.items())

    restrict = entities is not None
    statements = {
        statement: fact
        for statement, fact in _statements(store, {a["iri"] for a in nodes.values()} if restrict else None).items()
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
_NETWORK_CODE = ("network.py", "storenet.py", "entities.py")


def network_cache_file(paths: DataPaths, evidence: bool) -> Path:
    """Where the network read from this export is kept: keyed by the export's digest and the code."""
    import hashlib

    import networkx

    from .store import export_digest

    key = hashlib.sha256(export_digest(paths.turtle_export, paths.cache).encode())
    key.update(networkx.__version__.encode())
    for name in _NETWORK_CODE:
        key.update((Path(__file__).parent / name).read_bytes())
    return paths.cache / f"network-{key.hexdigest()[:24]}-{'evidence' if evidence else 'links'}.pickle"


def cached_network(paths: DataPaths, store, evidence: bool = True):
    """``network_from_store`` of the export, loaded from ``.kg-cache/`` when an earlier command kept it.

    The cache is only ever written here, by this code, from this export; a
    file that cannot be read (a kill mid-write leaves none: writes are
    atomic) is read from the store again.
    """
    import pickle

    target = network_cache_file(paths, evidence)
    try:
        with open(target, "rb") as stream, _collector_paused():
            return pickle.load(stream)
    except Exception:  # noqa: BLE001 - missing or unreadable: the cache is only a copy, read the store again
        pass
    network = network_from_store(store, evidence)
    _keep(target, network)
    return network


def _keep(target: Path, network) -> None:
    import pickle

    from .atomic import write_atomic
    from .errors import OutputError

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, pickle.dumps(network, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, OutputError):
        return  # a read-only cache only costs the reading next time
    kind = target.name.rsplit("-", 1)[1]
    for old in target.parent.glob(f"network-*-{kind}"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()


# ---------------------------------------------------------------------------
# Names and classes without rdflib


def entity_names(nodes) -> dict[str, list[str]]:
    """Entity IRI -> the labels and alt labels its node holds (what ``resolve_name`` matches),
    from node attribute dicts (``network.nodes.values()``)."""
    names = {}
    for attributes in nodes:
        labels = [attributes.get(f"label_{lang}", "") for lang in LANGUAGES]
        alt = attributes.get("alt_labels", "")
        names[attributes["iri"]] = [n for n in labels if n] + (alt.split(" | ") if alt else [])
    return names


#: What may stand between < and > in a SPARQL IRI.
_IRI_TEXT = re.compile(r'[^\x00-\x20<>"{}|^`\\]+')


def resolve_in_store(store, name: str) -> str:
    """``resolve_in_network`` over the store, reading every entity's names only when needed.

    An IRI, prefixed name or local name is looked up directly, in the order
    ``kg.entities.resolve_name`` tries them; any other name (a label) needs
    every name to match against.
    """
    text = name.strip()
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
    """The IRI of the entity ``name`` refers to, as ``kg.entities.resolve`` finds it, from node attributes.

    ``name`` is an IRI, a prefixed name, a local name, or any label or alt
    label; raises EntityNotFound with suggestions, like ``resolve``. The
    nodes hold the en, kk and ru labels (the contract's languages) and
    every alt label.
    """
    return resolve_name(entity_names(network.nodes.values()), name)


class StoreClasses:
    """The kzo: classes and their members, read from the store (``kg.analysis.EntityClasses``)."""

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
    classes: object  # kg.analysis.EntityClasses
    resolve: Callable[[str], str]  # a name as users type it -> the entity's IRI
    from_store: bool = False
    stale: bool = False  # read from an export older than the seeds


def load_network(paths: DataPaths, evidence: bool = True) -> NetworkData:
    """The network of ``paths``: from rdflib over the seeds, or from the query store when ``is_large``."""
    if is_large(paths):
        store = open_export_store(paths)
        network = cached_network(paths, store, evidence)
        return NetworkData(network, StoreClasses(store), lambda name: resolve_in_network(network, name),
                           from_store=True, stale=export_is_stale(paths))
    from .analysis import GraphClasses
    from .entities import resolve
    from .graph import load_graph
    from .network import build_network

    graph = load_graph(paths).full
    return NetworkData(build_network(graph), GraphClasses(graph), lambda name: str(resolve(graph, name)))


# ---------------------------------------------------------------------------
# The HTML view from the store


def focus_ball(store, focus: str, depth: int) -> set[str]:
    """The entities (IRIs) at most ``depth`` facts away from ``focus``, in either direction.

    Any path of at most ``depth`` steps from the focus stays inside this
    ball, so the part of the network induced on it gives the same focused
    view (``kg.html.select_view``) as the whole network, whatever relations
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


def _rdflib_triples(store, construct: str):
    from .load import _to_rdflib

    for triple in store.query(construct, prefixes=PREFIXES):
        yield _to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object)


def _ontology_context(store):
    """A small rdflib Graph of the vocabulary: what kg.html reads of classes and properties."""
    from .load import new_graph

    graph = new_graph()
    # The terms first, in a subquery: joined the other way round, every label
    # and type of the data would be read.
    for triple in _rdflib_triples(store, """
        CONSTRUCT { ?term ?p ?value } WHERE {
          { SELECT DISTINCT ?term WHERE {
              VALUES ?kind { owl:Class owl:ObjectProperty owl:SymmetricProperty owl:DatatypeProperty }
              ?term a ?kind . FILTER(isIRI(?term))
          } }
          ?term ?p ?value . FILTER(?p IN (rdf:type, rdfs:label, rdfs:subPropertyOf))
        }"""):
        graph.add(triple)
    return graph


def _add_view_context(store, graph, view) -> None:
    """Add to ``graph`` what kg.html reads about the view's entities and evidence."""
    entities = {attributes["iri"] for attributes in view.nodes.values()}
    statements = {KZ_IRI + item.statement for *_, data in view.edges(data=True) for item in data.get("evidence", [])}
    if entities:
        for triple in _rdflib_triples(store, f"""
            CONSTRUCT {{ ?e ?p ?value }} WHERE {{
              VALUES ?e {{ {_values(entities)} }} VALUES ?p {{ rdf:type rdfs:label skos:altLabel }}
              ?e ?p ?value .
            }}"""):
            graph.add(triple)
    if statements:
        for triple in _rdflib_triples(store, f"""
            CONSTRUCT {{ ?statement prov:wasDerivedFrom ?source . ?source ?p ?value }} WHERE {{
              VALUES ?statement {{ {_values(statements)} }}
              ?statement prov:wasDerivedFrom ?source .
              OPTIONAL {{ VALUES ?p {{ dcterms:title kzo:fileName dcterms:bibliographicCitation rdfs:seeAlso }} ?source ?p ?value }}
            }}"""):
            graph.add(triple)


#: A focused view's entities are read with their IRIs listed in the queries up to
#: this many; a larger neighbourhood (only a --relation or --since/--until view
#: can be shown from one) is cut from the whole network instead.
BALL_READ_LIMIT = 5000


def html_from_store(store, spec, whole_network: Callable[[], object] | None = None) -> str:
    """``kg.html.export_html`` over the store: the focused part of the network is read first,
    so the layout, the evidence and the labels cover only the entities shown.

    ``whole_network`` gives the network with evidence when a view needs all
    of it (the CLI passes ``cached_network``); by default it is read from the store.
    """
    from .html import check_size, render_view, select_view

    read_whole = whole_network or (lambda: network_from_store(store, evidence=True))
    filtered = bool(spec.relations) or spec.since is not None or spec.until is not None
    focus = None
    if spec.focus:
        focus = resolve_in_store(store, spec.focus)
        ball = focus_ball(store, focus, spec.depth)
        if not filtered:
            check_size(len(ball))  # the view is the whole neighbourhood: refuse before reading it
        network = network_from_store(store, evidence=True, entities=ball) if len(ball) <= BALL_READ_LIMIT else read_whole()
    else:
        if not filtered:
            check_size(len(_entity_types(store)))  # the whole network: refuse before reading its evidence
        network = read_whole()
    graph = _ontology_context(store)
    if focus is not None:
        _add_view_context(store, graph, network.subgraph([local_name(focus)]))
    view, focus_term = select_view(graph, network, replace(spec, focus=focus))
    check_size(view.number_of_nodes())
    _add_view_context(store, graph, view)
    return render_view(graph, view, spec, focus_term)

