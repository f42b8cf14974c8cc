"""What tests share: copies of the data directory, and ``kg`` run through CliRunner on one."""

from __future__ import annotations

import shutil
from pathlib import Path

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


class Kg:
    """Runs ``kg`` through CliRunner against one data directory."""

    def __init__(self, paths: DataPaths):
        self.paths = paths
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(main, ["--data", str(self.paths.root), *args], input=input, catch_exceptions=False)
