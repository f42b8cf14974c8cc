"""Replace the whole exports/ directory at once: readers see the old set or the new.

``kg build`` writes every artifact into a staging directory beside
``exports/``, fsyncs it, then swaps the two directories with one
``renameat2(RENAME_EXCHANGE)`` system call: there is no moment at which
``exports/`` holds a mix of old and new files, or is missing. Where the file
system cannot exchange (not Linux, or an old kernel), it falls back to two
renames and ``recover_exports`` finishes or undoes a swap that a kill
interrupted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from pathlib import Path

from kg.core.errors import OutputError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STAGING_PREFIX = ".exports.new-"
_OLD_PREFIX = ".exports.old-"


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths; False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first))


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            with open(path, "rb") as stream:
                os.fsync(stream.fileno())
    for directory in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def recover_exports(exports: Path) -> None:
    """Undo what an interrupted publish left behind: staging dirs, a half-done swap."""
    parent = exports.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(_OLD_PREFIX + "*"))
    if not exports.exists() and olds:
        # Killed between the fallback's two renames: put the old exports back.
        os.rename(olds[-1], exports)
        olds = olds[:-1]
    for leftover in [*parent.glob(_STAGING_PREFIX + "*"), *olds]:
        shutil.rmtree(leftover, ignore_errors=True)


def publish(exports: Path, files: list[tuple[Path, bytes]]) -> list[Path]:
    """Make ``exports`` hold exactly ``files`` (paths inside ``exports``), all at once."""
    parent = exports.parent
    recover_exports(exports)
    try:
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=parent))
    except OSError as error:
        raise OutputError(f"{parent}: cannot write exports ({error.strerror})") from None
    try:
        written = []
        for path, content in files:
            relative = path.relative_to(exports)
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written.append(path)
        for directory in [staging, *staging.rglob("*")]:
            if directory.is_dir():
                directory.chmod(0o755)
        _fsync_tree(staging)
        if not exports.exists():
            os.rename(staging, exports)
        elif _exchange(staging, exports):
            shutil.rmtree(staging, ignore_errors=True)
        else:
            old = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX, dir=parent))
            os.rmdir(old)
            os.rename(exports, old)
            os.rename(staging, exports)
            shutil.rmtree(old, ignore_errors=True)
        return written
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{exports}: writing the exports failed ({error.strerror or error}); the previous exports are intact") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
