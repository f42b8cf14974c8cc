"""Breaking a private copy of the data: the broken-data cases share these."""

from __future__ import annotations

from pathlib import Path

from kg.core.paths import DataPaths

TEXT_002 = "002_df0a2fa518fe6822.txt"


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


#: The prefixes a seed written by ``_add_seed`` starts with (five lines: the tests name the lines after them).
SEED_PREFIXES = (
    "@prefix kz: <https://w3id.org/kzkg/id/> .\n"
    "@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
)


def _add_seed(paths: DataPaths, body: str, name: str = "zz-test.ttl", prefixes: str = SEED_PREFIXES) -> Path:
    """A seed file ``name`` under seeds/facts/: ``prefixes``, then ``body``."""
    path = paths.seeds / "facts" / name
    path.write_text(prefixes + body, encoding="utf-8")
    return path
