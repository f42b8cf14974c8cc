"""``kg init``: a working copy of the data, to edit and build.

The graph packaged with ``kg`` is read-only; a working copy holds the
ontology, the curated seeds and the source texts, from which ``kg build``
writes exports/ again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.core.errors import OutputError
from kg.core.paths import DataPaths

#: What a working copy needs besides the seeds (the data's licence travels with it).
EXTRA_FILES = ("LICENSE-DATA",)


def init_working_copy(source: DataPaths, target: Path) -> DataPaths:
    """Copy ``source``'s ontology.ttl, seeds/ (texts included) and data licence into ``target``.

    ``target`` may exist but must not hold a data directory already: a
    working copy is never overwritten.
    """
    target = Path(target)
    copy = DataPaths(target.resolve())
    if copy.ontology.exists() or copy.seeds.exists():
        raise OutputError(f"{target}: already holds ontology.ttl or seeds/; choose an empty directory")
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source.ontology, copy.ontology)
        shutil.copytree(source.seeds, copy.seeds, copy_function=shutil.copyfile)
        for name in EXTRA_FILES:
            for candidate in (source.root / name, source.root.parent / name):
                if candidate.is_file():
                    shutil.copyfile(candidate, target / name)
                    break
    except OSError as error:
        raise OutputError(f"{target}: cannot write the working copy ({error.strerror or error})") from None
    return copy
