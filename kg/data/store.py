"""The graph in Oxigraph: the one engine that loads, materializes, checks and answers.

rdflib holds about 1.5 kB per triple and parses some 30 thousand triples a
second, so a million-triple graph would cost gigabytes and minutes before any
check runs. Every size runs through Oxigraph (Rust), and Python only drives it:

* **load**: each Turtle file is parsed strictly into its own named graph,
  ``urn:kg:file:<path relative to the data directory>``, and the ontology
  into ``urn:kg:ontology``, so a check can say which file states a triple;
* **materialize**: the closures of ``kg/materialize.py`` (superclass types,
  superproperties, both directions of symmetric properties) as SPARQL
  CONSTRUCT queries, whose results go into ``urn:kg:inferred``;
* the union of the graphs is the exported graph (``tests/data/test_store.py``
  compares it with rdflib's reading of the same files, as a second opinion).

Blank nodes (the ontology's ``owl:unionOf`` lists) get names from their
order in the file, ``_:o1b0``, so the same input always gives the same store
and the same exported bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.core.errors import DataError
from kg.data.load import check_seed_tree, new_graph, read_text, refuse_triple_terms, to_rdflib
from kg.core.paths import DataPaths
from kg.core.prefixes import KZO_IRI, PREFIXES

ONTOLOGY_GRAPH = "urn:kg:ontology"
SEEDS_GRAPH = "urn:kg:seeds"
INFERRED_GRAPH = "urn:kg:inferred"
DESCRIPTION_GRAPH = "urn:kg:description"  # kg.data.describe
FILE_GRAPH_PREFIX = "urn:kg:file:"

_LINE = re.compile(r"line (\d+)", re.IGNORECASE)

# One closure step each; run until nothing new appears (a symmetric
# superproperty of a curated property needs both). Each gives only triples no
# graph holds yet; they are added to urn:kg:inferred.
_SUPERCLASSES = """
CONSTRUCT { ?s a ?super }
WHERE {
  ?s a ?class . ?class rdfs:subClassOf+ ?super .
  FILTER(isIRI(?super) && isIRI(?class))
  FILTER NOT EXISTS { ?s a ?super }
}"""
_SUPERPROPERTIES = f"""
CONSTRUCT {{ ?s ?super ?o }}
WHERE {{
  ?p rdfs:subPropertyOf+ ?super . FILTER(isIRI(?p) && isIRI(?super) && STRSTARTS(STR(?p), "{KZO_IRI}"))
  ?s ?p ?o .
  FILTER NOT EXISTS {{ ?s ?super ?o }}
}}"""
_SYMMETRY = f"""
CONSTRUCT {{ ?o ?p ?s }}
WHERE {{
  ?p a owl:SymmetricProperty . FILTER(STRSTARTS(STR(?p), "{KZO_IRI}"))
  ?s ?p ?o . FILTER(isIRI(?o))
  FILTER NOT EXISTS {{ ?o ?p ?s }}
}}"""


def file_graph(relative: Path | str) -> str:
    return FILE_GRAPH_PREFIX + str(relative)


def query(store, text: str, **options):
    """Run a read query, with the project's prefixes, over the union of every graph (the exported graph)."""
    return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True, **options)


def load_store(paths: DataPaths, store=None, per_file_graphs: bool = True):
    """A pyoxigraph Store with ontology.ttl and every seed file.

    With ``per_file_graphs`` each seed file gets its own named graph (so a
    check can name the file of a triple); without, the seeds all go into one
    graph, ``urn:kg:seeds``, where a triple stated in two files is stored once
    and which can be written out as it is (``kg build`` on large data).
    """
    import pyoxigraph

    if not paths.ontology.exists():
        raise DataError("ontology not found (is this a kazakhstan-kg data directory?)", paths.ontology)
    if not paths.seeds.is_dir():
        raise DataError("seeds directory not found", paths.seeds)
    check_seed_tree(paths)
    store = store if store is not None else pyoxigraph.Store()
    files = [(paths.ontology, ONTOLOGY_GRAPH)]
    for path in paths.seed_files():
        relative = path.relative_to(paths.root) if paths.root in path.parents else path
        files.append((path, file_graph(relative) if per_file_graphs else SEEDS_GRAPH))

    def target(graph):
        return pyoxigraph.NamedNode(graph)

    for path, graph in files:
        # A clear error for what is not a UTF-8 file (a directory, a FIFO, bad bytes
        # even in a comment, which Oxigraph's parser skips without decoding).
        refuse_triple_terms(read_text(path), path)
        try:
            # Oxigraph reads the file itself: no 2-byte-per-character Python copy of the Kazakh text.
            store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, to_graph=target(graph))
        except (SyntaxError, ValueError, OSError):
            # Say what is wrong the way the rdflib loader does (bad UTF-8 with its offset, syntax with its line).
            _parse_into(store, pyoxigraph, read_text(path), path, target(graph), rename_from=None)
    for graph in dict.fromkeys(graph for _, graph in files):
        # Parsing names blank nodes at random; reload the graphs that have any,
        # naming them by file and order of appearance so exports stay stable.
        if _has_blank_nodes(store, target(graph)):
            store.clear_graph(target(graph))
            for number, (path, same) in enumerate(files):
                if same == graph:
                    _parse_into(store, pyoxigraph, read_text(path), path, target(graph), rename_from=f"f{number}")
    return store


def _parse_into(store, pyoxigraph, text: str, path: Path, graph, rename_from: str | None) -> None:
    try:
        if rename_from is None:
            store.load(text, format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph)
            return
        names: dict[str, object] = {}

        def stable(term):
            if isinstance(term, pyoxigraph.BlankNode):
                if term.value not in names:
                    names[term.value] = pyoxigraph.BlankNode(f"{rename_from}b{len(names)}")
                return names[term.value]
            return term

        store.extend(
            pyoxigraph.Quad(stable(t.subject), t.predicate, stable(t.object), graph)
            for t in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE)
        )
    except SyntaxError as error:
        message = str(error).splitlines()[0] if str(error) else "Turtle syntax error"
        match = _LINE.search(message)
        raise DataError(f"Turtle syntax error: {message}", path, int(match.group(1)) if match else None) from None


def _has_blank_nodes(store, graph) -> bool:
    pattern = "{ ?s ?p ?o FILTER(isBlank(?s)) } UNION { ?s ?p ?o FILTER(isBlank(?o)) }"
    return bool(store.query(f"ASK {{ GRAPH <{graph.value}> {{ {pattern} }} }}"))


def materialized_store(paths: DataPaths, per_file_graphs: bool = False):
    """``load_store``, ``materialize_store``, then the dataset's description: the exported graph, in Oxigraph."""
    from kg.data.describe import describe_store

    store = load_store(paths, per_file_graphs=per_file_graphs)
    materialize_store(store)
    describe_store(store)
    return store


def materialize_store(store) -> int:
    """Add the closures into ``urn:kg:inferred``; return how many triples were added."""
    import pyoxigraph

    inferred = pyoxigraph.NamedNode(INFERRED_GRAPH)

    def count() -> int:
        return sum(1 for _ in store.quads_for_pattern(None, None, None, inferred))

    def infer(closure: str) -> int:
        new = [pyoxigraph.Quad(t.subject, t.predicate, t.object, inferred) for t in query(store, closure)]
        store.extend(new)
        return len(new)

    infer(_SUPERCLASSES)
    while infer(_SUPERPROPERTIES) + infer(_SYMMETRY):
        pass
    return count()


def exported_triples(store):
    """Every triple of the exported graph (the union of all graphs, without repeats)."""
    import pyoxigraph

    seen = set()
    for quad in store:
        triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
        if triple not in seen:
            seen.add(triple)
            yield triple


def curated_count(store) -> int:
    """Triples in the seeds (loaded without per-file graphs), without ontology or inferred triples."""
    found = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SEEDS_GRAPH}> {{ ?s ?p ?o }} }}")
    return int(next(iter(found))["n"].value)


def turtle_bytes(store) -> bytes:
    """The exported graph as Turtle: the ontology, the curated data, then the inferred triples.

    Oxigraph writes each graph in its index order, which depends only on the
    triples (and the pinned Oxigraph version), so the same data gives the same
    bytes. Expects the seeds in one graph (``per_file_graphs=False``). The
    graphs hold no triple in common but for a seed file restating the
    ontology, which no real seed does: an inferred triple is only added when
    no graph holds it yet.
    """
    import pyoxigraph

    parts = []
    for graph in (pyoxigraph.NamedNode(g) for g in (ONTOLOGY_GRAPH, SEEDS_GRAPH, INFERRED_GRAPH, DESCRIPTION_GRAPH)):
        text = store.dump(format=pyoxigraph.RdfFormat.TURTLE, from_graph=graph, prefixes=PREFIXES)
        if parts:  # one @prefix header for the whole file
            text = b"".join(line for line in text.splitlines(keepends=True) if not line.startswith(b"@prefix "))
        parts.append(text)
    return b"".join(parts)


def rdflib_graph(triples):
    """An rdflib Graph, with the project's prefixes bound, of pyoxigraph triples (or quads).

    rdflib is where the Python API hands the graph to people (and where the
    renderers that walk a small part of it read it); the engine stays Oxigraph.
    """
    graph = new_graph()
    graph.addN(
        (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), graph) for t in triples
    )
    return graph


def construct_graph(store, construct: str):
    """The answer of a CONSTRUCT query over the exported graph, as an rdflib Graph."""
    return rdflib_graph(query(store, construct))


def graph_of(store, graph_iri: str | None = None):
    """One named graph of ``store`` (or the whole exported graph) as an rdflib Graph."""
    import pyoxigraph

    if graph_iri is None:
        return rdflib_graph(exported_triples(store))
    return rdflib_graph(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph_iri)))


def exported_count(store) -> int:
    """How many triples the exported graph holds: the union of the store's graphs, each triple once.

    Counted as the quads less the copies, without a set of every distinct
    triple (which took 1.7 s and 230 MB at a million triples): the graphs
    are taken largest first, and only the triples of the others are looked
    up in the graphs before them. In a build's store those others are small
    (the ontology, the inferred triples, the description); a store of many
    graphs of similar size (one per seed file) is counted with a set.
    """
    import pyoxigraph

    graphs = [*store.named_graphs(), pyoxigraph.DefaultGraph()]
    sizes = {graph: _graph_size(store, graph) for graph in graphs}
    ordered = sorted((g for g in graphs if sizes[g]), key=lambda g: (-sizes[g], str(g)))
    if ordered and 2 * sizes[ordered[0]] < sum(sizes.values()):  # one graph per file: no large graph to skip
        return _count(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                             "{ GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } }")
    copies = 0
    for number, graph in enumerate(ordered[1:], start=1):
        before = " UNION ".join(f"{{ {_graph_pattern(g)} }}" for g in ordered[:number])
        copies += _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {_graph_pattern(graph)} FILTER EXISTS {{ {before} }} }}")
    return sum(sizes.values()) - copies


def _graph_pattern(graph) -> str:
    import pyoxigraph

    if isinstance(graph, pyoxigraph.DefaultGraph):
        return "?s ?p ?o"
    return f"GRAPH <{graph.value}> {{ ?s ?p ?o }}"


def _graph_size(store, graph) -> int:
    return _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {_graph_pattern(graph)} }}")


def _count(store, text: str) -> int:
    # the store's own default graph, not the union: each graph is named where it is meant
    return int(next(iter(store.query(text)))["n"].value)
