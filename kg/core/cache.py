"""Files under ``.kg-cache/``: plain data, read defensively, written with the user's umask.

A data directory may come from anyone (a download, a colleague's copy, a
folder shared by two users), and so may its ``.kg-cache/``. Nothing read
from there is ever unpickled or executed: caches are JSON or plain text,
checked by their reader, and a file that does not fit is ignored (the
caller rebuilds what it stood for). Reading never blocks or follows a
planted link: a FIFO, a device, a directory or a symbolic link where a
cache file should be counts as "no cache".

Files and folders are made with the permissions the user's umask allows
(as ``open`` and ``mkdir`` do), not private to whoever wrote them first, so
that a data directory shared by a group stays usable by all of them; a
cache that another user owns and this one cannot write is simply not
updated.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

#: A cache file larger than this is not read (the network of a million-triple graph is some 300 MB).
MAX_CACHE_BYTES = 2 << 30


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back, the only portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from ``open``: 0666 less the umask."""
    return 0o666 & ~current_umask()


def directory_mode() -> int:
    """The mode a new folder gets from ``mkdir``: 0777 less the umask."""
    return 0o777 & ~current_umask()


def make_directory(path: Path) -> None:
    """``mkdir -p`` with the umask's permissions (``tempfile.mkdtemp`` makes folders 0700)."""
    path.mkdir(parents=True, exist_ok=True)


def share_directory(path: Path) -> None:
    """Give a folder made by ``tempfile.mkdtemp`` (0700) the permissions the umask allows."""
    os.chmod(path, directory_mode())


def read_cache_bytes(path: Path, limit: int = MAX_CACHE_BYTES) -> bytes | None:
    """The bytes of the regular file ``path``; None when it is missing, not a regular file, a link, or too large."""
    try:
        # A FIFO, device or link is never opened (lstat first); O_NONBLOCK and O_NOFOLLOW
        # below still cover one planted between this look and the open.
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        chunks = []
        remaining = status.st_size + 1  # one byte more tells a file that grew while read
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(descriptor)


def read_cache_json(path: Path):
    """The JSON value kept in ``path``, or None when there is none that parses."""
    data = read_cache_bytes(path)
    if data is None:
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def write_cache_bytes(path: Path, data: bytes) -> bool:
    """Keep ``data`` in ``path`` atomically; False (and nothing left behind) when the cache cannot be written."""
    from kg.core.atomic import write_atomic
    from kg.core.errors import OutputError

    try:
        make_directory(path.parent)
        # A FIFO or device planted at a cache path is the cache's to replace: write_atomic would
        # stream into it (as -o must), and a FIFO with no reader would block forever.
        if path.is_symlink() or (path.exists() and not path.is_file()):
            path.unlink()
        write_atomic(path, data, mode=file_mode())  # the umask's mode, not the replaced file's
    except (OSError, OutputError):
        return False  # a read-only or another user's cache only costs the work next time
    return True


def write_cache_json(path: Path, value) -> bool:
    return write_cache_bytes(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def cache_key(export_digest: str, *code: Path) -> str:
    """The key of something ``kg build`` keeps for the export whose bytes have ``export_digest``:
    that digest and the code that made it (a change to that code is never read from an old file)."""
    key = hashlib.sha256(export_digest.encode())
    for path in code:
        key.update(path.read_bytes())
    return key.hexdigest()[:24]


def keep_only(target: Path, pattern: str) -> None:
    """Remove the files beside ``target`` that match ``pattern`` (those kept for an older export)."""
    for old in target.parent.glob(pattern):
        if old != target:
            try:
                old.unlink()
            except OSError:
                pass
