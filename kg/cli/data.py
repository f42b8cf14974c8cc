"""Commands on the curated data: ``kg build``, ``kg validate``, ``kg fmt``, ``kg fix-quotes``."""

from __future__ import annotations

import click

from kg.cli.common import get_paths


@click.command()
def build() -> None:
    """Check the data, then write every export under exports/ and get the read commands ready.

    Nothing is written when the data does not conform (exit 1).

    \b
    Examples:
        kg build
        kg --data /tmp/kg-1m build
    """
    from kg.build import build_exports

    paths = get_paths()
    paths.require_working_copy("build")
    for path in build_exports(paths):
        try:
            shown = path.relative_to(paths.root)
        except ValueError:
            shown = path
        click.echo(f"wrote {shown}")


@click.command()
def validate() -> None:
    """Check the data against the contract: SHACL shapes, evidence, quotes.

    Prints one line per problem (file:line: subject: what is wrong).
    Exit 0 when the data conforms, 1 when it does not, 2 when it cannot run.

    \b
    Example:
        kg validate
    """
    from kg.check import valid_store
    from kg.data.store import curated_count

    paths = get_paths()
    paths.require_working_copy("validate")
    store = valid_store(paths)
    click.echo(f"OK: the data conforms ({curated_count(store)} curated triples, {len(store)} exported).")


@click.command("fix-quotes")
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
    from kg.data.curation import fix_quotes as run

    paths = get_paths()
    paths.require_working_copy("fix-quotes")
    changes = run(paths, dry_run=check)
    for change in changes:
        click.echo(change)
    if check and changes:
        raise SystemExit(1)
    click.echo(f"{len(changes)} quote(s) {'to fix' if check else 'fixed'}.")


@click.command()
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
    from kg.data.curation import format_seeds

    paths = get_paths()
    paths.require_working_copy("fmt")
    changed = format_seeds(paths, check=check)
    for path in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {path.relative_to(paths.root)}")
    if check and changed:
        raise SystemExit(1)
    if not changed:
        click.echo("All seed files are canonical.")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
def init(directory: str) -> None:
    """Write a working copy of the data into DIRECTORY: ontology, seeds, texts.

    The graph packaged with kg is read-only; edit and build a copy instead.

    \b
    Example:
        kg init my-graph
        kg --data my-graph build
    """
    from kg.data.workcopy import init_working_copy

    copy = init_working_copy(get_paths(), directory)
    click.echo(f"wrote {copy.ontology.name}, seeds/ and the source texts into {directory}")
    click.echo(f"next: kg --data {directory} build")


COMMANDS = [build, validate, fix_quotes, fmt, init]
