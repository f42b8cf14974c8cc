"""Replace the whole exports/ directory at once: readers see the old set or the new.

``kg build`` writes every artifact into a staging directory beside
``exports/``, fsyncs it, then swaps the two directories with one
``renameat2(RENAME_EXCHANGE)`` system call: there is no moment at which
``exports/`` holds a mix of old and new files, or is missing. Where the file
system cannot exchange (not Linux, or an old kernel), it falls back to two
renames and ``recover_exports`` finishes or undoes a swap that a kill
interrupted.

Builds of one data directory take turns: ``publish`` holds an exclusive
``flock`` on ``.kg-build.lock`` beside ``exports/`` while it recovers,
stages and swaps, so one build's recovery never deletes the folder another
is still writing, and every build publishes a whole set. The lock file is
never deleted (deleting a lock file lets two holders in); the kernel lets
go of the lock when its holder exits, even when killed.

``exports`` must be a real folder, or absent: a symbolic link (whose target
would never be updated) or a regular file there is refused, not moved aside.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import stat
import shutil
import tempfile
from pathlib import Path

from kg.core.cache import share_directory
from kg.core.errors import OutputError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STAGING_PREFIX = ".exports.new-"
_OLD_PREFIX = ".exports.old-"
LOCK_NAME = ".kg-build.lock"


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


def check_exports_folder(exports: Path) -> None:
    """Refuse an ``exports`` that is neither a real folder nor absent, with one line saying what it is."""
    try:
        status = os.lstat(exports)
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"{exports}: cannot be read ({error.strerror})") from None
    if stat.S_ISLNK(status.st_mode):
        raise OutputError(f"{exports}: is a symbolic link; kg build replaces exports/ as a whole and will not "
                          "replace a link (remove it, or point --data at the folder it leads to)")
    if not stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{exports}: is not a folder; kg build writes its exports into a folder there "
                          "(move the file away first)")


@contextlib.contextmanager
def build_lock(root: Path):
    """Hold the exclusive lock that makes the builds of one data directory take turns."""
    path = root / LOCK_NAME
    descriptor = None
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):  # another user's lock file can still be locked read-only
        try:
            descriptor = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
            break
        except OSError as error:
            problem = error
    if descriptor is None:
        raise OutputError(f"{path}: cannot open the build lock ({problem.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OutputError(f"{path}: is not a regular file; kg build locks it to take turns with other builds")
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing lets go of the lock


def recover_exports(exports: Path) -> None:
    """Undo what an interrupted publish left behind: staging dirs, a half-done swap.

    Only called with the build lock held: every staging folder found then
    belongs to a build that is no longer running.
    """
    parent = exports.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(_OLD_PREFIX + "*"))
    if not os.path.lexists(exports) and olds:
        # Killed between the fallback's two renames: put the old exports back.
        os.rename(olds[-1], exports)
        olds = olds[:-1]
    for leftover in [*parent.glob(_STAGING_PREFIX + "*"), *olds]:
        shutil.rmtree(leftover, ignore_errors=True)


def publish(exports: Path, files: list[tuple[Path, bytes]], status: dict | None = None) -> list[Path]:
    """Make ``exports`` hold exactly ``files`` (paths inside ``exports``), all at once.

    ``status``, when given, gets each file's ``os.stat`` as written (its inode
    and time survive the swap): what was published, whatever another build
    publishes after it.
    """
    check_exports_folder(exports)
    with build_lock(exports.parent):
        check_exports_folder(exports)
        recover_exports(exports)
        return _publish_locked(exports, files, status)


def _publish_locked(exports: Path, files: list[tuple[Path, bytes]], status: dict | None = None) -> list[Path]:
    parent = exports.parent
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
        share_directory(staging)  # mkdtemp made it 0700; the umask decides, as for every other folder
        _fsync_tree(staging)
        if status is not None:
            status.update((path, os.stat(staging / path.relative_to(exports))) for path in written)
        if not os.path.lexists(exports):
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
