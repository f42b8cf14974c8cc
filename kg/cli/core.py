"""Commands on the data itself: build, validate, stats, show, conflicts, fix-quotes."""

from __future__ import annotations

import click

from .app import main
from .common import emit, format_option, get_paths, lang_option, resolve_format


_ENGINE = click.option(
    "--engine",
    type=click.Choice(["auto", "rdflib", "oxigraph"]),
    default="auto",
    show_default=True,
    help="rdflib: SHACL by pySHACL, every view and format. oxigraph: load, materialize and check in "
    "Oxigraph, write the Turtle export only; for large data. auto: oxigraph above 2 MB of seed Turtle.",
)


@main.command()
@_ENGINE
def build(engine: str) -> None:
    """Validate the data, then write every export under exports/.

    Nothing is written when validation fails (exit 1).

    \b
    Examples:
        kg build
        kg --data /tmp/kg-1m build --engine oxigraph
    """
    from ..build import build_exports

    paths = get_paths()
    for path in build_exports(paths, engine):
        try:
            shown = path.relative_to(paths.root)
        except ValueError:
            shown = path
        click.echo(f"wrote {shown}")


@main.command()
@_ENGINE
def validate(engine: str) -> None:
    """Check the data against the contract: SHACL shapes, evidence, quotes.

    Prints one line per problem (file:line: subject: what is wrong).
    Exit 0 when the data conforms, 1 when it does not, 2 when it cannot run.

    \b
    Examples:
        kg validate
        kg validate --engine oxigraph
    """
    from ..build import choose_engine
    from ..errors import ValidationFailed
    from ..graph import load_graph, validate_graph

    paths = get_paths()
    if choose_engine(paths, engine) == "oxigraph":
        from ..build import load_valid_store

        from ..oxgraph import curated_count

        store = load_valid_store(paths)
        click.echo(f"OK: the data conforms ({curated_count(store)} curated triples, {len(store)} exported).")
        return
    built = load_graph(paths)
    problems = validate_graph(built)
    if problems:
        raise ValidationFailed(problems)
    click.echo(f"OK: the data conforms ({len(built.dataset.graph)} curated triples, {len(built.full)} exported).")


@main.command()
@format_option()
def stats(fmt: str | None) -> None:
    """Counts: entities by class, facts by property, facts per source text.

    \b
    Example:
        kg stats
        kg stats --format json
    """
    from ..graph import load_graph
    from ..report import render_stats
    from ..stats import compute_stats

    built = load_graph(get_paths())
    emit(render_stats(built.full, compute_stats(built.dataset.graph, built.full), resolve_format(fmt)))


@main.command()
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
    from ..entities import resolve
    from ..graph import load_graph
    from ..show import entity_card, render_card

    graph = load_graph(get_paths()).full
    emit(render_card(graph, entity_card(graph, resolve(graph, entity)), lang))


@main.command()
@format_option(("table", "csv", "json"), default="table")
def conflicts(fmt: str) -> None:
    """List every disagreement: both claims, their sources and quotes.

    \b
    Example:
        kg conflicts
        kg conflicts --format csv > conflicts.csv
    """
    from ..conflicts import find_conflicts, render_conflicts
    from ..graph import load_graph

    graph = load_graph(get_paths()).full
    emit(render_conflicts(graph, find_conflicts(graph), fmt))


@main.command("fix-quotes")
@click.option("--check", is_flag=True, help="Only report near-miss quotes; change nothing (exit 1 if any).")
def fix_quotes(check: bool) -> None:
    """Replace near-miss quotes in seeds/ by the exact span of their text.

    A quote typed by hand often differs from its text by an invisible
    character (Latin ə for Cyrillic ә, a space for a no-break space). This
    finds the span it stands for and copies it into the seed file.

    \b
    Example:
        kg fix-quotes --check
        kg fix-quotes
    """
    from ..curation import fix_quotes as run

    changes = run(get_paths(), dry_run=check)
    for change in changes:
        click.echo(change)
    if check and changes:
        raise SystemExit(1)
    click.echo(f"{len(changes)} quote(s) {'to fix' if check else 'fixed'}.")


@main.command()
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if any file is not canonical.")
def fmt(check: bool) -> None:
    """Rewrite the curated seeds/*.ttl files in canonical form.

    Entities sorted by IRI; each statement in text order, under the fact it
    gives evidence for. Run it after editing seeds by hand.

    \b
    Example:
        kg fmt --check
        kg fmt
    """
    from ..curation import format_seeds

    paths = get_paths()
    changed = format_seeds(paths, check=check)
    for path in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {path.relative_to(paths.root)}")
    if check and changed:
        raise SystemExit(1)
    if not changed:
        click.echo("All seed files are canonical.")


@main.group()
def export() -> None:
    """Write the graph in one format: RDF for triple stores, graphs for
    network tools, CSV for spreadsheets, HTML for people.

    \b
    Examples:
        kg export turtle -o kazakhstan.ttl
        kg export html --focus Russia --depth 1 -o russia.html
    """
