"""What ``kg build`` keeps in ``.kg-cache/`` for the read commands besides the query store and the
network: ``kg stats``' counts, ``kg timeline``'s dated statements, ``kg conflicts``' claims.

Each is plain JSON (never a pickle: a data directory can come from anyone),
in a file named by what it is and a key: the digest of the export's bytes
the build wrote and the code that made it, so neither another export nor a
changed way of counting is ever read from an old file. A read command
computes the key of the export as it is now (``export_digest``, remembered
per file version); a file that is missing, planted, damaged or of another
key reads as None and the command reads the store instead. Its reader still
checks the shape of what it gets.
"""

from __future__ import annotations

from pathlib import Path

from kg.core.cache import cache_key, keep_only, read_cache_json, write_cache_json
from kg.core.errors import KGError
from kg.core.paths import DataPaths


def kept_file(paths: DataPaths, kind: str, export_digest: str, code: tuple[Path, ...]) -> Path:
    return paths.cache / f"{kind}-{cache_key(export_digest, *code)}.json"


def keep(paths: DataPaths, kind: str, export_digest: str, code: tuple[Path, ...], value) -> None:
    """Keep ``value`` for the export whose bytes have ``export_digest``; older files of ``kind`` go.
    A cache that cannot be written only costs the reading next time."""
    target = kept_file(paths, kind, export_digest, code)
    if write_cache_json(target, {"format": f"kg-{kind}/1", "value": value}):
        keep_only(target, f"{kind}-*.json")


def kept(paths: DataPaths, kind: str, code: tuple[Path, ...]):
    """What ``keep`` kept of ``kind`` for the export as it is now, or None."""
    from kg.data.querystore import export_digest

    if not paths.turtle_export.is_file():
        return None
    try:
        data = read_cache_json(kept_file(paths, kind, export_digest(paths.turtle_export, paths.cache), code))
    except KGError:
        return None
    if not (isinstance(data, dict) and data.get("format") == f"kg-{kind}/1" and "value" in data):
        return None
    return data["value"]
