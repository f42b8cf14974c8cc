"""A TCP port on 127.0.0.1 that records every connection made to it: the tests that prove kg reaches no server."""

from __future__ import annotations

import contextlib
import socket
import threading


@contextlib.contextmanager
def recording_listener():
    """``(port, connections)``: each accepted connection's peer address is appended to ``connections``."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.02)  # the accepting thread sees the stop at once
    connections: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except OSError:
                continue
            connections.append(peer)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], connections
    finally:
        stop.set()
        thread.join(2)
        server.close()
