"""``kg query``, ``kg queries``, ``kg prefixes``, ``kg push``: SPARQL on the built graph and on any server."""

from __future__ import annotations

import sys

import click

from .app import main
from ..query import ALL_FORMATS, DEFAULT_TIMEOUT
from .common import emit, get_paths, lang_option



def _credential_options(command):
    command = click.option(
        "--password", envvar="KG_SPARQL_PASSWORD", show_envvar=True, metavar="SECRET",
        help="Password for --user (prefer the environment variable: options show up in `ps`).",
    )(command)
    return click.option(
        "--user", envvar="KG_SPARQL_USER", show_envvar=True, metavar="NAME",
        help="User name, for servers that ask for digest or basic authentication.",
    )(command)


def _password(user: str | None, password: str | None) -> str | None:
    if user and password is None and sys.stdin.isatty():
        return click.prompt(f"Password for {user}", hide_input=True, err=True)
    return password


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", metavar="FILE", help="Read the query from a file.")
@click.option("-n", "--name", metavar="NAME", help="Run a bundled query (see `kg queries`).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Set the query's `VALUES ?NAME { … }` block (repeat for several values).")
@click.option("--format", "-F", "fmt", type=click.Choice(ALL_FORMATS),
              help="Output format (default: table on a terminal, else csv; turtle for CONSTRUCT/DESCRIBE; "
                   "with -o, from the file's extension).")
@click.option("-o", "--output", metavar="FILE", help="Write the answer to FILE (atomically).")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Print at most N rows (and say so).")
@click.option("--labels", is_flag=True, help="Show labels instead of IRIs (table and csv), in --lang.")
@lang_option()
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
              help="Stop the query after this long (exit 4); 0 for no limit.")
@click.option("--max-rows", type=click.IntRange(min=1), metavar="N",
              help="Stop the query if its answer exceeds N rows (exit 4).")
@click.option("--allow-service", is_flag=True, help="Let SERVICE and FROM reach other servers or files.")
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL 1.1 endpoint instead of the built graph.")
@click.option("--graph", metavar="IRI", help="With --endpoint: the graph to query (default-graph-uri).")
@_credential_options
def query(sparql, query_file, name, params, fmt, output, limit, labels, lang, timeout, max_rows, allow_service,
          endpoint, graph, user, password) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the built graph.

    The prefixes kzo, kz, rdf, rdfs, owl, skos, prov, dcterms and xsd are
    predeclared (`kg prefixes`). Give the query as an argument, - for stdin,
    -f FILE, or --name NAME. Updates are refused; SERVICE and FROM too,
    unless --allow-service. Exit codes: 0 answered (ASK: true), 1 ASK false,
    2 bad query or input, 4 stopped by --timeout or --max-rows.

    \b
    Examples:
        kg query 'SELECT ?org WHERE { kz:Kazakhstan kzo:memberOf ?org }'
        kg query 'ASK { kz:Kazakhstan kzo:memberOf kz:UN }' && echo member
        kg query --name state-evidence --param state=Russia --labels
        kg query -f my-query.rq -o answer.json
        kg query --endpoint http://localhost:8890/sparql --graph https://w3id.org/kzkg/ --name facts-per-source
    """
    from .query_command import run_query_command

    exit_code = run_query_command(
        sparql=sparql, query_file=query_file, name=name, params=params, fmt=fmt, output=output, limit=limit,
        labels=labels, lang=lang, timeout=timeout, max_rows=max_rows, allow_service=allow_service,
        endpoint=endpoint, graph=graph, user=user, password=password, paths=get_paths(),
        ask_password=lambda: _password(user, password))
    click.get_current_context().exit(exit_code)


@main.command()
@click.argument("name", required=False)
@click.option("--format", "-F", "fmt", type=click.Choice(["table", "csv", "json"]),
              help="Output format of the list (default: table on a terminal, else csv).")
def queries(name: str | None, fmt: str | None) -> None:
    """List the bundled queries with their questions, or print one of them.

    Run one with `kg query --name NAME`; set its parameters with
    --param NAME=VALUE (the PARAMETERS column shows each default).

    \b
    Examples:
        kg queries
        kg queries state-evidence
        kg queries state-evidence > my-query.rq
    """
    from ..query import bundled_queries, find_named_query, render_query_list
    from .query_command import terminal_width

    if name:
        emit(find_named_query(name).text())
        return
    on_terminal = sys.stdout.isatty()
    emit(render_query_list(bundled_queries(), fmt or ("table" if on_terminal else "csv"), terminal_width()))


@main.command()
def prefixes() -> None:
    """Print the prefixes every `kg query` predeclares, as SPARQL PREFIX lines.

    \b
    Example:
        kg prefixes
        kg prefixes > header.rq
    """
    from ..query import prefix_declarations

    emit(prefix_declarations())


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store HTTP Protocol endpoint "
                   "(Virtuoso: …/sparql-graph-crud-auth; Fuseki: …/DATASET/data).")
@click.option("--graph", metavar="IRI", default="https://w3id.org/kzkg/", show_default=True,
              help="The named graph to replace with the built graph.")
@_credential_options
@click.option("--timeout", type=click.FloatRange(min=0), default=120, show_default=True, metavar="SECONDS",
              help="Give up when the server is silent this long; 0 for no limit.")
def push(endpoint: str, graph: str, user: str | None, password: str | None, timeout: float) -> None:
    """Upload the built graph to a SPARQL server, replacing one named graph.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol (an HTTP PUT of
    exports/kazakhstan.ttl), with digest or basic authentication. Pushing
    again replaces the graph, so it never holds two copies.

    \b
    Example:
        export KG_SPARQL_USER=dba KG_SPARQL_PASSWORD=...
        kg push --endpoint http://localhost:8890/sparql-graph-crud-auth
        kg query --endpoint http://localhost:8890/sparql --graph https://w3id.org/kzkg/ --name facts-per-source
    """
    from ..endpoint import push_graph

    export = get_paths().turtle_export
    result = push_graph(endpoint, export, graph, user, _password(user, password), timeout or None)
    click.echo(f"pushed {result.triples} triples into <{result.graph}> at {result.url} "
               f"(HTTP {result.status} {result.reason})")
