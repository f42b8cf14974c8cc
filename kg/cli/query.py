"""``kg query``, ``kg queries``, ``kg prefixes``, ``kg push``: SPARQL on the built graph and on any server."""

from __future__ import annotations

import sys

import click

from kg.sparql.text import ALL_FORMATS, DEFAULT_TIMEOUT
from collections.abc import Callable

from kg.cli.common import emit, get_paths, lang_option
from kg.cli.failures import say
from kg.core.errors import QueryError
from kg.core.paths import DataPaths
from kg.sparql.runner import QueryRequest, query_base_iri, run_query
from kg.sparql.text import check_query, parse_parameter, set_parameters
from kg.sparql.results import choose_format
from kg.sparql.bundled import read_query



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


@click.command()
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
    exit_code = run_query_command(
        sparql=sparql, query_file=query_file, name=name, params=params, fmt=fmt, output=output, limit=limit,
        labels=labels, lang=lang, timeout=timeout, max_rows=max_rows, allow_service=allow_service,
        endpoint=endpoint, graph=graph, user=user, password=password, paths=get_paths(),
        ask_password=lambda: _password(user, password))
    click.get_current_context().exit(exit_code)


@click.command()
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
    from kg.sparql.bundled import bundled_queries, find_named_query, render_query_list

    if name:
        emit(find_named_query(name).text())
        return
    on_terminal = sys.stdout.isatty()
    emit(render_query_list(bundled_queries(), fmt or ("table" if on_terminal else "csv"), terminal_width()))


@click.command()
def prefixes() -> None:
    """Print the prefixes every `kg query` predeclares, as SPARQL PREFIX lines.

    \b
    Example:
        kg prefixes
        kg prefixes > header.rq
    """
    from kg.sparql.text import prefix_declarations

    emit(prefix_declarations())


@click.command()
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
    from kg.sparql.remote import push_graph

    export = get_paths().turtle_export
    result = push_graph(endpoint, export, graph, user, _password(user, password), timeout or None)
    click.echo(f"pushed {result.triples} triples into <{result.graph}> at {result.url} "
               f"(HTTP {result.status} {result.reason})")


def run_query_command(*, sparql: str | None, query_file: str | None, name: str | None, params: tuple[str, ...],
                      fmt: str | None, output: str | None, limit: int | None, labels: bool, lang: str,
                      timeout: float, max_rows: int | None, allow_service: bool, endpoint: str | None,
                      graph: str | None, user: str | None, password: str | None, paths: DataPaths,
                      ask_password: Callable[[], str | None] | None = None) -> int:
    """Answer the query on stdout (or atomically in ``output``); return the exit code.

    Raises KGError for anything the user can fix. ``ask_password``, if given,
    is called for the endpoint's password once the query has passed its
    checks, so nobody types a password for a query that cannot run.
    """
    if graph and not endpoint:
        raise QueryError("--graph goes with --endpoint (the built graph has one graph)")
    text = set_parameters(read_query(sparql, query_file, name), [parse_parameter(p) for p in params])
    shape = check_query(text, allow_service=allow_service, remote=endpoint is not None)
    chosen_format = choose_format(shape.form, fmt, output, sys.stdout.isatty())
    if labels and chosen_format not in ("table", "csv"):
        raise QueryError(f"--labels shows labels in table and csv output, not in {chosen_format}")
    timeout = timeout or None
    if endpoint:
        from kg.sparql.remote import Endpoint

        if ask_password is not None:
            password = ask_password()
        remote, export, cache = Endpoint(endpoint, graph, user, password, timeout), None, None
    else:
        remote, export, cache = None, paths.turtle_export, paths.cache
    request = QueryRequest(
        text=text, form=shape.form, fmt=chosen_format, export=export, cache=cache, endpoint=remote, limit=limit,
        max_rows=max_rows, labels=labels, lang=lang, timeout=timeout,
        table_width=terminal_width() if not output else None, allow_service=allow_service,
        base_iri=query_base_iri(query_file, allow_service),
    )
    outcome = _answer(request, output)
    sys.stdout.flush()  # the answer before any notice, when both go to one place
    if outcome.form == "ask":
        return 0 if outcome.boolean else 1
    if outcome.total == 0:
        say("(no results)")
    elif outcome.shown < outcome.total:
        what = "triples" if outcome.form in ("construct", "describe") else "rows"
        say(f"(showing the first {outcome.shown} of {outcome.total} {what}: --limit {limit})")
    return 0


def _answer(request: QueryRequest, output: str | None):
    """Run the query, streaming its answer to stdout or atomically into ``output``."""
    if output and output != "-":
        from kg.core.atomic import atomic_writer

        with atomic_writer(output) as stream:
            outcome = run_query(request, lambda text: stream.write(text.encode("utf-8")))
        say(f"wrote {output}")
        return outcome
    if sys.stdout.isatty():
        from kg.cli.common import for_stdout

        return run_query(request, lambda text: sys.stdout.write(for_stdout(text)))
    return run_query(request, sys.stdout.write)


def terminal_width() -> int | None:
    """The terminal's width in columns, or None when stdout is not a terminal."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


COMMANDS = [query, queries, prefixes, push]
