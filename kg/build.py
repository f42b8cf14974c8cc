"""``kg build``: validate, then write every export.

Every artifact is rendered in memory first; only when all of them are ready
are they written, each atomically. A failure while rendering leaves exports/
exactly as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .atomic import write_atomic
from .graph import BuiltGraph, load_valid_graph
from .paths import DataPaths

Artifact = tuple[Path, bytes]
Renderer = Callable[[BuiltGraph, DataPaths], list[Artifact]]


def render_turtle(built: BuiltGraph, paths: DataPaths) -> list[Artifact]:
    from .exports import serialize_turtle

    return [(paths.turtle_export, serialize_turtle(built.full))]


def render_exchange_formats(built: BuiltGraph, paths: DataPaths) -> list[Artifact]:
    from .exports import exchange_artifacts

    return exchange_artifacts(built.full, paths)


def render_main_view(built: BuiltGraph, paths: DataPaths) -> list[Artifact]:
    from .html import page_data, render_page
    from .network import build_network

    network = build_network(built.full)
    data = page_data(built.full, network, "Kazakhstan's foreign relations", "en")
    return [(paths.html_export, render_page(data).encode("utf-8"))]


#: What ``kg build`` writes, in order. Each renderer returns (path, bytes) pairs.
RENDERERS: list[Renderer] = [render_turtle, render_main_view, render_exchange_formats]


def build_exports(paths: DataPaths) -> list[Path]:
    """Validate the data, render every artifact, then write them all."""
    built = load_valid_graph(paths)
    artifacts: list[Artifact] = []
    for renderer in RENDERERS:
        artifacts.extend(renderer(built, paths))
    paths.exports.mkdir(parents=True, exist_ok=True)
    written = []
    for path, content in artifacts:
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(write_atomic(path, content))
    return written
