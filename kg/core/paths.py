"""Every path the project reads or writes, named once, and which data a command uses.

A data directory holds ``ontology.ttl``, ``seeds/`` and ``exports/``.
``data_paths`` decides which one a command uses, in this order: ``--data``
(or its argument), else ``$KG_DATA``, else the current directory or its
nearest parent holding ``ontology.ttl`` and ``seeds/`` (a checkout, or a copy
made by ``kg init``), else the graph packaged with ``kg`` (``kg/bundled`` in
the wheel, read through ``importlib.resources``), else the checkout this
code runs from (an editable install). The packaged graph is read-only: the
commands that write or check seeds ask for a working copy.
"""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

from kg.core.errors import DataError, ReadOnlyData

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_DIR.parent
SHAPES_FILE = PACKAGE_DIR / "check" / "shapes.ttl"
QUERIES_DIR = PACKAGE_DIR / "sparql" / "queries"
DATA_ENV_VAR = "KG_DATA"
#: Where ``kg build`` writes the reading pages of the texts (kg.render.reading), under exports/.
TEXTS_DIR_NAME = "texts"


def reading_page_name(file_name: str) -> str:
    """The reading page of a text file: ``000_478a….txt`` -> ``000.html``.

    >>> reading_page_name("003_b1c2.txt")
    '003.html'
    """
    return file_name.split("_", 1)[0].split(".", 1)[0] + ".html"


def quote_anchor(statement: str) -> str:
    """The fragment that points at a statement's quote in its reading page."""
    return "q-" + statement


def reading_link(file_name: str, statement: str) -> str:
    """Where a statement's quote is, relative to exports/: ``texts/000.html#q-st-…``."""
    return f"{TEXTS_DIR_NAME}/{reading_page_name(file_name)}#{quote_anchor(statement)}"


#: Where the wheel puts the built graph: a data directory inside the package.
PACKAGED_DATA_DIR = "bundled"
#: What makes a directory a data directory (a working copy of the graph).
DATA_MARKERS = ("ontology.ttl", "seeds")


# A named tuple rather than a dataclass: importing dataclasses costs ``kg query`` 10 ms.
class DataPaths(namedtuple("DataPaths", ["root", "packaged"], defaults=[False])):
    """The files of one data directory; ``packaged``: the read-only graph inside the package."""

    __slots__ = ()

    def require_working_copy(self, command: str) -> None:
        """Raise ReadOnlyData when ``command`` would write or check the packaged graph's seeds."""
        if self.packaged:
            raise ReadOnlyData(
                f"kg {command} needs a working copy of the data, not the graph packaged with kg: "
                "run `kg init DIR`, then `kg --data DIR " + command + "`"
            )

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
    def nodes_csv_export(self) -> Path:
        return self.exports / "kazakhstan-nodes.csv"

    @property
    def csvw_export(self) -> Path:
        """CSVW metadata of both CSV tables, named as CSVW looks for it beside kazakhstan.csv."""
        return self.exports / "kazakhstan.csv-metadata.json"

    @property
    def gexf_export(self) -> Path:
        return self.exports / "kazakhstan.gexf"

    @property
    def cache(self) -> Path:
        if self.packaged:  # never write into site-packages
            base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
            return Path(base) / "kazakhstan-kg"
        return self.root / ".kg-cache"

    def seed_files(self) -> list[Path]:
        """Curated Turtle files, in a stable order (texts are not Turtle)."""
        return sorted(p for p in self.seeds.rglob("*.ttl") if self.texts not in p.parents)


def is_data_dir(directory: Path) -> bool:
    """True when ``directory`` holds ``ontology.ttl`` and ``seeds/``."""
    return (directory / DATA_MARKERS[0]).is_file() and (directory / DATA_MARKERS[1]).is_dir()


def find_working_copy(start: Path) -> Path | None:
    """``start`` or its nearest parent that is a data directory, if any."""
    for directory in [start, *start.parents]:
        if is_data_dir(directory):
            return directory
    return None


def packaged_root() -> Path | None:
    """The graph packaged with ``kg`` (only an installed wheel has one)."""
    from importlib.resources import as_file, files

    resource = files("kg") / PACKAGED_DATA_DIR
    if not isinstance(resource, Path):  # a zipped install: extract once for this process
        import atexit
        from contextlib import ExitStack

        stack = ExitStack()
        atexit.register(stack.close)
        resource = stack.enter_context(as_file(resource))
    return resource if is_data_dir(resource) else None


def data_paths(
    root: str | os.PathLike[str] | None = None,
    *,
    environ: dict | None = None,
    cwd: Path | None = None,
    packaged: Path | None | bool = True,
) -> DataPaths:
    """The data a command uses: ``root``, else ``$KG_DATA``, else a working copy, else the packaged graph.

    ``environ``, ``cwd`` and ``packaged`` (a directory, or False for none)
    stand in for the process's own in tests.
    """
    if root is not None and os.fspath(root) in ("", b""):
        # "" is not "not given": falling back here once built the repository's own exports.
        raise DataError("the data directory is an empty path; give a directory, or leave --data out")
    environ = os.environ if environ is None else environ
    chosen = root or environ.get(DATA_ENV_VAR)
    if chosen:
        return DataPaths(Path(chosen).resolve())
    found = find_working_copy((cwd or Path.cwd()).resolve())
    if found is not None:
        return DataPaths(found)
    bundled = packaged_root() if packaged is True else (packaged or None)
    if bundled is not None:
        return DataPaths(Path(bundled).resolve(), packaged=True)
    if is_data_dir(REPO_ROOT):  # running from a checkout (an editable install) outside it
        return DataPaths(REPO_ROOT)
    raise DataError(
        "no data found: give --data DIR or KG_DATA, run kg inside a copy of the data, "
        "or install the kazakhstan-kg wheel, which carries the graph"
    )
