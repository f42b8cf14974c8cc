"""The one door from ``kg.serve`` to the rest of ``kg``.

Everything the server needs from the library — the query checks and writers
of ``kg query``, the store loader, the prefixes, the bundled queries, the
data paths — is imported here and nowhere else in ``kg.serve``, so a change
in the library's layout changes this module only.

What this module adds is a **pool of query workers**. ``kg query`` forks one
child per query so that ``--timeout`` can always stop it (an Oxigraph query
cannot be interrupted from Python); a fork costs 2-5 ms, ten times the
answer to most bundled queries. The server forks its workers once, after the
graph is loaded, so every worker shares the parent's store page for page
(the graph is loaded once, however many workers there are). A worker answers
one query at a time with ``kg query``'s own ``kg.sparql.runner.answer_and_report``
(its checks, writers, sandbox and frames); the parent reads them with
``kg query``'s own ``read_frames`` and its timeout. A worker that runs past the timeout, dies, or fails in an
unexpected way is killed and replaced by a fresh fork.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import threading
import warnings
from collections import namedtuple
from pathlib import Path

from kg.core.errors import KGError, QueryError
from kg.core.paths import DataPaths, data_paths
from kg.core.prefixes import KZ_IRI, KZO_IRI, LANGUAGES, ONTOLOGY_IRI, PREFIXES, compact_iri
from kg.data.querystore import open_store_located
from kg.facts.entities import local_name
from kg.sparql.bundled import bundled_queries
from kg.sparql.results import GRAPH_MEDIA_TYPES, MEDIA_TYPES, RESULT_MEDIA_TYPES, choose_labels, format_graph, labels_query
from kg.sparql.runner import LocalGraph, QueryRequest, answer_and_report, frame_sender, kill_child, read_frames, reap_child
from kg.sparql.text import DEFAULT_TIMEOUT, STOPPED, check_query, prefix_declarations, with_prefix_declarations

__all__ = [
    "KGError", "QueryError", "DataPaths", "data_paths", "KZ_IRI", "KZO_IRI", "LANGUAGES", "ONTOLOGY_IRI",
    "PREFIXES", "DEFAULT_TIMEOUT", "STOPPED", "bundled_queries", "check_query", "prefix_declarations",
    "compact_iri", "local_name", "LoadedGraph", "QueryWorkers", "Answer", "load_graph", "export_path", "cache_path", "texts_dir",
    "format_graph", "with_prefix_declarations", "MEDIA_TYPES", "RESULT_MEDIA_TYPES", "GRAPH_MEDIA_TYPES", "choose_labels", "labels_query",
]

#: Answers larger than this many rows (or triples) are refused, like ``kg query --max-rows``.
DEFAULT_MAX_ROWS = 100_000


def export_path(paths: DataPaths) -> Path:
    """The built graph the server answers from."""
    return paths.turtle_export


def cache_path(paths: DataPaths) -> Path:
    """Where kg query keeps the persistent store of a large export (the server shares it)."""
    return paths.cache


def texts_dir(paths: DataPaths) -> Path:
    """The source texts, for the reading pages."""
    return paths.texts


class LoadedGraph(LocalGraph):
    """The built graph, opened once, answering as ``kg query``'s LocalGraph does (its ``query`` and
    ``labels``, with the same error messages).

    Passed to ``kg.sparql.runner.answer_and_report`` as its ``source``, so a worker answers from
    the inherited store instead of opening its own.
    """

    def __init__(self, store, triples: int, location: Path | None = None):
        self.store = store
        self.base_iri = None  # a relative IRI in a query is refused: the server's directory is no base
        self.triples = triples
        self.location = location  # the persistent store's directory, or None for one in memory
        self._inherited = []

    def reopen_in_child(self) -> None:
        """In a forked worker: open a handle of its own on a persistent store.

        RocksDB's handle does not survive a fork (its threads stay in the parent), so the worker
        opens the same files read-only; the operating system's page cache holds them once for
        every process. The inherited handle is kept, never closed: closing it here would touch
        the parent's threads' state. An in-memory store is used as inherited.
        """
        if self.location is not None:
            import pyoxigraph

            self._inherited.append(self.store)
            self.store = pyoxigraph.Store.read_only(str(self.location))

    def select(self, text: str) -> list[dict]:
        """A trusted SELECT (the pages' own queries), in this process: rows as dicts of pyoxigraph terms."""
        solutions = self.store.query(text, prefixes=PREFIXES)
        names = [v.value for v in solutions.variables]
        return [{name: row[name] for name in names} for row in solutions]

    def construct(self, text: str) -> list:
        """A trusted CONSTRUCT, in this process: its triples."""
        return list(self.store.query(text, prefixes=PREFIXES))

    def ask(self, text: str) -> bool:
        return bool(self.store.query(text, prefixes=PREFIXES))

    def best_labels(self, iris, lang: str) -> dict[str, str]:
        """The best label of each IRI in ``lang`` (else English, else any): ``kg query --labels``'s choice."""
        iris = sorted(set(iris))
        found: dict[str, str] = {}
        for start in range(0, len(iris), 500):
            found.update(self.labels(iris[start:start + 500], lang))
        return found


def load_graph(export: Path, cache: Path | None = None) -> LoadedGraph:
    """Open the built graph once, as ``kg query`` does (``kg.data.querystore``): parsed into memory
    when small, else the persistent store ``kg build`` prepared under ``cache``. A missing export
    raises KGError.

    Why a large graph is not loaded into memory: Oxigraph's in-memory store writes to its pages as
    it reads them (reference counts), so a forked worker that scans a large graph ends up with a
    private copy of it (measured: 300 MB per worker at a million triples). The persistent store's
    files sit in the page cache once, whatever the number of workers.
    """
    from kg.sparql.runner import describe_os_error

    try:
        store, location = open_store_located(export, cache)
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"cannot open the built graph {export}: {describe_os_error(error)}") from None
    return LoadedGraph(store, len(store), location)


class Answer(namedtuple("Answer", ["body", "form", "outcome"])):
    """A query's formatted ``body`` (text), its ``form`` and ``kg query``'s QueryOutcome."""

    __slots__ = ()


_Worker = namedtuple("_Worker", ["pid", "requests", "answers"])
_LENGTH = struct.Struct(">I")


class QueryWorkers:
    """Forked workers that answer queries from the parent's graph, each within ``timeout`` seconds."""

    def __init__(self, graph: LoadedGraph, size: int = 2, timeout: float | None = DEFAULT_TIMEOUT,
                 max_rows: int | None = DEFAULT_MAX_ROWS):
        self.graph = graph
        self.timeout = timeout or None
        self.max_rows = max_rows
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._spawn())

    # The parent side --------------------------------------------------------

    def answer(self, text: str, form: str, fmt: str) -> Answer:
        """Answer a checked query in ``fmt`` (a ``kg query`` format); QueryError if it fails or runs too long."""
        if self._closed:
            raise QueryError("the server is stopping")
        worker = self._idle.get()
        chunks: list[str] = []
        healthy = False
        try:
            try:
                message = pickle.dumps((text, form, fmt, self.max_rows))
                os.write(worker.requests, _LENGTH.pack(len(message)) + message)
            except OSError:  # the worker died between two queries: one more try on a fresh one
                self._retire(worker)
                worker = self._spawn()
                os.write(worker.requests, _LENGTH.pack(len(message)) + message)
            outcome = read_frames(worker.answers, chunks.append, self.timeout)
            healthy = True
            return Answer("".join(chunks), form, outcome)
        except QueryError as error:
            # An error the worker reported leaves it ready for the next query; a timeout, a
            # stopped worker or a stopped-at-max-rows answer does not (replacing it is cheap).
            healthy = error.exit_code != STOPPED and _alive(worker.pid)
            raise
        except RuntimeError as error:  # a bug in the engine, reported by the worker
            raise QueryError(f"the query engine failed: {str(error).strip().splitlines()[-1]}",
                             exit_code=70) from None
        finally:
            if healthy and not self._closed:
                self._idle.put(worker)
            else:
                self._retire(worker)
                if not self._closed:
                    self._idle.put(self._spawn())

    def close(self) -> None:
        """Stop every worker (closing its pipe ends it; a busy one is killed)."""
        self._closed = True
        with self._lock:
            pids = list(self._all)
        for pid in pids:
            kill_child(pid)
        for pid in pids:
            reap_child(pid)
        with self._lock:
            self._all.clear()

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(self._all)

    def _spawn(self) -> _Worker:
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded server
            pid = os.fork()
        if pid == 0:
            os.close(requests_write)
            os.close(answers_read)
            _worker_main(self.graph, requests_read, answers_write)
        os.close(requests_read)
        os.close(answers_write)
        with self._lock:
            self._all.add(pid)
        return _Worker(pid, requests_write, answers_read)

    def _retire(self, worker: _Worker) -> None:
        for fd in (worker.requests, worker.answers):
            try:
                os.close(fd)
            except OSError:
                pass
        kill_child(worker.pid)
        reap_child(worker.pid)
        with self._lock:
            self._all.discard(worker.pid)


# The worker side ------------------------------------------------------------


def _worker_main(graph: LoadedGraph, requests: int, answers: int) -> None:
    """Answer queries read from ``requests`` until the parent closes it; never return."""
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    graph.reopen_in_child()

    send = frame_sender(answers)  # the frames of kg query's child

    try:
        with os.fdopen(requests, "rb", buffering=0) as stream:
            while True:
                header = _read_exactly(stream, _LENGTH.size)
                if header is None:
                    break
                message = _read_exactly(stream, _LENGTH.unpack(header)[0])
                if message is None:
                    break
                text, form, fmt, max_rows = pickle.loads(message)
                request = QueryRequest(text=text, form=form, fmt=fmt, max_rows=max_rows, timeout=None)
                # kg query's answer and failures; the first query also cuts this worker off the
                # network (kg.sparql.sandbox), as kg query's child is.
                answer_and_report(request, send, source=graph)
    except BaseException:
        pass
    finally:
        os._exit(0)


def _read_exactly(stream, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _alive(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == 0


