"""The built graph in Oxigraph, for the read commands.

``kg query`` and the other read commands answer from ``exports/kazakhstan.ttl``.
Two ways to get it into Oxigraph, chosen by the export's size (measured on
this project's machine, each in a fresh process):

* **in memory**: parse the Turtle on every call. The curated graph
  (about 9 thousand triples, 0.6 MB) loads in 10-20 ms;
* **a persistent store** under ``.kg-cache/``: opening a RocksDB store costs
  30-45 ms whatever its size, while parsing grows with it (about 90 ms at
  48 thousand triples, 320 ms at 145 thousand, seconds at a million).

``kg build`` writes the persistent store of an export larger than
``MEMORY_LOAD_LIMIT`` bytes (``prepare_store``); a read command opens it and
never builds one itself: without it (an export copied in, a build killed
after publishing) the export is parsed in memory. ``KG_QUERY_STORE=memory``
or ``disk`` forces one way (the benchmark uses it; ``disk`` builds the store
if it is missing). The persistent store is keyed by the SHA-256 of the
export: any change gives a new key. It is built in a temporary directory and
renamed into place, so two commands started at once never see a half-built
store.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.core.errors import DataError, KGError
from kg.core.paths import DataPaths

MEMORY_LOAD_LIMIT = 1_500_000
STORE_MODE_ENV = "KG_QUERY_STORE"
_KEEP_STORES = 2
_STALE_STAGING_SECONDS = 3600


def open_store(export: Path, cache: Path | None = None, mode: str | None = None):
    """A pyoxigraph Store holding ``export``: parsed in memory, or the persistent cache."""
    mode = mode or os.environ.get(STORE_MODE_ENV) or "auto"
    if mode not in ("auto", "memory", "disk"):
        raise KGError(f"{STORE_MODE_ENV}={mode!r}: use auto, memory or disk")
    try:
        size = export.stat().st_size
    except FileNotFoundError:
        raise KGError(f"{export} not found: run `kg build` first") from None
    if cache is None or mode == "memory" or (mode == "auto" and size <= MEMORY_LOAD_LIMIT):
        return load_in_memory(export)
    target = cache / f"store-{export_digest(export, cache)}"
    if mode == "auto" and not (target / ".complete").exists():
        return load_in_memory(export)  # kg build prepares the store; a read command does not build it
    return open_persistent(export, cache)


def prepare_store(export: Path, cache: Path, turtle: bytes | None = None):
    """``kg build``'s last step: the persistent store of a large export, built now; the store to read.

    A small export is parsed from ``turtle`` (the bytes just written) instead.
    """
    import pyoxigraph

    if export.stat().st_size <= MEMORY_LOAD_LIMIT:
        if turtle is None:
            return load_in_memory(export)
        store = pyoxigraph.Store()
        store.bulk_load(turtle, format=pyoxigraph.RdfFormat.TURTLE)
        return store
    return open_persistent(export, cache)


def load_in_memory(export: Path):
    import pyoxigraph

    store = pyoxigraph.Store()
    try:  # bulk_load skips the transaction load() opens: 11 ms instead of 14 on the curated graph
        store.bulk_load(path=str(export), format=pyoxigraph.RdfFormat.TURTLE)
    except SyntaxError as error:
        raise DataError(f"cannot load into the query store: {error}", export) from None
    return store


def open_persistent(export: Path, cache: Path):
    """The read-only persistent store of ``export``, built first if needed."""
    import pyoxigraph

    target = cache / f"store-{export_digest(export, cache)}"
    if not (target / ".complete").exists():
        _build_store(export, target)
    try:
        return pyoxigraph.Store.read_only(str(target))
    except OSError as error:
        raise KGError(f"cannot open the query store {target}: {error}") from None


def export_digest(export: Path, cache: Path | None = None) -> str:
    """The export's SHA-256 (first 24 hex digits), remembered per file version.

    Hashing a large export on every query would cost more than the query, so
    the digest is kept next to the stores with the size, modification time
    and inode it was computed for; an atomic rewrite of the export changes
    the inode, any edit the time.
    """
    import hashlib
    import tempfile

    status = export.stat()
    stamp = f"{status.st_size} {status.st_mtime_ns} {status.st_ino}"
    memo = cache / "export.digest" if cache is not None else None
    if memo is not None:
        try:
            remembered_stamp, digest = memo.read_text().rsplit(" ", 1)
            if remembered_stamp == stamp:
                return digest.strip()
        except (OSError, ValueError):
            pass
    hasher = hashlib.sha256()
    with open(export, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    digest = hasher.hexdigest()[:24]
    if memo is not None:
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".digest-", dir=memo.parent)
            with os.fdopen(handle, "w") as stream:
                stream.write(f"{stamp} {digest}\n")
            os.replace(temporary, memo)
        except OSError:
            pass  # a read-only cache only costs the hash next time
    return digest


def _build_store(source: Path, target: Path) -> None:
    import shutil
    import tempfile

    import pyoxigraph

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".store-", dir=target.parent))
    except OSError as error:
        raise KGError(f"cannot create the query store in {target.parent}: {error.strerror}") from None
    try:
        store = pyoxigraph.Store(str(staging))
        try:
            store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.TURTLE)
        except SyntaxError as error:
            raise DataError(f"cannot load into the query store: {error}", source) from None
        store.flush()
        store.optimize()
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
    import shutil
    import time

    stores = sorted((p for p in cache.glob("store-*") if p != keep), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stores[_KEEP_STORES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    # Staging directories of a build that was killed half-way.
    for staging in cache.glob(".store-*"):
        try:
            if time.time() - staging.stat().st_mtime > _STALE_STAGING_SECONDS:
                shutil.rmtree(staging, ignore_errors=True)
        except OSError:
            pass


STALE_WARNING = "exports/ is older than seeds/: answering from the last build; run kg build"


def export_is_stale(paths: DataPaths) -> bool:
    """True when ontology.ttl or any file under seeds/ is newer than the built export."""
    if paths.packaged:  # built at release; pip gives the installed files arbitrary times
        return False
    try:
        built = paths.turtle_export.stat().st_mtime_ns
    except OSError:
        return False  # no export: open_store says "run kg build first"
    sources = [paths.ontology, *(p for p in paths.seeds.rglob("*") if p.is_file())]
    for path in sources:
        try:
            if path.stat().st_mtime_ns > built:
                return True
        except OSError:
            pass
    return False


def open_export_store(paths: DataPaths):
    """The query store of ``exports/kazakhstan.ttl`` (KGError "run kg build first" without one)."""
    return open_store(paths.turtle_export, paths.cache)
