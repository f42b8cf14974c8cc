"""docs/python.md is a walkthrough whose examples run: here, as a doctest on the built graph."""

from __future__ import annotations

import doctest

from kg.core.paths import REPO_ROOT


def test_python_walkthrough_runs(built_data, monkeypatch):
    monkeypatch.setenv("KG_DATA", str(built_data.root))
    failures, attempted = doctest.testfile(
        str(REPO_ROOT / "docs" / "python.md"), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert attempted > 20
    assert failures == 0
