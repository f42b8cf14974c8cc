"""What tests share: copies of the data directory, and ``kg`` run through CliRunner on one."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.core.paths import REPO_ROOT, DataPaths

REPO = REPO_ROOT
#: A few hundred triples cut from the real seeds (tests/fixtures/small/README.md).
SMALL_SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "small" / "seeds"
SMALL_TEXTS = ("002_df0a2fa518fe6822.txt",)


def copy_data(target: Path) -> DataPaths:
    """Copy the data directory (ontology, seeds, exports) to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "ontology.ttl", target / "ontology.ttl")
    shutil.copytree(REPO / "seeds", target / "seeds")
    if (REPO / "exports").is_dir():
        shutil.copytree(REPO / "exports", target / "exports")
    return DataPaths(target)


def copy_small_data(target: Path) -> DataPaths:
    """A small data directory at ``target`` (no exports): the real ontology and text 002, and the
    seeds of tests/fixtures/small, which state a few facts of that text."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "ontology.ttl", target / "ontology.ttl")
    shutil.copytree(SMALL_SEEDS, target / "seeds")
    (target / "seeds" / "texts").mkdir()
    for name in SMALL_TEXTS:
        shutil.copy2(REPO / "seeds" / "texts" / name, target / "seeds" / "texts" / name)
    return DataPaths(target)


class Kg:
    """Runs ``kg`` through CliRunner against one data directory."""

    def __init__(self, paths: DataPaths):
        self.paths = paths
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(main, ["--data", str(self.paths.root), *args], input=input, catch_exceptions=False)
