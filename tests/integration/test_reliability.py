"""Hardening: bad seed files, failing writes, kills and interrupts, each proved here.

Each test names the scenario of the README's Reliability table.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.core.atomic import atomic_writer, write_atomic
from kg.core.errors import OutputError

from kg.core.paths import DataPaths
from tests.helpers.data import copy_data

PREFIXES = "@prefix kz: <https://w3id.org/kzkg/id/> .\n@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"


def _no_temp_files(directory: Path) -> bool:
    return not [p for p in directory.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


# --- loading the seeds -------------------------------------------------------


def test_undefined_prefix_is_a_clean_error(kg_small):
    (kg_small.paths.seeds / "facts" / "zz.ttl").write_text(PREFIXES + "kz:Kazakhstan foo:bar kz:UN .\n", encoding="utf-8")
    result = kg_small("validate")
    assert result.exit_code == 2
    assert "seeds/facts/zz.ttl:3" in result.output and "foo" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("open_, close_", [("[ kzo:note ", "]"), ("( ", ")")])
def test_deep_nesting_is_a_clean_error_or_parsed(kg_small, open_, close_):
    depth = 5000
    body = PREFIXES + "kz:Kazakhstan kzo:note " + open_ * depth + '"x"' + close_ * depth + " .\n"
    (kg_small.paths.seeds / "facts" / "zz.ttl").write_text(body, encoding="utf-8")
    result = kg_small("validate")
    # Either the strict parser refuses it, or it loads and validation reports the
    # blank nodes; never a RecursionError or a crash.
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output and "RecursionError" not in result.output


def test_four_megabyte_single_line(kg_small):
    long_note = "ә" * (2 * 1024 * 1024)  # 4 MiB of UTF-8 on one line
    (kg_small.paths.seeds / "facts" / "zz.ttl").write_text(
        PREFIXES + f'kz:Kazakhstan kzo:notAProperty "{long_note}" .\n', encoding="utf-8"
    )
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "unknown term kzo:notAProperty" in result.output
    assert len(result.output) < 10_000, "the error must not echo the 4 MB line"


def test_directory_named_like_a_seed_file(kg_small):
    (kg_small.paths.seeds / "facts" / "zz.ttl").mkdir()
    result = kg_small("validate")
    assert result.exit_code == 2
    assert "zz.ttl: is a directory, expected a Turtle file" in result.output


def test_fifo_in_seeds(kg_small):
    os.mkfifo(kg_small.paths.seeds / "facts" / "zz.ttl")
    result = kg_small("validate")  # must not block reading the FIFO
    assert result.exit_code == 2
    assert "zz.ttl: is not a regular file or directory" in result.output


def test_unreadable_seed_file(kg_fresh, monkeypatch):
    target = kg_fresh.paths.seeds / "facts" / "source-001.ttl"
    real = Path.read_bytes

    def refuse(self):  # tests run as root in CI, where chmod 000 does not stop reads
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = kg_fresh("validate")
    assert result.exit_code == 2
    assert "source-001.ttl: cannot be read (Permission denied)" in result.output


# --- writes ---------------------------------------------------------------------


def test_serializer_failing_half_way_leaves_previous_file(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("previous\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as stream:
            stream.write(b"half of the new content")
            raise RuntimeError("serializer failed")
    assert target.read_text() == "previous\n"
    assert _no_temp_files(tmp_path)


def test_missing_parent_directory(tmp_path):
    with pytest.raises(OutputError, match="parent directory .* does not exist"):
        write_atomic(tmp_path / "missing" / "out.ttl", "x")


def test_output_path_is_a_directory(tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, "x")


def test_read_only_directory(tmp_path, monkeypatch):
    import tempfile

    target = tmp_path / "out.ttl"
    target.write_text("previous\n")

    def refuse(*args, **kwargs):  # root ignores directory permissions, so simulate EACCES
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="cannot write in .*Permission denied"):
        write_atomic(target, "new")
    assert target.read_text() == "previous\n"


def test_disk_full_leaves_previous_file(tmp_path):
    """RLIMIT_FSIZE makes writes past 64 KiB fail with EFBIG, as a full disk would."""
    target = tmp_path / "out.ttl"
    target.write_text("previous\n")
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
        "from kg.core.atomic import write_atomic\n"
        "from kg.core.errors import OutputError\n"
        "try:\n"
        f"    write_atomic({str(target)!r}, b'x' * 1_000_000)\n"
        "except OutputError as error:\n"
        "    print(error); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "write failed" in result.stdout and "previous file left intact" in result.stdout
    assert target.read_text() == "previous\n"
    assert _no_temp_files(tmp_path)


def test_publish_replaces_exports_as_a_whole(kg_small):
    paths = kg_small.paths
    assert kg_small("build").exit_code == 0
    (paths.exports / "stale-file.txt").write_text("from an older build\n")
    assert kg_small("build").exit_code == 0
    assert not (paths.exports / "stale-file.txt").exists()
    assert not list(paths.root.glob(".exports.*"))


# --- kills and interrupts -------------------------------------------------------


def _kg_process(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--data", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _snapshot(exports: Path) -> dict[str, bytes]:
    return {str(p.relative_to(exports)): p.read_bytes() for p in sorted(exports.rglob("*")) if p.is_file()}


def test_sigkill_during_build_leaves_old_or_new_exports(built_data, tmp_path):
    paths = DataPaths(shutil.copytree(built_data.root, tmp_path / "data"))  # a built copy of the real data
    old = _snapshot(paths.exports)
    states = paths.seeds / "entities" / "states.ttl"
    states.write_text(states.read_text(encoding="utf-8").replace('"Russia"@en', '"Russian Federation"@en'), encoding="utf-8")
    new = None
    outcomes = set()
    for delay in (0.3, 0.8, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0):
        process = _kg_process(paths.root, "build")
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        current = _snapshot(paths.exports)
        if current != old:
            if new is None:
                result = subprocess.run([sys.executable, "-m", "kg.cli", "--data", str(paths.root), "build"], capture_output=True)
                assert result.returncode == 0
                new = _snapshot(paths.exports)
                assert current == new, "exports hold a mix of old and new files"
                outcomes.add("new")
                # Go back to the old state so later kills are checked too.
                break
            assert current == new
        else:
            outcomes.add("old")
    assert outcomes, "no kill was checked"


def test_ctrl_c_during_build_exits_130_and_cleans_up(tmp_path):
    paths = copy_data(tmp_path / "data")
    process = _kg_process(paths.root, "build")
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the build finished before the interrupt arrived")
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not list(paths.root.glob(".exports.*"))
    assert not [p for p in paths.exports.rglob("*") if p.name.endswith(".tmp")]
