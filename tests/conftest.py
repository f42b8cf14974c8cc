"""Shared fixtures: a built copy of the real data, and a CLI runner bound to it.

Tests never write into the repository: they run ``kg`` with ``--data`` on a
copy of ontology.ttl, seeds/ and exports/, built once per session.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.paths import DataPaths
from kg.data.graph import load_graph
from tests.helpers.data import Kg, copy_data, copy_small_data
from tests.helpers.rdflib_load import rdflib_pipeline


@pytest.fixture(scope="session")
def built_data(tmp_path_factory) -> DataPaths:
    """A copy of the real data, built with ``kg build`` once for the session."""
    paths = copy_data(tmp_path_factory.mktemp("data"))
    result = CliRunner().invoke(main, ["--data", str(paths.root), "build"])
    assert result.exit_code == 0, result.output
    return paths


@pytest.fixture(scope="session")
def built_graph(built_data):
    """The session's export read into an rdflib Graph (``kg.data.graph.load_graph(...).full``), read
    once: tests read it, never change it."""
    return load_graph(built_data).full


@pytest.fixture(scope="session")
def rdflib_reading(built_data):
    """The rdflib second opinion's (dataset, materialized graph) of the session's data, read once:
    tests read them, never change them."""
    return rdflib_pipeline(built_data)


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


# -- two workers (pytest-xdist, addopts in pyproject.toml) ---------------------------------------

#: Modules one worker runs whole, because their module-scoped fixtures are costly to make twice;
#: longest first, as they are handed out first. Every other test goes to whichever worker is free.
WHOLE_MODULES = (
    "tests/integration/test_html_browser.py",  # one Chromium
    "tests/integration/test_distribution.py",  # the sdist and wheel built, the wheel installed, once
    "tests/integration/test_serve.py",  # two kg serve processes
    "tests/integration/test_virtuoso.py",  # one Virtuoso
    "tests/network/test_store.py",  # the networks and a large-path copy of the built data
    "tests/integration/test_serve_browser.py",  # one Chromium and one kg serve
    "tests/render/test_exports.py",  # every format exported once
    "tests/serve/test_site.py",  # the static site written once
    "tests/integration/test_scale.py",  # the grown graph generated once
)


def pytest_collection_modifyitems(items):
    """The whole modules first, then the other integration tests (a million triples, concurrent
    builds), then the many short tests, which even out the two workers at the end."""
    def rank(item):
        path = item.path.relative_to(Path(__file__).parent.parent).as_posix()
        if path in WHOLE_MODULES:
            return WHOLE_MODULES.index(path)
        return len(WHOLE_MODULES) + ("integration" not in item.path.parts)

    items.sort(key=rank)


def pytest_xdist_make_scheduler(config, log):
    """Hand out single tests, except the WHOLE_MODULES, in collection order.

    This is ``--dist loadgroup`` with the groups named here: pytest-xdist 3.8 marks a group by
    renaming ``item._nodeid``, which pytest 9 no longer reads, so its ``xdist_group`` groups nothing.
    """
    from xdist.scheduler import LoadScopeScheduling

    class WholeModules(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in WHOLE_MODULES else nodeid

    config.option.loadscopereorder = False  # keep the order of pytest_collection_modifyitems
    return WholeModules(config, log)
