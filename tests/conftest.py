"""Shared fixtures: a built copy of the real data, and a CLI runner bound to it.

Tests never write into the repository: they run ``kg`` with ``--data`` on a
copy of ontology.ttl, seeds/ and exports/, built once per session.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.paths import DataPaths
from tests.helpers.data import Kg, copy_data, copy_small_data


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


@pytest.fixture(scope="session")
def kg(built_data) -> Kg:
    """``kg(...)`` on the session's built copy of the real data."""
    return Kg(built_data)


@pytest.fixture
def kg_fresh(fresh_data) -> Kg:
    """``kg(...)`` on a private copy that the test may modify."""
    return Kg(fresh_data)


@pytest.fixture
def small_data(tmp_path) -> DataPaths:
    """A private copy of the small data (tests/fixtures/small) that a test may break."""
    return copy_small_data(tmp_path / "small")


@pytest.fixture
def kg_small(small_data) -> Kg:
    """``kg(...)`` on a private copy of the small data."""
    return Kg(small_data)
