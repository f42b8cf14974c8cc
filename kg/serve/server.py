"""Run the application under uvicorn: load the graph once, fork the query
workers, bind, say where, and stop cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable

import uvicorn

from .app import DEFAULT_MAX_BODY, create_app
from .engine import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, DataPaths, QueryWorkers, cache_path, export_path, load_graph


class _Server(uvicorn.Server):
    """uvicorn's server, printing one line with the address once it listens."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[str], None]):
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if self.started and self.servers:
            host, port = self.servers[0].sockets[0].getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host
            self.announce(f"http://{shown}:{port}/")

    @contextlib.contextmanager
    def capture_signals(self):
        # uvicorn shuts down gracefully on SIGINT/SIGTERM, then raises the signal again, which would
        # kill this process before it stops its workers: a stop asked for is a clean exit here.
        with super().capture_signals():
            yield
            self.stop_signals = list(getattr(self, "_captured_signals", []))
            if hasattr(self, "_captured_signals"):
                self._captured_signals.clear()


def serve(paths: DataPaths, *, host: str = "127.0.0.1", port: int = 8000, cors: bool = False,
          workers: int | None = None, timeout: float | None = DEFAULT_TIMEOUT,
          max_rows: int | None = DEFAULT_MAX_ROWS, max_body: int = DEFAULT_MAX_BODY,
          say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)) -> None:
    """Serve the built graph until Ctrl-C or SIGTERM. Raises KGError when there is no built graph."""
    started = time.monotonic()
    export = export_path(paths)
    graph = load_graph(export, cache_path(paths))
    loaded = time.monotonic() - started
    # Fork before uvicorn starts its threads and event loop: the workers share the loaded graph.
    server = None
    pool = QueryWorkers(graph, size=workers or max(2, os.cpu_count() or 2), timeout=timeout, max_rows=max_rows)
    try:
        app = create_app(graph, pool, paths, cors=cors, max_body=max_body)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                lifespan="off", timeout_graceful_shutdown=5, server_header=False,
                                h11_max_incomplete_event_size=max_body)

        def announce(address: str) -> None:
            where = f"store {graph.location}" if graph.location else "in memory"
            say(f"kg serve: {address} ({graph.triples} triples from {export}, {where}, opened in {loaded:.1f} s; "
                f"SPARQL at {address}sparql; Ctrl-C to stop)")

        server = _Server(config, announce)
        server.run()
    finally:
        pool.close()
    if getattr(server, "stop_signals", None):
        say("kg serve: stopped")
