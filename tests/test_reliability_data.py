"""Hardening, round two (issue 15), the data and check layers: one regression test per finding.

Caches that a data directory could carry, concurrent builds, the query
store's key, quotes and formatting that must keep what the curator wrote,
odd exports/ folders, read-only and shared data directories. Each test is
named after what broke; the README's Reliability table lists them.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.paths import DataPaths


def _run(paths: DataPaths, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["--data", str(paths.root), *args], env=env, catch_exceptions=False)


def _copy_built(built_data: DataPaths, target: Path) -> DataPaths:
    shutil.copytree(built_data.root, target, symlinks=True)
    return DataPaths(target)


# --- finding 1: nothing in a data directory is unpickled or executed ----------


class _Planted:
    """A pickle that, when loaded, creates a file: proof that the cache was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_in_the_cache_is_never_loaded(built_data, tmp_path):
    paths = _copy_built(built_data, tmp_path / "data")
    expected = _run(paths, "rank", "--format", "csv")
    assert expected.exit_code == 0
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Planted(marker))
    kept = [p for p in paths.cache.iterdir() if p.is_file()]
    assert any(p.name.startswith("network-") for p in kept)
    # Every cache file, and the names the cache once had, hold the planted pickle.
    for path in kept:
        path.write_bytes(payload)
        for suffix in (".pickle", ".pkl"):
            path.with_suffix(suffix).write_bytes(payload)
    for args in (("rank", "--format", "csv"), ("neighbors", "Kazakhstan", "--format", "csv"),
                 ("export", "html", "--focus", "Kazakhstan", "-o", str(tmp_path / "view.html")),
                 ("query", "ASK { ?s ?p ?o }")):
        result = _run(paths, *args)
        assert result.exit_code == 0, result.output
        assert not marker.exists(), f"kg {' '.join(args)} unpickled a file of the data directory"
    assert _run(paths, "rank", "--format", "csv").stdout == expected.stdout


def test_no_module_of_kg_can_unpickle():
    """Nothing under kg/ imports a module that runs code while reading data."""
    package = Path(__file__).resolve().parent.parent / "kg"
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for module in ("pickle", "marshal", "shelve", "dill", "joblib"):
            assert f"import {module}" not in text, f"{path} imports {module}"


@pytest.mark.parametrize("damage", ["fifo", "directory", "symlink", "wrong-shape", "other-key"])
def test_a_cache_file_of_the_wrong_type_is_ignored(built_data, tmp_path, damage):
    paths = _copy_built(built_data, tmp_path / "data")
    expected = _run(paths, "rank", "--format", "csv")
    for path in sorted(paths.cache.glob("network-*.json")):
        text = path.read_text(encoding="utf-8")
        path.unlink()
        if damage == "fifo":
            os.mkfifo(path)  # reading it would block for ever
        elif damage == "directory":
            path.mkdir()
        elif damage == "symlink":
            path.symlink_to("/dev/zero")  # reading it would never end
        elif damage == "wrong-shape":
            path.write_text('{"format": "kg-network/1", "nodes": 7, "edges": [[1, 2]]}', encoding="utf-8")
        else:
            key = path.name.split("-")[1]
            path.write_text(text.replace(key, "0" * len(key)), encoding="utf-8")
    result = _run(paths, "rank", "--format", "csv")
    assert (result.exit_code, result.stdout) == (0, expected.stdout), result.output


# --- finding 4: fix-quotes with letters whose case folding changes length ----

SEED_PREFIXES = (
    "@prefix kz: <https://w3id.org/kzkg/id/> .\n"
    "@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)


def _add_seed(paths: DataPaths, body: str, name: str = "zz-test.ttl") -> Path:
    path = paths.seeds / "facts" / name
    path.write_text(SEED_PREFIXES + body, encoding="utf-8")
    return path


def _quotes(path: Path) -> dict[str, str]:
    from rdflib import URIRef

    from kg.data.load import new_graph, parse_turtle

    graph = new_graph()
    parse_turtle(path, graph)
    return {str(s): str(o) for s, o in graph.subject_objects(URIRef("https://w3id.org/kzkg/ontology#quote"))}


@pytest.mark.parametrize("letters", ["İ", "İİİ", "ẞß", "ŉ", "ﬁ"])
def test_fix_quotes_copies_the_right_span_after_letters_that_fold_longer(kg_fresh, letters):
    exact = "1992 жылдың 2 наурызында Біріккен Ұлттар Ұйымының 46-шы сессиясында"
    text = kg_fresh.paths.texts / "002_df0a2fa518fe6822.txt"
    # Letters whose case folding is longer than they are, before the quote.
    text.write_text(f"{letters} {letters}\n" + text.read_text(encoding="utf-8"), encoding="utf-8")
    typed = exact.replace("Ұлттар Ұйымының", "Ұлттар  Ұйымының")
    seed = _add_seed(kg_fresh.paths, (
        "kz:Kazakhstan kzo:memberOf kz:UN .\n"
        "kz:st-test a rdf:Statement ; rdf:subject kz:Kazakhstan ; rdf:predicate kzo:memberOf ; rdf:object kz:UN ;\n"
        f'    prov:wasDerivedFrom kz:source-002 ; kzo:quote "{typed}"@kk ;\n'
        '    kzo:quoteEnglish "on 2 March 1992 at the 46th session of the United Nations"@en .\n'
    ))
    result = kg_fresh("fix-quotes")
    assert result.exit_code == 0, result.output
    assert _quotes(seed)["https://w3id.org/kzkg/id/st-test"] == exact


def test_locate_quote_never_returns_a_span_that_folds_differently():
    from kg.data.evidence import _fold, locate_quote

    # "i" matches half of what 'İ' folds to: no span of the text stands for it.
    assert locate_quote("xİy", "X\u00a0i") is None
    for text, quote in [("İstanbul Astana\u00a0bar", "astana bar"), ("Straße Almaty\u00a0bar", "almaty bar")]:
        span = locate_quote(text, quote)
        assert span is not None and span in text and _fold(span)[0] == _fold(quote)[0]


# --- finding 5: concurrent builds publish only whole exports/ ------------------

_PUBLISHER = r"""
import sys, time
from pathlib import Path
import kg.data.publish as publish

root, tag = Path(sys.argv[1]), sys.argv[2]
real_write = Path.write_bytes

def slow_write(self, data):  # widen the window in which another build could interfere
    time.sleep(0.004)
    return real_write(self, data)

Path.write_bytes = slow_write
exports = root / "exports"
files = [(exports / f"file-{n:02d}.txt", tag.encode()) for n in range(12)]
files.append((exports / "views" / "view.html", tag.encode()))
publish.publish(exports, files)
"""


def _whole(exports: Path) -> set[str]:
    files = sorted(p for p in exports.rglob("*") if p.is_file())
    assert len(files) == 13, f"{len(files)} of 13 files published"
    tags = {p.read_text() for p in files}
    assert len(tags) == 1, f"a mix of builds: {tags}"
    return tags


def test_concurrent_publishes_never_mix_or_lose_files(tmp_path):
    import subprocess
    import sys

    root = tmp_path / "data"
    root.mkdir()
    for pair in range(40):
        processes = [subprocess.Popen([sys.executable, "-c", _PUBLISHER, str(root), f"build-{pair}-{side}"],
                                      stderr=subprocess.PIPE, text=True) for side in "ab"]
        errors = [process.communicate(timeout=60)[1] for process in processes]
        assert [p.returncode for p in processes] == [0, 0], errors
        assert _whole(root / "exports") <= {f"build-{pair}-a", f"build-{pair}-b"}
        assert not list(root.glob(".exports.*")), "a staging folder was left behind"


def test_concurrent_kg_builds_publish_whole_exports(tmp_path):
    import subprocess
    import sys

    from tests.helpers.data import copy_data

    paths = copy_data(tmp_path / "data")
    shutil.rmtree(paths.exports)
    command = [sys.executable, "-m", "kg.cli", "--data", str(paths.root), "build"]
    expected = None
    for _ in range(4):
        processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
        errors = [process.communicate(timeout=300)[1] for process in processes]
        assert [p.returncode for p in processes] == [0, 0], errors
        published = {p.relative_to(paths.exports): p.read_bytes() for p in paths.exports.rglob("*") if p.is_file()}
        expected = expected or published
        assert published == expected
        assert paths.turtle_export.is_file()
        assert not list(paths.root.glob(".exports.*"))


def test_recovery_never_removes_a_staging_folder_while_a_build_holds_the_lock(tmp_path):
    from kg.data.publish import build_lock, publish

    root = tmp_path / "data"
    root.mkdir()
    staging = root / ".exports.new-running"
    staging.mkdir()
    import threading

    done = threading.Event()

    def other_build():
        publish(root / "exports", [(root / "exports" / "a.txt", b"a")])
        done.set()

    with build_lock(root):
        thread = threading.Thread(target=other_build)
        thread.start()
        thread.join(0.5)
        assert not done.is_set(), "a second build went ahead while the first held the lock"
        assert staging.is_dir()
    thread.join(10)
    assert done.is_set() and (root / "exports" / "a.txt").read_bytes() == b"a"


# --- finding 14: an odd exports/ is refused, never moved aside -----------------


@pytest.mark.parametrize("odd", ["symlink", "file", "dangling-symlink", "fifo"])
def test_an_odd_exports_path_is_refused_and_left_alone(kg_fresh, tmp_path, odd):
    exports = kg_fresh.paths.exports
    shutil.rmtree(exports)
    target = tmp_path / "elsewhere"
    if odd == "symlink":
        target.mkdir()
        (target / "kept.txt").write_text("kept")
        exports.symlink_to(target)
    elif odd == "dangling-symlink":
        exports.symlink_to(tmp_path / "missing")
    elif odd == "file":
        exports.write_text("a file the user keeps")
    else:
        os.mkfifo(exports)
    before = (os.readlink(exports) if exports.is_symlink() else None, exports.lstat().st_ino)
    result = kg_fresh("build")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {exports}: ") and "Traceback" not in result.output
    assert (os.readlink(exports) if exports.is_symlink() else None, exports.lstat().st_ino) == before
    assert not [p for p in kg_fresh.paths.root.iterdir() if p.name.startswith(".exports.")]
    if odd == "symlink":
        assert [p.name for p in target.iterdir()] == ["kept.txt"]
    if odd == "file":
        assert exports.read_text() == "a file the user keeps"


# --- finding 6: the query store is keyed by the bytes it loaded ----------------


class _SwappingOxigraph:
    """pyoxigraph, except that the export is replaced by another build just before a store loads it."""

    def __init__(self, real, swap):
        self._real = real
        real_store_class = real.Store

        class Store:
            read_only = staticmethod(real_store_class.read_only)

            def __init__(self, *args, **kwargs):
                self._store = real_store_class(*args, **kwargs)

            def __getattr__(self, name):
                return getattr(self._store, name)

            def __len__(self):
                return len(self._store)

            def bulk_load(self, *args, **kwargs):
                swap()
                return self._store.bulk_load(*args, **kwargs)

        self.Store = Store

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_an_export_swapped_while_the_store_is_built_is_never_stored_under_the_old_key(kg, tmp_path, monkeypatch):
    import hashlib
    import sys

    import pyoxigraph

    from kg.data.querystore import open_store

    exports = tmp_path / "exports"
    exports.mkdir()
    export = exports / "kazakhstan.ttl"
    old = kg.paths.turtle_export.read_bytes()
    new = old + b'\n<urn:kg:test:swapped> <urn:kg:test:p> "new" .\n'
    export.write_bytes(old)

    def swap():  # what a concurrent kg build does: replace the file
        staged = exports / ".new.ttl"
        staged.write_bytes(new)
        os.replace(staged, export)

    monkeypatch.setitem(sys.modules, "pyoxigraph", _SwappingOxigraph(pyoxigraph, swap))
    cache = tmp_path / "cache"
    open_store(export, cache, mode="disk")
    monkeypatch.setitem(sys.modules, "pyoxigraph", pyoxigraph)
    stores = sorted(cache.glob("store-*"))
    assert stores
    for path in stores:
        key = path.name.removeprefix("store-")
        content = {hashlib.sha256(data).hexdigest()[:24]: data for data in (old, new)}[key]
        holds_new = bool(pyoxigraph.Store.read_only(str(path)).query("ASK { <urn:kg:test:swapped> ?p ?o }"))
        assert holds_new == (content == new), f"{path.name} holds the other export"
