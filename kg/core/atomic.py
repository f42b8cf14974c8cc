"""Write files so that a reader sees the old content or the new, never a mix.

The content goes to a temporary file in the target's own directory (so the
final rename stays on one file system), is flushed and fsynced, and replaces
the target with one ``os.replace``. On any failure the temporary file is
removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
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


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[object]:
    """Yield a binary file object; on clean exit it atomically becomes ``path``."""
    target = Path(path)
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
        if target.exists():
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


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_writer(path) as stream:
        stream.write(data)  # type: ignore[attr-defined]
    return Path(path)
