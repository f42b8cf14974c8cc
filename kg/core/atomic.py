"""Write files so that a reader sees the old content or the new, never a mix.

The content goes to a temporary file in the target's own directory (so the
final rename stays on one file system), is flushed and fsynced, and replaces
the target with one ``os.replace``. On any failure the temporary file is
removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from collections.abc import Iterator

from kg.core.cache import file_mode
from kg.core.errors import OutputError


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise OutputError(f"{path}: is a directory, expected a file path")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{path}: parent directory {parent} does not exist")


def _special_file_kind(path: Path) -> str | None:
    """What ``path`` is if it exists and is neither a regular file nor a directory, else None."""
    try:
        mode = os.stat(path).st_mode  # through symlinks: a link to /dev/null is a device
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({error.strerror})") from None
    for test, kind in ((stat.S_ISCHR, "character device"), (stat.S_ISFIFO, "FIFO"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return kind
    return None


@contextlib.contextmanager
def _stream_writer(target: Path, kind: str) -> Iterator[object]:
    """Write into a character device or a FIFO as a stream, as a shell's ``>`` would.

    Replacing it with a regular file (what a rename does) turned /dev/null
    into a file for every later user of the system (issue 15).
    """
    if kind not in ("character device", "FIFO"):
        raise OutputError(f"{target}: is a {kind}; kg writes only to regular files, character devices and FIFOs")
    try:
        stream = open(target, "wb")  # noqa: SIM115 - closed below, where its errors are reported
    except OSError as error:
        raise OutputError(f"{target}: cannot write ({error.strerror})") from None
    try:
        yield stream
        stream.flush()
    except OSError as error:
        raise OutputError(f"{target}: write failed ({error.strerror or error})") from None
    finally:
        try:
            stream.close()
        except OSError:
            pass


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: int | None = None) -> Iterator[object]:
    """Yield a binary file object; on clean exit it atomically becomes ``path``.

    The new file keeps the mode of the file it replaces, or gets ``mode`` when given (a cache
    file takes the writer's umask, not the mode of whoever wrote it before)."""
    target = Path(path)
    kind = _special_file_kind(target)
    if kind is not None:
        with _stream_writer(target, kind) as stream:
            yield stream
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # replace the file the link points to, not the link
    _check_target(target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(f"{target}: cannot write in {target.parent} ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        elif target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, file_mode())  # what ``open`` would give: 0666 less the umask
        os.replace(temporary, target)
    except OSError as error:
        _remove(temporary)
        raise OutputError(f"{target}: write failed ({error.strerror or error}); previous file left intact") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def write_atomic(path: str | os.PathLike[str], data: bytes | str, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (with ``mode`` when given, see atomic_writer); return the path."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_writer(path, mode=mode) as stream:
        stream.write(data)  # type: ignore[attr-defined]
    return Path(path)
