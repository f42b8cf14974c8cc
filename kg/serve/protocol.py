"""The SPARQL 1.1 Protocol's rules, apart from HTTP: which query a request
carries, and which format its answer takes.

Nothing here touches a socket or runs a query; ``kg.serve.app`` calls these
functions and turns ``ProtocolError`` into the HTTP status it names.
"""

from __future__ import annotations

from collections import namedtuple

from . import engine

#: The media types of kg query's formats, and which ones a client may ask for (Accept) for
#: SELECT and ASK and for CONSTRUCT and DESCRIBE: kg.sparql.results names them once.
MEDIA_TYPES = engine.MEDIA_TYPES
RESULT_TYPES = engine.RESULT_MEDIA_TYPES
GRAPH_TYPES = engine.GRAPH_MEDIA_TYPES

#: ``format=`` values (also the media types above), as Virtuoso and Fuseki name them.
FORMAT_NAMES = {
    "json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
    "turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
    "json-ld": "jsonld", "jsonld": "jsonld",
}

GRAPH_FORMS = ("construct", "describe")


class ProtocolError(Exception):
    """A request the protocol refuses: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        self.status = status
        self.message = message
        self.headers = headers or {}
        super().__init__(message)


class MediaRange(namedtuple("MediaRange", ["type", "quality", "order"])):
    __slots__ = ()


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header, best first (by quality, then as written).

    >>> [m.type for m in parse_accept("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")]
    ['application/sparql-results+json', 'text/csv', '*/*']
    """
    ranges = []
    for order, part in enumerate((header or "").split(",")):
        fields = [field.strip() for field in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(media, quality, order))
    return sorted(ranges, key=lambda m: (-m.quality, m.order))


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The format (a value of ``offered``, a media type → format map) that ``accept`` likes best.

    No Accept header, or one that takes anything, gives the first offered.
    None when the client accepts none of them (406).

    >>> negotiate("text/csv", RESULT_TYPES), negotiate(None, GRAPH_TYPES), negotiate("image/png", RESULT_TYPES)
    ('csv', 'turtle', None)
    >>> negotiate("text/*;q=0.9, application/n-triples", GRAPH_TYPES)
    'nt'
    """
    ranges = parse_accept(accept)
    if not ranges:
        return next(iter(offered.values()))
    best: tuple | None = None
    for index, (media, fmt) in enumerate(offered.items()):
        major = media.split("/")[0]
        # The most specific range that covers this type decides its quality (RFC 9110, 12.5.1).
        matching = [(2 if r.type == media else 1 if r.type == f"{major}/*" else 0, r) for r in ranges
                    if r.type in (media, f"{major}/*", "*/*")]
        if not matching:
            continue
        specificity, chosen = max(matching, key=lambda pair: (pair[0], pair[1].quality))
        if chosen.quality <= 0:
            continue  # an explicit q=0 refuses this type
        key = (chosen.quality, specificity, -index)
        if best is None or key > best[0]:
            best = (key, fmt)
    return best[1] if best else None


def answer_format(form: str | None, format_parameter: str | None, accept: str | None) -> str:
    """The kg query format of a query's answer: ``format=`` first, else the Accept header."""
    graph = form in GRAPH_FORMS
    offered = GRAPH_TYPES if graph else RESULT_TYPES
    if format_parameter:
        name = format_parameter.strip().lower()
        fmt = FORMAT_NAMES.get(name) or offered.get(name.split(";")[0].strip())
        if fmt is None or fmt not in offered.values():
            kinds = "turtle, nt, jsonld" if graph else "json, xml, csv, tsv"
            raise ProtocolError(406, f"format={format_parameter!r} does not fit a {(form or 'select').upper()} "
                                     f"query: use one of {kinds}")
        return fmt
    fmt = negotiate(accept, offered)
    if fmt is None:
        types = ", ".join(dict.fromkeys(MEDIA_TYPES[f] for f in offered.values()))
        raise ProtocolError(406, f"none of the types in Accept: {accept} is offered for a "
                                 f"{(form or 'select').upper()} query; ask for one of {types}")
    return fmt


def content_type(fmt: str) -> str:
    """The Content-Type header of an answer in ``fmt``."""
    media = MEDIA_TYPES[fmt]
    return media + "; charset=utf-8"


def single(values: list[str], name: str) -> str | None:
    """The one value of a parameter the protocol allows once."""
    if len(values) > 1:
        raise ProtocolError(400, f"the request gives {name} {len(values)} times; the protocol allows one")
    return values[0] if values else None


READ_ONLY = ("this endpoint is read-only: it answers queries on the built graph and never changes it "
             "(SPARQL Update is not accepted)")
