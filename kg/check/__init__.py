"""The data contract, checked in Oxigraph: SHACL shapes compiled to SPARQL, and the evidence rules.

``check_store`` is the one entry point: ``kg build`` and ``kg validate`` both call it.
"""

from __future__ import annotations

from kg.check.contract import find_problems_in_store
from kg.check.problems import Problem
from kg.core.errors import ValidationFailed
from kg.core.paths import DataPaths
from kg.data.store import materialized_store

__all__ = ["Problem", "check_store", "find_problems_in_store", "valid_store"]


def check_store(store, paths: DataPaths) -> None:
    """Raise ValidationFailed, each problem with its file and line, when ``store`` does not conform.

    A build loads the seeds into one graph, which cannot say which file
    stated a triple; on failure (rare) the data is loaded again with one
    graph per file so that every problem names its file and line.
    """
    if find_problems_in_store(store, paths):
        located = materialized_store(paths, per_file_graphs=True)
        raise ValidationFailed(find_problems_in_store(located, paths))


def valid_store(paths: DataPaths):
    """Load, materialize and check the data; the store, or ValidationFailed."""
    store = materialized_store(paths)
    check_store(store, paths)
    return store
