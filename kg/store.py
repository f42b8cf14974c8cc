"""A persistent Oxigraph store of the built graph, for fast queries.

``kg query`` answers from ``exports/kazakhstan.ttl``. Parsing it on every call
would dominate the run time, so it is loaded once into an on-disk Oxigraph
store under ``.kg-cache/``, keyed by the SHA-256 of the export: any change to
the export gives a new key and a fresh store. The store is built in a
temporary directory and renamed into place, so two commands started at once
never see a half-built store; the loser of the race uses the winner's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import DataError, KGError
from .paths import DataPaths

_KEEP_STORES = 2


def export_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:24]


def open_store(paths: DataPaths, source: Path | None = None):
    """A read-only pyoxigraph Store holding ``source`` (default: the Turtle export)."""
    import pyoxigraph

    source = source or paths.turtle_export
    if not source.is_file():
        raise KGError(f"{source} not found: run `kg build` first")
    key = export_digest(source)
    target = paths.cache / f"store-{key}"
    if not (target / ".complete").exists():
        _build_store(source, target)
    try:
        return pyoxigraph.Store.read_only(str(target))
    except OSError as error:
        raise KGError(f"cannot open the query store {target}: {error}") from None


def _build_store(source: Path, target: Path) -> None:
    import pyoxigraph

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=target.parent))
    try:
        store = pyoxigraph.Store(str(staging))
        try:
            store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.TURTLE)
        except SyntaxError as error:
            raise DataError(f"cannot load into the query store: {error}", source) from None
        store.flush()
        del store
        (staging / ".complete").write_text("ok\n")
        try:
            os.rename(staging, target)
        except OSError:
            # Another process finished first: use its store, drop ours.
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(target.parent, keep=target)


def _prune(cache: Path, keep: Path) -> None:
    """Remove old stores, keeping the newest few (another command may still read one)."""
    stores = sorted((p for p in cache.glob("store-*") if p != keep), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stores[_KEEP_STORES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
