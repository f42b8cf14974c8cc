"""Running a query: in a forked child, so --timeout can always stop it (an Oxigraph query cannot be interrupted from Python) and an engine crash stays in the child; the child streams its answer back."""

from __future__ import annotations

import os
import select
import signal
import struct
from collections import namedtuple
from collections.abc import Callable
from pathlib import Path

from kg.core.errors import KGError, QueryError, Terminated
from kg.core.prefixes import PREFIXES
from kg.sparql.diagnostics import describe_syntax_error
from kg.sparql.results import Term, WRITERS, choose_labels, format_boolean, format_graph, labels_query, to_term
from kg.sparql.text import DEFAULT_TIMEOUT, GRAPH_FORMATS, STOPPED


class QueryRequest(namedtuple(
        "QueryRequest",
        ["text", "form", "fmt", "export", "cache", "endpoint", "limit", "max_rows", "labels", "lang", "timeout",
         "table_width", "allow_service", "base_iri"],
        defaults=(None, None, None, None, None, False, "en", DEFAULT_TIMEOUT, None, False, None))):
    """Everything needed to answer a query, locally or from an endpoint.

    ``export`` is the built graph and ``cache`` where its persistent store
    lives (local queries); ``endpoint`` a kg.sparql.remote.Endpoint (remote
    queries); ``allow_service`` lets a local query reach other servers;
    ``base_iri`` is what relative IRIs in the query resolve against (see
    ``query_base_iri``).
    """

    __slots__ = ()


class QueryOutcome(namedtuple("QueryOutcome", ["form", "boolean", "total", "shown"], defaults=(None, 0, 0))):
    """How a query ended: its ``form``, the ASK ``boolean``, the ``total`` rows
    (or triples) in the answer and how many were ``shown``."""

    __slots__ = ()


def run_query(request: QueryRequest, write: Callable[[str], None]) -> QueryOutcome:
    """Answer ``request``, passing the formatted output to ``write`` as it comes.

    The work happens in a forked child; if it runs past ``request.timeout``
    the child is killed and QueryError (exit code 4) is raised. Where fork
    does not exist the query runs in this process, without that guarantee.
    """
    check_timeout(request.timeout)
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return _collect(lambda send: answer_query(request, send), write)
    return _run_in_child(request, write)


#: The longest --timeout: a year. Longer ones overflow the system's timers.
MAX_TIMEOUT = 366 * 24 * 3600.0


def check_timeout(timeout: float | None) -> None:
    """Refuse a timeout that is not a number of seconds the system can wait (nan, inf, 1e10)."""
    import math

    if timeout is not None and not (math.isfinite(timeout) and 0 <= timeout <= MAX_TIMEOUT):
        raise QueryError(f"--timeout {timeout!r}: give seconds from 0 to {MAX_TIMEOUT:.0f} (0 for no limit)")


def _collect(work, write) -> QueryOutcome:
    outcome: list[QueryOutcome] = []

    def send(kind: str, payload):
        if kind == "out":
            write(payload)
        else:
            outcome.append(_outcome_from(kind, payload))

    work(send)
    return outcome[0]


def _outcome_from(kind: str, payload: dict) -> QueryOutcome:
    if kind == "error":
        if payload.get("internal"):
            raise RuntimeError(payload["message"])
        raise QueryError(payload["message"], exit_code=payload["exit_code"])
    return QueryOutcome(**payload)


# The child's answer travels as frames: one byte for the kind (o: output, d: done, e: error),
# four for the length, then the UTF-8 text. ``frame_sender`` writes them, ``read_frames`` reads them;
# kg serve's query workers speak the same frames.
_FRAME = struct.Struct(">cI")


def _run_in_child(request: QueryRequest, write) -> QueryOutcome:
    import warnings

    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded test runner
        pid = os.fork()
    if pid == 0:  # the child: answer, stream frames, never return
        os.close(read_end)
        _child_main(request, write_end)
    os.close(write_end)
    finished = False
    previous = _stop_on_termination()
    try:
        outcome = read_frames(read_end, write, request.timeout)
        finished = True
        return outcome
    finally:
        os.close(read_end)
        if not finished:
            kill_child(pid)
        reap_child(pid)
        _restore_handlers(previous)


_TERMINATING_SIGNALS = ("SIGTERM", "SIGHUP")


def _stop_on_termination() -> dict:
    """While the child runs, SIGTERM and SIGHUP raise Terminated, so the ``finally`` blocks
    above and in the callers kill the child and remove temporary files (the default action
    would end this process at once and leave both behind)."""
    previous = {}

    def terminate(signum, _frame):
        raise Terminated(signum)

    for name in _TERMINATING_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            previous[number] = signal.signal(number, terminate)
        except ValueError:  # not the main thread: signals stay as they are
            break
    return previous


def _restore_handlers(previous: dict) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)


def _child_main(request: QueryRequest, channel: int) -> None:
    # Ctrl-C and a closed pipe end the child at once; the alarm is a second
    # guarantee that it stops even if the parent vanished.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for name in _TERMINATING_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    from kg.sparql.sandbox import die_with_parent

    die_with_parent()
    if request.timeout:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, request.timeout + 1.0)

    try:
        answer_and_report(request, frame_sender(channel))
    except BaseException:
        pass
    finally:
        os._exit(0)  # never run the parent's cleanup (or flush its buffers) twice


def frame_sender(channel: int) -> Callable[[str, object], None]:
    """The ``send`` of a child process: each ``send(kind, payload)`` of ``answer_query`` written to
    the pipe ``channel`` as one frame, for ``read_frames`` in the parent."""

    def send(kind: str, payload) -> None:
        # surrogateescape: a message may name a path that is not UTF-8 (the parent decodes it back)
        data = (payload if kind == "out" else _encode_payload(kind, payload)).encode("utf-8", "surrogateescape")
        if kind == "out" and not data:
            return
        frame = _FRAME.pack(kind[0].encode(), len(data)) + data
        view = memoryview(frame)
        while view:
            view = view[os.write(channel, view):]

    return send


def answer_and_report(request: QueryRequest, send: Callable[[str, object], None], source=None) -> None:
    """``answer_query``, ending with a "done" frame or an "error" frame however the query fails.

    A foreseeable failure (the store, the disk, the system, a server's answer) is a QueryError's
    message; anything else is a bug, sent with its traceback as "internal" (the parent raises
    RuntimeError). Only BaseException (a signal, an exit) escapes.
    """
    try:
        try:
            answer_query(request, send, source)
        except KGError:
            raise
        except (OSError, RuntimeError, ValueError, MemoryError) as error:
            # The store, the disk, the system or a server's answer failed: foreseeable, not a bug.
            raise QueryError(f"the query failed: {describe_os_error(error)}") from None
    except KGError as error:
        send("error", {"message": str(error), "exit_code": error.exit_code})
    except Exception:  # a bug: the parent shows the traceback
        import traceback

        send("error", {"message": traceback.format_exc(), "exit_code": 70, "internal": True})


def read_frames(channel: int, write: Callable[[str], None], timeout: float | None) -> QueryOutcome:
    """Read a child's frames from ``channel``: output to ``write``, then its QueryOutcome.

    Raises QueryError (exit code 4) when no last frame comes within ``timeout`` seconds, QueryError
    when the child ends without one or reports an error, RuntimeError when it reports a bug.
    """
    import time

    deadline = time.monotonic() + timeout if timeout else None
    buffer = b""
    while True:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise _timed_out(timeout)
        ready, _, _ = select.select([channel], [], [], wait)
        if not ready:
            raise _timed_out(timeout)
        chunk = os.read(channel, 1 << 16)
        if not chunk:
            raise QueryError("the query engine stopped unexpectedly (its process ended without an answer)")
        buffer += chunk
        while len(buffer) >= _FRAME.size:
            kind, length = _FRAME.unpack_from(buffer)
            if len(buffer) < _FRAME.size + length:
                break
            payload = buffer[_FRAME.size : _FRAME.size + length].decode("utf-8", "surrogateescape")
            buffer = buffer[_FRAME.size + length :]
            if kind == b"o":
                write(payload)
            else:
                kind = "error" if kind == b"e" else "done"
                return _outcome_from(kind, _decode_payload(kind, payload))


# The child's last frame says how the query ended, in tab-separated fields:
# form, boolean, total, shown; or exit_code, internal, message (last, as it
# may hold tabs). Not json: importing it would add 2 ms to every ``kg query``.


def _encode_payload(kind: str, payload: dict) -> str:
    if kind == "done":
        boolean = payload.get("boolean")
        return f"{payload['form']}\t{'' if boolean is None else int(boolean)}\t{payload['total']}\t{payload['shown']}"
    return f"{payload['exit_code']}\t{int(bool(payload.get('internal')))}\t{payload['message']}"


def _decode_payload(kind: str, text: str) -> dict:
    if kind == "done":
        form, boolean, total, shown = text.split("\t")
        return {"form": form, "boolean": None if boolean == "" else boolean == "1", "total": int(total),
                "shown": int(shown)}
    exit_code, internal, message = text.split("\t", 2)
    return {"exit_code": int(exit_code), "internal": internal == "1", "message": message}


def _timed_out(timeout: float) -> QueryError:
    return QueryError(
        f"the query was stopped after {timeout:g} s (--timeout); narrow it, add a LIMIT, "
        "or allow more time with --timeout SECONDS (0 for no limit)",
        exit_code=STOPPED,
    )


def kill_child(pid: int) -> None:
    """SIGKILL a query child, if it is still there."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def reap_child(pid: int) -> None:
    """Wait for a query child to end, if it has not been reaped."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


# What the child does -------------------------------------------------------

_BATCH = 512


def answer_query(request: QueryRequest, send: Callable[[str, object], None], source=None) -> None:
    """Run the query (on the built graph or the endpoint) and ``send`` its formatted answer.

    ``source``: a LocalGraph already open (kg serve's workers answer from the store they
    inherited); by default the request's endpoint, or its export opened now. A local query
    loses the network first, whichever graph answers it.
    """
    import pyoxigraph

    if request.endpoint is None and not request.allow_service:
        _cut_off_network(request.text)
    if source is None:
        source = _source(request)
    answer = source.query(request.text, request.form)
    try:
        if isinstance(answer, pyoxigraph.QueryBoolean):
            value = bool(answer)
            send("out", format_boolean(value, request.fmt))
            send("done", {"form": "ask", "boolean": value, "total": 1, "shown": 1})
        elif isinstance(answer, pyoxigraph.QuerySolutions):
            _send_solutions(request, source, [v.value for v in answer.variables], answer, send)
        else:
            _send_graph(request, source, answer, send)
    except PermissionError as error:
        if request.endpoint is None and not request.allow_service:
            raise _network_refused() from None
        raise QueryError(f"the query failed: {describe_os_error(error)}") from None
    except (OSError, MemoryError) as error:  # while iterating: a failing SERVICE, a dropped connection,
        # or (MemoryError) one value over the 16 MB pyoxigraph's results parsers hold
        if request.endpoint is not None:
            from kg.sparql.remote import redact

            raise QueryError(f"the answer of {redact(request.endpoint.url)} could not be read: "
                             f"{describe_os_error(error)}") from None
        raise QueryError(f"the query failed: {describe_os_error(error)}") from None
    except SyntaxError as error:  # a server's answer that does not parse
        raise QueryError(f"the answer could not be read: {error}") from None


def _cut_off_network(text: str) -> None:
    """Take the network away from this (child) process before Oxigraph reads the query.

    check_query has refused SERVICE already, but with kg's tokenizer; what
    runs is decided by Oxigraph's parser, so the refusal must not depend on
    both reading the query alike. Where the system cannot take the network
    away, a query that holds the word SERVICE anywhere is refused: Oxigraph
    reads that keyword only as written (no escapes), in any letter case.
    """
    from kg.sparql.sandbox import deny_network

    if not deny_network() and "service" in text.lower():
        raise _network_refused()


def _network_refused() -> QueryError:
    return QueryError(
        "the query asks another server (SERVICE); kg query answers from the built graph only, "
        "unless you pass --allow-service"
    )


def describe_os_error(error: BaseException) -> str:
    """An OSError (or a RuntimeError from the engine) in one line: what failed and where."""
    if isinstance(error, OSError):
        where = error.filename
        what = error.strerror or str(error) or type(error).__name__
        if where is not None:
            return f"{os.fsdecode(where) if isinstance(where, bytes) else where}: {what}"
        return what
    return " ".join(str(error).split()) or type(error).__name__


def _source(request: QueryRequest):
    if request.endpoint is not None:
        return request.endpoint
    return LocalGraph(request.export, request.cache, request.base_iri)


class LocalGraph:
    """The built graph in Oxigraph, opened on first use."""

    def __init__(self, export: Path, cache: Path | None, base_iri: str | None = None):
        from kg.data.querystore import open_store

        try:
            self.store = open_store(export, cache)
        except (OSError, RuntimeError, ValueError) as error:
            raise QueryError(f"cannot open the built graph {export}: {describe_os_error(error)}") from None
        self.base_iri = base_iri

    def query(self, text: str, form: str | None):
        try:
            return self.store.query(text, prefixes=PREFIXES, base_iri=self.base_iri)
        except SyntaxError as error:
            raise QueryError(describe_syntax_error(text, str(error))) from None
        except PermissionError:  # socket() refused by the sandbox: a SERVICE the tokenizer missed
            raise _network_refused() from None
        except OSError as error:  # SERVICE failures, when allowed
            raise QueryError(f"the query failed: {describe_os_error(error)}") from None
        except RuntimeError as error:  # e.g. an extension function Oxigraph does not have
            raise QueryError(
                f"the query cannot run on the built graph: {error}. An unknown function stops a query "
                "(SPARQL 1.1, section 17.6); a server that has it can run it with --endpoint"
            ) from None

    def labels(self, iris: list[str], lang: str) -> dict[str, str]:
        return choose_labels(self.query(labels_query(iris), "select"), lang)


def query_base_iri(query_file: str | None, allow_service: bool) -> str | None:
    """What relative IRIs in a local query resolve against: its file's URL, or the working directory's.

    None with ``allow_service``: Oxigraph sends the base along with every
    SERVICE request, and a local path has no business leaving the machine
    (issue 15); relative IRIs are then refused. Without it, the query's
    child has no network, so the base cannot leave.

    >>> query_base_iri("/tmp/q.rq", False), query_base_iri("/tmp/q.rq", True)
    ('file:///tmp/q.rq', None)
    """
    if allow_service:
        return None
    return Path(query_file).resolve().as_uri() if query_file else Path.cwd().resolve().as_uri() + "/"


def _check_rows(count: int, request: QueryRequest, what: str) -> None:
    if request.max_rows and count > request.max_rows:
        raise QueryError(
            f"the query was stopped at more than {request.max_rows} {what} (--max-rows); "
            "any output above is incomplete: add a LIMIT or raise --max-rows",
            exit_code=STOPPED,
        )


def _send_solutions(request, source, variables, solutions, send) -> None:
    writer = WRITERS[request.fmt](variables, request.table_width)
    use_labels = request.labels and request.fmt in ("table", "csv")
    labels: dict[str, str] = {}
    pending = [writer.start()]  # held back until the first rows, so a failing query prints nothing
    batch: list[list[Term | None]] = []

    def flush():
        if use_labels:
            iris = {term.value for row in batch for term in row if term is not None and term.kind == "uri"}
            missing = sorted(iris - labels.keys())
            if missing:
                labels.update(dict.fromkeys(missing, ""))
                labels.update(source.labels(missing, request.lang))
        send("out", "".join(pending) + writer.rows(batch, labels))
        pending.clear()
        batch.clear()

    total = shown = 0
    for solution in solutions:
        total += 1
        _check_rows(total, request, "rows")
        if request.limit is None or total <= request.limit:
            batch.append([to_term(node) for node in solution])
            shown += 1
            if len(batch) >= _BATCH:
                flush()
    flush()
    send("out", writer.end())
    send("done", {"form": "select", "total": total, "shown": shown})


def _send_graph(request, source, triples, send) -> None:
    collected = []
    for triple in triples:
        collected.append(getattr(triple, "triple", triple))  # a parsed Quad holds a Triple
        _check_rows(len(collected), request, "triples")
    total = len(collected)
    collected.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    shown = collected if request.limit is None else collected[: request.limit]
    if request.fmt in GRAPH_FORMATS:
        send("out", format_graph(shown, request.fmt))
    else:
        writer = WRITERS[request.fmt](["subject", "predicate", "object"], request.table_width)
        rows = [[to_term(t.subject), to_term(t.predicate), to_term(t.object)] for t in shown]
        labels = {}
        if request.labels and request.fmt in ("table", "csv"):
            iris = sorted({term.value for row in rows for term in row if term.kind == "uri"})
            labels = source.labels(iris, request.lang) if iris else {}
        send("out", writer.start() + writer.rows(rows, labels) + writer.end())
    send("done", {"form": request.form or "construct", "total": total, "shown": len(shown)})
