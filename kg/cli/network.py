"""Network analysis: ``kg neighbors``, ``kg path``, ``kg rank``, ``kg communities``."""

from __future__ import annotations

import click

from kg.cli.common import format_option, lang_option, network_data, print_table
from kg.network.analysis import BETWEENNESS_EXACT_LIMIT, BETWEENNESS_SAMPLE

_FORMAT = format_option(("table", "csv", "json"))


@click.command()
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
    from kg.network.analysis import neighbors as find

    data = network_data(evidence=False)
    print_table(find(data.network, data.resolve(entity), depth, lang), fmt)


@click.command()
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
    from kg.network.analysis import find_paths, path_table

    data = network_data(evidence=False)  # the links find the paths; the evidence is read for their entities only
    avoided = [data.resolve(name) for name in avoid]
    found = find_paths(data.network, data.resolve(source), data.resolve(target), avoided, max_paths)
    iri = {node: data.network.nodes[node]["iri"] for path in found for node in path}
    hops = {tuple(sorted((iri[here], iri[there]))) for path in found for here, there in zip(path, path[1:])}
    print_table(path_table(data.with_evidence(hops), found, lang), fmt)


@click.command()
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
    from kg.network.analysis import betweenness_sources
    from kg.network.analysis import rank as compute

    data = network_data(evidence=False)
    if by == "betweenness":
        sources = betweenness_sources(data.network.number_of_nodes(), sample)
        if sources is not None:
            click.echo(f"betweenness estimated from {sources} of {data.network.number_of_nodes()} entities (--sample)", err=True)
    print_table(compute(data.classes, data.network, by, cls, top, lang, sample), fmt)


@click.command()
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
    from kg.network.analysis import ACTOR_CLASSES
    from kg.network.analysis import communities as find

    data = network_data(evidence=False)
    print_table(find(data.classes, data.network, classes or ACTOR_CLASSES, min_members, lang), fmt)


COMMANDS = [neighbors, path, rank, communities]
