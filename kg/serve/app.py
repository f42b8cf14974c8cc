"""The web application: the SPARQL 1.1 Protocol at ``/sparql``, the query
page at ``/``, a page for every entity at ``/id/NAME``, the ontology at
``/ontology`` and the source texts at ``/text/NAME``.

Starlette routes the requests (uvicorn serves them, see ``kg.serve.server``);
queries go to the forked workers of ``kg.serve.engine``, pages are read from
the loaded graph in a thread so that a slow one never blocks the others.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

import anyio
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import pages, protocol
from .engine import (KZ_IRI, KZO_IRI, LANGUAGES, PREFIXES, STOPPED, DataPaths, LoadedGraph, QueryError,
                     QueryWorkers, bundled_queries, check_query, texts_dir, with_prefix_declarations)
from .protocol import GRAPH_TYPES, ProtocolError

#: Requests larger than this (a POSTed body, or a GET query string) are refused with 413/414.
DEFAULT_MAX_BODY = 1_000_000

STATIC_DIR = Path(__file__).resolve().parent / "static"

#: Entity and ontology pages: HTML for a browser, RDF for a program (HTML when anything goes).
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", **GRAPH_TYPES}
EXTENSIONS = {".html": "html", ".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld"}

DEFAULT_QUERY = """# Organizations Kazakhstan is a member of, with their English names.
# kzo, kz, rdf, rdfs, owl, skos, prov, dcterms and xsd are predeclared here: PREFIX lines are optional.
SELECT ?organization ?name WHERE {
  kz:Kazakhstan kzo:memberOf ?organization .
  ?organization rdfs:label ?name FILTER(lang(?name) = "en")
} ORDER BY ?name
"""

_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def create_app(graph: LoadedGraph, workers: QueryWorkers, paths: DataPaths, *, cors: bool = False,
               max_body: int = DEFAULT_MAX_BODY) -> Starlette:
    """The ASGI application serving ``graph`` (queries answered by ``workers``)."""
    links = pages.Links()
    texts = texts_dir(paths)

    @lru_cache(maxsize=2048)  # the graph never changes while it is served
    def page(kind: str, name: str, fmt: str, lang: str) -> tuple[int, str] | None:
        if kind == "entity":
            iri = pages.entity_iri(name)
            if iri is None or not pages.entity_exists(graph, iri):
                return None
            if fmt == "html":
                return 200, pages.render("entity.html", pages.entity_context(graph, iri, links, lang))
            return 200, pages.rdf_document(pages.describe_entity(graph, iri), fmt)
        if kind == "ontology":
            if fmt == "html":
                return 200, pages.render("ontology.html", pages.ontology_context(graph, links, lang))
            return 200, pages.rdf_document(pages.describe_ontology(graph), fmt)
        if kind == "text":
            iri = pages.entity_iri(name)
            context = pages.text_context(graph, iri, texts, links, lang) if iri else None
            return (200, pages.render("text.html", context)) if context else None
        raise ValueError(kind)

    def html(body: str, status: int = 200, csp: str = pages.PAGE_CSP) -> Response:
        return Response(body, status, media_type="text/html; charset=utf-8",
                        headers={**_HEADERS, "Content-Security-Policy": csp, "Vary": "Accept"})

    def not_found(what: str) -> Response:
        return html(pages.render("error.html", {"title": "Not found", "message": what, "lang": "en",
                                                "links": links}), 404)

    async def query_page(request: Request) -> Response:
        return html(render_query_page(links), csp=QUERY_PAGE_CSP)

    async def sparql(request: Request) -> Response:
        try:
            text, format_parameter = await read_sparql_request(request, max_body)
            try:
                shape = check_query(text)
            except QueryError as error:
                raise ProtocolError(400, str(error)) from None
            fmt = protocol.answer_format(shape.form, format_parameter, request.headers.get("accept"))
            answer = await anyio.to_thread.run_sync(workers.answer, text, shape.form, fmt)
        except ProtocolError as error:
            return error_response(error.status, error.message, error.headers)
        except QueryError as error:
            status = 503 if error.exit_code == STOPPED else 500 if error.exit_code == 70 else 400
            return error_response(status, _server_words(str(error)))
        return Response(answer.body, media_type=protocol.content_type(fmt),
                        headers={**_HEADERS, "Vary": "Accept"})

    async def describe(request: Request, kind: str, name: str = "") -> Response:
        fmt = None
        for extension, by_extension in EXTENSIONS.items():
            if name.endswith(extension):
                name, fmt = name[: -len(extension)], by_extension
                break
        format_parameter = request.query_params.get("format")
        if format_parameter:
            fmt = protocol.FORMAT_NAMES.get(format_parameter.lower()) or PAGE_TYPES.get(format_parameter.lower())
            if format_parameter.lower() == "html":
                fmt = "html"
            if fmt not in ("html", "turtle", "nt", "jsonld"):
                return error_response(406, f"format={format_parameter!r}: use html, turtle, nt or jsonld")
        if fmt is None:
            fmt = protocol.negotiate(request.headers.get("accept"), PAGE_TYPES)
            if fmt is None:
                return error_response(406, "this page is offered as text/html, text/turtle, "
                                           "application/n-triples and application/ld+json")
        lang = request.query_params.get("lang", "en")
        if lang not in LANGUAGES:
            lang = "en"
        found = await anyio.to_thread.run_sync(page, kind, name, fmt, lang)
        if found is None:
            return not_found(f"The graph has nothing about {name!r}.")
        status, body = found
        if fmt == "html":
            return html(body, status)
        return Response(body, status, media_type=protocol.content_type(fmt), headers={**_HEADERS, "Vary": "Accept"})

    async def entity(request: Request) -> Response:
        return await describe(request, "entity", request.path_params["name"])

    async def ontology(request: Request) -> Response:
        return await describe(request, "ontology")

    async def text(request: Request) -> Response:
        name = request.path_params["name"]
        name = name[:-5] if name.endswith(".html") else name
        found = await anyio.to_thread.run_sync(page, "text", name, "html", "en")
        return html(found[1]) if found else not_found(f"No source text is called {name!r}.")

    async def prefixes(request: Request) -> Response:
        return Response(json.dumps(PREFIXES), media_type="application/json", headers=_HEADERS)

    routes = [
        Route("/", query_page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
        Route("/id/{name:path}", entity, methods=["GET"]),
        Route("/ontology", ontology, methods=["GET"]),
        Route("/text/{name}", text, methods=["GET"]),
        Route("/prefixes.json", prefixes, methods=["GET"]),
        Route("/index.html", lambda request: RedirectResponse("/", 301), methods=["GET"]),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", 301), methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    middleware = []
    if cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type"], max_age=600))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.graph = graph
    app.state.workers = workers
    return app


#: The query page's policy differs in one point: YASR's table view (DataTables) inserts a <style>
#: element, which a strict style-src blocks (measured in Chromium), so inline styles are allowed
#: there. Scripts still come from this server only; a browser test checks no violation is left.
QUERY_PAGE_CSP = pages.PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def render_query_page(links: pages.Links) -> str:
    examples = [{"name": q.name, "question": q.question, "query": with_prefix_declarations(q.text())}
                for q in bundled_queries()]
    config = {
        "endpoint": "/sparql",
        "prefixesUrl": "/prefixes.json",
        "prefixes": PREFIXES,
        "entityBase": KZ_IRI,
        "entityPath": "/id/",
        "ontologyBase": KZO_IRI,
        "ontologyPath": "/ontology",
        "defaultQuery": with_prefix_declarations(DEFAULT_QUERY),
        "examples": examples,
    }
    # JSON inside <script>: escape what could close the element or start markup.
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026")
    return pages.render("query.html", {"links": links, "config_json": Markup(data), "languages": LANGUAGES,
                                       "endpoint": "/sparql", "prefixes": ", ".join(PREFIXES)})


async def read_sparql_request(request: Request, max_body: int) -> tuple[str, str | None]:
    """The query text and the ``format=`` of a SPARQL Protocol request (GET or POST), or ProtocolError."""
    method = request.method
    if method not in ("GET", "HEAD", "POST"):
        raise ProtocolError(405, f"{method} is not part of the SPARQL query protocol: use GET or POST",
                            {"Allow": "GET, POST"})
    if len(request.url.query) > max_body:
        raise ProtocolError(414, f"the query string is over {max_body} bytes")
    parameters = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
    if method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-update" or "update" in parameters:
            raise ProtocolError(403, protocol.READ_ONLY)
        body = await read_body(request, max_body)
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise ProtocolError(400, "the form is not UTF-8") from None
            if "update" in form:
                raise ProtocolError(403, protocol.READ_ONLY)
            for key, values in form.items():
                parameters.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            if "query" in parameters:
                raise ProtocolError(400, "a POST of application/sparql-query carries the query in its body, "
                                         "not in a query= parameter")
            try:
                parameters["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query is not UTF-8") from None
        else:
            raise ProtocolError(415, f"POST a query as application/x-www-form-urlencoded (query=...) or as "
                                     f"application/sparql-query, not {media or 'no Content-Type'}")
    elif "update" in parameters:
        raise ProtocolError(403, protocol.READ_ONLY)
    for dataset in ("default-graph-uri", "named-graph-uri"):
        if parameters.get(dataset):
            raise ProtocolError(400, f"{dataset} is refused: this endpoint answers from its one graph and never "
                                     "fetches another")
    text = protocol.single(parameters.get("query", []), "query")
    if text is None:
        raise ProtocolError(400, "no query: send one as ?query=... (GET), as a form field query=... or as an "
                                 "application/sparql-query body (POST); the query page is at /")
    format_parameter = protocol.single(parameters.get("format", []) or parameters.get("output", []), "format")
    return text, format_parameter


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it grows past ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"the request body is {int(declared)} bytes, over the limit of {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"the request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status, headers={**_HEADERS, **(headers or {})})


def _server_words(message: str) -> str:
    """``kg query``'s messages name its options; on the server the limits are the server's."""
    return (message.replace("(--timeout)", "(the server's --timeout)")
                   .replace("(--max-rows)", "(the server's --max-rows)")
                   .replace("or allow more time with --timeout SECONDS (0 for no limit)",
                            "or ask whoever runs the server to allow more time")
                   .replace("add a LIMIT or raise --max-rows", "add a LIMIT"))
