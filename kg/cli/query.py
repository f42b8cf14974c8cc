"""``kg query``: SPARQL over the built graph."""

from __future__ import annotations

import sys

import click

from . import main
from .common import emit, get_paths, resolve_format


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, path_type=str), help="Read the query from a file.")
@click.option("--format", "-F", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "nt"]), default=None,
              help="Output format (default: table on a terminal, csv otherwise; turtle for CONSTRUCT/DESCRIBE).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write the results to a file (atomically).")
def query(sparql: str | None, query_file: str | None, fmt: str | None, output: str | None) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the built graph.

    The prefixes kzo, kz, rdf, rdfs, owl, skos, prov, dcterms and xsd are
    predeclared. ASK exits 0 for true and 1 for false. Use - to read stdin.

    \b
    Examples:
        kg query 'SELECT ?org WHERE { kz:Kazakhstan kzo:memberOf ?org }'
        kg query 'ASK { kz:Kazakhstan kzo:borders kz:China }'
        kg query -f my-query.rq --format csv -o answer.csv
    """
    from ..errors import QueryError
    from ..query import format_select, format_triples, run_query

    if query_file:
        from ..load import read_text
        from pathlib import Path

        text = read_text(Path(query_file))
    elif sparql == "-":
        text = sys.stdin.read()
    elif sparql:
        text = sparql
    else:
        raise QueryError("give a query as an argument, with -f FILE, or - for stdin")
    result = run_query(get_paths(), text)
    if result.kind == "ask":
        emit(("true" if result.boolean else "false") + "\n", output)
        raise SystemExit(0 if result.boolean else 1)
    if result.kind == "graph":
        emit(format_triples(result, fmt or "turtle"), output)
        return
    if not result.rows:
        click.echo("(no results)", err=True)
    emit(format_select(result, resolve_format(fmt if output is None else (fmt or "csv"))), output)
