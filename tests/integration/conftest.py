"""Integration tests drive real systems (Chromium, Virtuoso, killed and starved
processes, the benchmark): all of them are marked ``slow``; ``pytest -m "not slow"``
runs the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if _HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.slow)
