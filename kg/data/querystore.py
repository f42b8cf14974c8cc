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
if it is missing).

The persistent store is keyed by the SHA-256 of the very bytes it was
loaded from: the file is read once, and those bytes are hashed and loaded, so an
export swapped by a concurrent build can never be stored under another export's key. It is
built in a temporary directory and renamed into place, so two commands
started at once never see a half-built store. Its ``.complete`` marker lists
every file of the store with its size: a store truncated or emptied since
(a full disk, a careless copy) is noticed when opened, removed and built
again, or, when the cache cannot be written (a read-only data directory,
another user's cache, a full disk), the export is read into memory instead.
The export itself must be a readable regular file; anything else is one
line naming it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

from kg.core.cache import read_cache_bytes, read_cache_json, share_directory, write_cache_bytes
from kg.core.errors import DataError, KGError
from kg.core.paths import DataPaths

MEMORY_LOAD_LIMIT = 1_500_000
STORE_MODE_ENV = "KG_QUERY_STORE"
_KEEP_STORES = 2
_COMPLETE = ".complete"
#: Files RocksDB may rewrite while a store is open: not part of what is checked.
_UNCHECKED = ("LOG", "LOCK")


def open_store(export: Path, cache: Path | None = None, mode: str | None = None):
    """A pyoxigraph Store holding ``export``: parsed in memory, or the persistent cache."""
    return open_store_located(export, cache, mode)[0]


def open_store_located(export: Path, cache: Path | None = None, mode: str | None = None):
    """``(store, location)``: ``open_store``'s store, and the directory of the persistent store it
    opened (None for a store in memory). A process that forks readers (``kg serve``'s query
    workers) needs it: a RocksDB handle does not survive a fork, so each reader opens the
    same files read-only (``pyoxigraph.Store.read_only(location)``)."""
    mode = mode or os.environ.get(STORE_MODE_ENV) or "auto"
    if mode not in ("auto", "memory", "disk"):
        raise KGError(f"{STORE_MODE_ENV}={mode!r}: use auto, memory or disk")
    with open_export(export) as stream:
        status = os.fstat(stream.fileno())
        if cache is None or mode == "memory" or (mode == "auto" and status.st_size <= MEMORY_LOAD_LIMIT) or not _utf8(cache):
            return load_stream(stream, export), None
        target = cache / f"store-{_stream_digest(stream, status, cache)}"
        store, damaged = open_complete(target)
        if store is not None:
            return store, target
        if mode == "auto" and not damaged:
            return load_stream(stream, export), None  # kg build prepares the store; a read command only repairs one
        stream.seek(0)
        return build_store(stream, export, cache)


def prepare_store(export: Path, cache: Path, turtle: bytes):
    """``kg build``'s last step: the store to read ``turtle`` (the export's bytes, as written) from.

    A large export's persistent store is built now, from these bytes and
    keyed by their digest (never from the file, which another build may have
    replaced meanwhile); a small one is parsed in memory.
    """
    import io

    if len(turtle) <= MEMORY_LOAD_LIMIT or not _utf8(cache):
        return load_bytes(turtle, export)
    store, _ = open_complete(cache / f"store-{digest_of(turtle)}")
    if store is not None:
        return store
    return build_store(io.BytesIO(turtle), export, cache, chunked=True)[0]


def _utf8(path: Path) -> bool:
    """Whether RocksDB can open a store under ``path``: it takes UTF-8 paths only, so a data
    directory whose name is not UTF-8 is read into memory instead (issue 15)."""
    try:
        str(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def digest_of(data: bytes) -> str:
    """The key of a store: the SHA-256 of the export's bytes, first 24 hex digits."""
    return hashlib.sha256(data).hexdigest()[:24]


@contextlib.contextmanager
def open_export(export: Path):
    """The export, opened for reading: a readable regular file, or one line saying what it is."""
    try:
        descriptor = os.open(export, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise KGError(f"{export} not found: run `kg build` first") from None
    except IsADirectoryError:
        raise DataError("is a directory, expected the Turtle export that kg build writes", export) from None
    except OSError as error:
        raise DataError(f"cannot be read ({error.strerror})", export) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise DataError(f"is {kind}, expected the Turtle export that kg build writes", export)
    os.set_blocking(descriptor, True)
    with os.fdopen(descriptor, "rb") as stream:
        yield stream


def load_bytes(data: bytes, export: Path):
    import pyoxigraph

    store = pyoxigraph.Store()
    try:
        store.bulk_load(data, format=pyoxigraph.RdfFormat.TURTLE)
    except SyntaxError as error:
        raise DataError(f"cannot load into the query store: {error}", export) from None
    return store


def load_stream(stream, export: Path):
    """The export's bytes from ``stream`` (the file opened once), parsed into an in-memory store."""
    stream.seek(0)
    try:
        data = stream.read()
    except OSError as error:
        raise DataError(f"cannot be read ({error.strerror})", export) from None
    return load_bytes(data, export)


def load_in_memory(export: Path):
    """The export parsed into an in-memory store."""
    with open_export(export) as stream:
        return load_stream(stream, export)


class _HashingReader:
    """A binary stream that hashes what is read through it: the digest of exactly the bytes loaded."""

    def __init__(self, stream):
        self.stream = stream
        self.hasher = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.hasher.update(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def finish(self) -> str:
        while self.read(1 << 20):  # whatever the parser did not ask for still counts
            pass
        return self.hasher.hexdigest()[:24]


def _store_files(directory: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in directory.iterdir()
            if p.is_file() and p.name != _COMPLETE and not p.name.startswith(_UNCHECKED)}


def open_complete(target: Path):
    """``(store, damaged)``: the read-only store at ``target`` when it is there and whole.

    A store whose files no longer match its ``.complete`` list (truncated,
    emptied, removed) or that Oxigraph cannot open is damaged: it is moved
    out of the way when the cache can be written, and ``(None, True)``
    returned so the caller builds it again (or reads the export into memory).
    """
    import pyoxigraph

    if not os.path.lexists(target):
        return None, False
    manifest = read_cache_json(target / _COMPLETE)
    try:
        whole = isinstance(manifest, dict) and target.is_dir() and not target.is_symlink() \
            and manifest.get("files") == _store_files(target)
    except OSError:  # another user's store that this one cannot list
        return None, False
    if whole:
        try:
            return pyoxigraph.Store.read_only(os.fspath(target)), False
        except (OSError, RuntimeError, ValueError):
            pass
    _discard(target)
    return None, True


def _discard(target: Path) -> None:
    """Move a damaged store aside and remove it; a store this user cannot remove is left as it is."""
    try:
        aside = Path(tempfile.mkdtemp(prefix=".store-damaged-", dir=target.parent))
        os.rename(target, aside / "store")
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)


#: Triples per call to the bulk loader when ``build_store`` loads in parts: Oxigraph's
#: loader sorts up to a million triples in memory at once (about 880 MB at a million
#: triples, which put kg build past 1 GiB); in parts of this size it holds some 250 MB.
BULK_LOAD_PART = 200_000


def _bulk_load_in_parts(store, data: bytes) -> None:
    """``store.bulk_load(data)`` (Turtle) a part at a time, to bound the loader's memory."""
    import itertools

    import pyoxigraph

    quads = iter(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))
    while part := list(itertools.islice(quads, BULK_LOAD_PART)):
        store.bulk_extend(part)


def build_store(stream, export: Path, cache: Path, chunked: bool = False):
    """Build the persistent store of what ``stream`` holds, keyed by the digest of the bytes loaded:
    ``(store, its directory)``.

    When the cache cannot be written (read-only, another user's, a full
    disk) nothing is left behind and the export is read into memory instead
    (``(store, None)``). ``chunked``: load in parts of ``BULK_LOAD_PART``
    triples, for ``kg build`` (not in a forked query child, where Python
    handing triples to Oxigraph's loader threads is best avoided).
    """
    import pyoxigraph

    try:
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".store-", dir=cache))
        share_directory(staging)
        claim = _claim(staging)
    except OSError:
        stream.seek(0)
        return load_stream(stream, export), None
    try:
        # Read once, hash what was read, load those very bytes. (Not a hashing
        # reader handed to bulk_load: in the query's forked child, Oxigraph
        # calling back into Python from its worker threads can hang.)
        data = stream.read()
        digest = digest_of(data)
        store = pyoxigraph.Store(os.fspath(staging))
        try:
            if chunked:
                _bulk_load_in_parts(store, data)
            else:
                store.bulk_load(data, format=pyoxigraph.RdfFormat.TURTLE)
            del data
            store.flush()
            store.optimize()
        except SyntaxError as error:
            raise DataError(f"cannot load into the query store: {error}", export) from None
        finally:
            del store
        manifest = {"digest": digest, "files": _store_files(staging)}
        if not write_cache_bytes(staging / _COMPLETE, json.dumps(manifest).encode()):
            raise OSError("cannot write the store's marker")
        target = cache / f"store-{digest}"
        try:
            os.rename(staging, target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another process finished first: use its store
    except (OSError, RuntimeError):
        # A full disk, a cache that stopped being writable: answer from memory, leave nothing behind.
        shutil.rmtree(staging, ignore_errors=True)
        stream.seek(0)
        return load_stream(stream, export), None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.close(claim)
    _prune(cache, keep=target)
    store, _ = open_complete(target)
    if store is None:
        stream.seek(0)
        return load_stream(stream, export), None
    return store, target


def _stream_digest(stream, status: os.stat_result, cache: Path) -> str:
    """The digest of the export open in ``stream``, remembered per file version.

    Hashing a large export on every query would cost more than the query, so
    the digest is kept next to the stores with the size, modification time
    and inode of the file it was computed from (read from the open file, so
    the digest and its stamp are of the same bytes); an atomic rewrite of the
    export changes the inode, any edit the time.
    """
    memo = cache / "export.digest"
    remembered = read_cache_bytes(memo, limit=4096)
    if remembered is not None:
        try:
            remembered_stamp, digest = remembered.decode("ascii").rsplit(" ", 1)
            if remembered_stamp == _stamp(status) and len(digest.strip()) == 24:
                return digest.strip()
        except (UnicodeDecodeError, ValueError):
            pass
    stream.seek(0)
    reader = _HashingReader(stream)
    digest = reader.finish()
    remember_digest(cache, status, digest)
    return digest


def _stamp(status: os.stat_result) -> str:
    return f"{status.st_size} {status.st_mtime_ns} {status.st_ino}"


def remember_digest(cache: Path, status: os.stat_result, digest: str) -> None:
    """Remember that the export file version ``status`` has ``digest`` (``kg build`` knows it for
    the file it published: the first read command then need not hash a 1.2 GB export)."""
    write_cache_bytes(cache / "export.digest", f"{_stamp(status)} {digest}\n".encode("ascii"))  # read-only: hashed next time


def export_digest(export: Path, cache: Path | None = None) -> str:
    """The export's SHA-256 (first 24 hex digits), remembered in ``cache`` per file version."""
    with open_export(export) as stream:
        status = os.fstat(stream.fileno())
        if cache is None:
            return _HashingReader(stream).finish()
        return _stream_digest(stream, status, cache)


def _prune(cache: Path, keep: Path) -> None:
    """Remove old stores, keeping the newest few (another command may still read one)."""
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    stores = sorted((p for p in cache.glob("store-*") if p != keep), key=modified, reverse=True)
    for old in stores[_KEEP_STORES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    # Staging directories of builds that were killed half-way: no process holds their lock any more.
    for staging in cache.glob(".store-*"):
        if time.time() - modified(staging) < 60:
            continue  # just made: its builder may not hold the lock yet
        try:
            claim = _claim(staging, wait=False)
        except OSError:
            continue  # being built by a running process (or not ours to remove)
        try:
            shutil.rmtree(staging, ignore_errors=True)
        finally:
            os.close(claim)


def _claim(directory: Path, wait: bool = True) -> int:
    """Lock a staging folder for as long as the returned descriptor stays open (the kernel
    releases it when the process dies): a running build's folder is never pruned by another."""
    import fcntl

    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


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
