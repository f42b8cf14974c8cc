"""Any SPARQL 1.1 server: queries by the SPARQL 1.1 Protocol, uploads by the
SPARQL 1.1 Graph Store HTTP Protocol.

Only the standard library's urllib speaks HTTP here: both protocols are
plain HTTP requests (a form-encoded POST, a PUT), and urllib already does
digest and basic authentication, so a new dependency would buy nothing.
Answers are parsed by pyoxigraph, which reads every SPARQL results format
(JSON, XML, TSV, CSV) and every RDF syntax a server may send, so remote
answers go through the same writers as local ones.

Credentials come from the caller (options or ``KG_SPARQL_USER`` /
``KG_SPARQL_PASSWORD``) and are never written into a message: URLs are shown
without their user-info part.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.core.release import VERSION as __version__
from kg.core.errors import KGError, QueryError
from kg.core.prefixes import PREFIXES
from kg.sparql.text import STOPPED, inspect_query
from kg.sparql.results import GRAPH_MEDIA_TYPES, MEDIA_TYPES, accept_header, choose_labels, labels_query

#: The named graph ``kg push`` writes, unless told otherwise.
DEFAULT_GRAPH_IRI = "https://w3id.org/kzkg/"
USER_ENV = "KG_SPARQL_USER"
PASSWORD_ENV = "KG_SPARQL_PASSWORD"
USER_AGENT = f"kazakhstan-kg/{__version__} (kg query; https://w3id.org/kzkg/)"

_RESULTS_ACCEPT = accept_header((("json", 1.0), ("xml", 0.9), ("tsv", 0.8), ("csv", 0.5)))
_GRAPH_ACCEPT = accept_header((("nt", 1.0), ("turtle", 0.9), ("rdfxml", 0.8), ("jsonld", 0.7)))


class EndpointError(QueryError):
    """The server could not be reached, refused, or answered something unreadable."""


@dataclass
class Endpoint:
    """A SPARQL 1.1 Protocol endpoint, with an optional default graph and credentials."""

    url: str
    graph: str | None = None  # sent as default-graph-uri
    user: str | None = None
    password: str | None = None
    timeout: float | None = 30.0

    def __post_init__(self):
        self.url, self.user, self.password = _split_credentials(self.url, self.user, self.password)

    def query(self, text: str, form: str | None):
        """Send ``text``; return pyoxigraph QuerySolutions, a QueryBoolean, or an iterator of quads."""
        import pyoxigraph

        fields = {"query": with_prefixes(text)}
        if self.graph:
            fields["default-graph-uri"] = self.graph
        graph_form = form in ("construct", "describe")
        accept = _GRAPH_ACCEPT if graph_form else _RESULTS_ACCEPT if form else f"{_RESULTS_ACCEPT}, {_GRAPH_ACCEPT}"
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                     "User-Agent": USER_AGENT},
            method="POST",
        )
        response = self._open(request)
        media_type = response.headers.get_content_type()
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
        known = GRAPH_MEDIA_TYPES.get(media_type)  # text/plain, text/rdf+n3: names pyoxigraph does not list
        rdf_format = pyoxigraph.RdfFormat.from_media_type(MEDIA_TYPES[known] if known else media_type)
        try:
            if results_format is not None and not graph_form:
                return pyoxigraph.parse_query_results(response, format=results_format)
            if rdf_format is not None:
                return _checked(pyoxigraph.parse(response, format=rdf_format), self.url)
        except SyntaxError as error:
            raise EndpointError(f"{redact(self.url)} answered with invalid {media_type}: {error}") from None
        except OSError as error:  # e.g. one value over pyoxigraph's 16 MB buffer
            raise EndpointError(f"the answer of {redact(self.url)} could not be read: {error}") from None
        raise EndpointError(f"{redact(self.url)} answered with {media_type}, which is not a SPARQL answer kg can read")

    def labels(self, iris: list[str], lang: str) -> dict[str, str]:
        return choose_labels(self.query(labels_query(iris), "select"), lang)

    def _open(self, request):
        return open_url(request, self.user, self.password, self.timeout)


def _checked(quads, url):
    try:
        yield from quads
    except SyntaxError as error:
        raise EndpointError(f"{redact(url)} answered with invalid RDF: {error}") from None


def with_prefixes(text: str) -> str:
    """The query with the predeclared prefixes it does not declare itself.

    They go on the query's first line, so a server's line numbers still
    match the user's text.
    """
    declared = inspect_query(text).declared_prefixes
    missing = "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items() if p not in declared)
    return missing + text


def open_url(request, user: str | None, password: str | None, timeout: float | None):
    """Open ``request``, answering digest or basic challenges with the credentials."""
    handlers = []
    if user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    opener = urllib.request.build_opener(_RefuseRedirects, _HTTPHandler, _HTTPSHandler, *handlers)
    where = redact(request.full_url)
    try:
        return opener.open(request, timeout=timeout or None)
    except urllib.error.HTTPError as error:
        raise _http_error(error, where, user) from None
    except (socket.timeout, TimeoutError):
        raise EndpointError(f"{where} did not answer within {timeout:g} s (--timeout)", exit_code=STOPPED) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise EndpointError(f"{where} did not answer within {timeout:g} s (--timeout)", exit_code=STOPPED) from None
        raise EndpointError(f"cannot reach {where}: {getattr(reason, 'strerror', None) or reason}") from None
    except (ValueError, OSError) as error:
        raise EndpointError(f"cannot reach {where}: {error}") from None


_CUT_SHORT = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


def _reading_after_a_cut(connection_class):
    """``connection_class`` that still reads the answer when the server hung up on the body.

    A server refusing a request (401 without or with wrong credentials, 413)
    may send its answer and close the connection while the body is still
    going out; sending then fails with a broken pipe, yet the answer is
    waiting in the socket. The failure is kept and the answer read; only if
    there is no answer to read is the broken pipe reported.
    """

    class Connection(connection_class):
        _cut_short = None

        def request(self, *args, **kwargs):
            try:
                super().request(*args, **kwargs)
            except _CUT_SHORT as error:
                self._cut_short = error

        def getresponse(self):
            try:
                return super().getresponse()
            except (OSError, http.client.HTTPException):
                if self._cut_short is not None:
                    raise self._cut_short from None
                raise

    Connection.__name__ = Connection.__qualname__ = connection_class.__name__
    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def do_open(self, http_class, request, **connection_args):
        return super().do_open(_reading_after_a_cut(http_class), request, **connection_args)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def do_open(self, http_class, request, **connection_args):
        return super().do_open(_reading_after_a_cut(http_class), request, **connection_args)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are reported, never followed.

    urllib turns a POST redirected by 301, 302 or 303 into a GET without the
    query, and prints whatever that GET returns as the answer; it would also
    follow a redirect to another scheme (ftp:) and then blame the first URL.
    The user gives the right URL instead.
    """

    def redirect_request(self, request, fp, code, msg, headers, newurl):
        where = redact(request.full_url)
        raise EndpointError(
            f"{where} answered HTTP {code} {msg}, a redirect to {redact(newurl)!r}: kg does not follow redirects "
            "(the query or the upload would not go along); give the new URL instead"
        )


def _http_error(error: urllib.error.HTTPError, where: str, user: str | None) -> EndpointError:
    if error.code in (401, 403):
        how = (
            f"the credentials for user {user!r} were refused" if user
            else f"it needs credentials: give --user (or {USER_ENV}) and --password (or {PASSWORD_ENV})"
        )
        return EndpointError(f"{where} answered HTTP {error.code} {error.reason}: {how}")
    try:
        body = error.read(4000).decode("utf-8", "replace")
    except OSError:
        body = ""
    lines = [line.rstrip() for line in body.strip().splitlines() if line.strip()][:12]
    detail = ("\n  " + "\n  ".join(lines)) if lines else ""
    return EndpointError(f"{where} answered HTTP {error.code} {error.reason}{detail}")


def redact(url: str) -> str:
    """``url`` without a user:password@ part."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_url(url: str):
    """The parts of an http(s) URL that urllib can send as it is; EndpointError naming what is wrong."""
    def refuse(reason: str) -> EndpointError:
        return EndpointError(f"{redact_loosely(url)!r} is not a usable http(s) URL: {reason}")

    bad = next((char for char in url if ord(char) <= 0x20 or ord(char) == 0x7F), None)
    if bad is not None:  # CR/LF would split the request line into headers of the caller's choosing
        raise refuse(f"it holds the control character or space {bad!r}")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as error:
        raise refuse(str(error)) from None
    if parts.scheme not in ("http", "https"):
        raise refuse("the scheme must be http or https")
    if not parts.hostname:
        raise refuse("it names no host")
    return parts


def redact_loosely(url: str) -> str:
    """``redact`` for a URL that may not even parse: drop anything between ``//`` and the last ``@``."""
    try:
        return redact(url)
    except ValueError:
        head, separator, rest = url.partition("//")
        return head + separator + rest.rsplit("@", 1)[-1] if "@" in rest else url


def _split_credentials(url: str, user: str | None, password: str | None):
    """Credentials written into the URL (http://user:pw@host/) move to the options."""
    parts = check_url(url)
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        name, _, secret = userinfo.partition(":")
        user = user or urllib.parse.unquote(name)
        password = password or urllib.parse.unquote(secret)
        url = redact(url)
    return url, user, password


def _authorize_in_advance(request, user: str, password: str | None, timeout: float | None) -> None:
    """Answer the server's challenge before the body goes out.

    urllib sends the whole body, reads the 401 challenge, then sends it all
    again; Virtuoso closes the connection as soon as it has sent its 401, so
    a body of tens of megabytes ends in a broken pipe. A HEAD request fetches
    the challenge, and the PUT carries its answer from the start.
    """
    probe = urllib.request.Request(request.full_url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        urllib.request.build_opener(_RefuseRedirects).open(probe, timeout=timeout or None).close()
        return  # no challenge: the PUT goes as it is
    except urllib.error.HTTPError as error:
        challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
    except (urllib.error.URLError, OSError, ValueError, EndpointError):
        return  # open_url reports an unreachable server (or a redirect) with its clear message
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, request.full_url, user, password or "")
    scheme, _, parameters = challenge.partition(" ")
    if scheme.lower() == "digest":
        handler = urllib.request.HTTPDigestAuthHandler(passwords)
        fields = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(parameters)))
        answer = handler.get_authorization(request, fields)
        if answer:
            request.add_unredirected_header("Authorization", f"Digest {answer}")
    elif scheme.lower() == "basic":
        import base64

        token = base64.b64encode(f"{user}:{password or ''}".encode("utf-8")).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")


@dataclass
class PushResult:
    url: str
    graph: str
    triples: int
    status: int
    reason: str


def push_graph(store_url: str, export: Path, graph: str = DEFAULT_GRAPH_IRI, user: str | None = None,
               password: str | None = None, timeout: float | None = 60.0) -> PushResult:
    """Replace ``graph`` on a Graph Store HTTP Protocol endpoint with the Turtle export.

    A PUT replaces the graph, so pushing twice leaves one copy.
    """
    import pyoxigraph

    from kg.sparql.runner import check_timeout

    check_timeout(timeout)
    if not export.is_file():
        raise KGError(f"{export} not found: run `kg build` first")
    data = export.read_bytes()
    try:
        triples = sum(1 for _ in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise KGError(f"{export}: not valid Turtle: {error}") from None
    store_url, user, password = _split_credentials(store_url, user, password)
    separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
    target = f"{store_url}{separator}{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(
        target, data=data, method="PUT",
        headers={"Content-Type": "text/turtle; charset=utf-8", "User-Agent": USER_AGENT},
    )
    if user is not None:
        _authorize_in_advance(request, user, password, timeout)
    with open_url(request, user, password, timeout) as response:
        _drain(response, timeout, redact(store_url))
        return PushResult(redact(store_url), graph, triples, response.status, response.reason)


#: The most of a reply body ``kg push`` reads: it needs only the status line.
MAX_REPLY_BYTES = 1 << 20


def _drain(response, timeout: float | None, where: str) -> None:
    """Read what is left of a reply, within ``timeout`` overall and MAX_REPLY_BYTES.

    ``read()`` read an endless body forever: the socket timeout only bounds
    each wait, and a server sending one byte at a time never lets it expire.
    ``read1`` returns what one wait brought, so the overall deadline is checked
    between waits; past either limit the connection is closed (the status is known).
    """
    import time

    deadline = time.monotonic() + timeout if timeout else None
    received = 0
    try:
        while received <= MAX_REPLY_BYTES:
            if deadline is not None and time.monotonic() > deadline:
                raise EndpointError(f"{where} was still sending its reply after {timeout:g} s (--timeout)",
                                    exit_code=STOPPED)
            chunk = response.read1(1 << 16)
            if not chunk:
                return
            received += len(chunk)
    except (socket.timeout, TimeoutError):
        raise EndpointError(f"{where} stopped sending its reply for {timeout:g} s (--timeout)",
                            exit_code=STOPPED) from None
    except OSError:
        return  # the upload is done and acknowledged; a reply cut short changes nothing
