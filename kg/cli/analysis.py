"""Exports for other tools (``kg export FORMAT``) and network analysis
(``kg neighbors``, ``kg path``, ``kg rank``, ``kg communities``, ``kg timeline``)."""

from __future__ import annotations

import click

from ..analysis import BETWEENNESS_EXACT_LIMIT, BETWEENNESS_SAMPLE  # plain constants: no heavy import
from .app import main
from .common import emit, format_option, get_paths, lang_option, resolve_format
from .core import export

_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write to this file (atomically) instead of stdout."
)

#: Export subcommands: name -> (summary, details, example).
_EXPORTS = {
    "turtle": ("Turtle, as kg build writes it.",
               "The ontology, the curated data with its statement and source nodes, and the materialized triples.",
               "kg export turtle -o kazakhstan.ttl"),
    "nt": ("N-Triples, one triple a line, sorted.",
           "Blank nodes get canonical names, so the same data always gives the same file.",
           "kg export nt | grep memberOf"),
    "jsonld": ("JSON-LD with a prefix @context.",
               "The @context maps kzo, kz, rdf, rdfs, owl, skos, prov, dcterms and xsd, so IRIs read kz:Russia.",
               "kg export jsonld -o kazakhstan.jsonld"),
    "rdfxml": ("RDF/XML, for ontology editors.",
               "Opens in Protégé and any RDF/XML reader.",
               "kg export rdfxml -o kazakhstan.rdf"),
    "graphml": ("GraphML network, for Cytoscape and yEd.",
                "Entities are nodes; each fact is an edge carrying its relation, dates, sources and quotes.",
                "kg export graphml -o kazakhstan.graphml"),
    "gexf": ("GEXF 1.3 network with dates, for Gephi.",
             "A dynamic graph: each fact is an edge alive from its date on (or between its start and end "
             "dates), so Gephi's timeline plays the relations over the years.",
             "kg export gexf -o kazakhstan.gexf"),
    "csv": ("CSV, one row per fact and source.",
            "Columns: statement, subject, predicate, object with labels in --lang, dates and other "
            "qualifiers, source, quote and quote_english.",
            "kg export csv --lang kk -o facts.csv"),
}


def _write(data: bytes, output: str | None) -> None:
    if output and output != "-":
        from ..atomic import write_atomic

        write_atomic(output, data)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(data, nl=False)  # bytes go to the binary stdout unchanged


def _large_turtle(paths) -> bytes:
    """Large data: load and materialize in Oxigraph, as ``kg build`` does, with no rdflib."""
    from ..oxgraph import materialized_store, turtle_bytes

    return turtle_bytes(materialized_store(paths))


def _export_command(fmt: str, summary: str, details: str, example: str) -> None:
    def command(output: str | None, lang: str = "en") -> None:
        from ..exports import export_bytes
        from ..graph import load_graph
        from ..oxgraph import is_large

        paths = get_paths()
        if fmt == "turtle" and is_large(paths):
            _write(_large_turtle(paths), output)
            return
        if fmt in ("graphml", "gexf") and _network_is_large(paths):
            from ..exports import serialize_gexf, serialize_graphml

            serialize = serialize_graphml if fmt == "graphml" else serialize_gexf
            _write(serialize(_network().network), output)
            return
        _write(export_bytes(load_graph(paths).full, fmt, lang), output)

    command.__doc__ = f"{summary}\n\n{details} Printed to stdout unless -o FILE is given.\n\n\b\nExample:\n    {example}\n"
    command.__name__ = f"export_{fmt}"
    decorated = _OUTPUT(command)
    if fmt == "csv":
        decorated = lang_option()(decorated)
    export.command(fmt)(decorated)


for _name, (_summary, _details, _example) in _EXPORTS.items():
    _export_command(_name, _summary, _details, _example)


def _network_is_large(paths) -> bool:
    from ..storenet import is_large

    return is_large(paths)


def _network(evidence: bool = True):
    """The network view with its lookups: from the seeds, or from the query store when the data is large."""
    from ..storenet import STALE_WARNING, load_network

    data = load_network(get_paths(), evidence)
    if data.stale:
        click.echo(f"Warning: {STALE_WARNING}", err=True)
    return data


def _print(table, fmt: str | None) -> None:
    from ..report import render_rows

    if not table.rows:
        click.echo("(no results)", err=True)
    fmt = resolve_format(fmt)
    rows = table.rows
    if fmt == "table":  # a quote spanning two lines of its text would break the columns
        rows = [[" ".join(str(cell).split()) if isinstance(cell, str) else cell for cell in row] for row in rows]
    emit(render_rows(table.headers, rows, fmt))


_FORMAT = format_option(("table", "csv", "json"))


@main.command()
@click.argument("entity")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, help="How many links away to look.")
@lang_option()
@_FORMAT
def neighbors(entity: str, depth: int, lang: str, fmt: str | None) -> None:
    """List the entities linked to ENTITY, with the facts that link them.

    ENTITY is an IRI, a local name, or any label in any language.

    \b
    Examples:
        kg neighbors Russia
        kg neighbors ШЫҰ --depth 2 --format csv
    """
    from ..analysis import neighbors as find

    data = _network(evidence=False)
    _print(find(data.network, data.resolve(entity), depth, lang), fmt)


@main.command()
@click.argument("source")
@click.argument("target")
@click.option("--avoid", multiple=True, metavar="ENTITY", help="Do not pass through this entity (repeatable).")
@click.option("--max-paths", type=click.IntRange(min=1), default=5, show_default=True, help="Show at most this many paths.")
@lang_option()
@_FORMAT
def path(source: str, target: str, avoid: tuple[str, ...], max_paths: int, lang: str, fmt: str | None) -> None:
    """Show the shortest chains of facts between two entities, with the
    evidence for each hop.

    Exit 1 when no chain links them.

    \b
    Examples:
        kg path Russia China
        kg path Belarus Kyrgyzstan --avoid Kazakhstan
    """
    from ..analysis import shortest_paths

    data = _network()  # each hop prints its evidence
    avoided = [data.resolve(name) for name in avoid]
    _print(shortest_paths(data.network, data.resolve(source), data.resolve(target), avoided, max_paths, lang), fmt)


@main.command()
@click.option("--by", type=click.Choice(["degree", "betweenness", "pagerank"]), default="degree", show_default=True,
              help="degree: distinct entities linked; betweenness: how often on shortest paths; pagerank: linked to the well linked.")
@click.option("--class", "cls", metavar="CLASS", help="Only entities of this class (State, InternationalOrganization, Treaty, ...).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many to list.")
@click.option("--sample", type=click.IntRange(min=0), default=None, metavar="K",
              help="Betweenness: estimate from K random source entities (fixed seed); 0: exact. "
                   f"Default: exact up to {BETWEENNESS_EXACT_LIMIT} entities, else K={BETWEENNESS_SAMPLE}.")
@lang_option()
@_FORMAT
def rank(by: str, cls: str | None, top: int, sample: int | None, lang: str, fmt: str | None) -> None:
    """Rank entities by how central they are in the network of facts.

    \b
    Examples:
        kg rank
        kg rank --by betweenness --class State --top 5
        kg rank --by betweenness --sample 500
    """
    from ..analysis import betweenness_sources
    from ..analysis import rank as compute

    data = _network(evidence=False)
    if by == "betweenness":
        sources = betweenness_sources(data.network.number_of_nodes(), sample)
        if sources is not None:
            click.echo(f"betweenness estimated from {sources} of {data.network.number_of_nodes()} entities (--sample)", err=True)
    _print(compute(data.classes, data.network, by, cls, top, lang, sample), fmt)


@main.command()
@click.option("--class", "classes", multiple=True, metavar="CLASS",
              help="List members of this class (repeatable; default: State and InternationalOrganization).")
@click.option("--min-members", type=click.IntRange(min=1), default=2, show_default=True,
              help="Hide groups with fewer listed members.")
@lang_option()
@_FORMAT
def communities(classes: tuple[str, ...], min_members: int, lang: str, fmt: str | None) -> None:
    """Find groups of closely linked states and organizations (Louvain, fixed seed).

    \b
    Examples:
        kg communities
        kg communities --class State --min-members 3 --format json
    """
    from ..analysis import ACTOR_CLASSES
    from ..analysis import communities as find

    data = _network(evidence=False)
    _print(find(data.classes, data.network, classes or ACTOR_CLASSES, min_members, lang), fmt)


@main.command()
@click.option("--entity", help="Only facts about this entity (IRI, local name or any label).")
@lang_option()
@_FORMAT
def timeline(entity: str | None, lang: str, fmt: str | None) -> None:
    """List the dated facts in date order, with their evidence.

    \b
    Examples:
        kg timeline
        kg timeline --entity Russia --format csv
    """
    from ..analysis import timeline as collect
    from ..entities import resolve
    from ..graph import load_graph

    graph = load_graph(get_paths()).full
    _print(collect(graph, resolve(graph, entity) if entity else None, lang), fmt)
