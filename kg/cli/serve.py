"""``kg serve`` and ``kg export site``: the graph as a local SPARQL endpoint and as Linked Data pages."""

from __future__ import annotations

import click

from kg.cli.common import get_paths
from kg.cli.export import export


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 makes the server reachable from other machines).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--cors", is_flag=True, help="Let web pages from other origins query the endpoint (CORS headers).")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, metavar="SECONDS",
              help="Stop a query after this long (HTTP 503); 0 for no limit.")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True, metavar="N",
              help="Refuse an answer of more than N rows or triples (HTTP 503).")
@click.option("--max-body", type=click.IntRange(min=1024), default=1_000_000, show_default=True, metavar="BYTES",
              help="Refuse a request body or query string larger than this (HTTP 413/414).")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=None, metavar="N",
              help="Query worker processes (default: the number of cores, at least 2).")
def serve(host: str, port: int, cors: bool, timeout: float, max_rows: int, max_body: int,
          workers: int | None) -> None:
    """Serve the built graph: a SPARQL endpoint, a query page and a page per entity.

    Read-only, as `kg query`: updates, SERVICE and FROM are refused, each
    query runs in a worker process stopped after --timeout. /sparql speaks
    the SPARQL 1.1 Protocol; / is the query page; /id/NAME and /ontology
    answer HTML to a browser and Turtle, N-Triples or JSON-LD to a program
    that asks (Accept). Stop it with Ctrl-C.

    \b
    Examples:
        kg serve
        curl -H 'Accept: text/turtle' http://127.0.0.1:8000/id/Russia
        curl --data-urlencode 'query=ASK { kz:Kazakhstan kzo:memberOf kz:UN }' http://127.0.0.1:8000/sparql
    """
    from kg.serve.server import serve as run_server

    run_server(get_paths(), host=host, port=port, cors=cors, timeout=timeout, max_rows=max_rows,
               max_body=max_body, workers=workers, say=lambda line: click.echo(line, err=True))


@export.command("site")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--base-url", default="https://kzkg.example.org/", show_default=True, metavar="URL",
              help="Where the site will be hosted: the w3id redirect rules point there.")
def export_site(directory: str, base_url: str) -> None:
    """Write the entity, ontology and text pages as static files, with w3id redirect rules.

    Every entity gets NAME.html, NAME.ttl, NAME.nt and NAME.jsonld under
    id/; the ontology ontology.html and its RDF; each source text a reading
    page under text/. w3id.htaccess holds the rules that give
    https://w3id.org/kzkg/ content negotiation onto --base-url.

    \b
    Example:
        kg export site site/ --base-url https://example.github.io/kzkg/
    """
    from kg.serve.site import export_site as write_site

    counts = write_site(get_paths(), directory, base_url)
    click.echo(f"wrote {counts['entities']} entity and statement pages, the ontology and {counts['texts']} text pages "
               f"({counts['files']} files) to {directory}")


COMMANDS = [serve]
