"""Every path the project reads or writes, named once.

The data directory (ontology, seeds, exports) defaults to the repository
root; ``KG_DATA`` or the CLI's ``--data`` point it elsewhere, so every command
runs unchanged on another copy of the data (a scaled benchmark graph, say).
"""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_DIR.parent
SHAPES_FILE = PACKAGE_DIR / "check" / "shapes.ttl"
QUERIES_DIR = PACKAGE_DIR / "sparql" / "queries"
TEMPLATES_DIR = PACKAGE_DIR / "render" / "templates"
DATA_ENV_VAR = "KG_DATA"


# A named tuple rather than a dataclass: importing dataclasses costs ``kg query`` 10 ms.
class DataPaths(namedtuple("DataPaths", ["root"])):
    """The files of one data directory."""

    __slots__ = ()

    @property
    def ontology(self) -> Path:
        return self.root / "ontology.ttl"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def texts(self) -> Path:
        return self.seeds / "texts"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def turtle_export(self) -> Path:
        return self.exports / "kazakhstan.ttl"

    @property
    def html_export(self) -> Path:
        return self.exports / "kazakhstan.html"

    @property
    def jsonld_export(self) -> Path:
        return self.exports / "kazakhstan.jsonld"

    @property
    def graphml_export(self) -> Path:
        return self.exports / "kazakhstan.graphml"

    @property
    def csv_export(self) -> Path:
        return self.exports / "kazakhstan.csv"

    @property
    def cache(self) -> Path:
        return self.root / ".kg-cache"

    def seed_files(self) -> list[Path]:
        """Curated Turtle files, in a stable order (texts are not Turtle)."""
        return sorted(p for p in self.seeds.rglob("*.ttl") if self.texts not in p.parents)


def data_paths(root: str | os.PathLike[str] | None = None) -> DataPaths:
    """The data directory: ``root`` if given, else ``$KG_DATA``, else the repository."""
    if root is not None and os.fspath(root) in ("", b""):
        # "" is not "not given": falling back here once built the repository's own exports.
        from kg.core.errors import KGError

        raise KGError("the data directory is an empty path; give a directory, or leave --data out")
    chosen = root if root is not None else (os.environ.get(DATA_ENV_VAR) or REPO_ROOT)
    return DataPaths(Path(chosen).resolve())
