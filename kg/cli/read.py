"""Commands that read the built graph: ``kg show``, ``kg stats``, ``kg conflicts``, ``kg timeline``."""

from __future__ import annotations

import click

from kg.cli.common import built_store, emit, format_option, get_paths, lang_option, print_table, resolve_format

_FORMAT = format_option(("table", "csv", "json"))


@click.command()
@format_option()
def stats(fmt: str | None) -> None:
    """Counts: entities by class, facts by property, facts per source text.

    \b
    Example:
        kg stats
        kg stats --format json
    """
    from kg.data.querystore import STALE_WARNING, export_is_stale
    from kg.data.store import materialized_store
    from kg.facts.stats import count_with_labels, kept_stats
    from kg.render.tables import render_stats

    paths = get_paths()
    kept = kept_stats(paths)  # what kg build counted
    if kept is not None:
        if export_is_stale(paths):
            click.echo(f"Warning: {STALE_WARNING}", err=True)
        stats, labels = kept
    else:  # no build to read (or its counts are gone): count the seeds as they are now, in one load
        stats, labels = count_with_labels(materialized_store(paths))
    emit(render_stats(labels, stats, resolve_format(fmt)))


@click.command()
@click.argument("entity")
@lang_option()
def show(entity: str, lang: str) -> None:
    """Print an entity's card: names, relations with dates, evidence quotes.

    ENTITY is an IRI, a prefixed or local name, or any label or alternative
    label in any language (inflected Kazakh forms included).

    \b
    Examples:
        kg show Russia
        kg show Ресей
        kg show ШЫҰ --lang kk
        kg show https://w3id.org/kzkg/id/UN
    """
    from rdflib import URIRef

    from kg.facts.cards import entity_card, render_card
    from kg.facts.parts import card_part
    from kg.network.store import resolve_in_store

    store = built_store()
    iri = resolve_in_store(store, entity)
    graph = card_part(store, iri)
    emit(render_card(graph, entity_card(graph, URIRef(iri)), lang))


@click.command()
@format_option(("table", "csv", "json"), default="table")
def conflicts(fmt: str) -> None:
    """List every disagreement: both claims, their sources and quotes.

    \b
    Example:
        kg conflicts
        kg conflicts --format csv > conflicts.csv
    """
    from kg.facts.conflicts import conflicts_in_store, kept_conflicts
    from kg.render.tables import render_conflicts

    store = built_store()  # says "run kg build first" without an export, warns when it is stale
    found = kept_conflicts(get_paths())
    emit(render_conflicts(found if found is not None else conflicts_in_store(store), fmt))


@click.command()
@click.option("--entity", help="Only facts about this entity (IRI, local name or any label).")
@click.option("--counts", is_flag=True,
              help="Show how the numbers the texts give grew instead: one point per text and count, "
                   "in year order (the year the text gives, else the end of the period its source speaks of).")
@click.option("--property", "count_property", metavar="NAME",
              help="With --counts: one series only, e.g. diplomaticRelationsCount (implies --counts).")
@lang_option()
@_FORMAT
def timeline(entity: str | None, counts: bool, count_property: str | None, lang: str, fmt: str | None) -> None:
    """List the dated facts in date order, with their evidence; or, with --counts, the count series.

    Counts from texts written years apart (105, 120, then 138 states with
    diplomatic relations) are a series, not a disagreement: --counts places
    each at its year, says where the year comes from, and quotes the text.

    \b
    Examples:
        kg timeline
        kg timeline --entity Russia --format csv
        kg timeline --counts
        kg timeline --property diplomaticRelationsCount
    """
    from kg.facts.parts import kept_timeline
    from kg.render.records import timeline as collect
    from kg.network.store import resolve_in_store

    store = built_store()
    iri = resolve_in_store(store, entity) if entity else None
    if counts or count_property:
        from kg.sparql.series import count_series, resolve_count_property

        prop = resolve_count_property(store, count_property) if count_property else None
        print_table(count_series(store, prop, iri, lang), fmt)
        return
    print_table(collect(store, iri, lang, kept_timeline(get_paths())), fmt)


COMMANDS = [show, stats, conflicts, timeline]
