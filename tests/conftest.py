"""Shared fixtures: a built copy of the real data, and a CLI runner bound to it.

Tests never write into the repository: they run ``kg`` with ``--data`` on a
copy of ontology.ttl, seeds/ and exports/, built once per session.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.paths import REPO_ROOT, DataPaths

REPO = REPO_ROOT


def copy_data(target: Path) -> DataPaths:
    """Copy the data directory (ontology, seeds, exports) to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "ontology.ttl", target / "ontology.ttl")
    shutil.copytree(REPO / "seeds", target / "seeds")
    if (REPO / "exports").is_dir():
        shutil.copytree(REPO / "exports", target / "exports")
    return DataPaths(target)


@pytest.fixture(scope="session")
def built_data(tmp_path_factory) -> DataPaths:
    """A copy of the real data, built with ``kg build`` once for the session."""
    paths = copy_data(tmp_path_factory.mktemp("data"))
    result = CliRunner().invoke(main, ["--data", str(paths.root), "build"])
    assert result.exit_code == 0, result.output
    return paths


@pytest.fixture
def fresh_data(tmp_path) -> DataPaths:
    """A private copy of the data that a test may break."""
    return copy_data(tmp_path / "data")


class Kg:
    """Runs ``kg`` through CliRunner against one data directory."""

    def __init__(self, paths: DataPaths):
        self.paths = paths
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(main, ["--data", str(self.paths.root), *args], input=input, catch_exceptions=False)


@pytest.fixture(scope="session")
def kg(built_data) -> Kg:
    """``kg(...)`` on the session's built copy of the real data."""
    return Kg(built_data)


@pytest.fixture
def kg_fresh(fresh_data) -> Kg:
    """``kg(...)`` on a private copy that the test may modify."""
    return Kg(fresh_data)
