"""The project's main entry points: load, materialize, validate."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kg.core.errors import ValidationFailed
from kg.data.load import Dataset, load_dataset
from kg.data.materialize import materialize
from kg.core.paths import DataPaths


@dataclass
class BuiltGraph:
    """The curated dataset and its materialized graph (what the exports hold)."""

    dataset: Dataset
    full: Graph


def load_graph(paths: DataPaths) -> BuiltGraph:
    """Load ontology and seeds and materialize them; no validation."""
    dataset = load_dataset(paths)
    return BuiltGraph(dataset=dataset, full=materialize(dataset.graph, dataset.ontology))


def validate_graph(built: BuiltGraph) -> list:
    """Every contract problem of ``built`` (an empty list when it conforms)."""
    from kg.check.rdflib_checks import find_problems

    return find_problems(built.dataset, built.full)


def load_valid_graph(paths: DataPaths) -> BuiltGraph:
    """Load and materialize, raising ValidationFailed when the data does not conform."""
    built = load_graph(paths)
    problems = validate_graph(built)
    if problems:
        raise ValidationFailed(problems)
    return built
