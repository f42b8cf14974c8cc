"""Hardening, round two (issue 15), the data and check layers: one regression test per finding.

Caches that a data directory could carry, concurrent builds, the query
store's key, quotes and formatting that must keep what the curator wrote,
odd exports/ folders, read-only and shared data directories. Each test is
named after what broke; the README's Reliability table lists them.
"""

from __future__ import annotations

import functools
import os
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.paths import DataPaths
from tests.helpers import broken


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

#: The shared seed prefixes and xsd:, which these seeds use.
SEED_PREFIXES = broken.SEED_PREFIXES + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
_add_seed = functools.partial(broken._add_seed, prefixes=SEED_PREFIXES)


def _quotes(path: Path) -> dict[str, str]:
    from rdflib import URIRef

    from kg.data.load import new_graph, parse_turtle

    graph = new_graph()
    parse_turtle(path, graph)
    return {str(s): str(o) for s, o in graph.subject_objects(URIRef("https://w3id.org/kzkg/ontology#quote"))}


@pytest.mark.parametrize("letters", ["İ", "İİİ", "ẞß", "ŉ", "ﬁ"])
def test_fix_quotes_copies_the_right_span_after_letters_that_fold_longer(kg_small, letters):
    exact = "1992 жылдың 2 наурызында Біріккен Ұлттар Ұйымының 46-шы сессиясында"
    text = kg_small.paths.texts / "002_df0a2fa518fe6822.txt"
    # Letters whose case folding is longer than they are, before the quote.
    text.write_text(f"{letters} {letters}\n" + text.read_text(encoding="utf-8"), encoding="utf-8")
    typed = exact.replace("Ұлттар Ұйымының", "Ұлттар  Ұйымының")
    seed = _add_seed(kg_small.paths, (
        "kz:Kazakhstan kzo:memberOf kz:UN .\n"
        "kz:st-test a rdf:Statement ; rdf:subject kz:Kazakhstan ; rdf:predicate kzo:memberOf ; rdf:object kz:UN ;\n"
        f'    prov:wasDerivedFrom kz:source-002 ; kzo:quote "{typed}"@kk ;\n'
        '    kzo:quoteEnglish "on 2 March 1992 at the 46th session of the United Nations"@en .\n'
    ))
    result = kg_small("fix-quotes")
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

_PUBLISHERS = r"""
import os, sys, time
from pathlib import Path
import kg.data.publish as publish

root = Path(sys.argv[1])
real_write = Path.write_bytes

def slow_write(self, data):  # widen the window in which another build could interfere
    time.sleep(0.004)
    return real_write(self, data)

Path.write_bytes = slow_write
exports = root / "exports"

def publisher(tag):
    # A process of its own (forked from this one, which imported kg once), publishing as a build does.
    files = [(exports / f"file-{n:02d}.txt", tag.encode()) for n in range(12)]
    files.append((exports / "views" / "view.html", tag.encode()))
    try:
        publish.publish(exports, files)
    except BaseException:
        import traceback
        traceback.print_exc()
        os._exit(1)
    os._exit(0)

for line in sys.stdin:  # one pair of concurrent publishers per line: "build-N"
    pids = []
    for side in "ab":
        pid = os.fork()
        if pid == 0:
            publisher(f"{line.strip()}-{side}")
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    print(*codes, flush=True)
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
    driver = subprocess.Popen([sys.executable, "-c", _PUBLISHERS, str(root)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for pair in range(40):
            driver.stdin.write(f"build-{pair}\n")
            driver.stdin.flush()
            codes = driver.stdout.readline().split()
            if codes != ["0", "0"]:
                driver.stdin.close()
                pytest.fail(f"publishers exited {codes}: {driver.communicate(timeout=60)[1]}")
            assert _whole(root / "exports") <= {f"build-{pair}-a", f"build-{pair}-b"}
            assert not list(root.glob(".exports.*")), "a staging folder was left behind"
        driver.stdin.close()
        assert driver.wait(60) == 0, driver.stderr.read()
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()


def test_concurrent_kg_builds_publish_whole_exports(tmp_path):
    import subprocess
    import sys

    from tests.helpers.data import copy_small_data

    paths = copy_small_data(tmp_path / "data")  # no exports yet; small, so the eight builds are quick
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
def test_an_odd_exports_path_is_refused_and_left_alone(kg_small, tmp_path, odd):
    exports = kg_small.paths.exports  # the small data has none yet: the odd path takes its place
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
    result = kg_small("build")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {exports}: ") and "Traceback" not in result.output
    assert (os.readlink(exports) if exports.is_symlink() else None, exports.lstat().st_ino) == before
    assert not [p for p in kg_small.paths.root.iterdir() if p.name.startswith(".exports.")]
    if odd == "symlink":
        assert [p.name for p in target.iterdir()] == ["kept.txt"]
    if odd == "file":
        assert exports.read_text() == "a file the user keeps"


# --- finding 6: the query store is keyed by the bytes it loaded ----------------


_SWAP_WHILE_LOADING = r"""
import hashlib, os, sys
from pathlib import Path
import pyoxigraph

exports, old_export = Path(sys.argv[1]), Path(sys.argv[2])
export = exports / "kazakhstan.ttl"
old = old_export.read_bytes()
new = old + b'\n<urn:kg:test:swapped> <urn:kg:test:p> "new" .\n'
export.write_bytes(old)

def swap():  # what a concurrent kg build does: replace the file
    staged = exports / ".new.ttl"
    staged.write_bytes(new)
    os.replace(staged, export)

class SwappingOxigraph:
    # pyoxigraph, except that the export is replaced just before a store loads it.
    def __init__(self):
        class Store:
            read_only = staticmethod(pyoxigraph.Store.read_only)
            def __init__(self, *args, **kwargs):
                self._store = pyoxigraph.Store(*args, **kwargs)
            def __getattr__(self, name):
                return getattr(self._store, name)
            def __len__(self):
                return len(self._store)
            def bulk_load(self, *args, **kwargs):
                swap()
                return self._store.bulk_load(*args, **kwargs)
        self.Store = Store
    def __getattr__(self, name):
        return getattr(pyoxigraph, name)

sys.modules["pyoxigraph"] = SwappingOxigraph()
from kg.data.querystore import open_store
cache = exports.parent / "cache"
open_store(export, cache, mode="disk")
sys.modules["pyoxigraph"] = pyoxigraph
stores = sorted(cache.glob("store-*"))
assert stores
for path in stores:
    key = path.name.removeprefix("store-")
    content = {hashlib.sha256(data).hexdigest()[:24]: data for data in (old, new)}[key]
    holds_new = bool(pyoxigraph.Store.read_only(str(path)).query("ASK { <urn:kg:test:swapped> ?p ?o }"))
    assert holds_new == (content == new), f"{path.name} holds the other export"
print("ok")
"""


def test_an_export_swapped_while_the_store_is_built_is_never_stored_under_the_old_key(kg, tmp_path):
    # In a child process: a RocksDB store opened in pytest's own process would hang the queries' forked children.
    import subprocess
    import sys

    exports = tmp_path / "exports"
    exports.mkdir()
    result = subprocess.run([sys.executable, "-c", _SWAP_WHILE_LOADING, str(exports), str(kg.paths.turtle_export)],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, "ok\n"), result.stderr


# --- findings 9 and 11: damaged stores, full disks, odd exports, other users ---

STORE_QUERY = "SELECT ?o WHERE { kz:Kazakhstan kzo:memberOf ?o } ORDER BY ?o"
Q = ("--timeout", "0")  # building a store is not what is timed here


def _store_files(cache: Path) -> list[Path]:
    return sorted(p for store in cache.glob("store-*") for p in store.iterdir() if p.is_file())


@pytest.mark.parametrize("damage", ["truncated", "emptied", "removed"])
def test_a_damaged_query_store_is_repaired_automatically(kg_fresh, monkeypatch, damage):
    monkeypatch.setenv("KG_QUERY_STORE", "disk")
    expected = kg_fresh("query", STORE_QUERY, *Q, "--format", "csv")
    assert expected.exit_code == 0 and "UN" in expected.stdout
    files = [p for p in _store_files(kg_fresh.paths.cache) if p.suffix in (".sst", "") and p.name != ".complete"]
    assert files
    for path in files:
        if damage == "truncated":
            with open(path, "r+b") as stream:
                stream.truncate(max(0, path.stat().st_size // 2))
        elif damage == "emptied":
            path.write_bytes(b"")
        else:
            path.unlink()
    for mode in ("disk", "auto"):
        monkeypatch.setenv("KG_QUERY_STORE", mode)
        result = kg_fresh("query", STORE_QUERY, *Q, "--format", "csv")
        assert (result.exit_code, result.stdout) == (0, expected.stdout), result.output
        assert "Traceback" not in result.output
    from kg.core.cache import read_cache_json
    from kg.data.querystore import _store_files as files_of

    stores = sorted(kg_fresh.paths.cache.glob("store-*"))
    assert len(stores) == 1, stores
    # Not opened here: a RocksDB store opened in pytest's own process would hang the queries' forked children.
    assert read_cache_json(stores[0] / ".complete")["files"] == files_of(stores[0]), "the store was not rebuilt"


_FULL_DISK = r"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
from kg.cli import run
sys.argv = ["kg", *sys.argv[1:]]
run()
"""


def test_a_full_disk_while_the_store_is_built_answers_from_memory(kg_fresh):
    import subprocess
    import sys

    expected = kg_fresh("query", STORE_QUERY, *Q, "--format", "csv").stdout
    result = subprocess.run([sys.executable, "-c", _FULL_DISK, "--data", str(kg_fresh.paths.root), "query",
                             STORE_QUERY, *Q, "--format", "csv"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "KG_QUERY_STORE": "disk"})
    assert (result.returncode, result.stdout) == (0, expected), result.stderr
    assert "Traceback" not in result.stderr
    assert not list(kg_fresh.paths.cache.glob(".store-*")), "a half-built store was left behind"


@pytest.mark.parametrize("odd", ["directory", "fifo"])
def test_an_export_path_that_is_not_a_file_is_one_line(kg_fresh, odd):
    export = kg_fresh.paths.turtle_export
    export.unlink()
    if odd == "directory":
        export.mkdir()
    else:
        os.mkfifo(export)
    for mode in ("auto", "memory", "disk"):
        for args in (("query", "ASK { ?s ?p ?o }"), ("rank",)):
            result = _run(kg_fresh.paths, *args, env={"KG_QUERY_STORE": mode})
            assert result.exit_code == 2, result.output
            lines = result.output.strip().splitlines()
            assert lines[-1] == f"Error: {export}: is {'a directory' if odd == 'directory' else 'not a regular file'}, " \
                "expected the Turtle export that kg build writes", result.output
            assert "Traceback" not in result.output


# Another user: the same machine's "nobody", through setpriv (root only).

def _as_other_user_available() -> bool:
    """Root with setpriv, and a checkout (and virtualenv) that user 65534 can read: a clone in a
    private folder (``mktemp -d`` makes it 0700) cannot be run by anyone else."""
    import subprocess
    import sys

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", "import kg.cli"],
                           capture_output=True, cwd="/tmp", timeout=60)
    return probe.returncode == 0


other_user = pytest.mark.skipif(not _as_other_user_available(),
                                reason="needs root, setpriv and a checkout another user can read, to act as another user")


@pytest.fixture
def shared_dir():
    """A folder every user can reach (pytest's own temporary folders are private to root)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="kg-shared-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _kg_as(user_id: int, root: Path, *args: str, env: dict | None = None, umask: int = 0o022):
    import subprocess
    import sys

    command = ["setpriv", f"--reuid={user_id}", f"--regid={user_id}", "--clear-groups",
               sys.executable, "-c", f"import os, sys; os.umask({umask}); from kg.cli import run; "
               "sys.argv = ['kg', *sys.argv[1:]]; run()", "--data", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd="/tmp",
                          env={**os.environ, **(env or {}), "HOME": "/tmp"})


def _padded_copy(built_data: DataPaths, target: Path) -> DataPaths:
    """A built copy whose export is over MEMORY_LOAD_LIMIT (a long comment), so reads want the persistent store."""
    from kg.data.querystore import MEMORY_LOAD_LIMIT

    paths = _copy_built(built_data, target)
    with open(paths.turtle_export, "a", encoding="utf-8") as stream:
        stream.write("\n# " + "x" * MEMORY_LOAD_LIMIT + "\n")
    for path in [paths.root, *paths.root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return paths


@other_user
@pytest.mark.parametrize("store", ["none", "built", "damaged"])
def test_a_read_only_data_directory_answers_from_memory(built_data, shared_dir, store):
    paths = _padded_copy(built_data, shared_dir / "data")
    expected = _run(paths, "query", STORE_QUERY, *Q, "--format", "csv", env={"KG_QUERY_STORE": "memory"}).stdout
    if store != "none":
        assert _run(paths, "query", STORE_QUERY, *Q, "--format", "csv", env={"KG_QUERY_STORE": "disk"}).exit_code == 0
        for path in [paths.cache, *paths.cache.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    if store == "damaged":
        for path in _store_files(paths.cache):
            if path.suffix == ".sst":
                path.write_bytes(b"")
    # The data directory belongs to root: for nobody it is read-only.
    for mode in ("auto", "disk"):
        result = _kg_as(65534, paths.root, "query", STORE_QUERY, *Q, "--format", "csv", env={"KG_QUERY_STORE": mode})
        assert (result.returncode, result.stdout) == (0, expected), result.stderr
        assert "Traceback" not in result.stderr
    for args in (("rank", "--top", "3", "--format", "csv"), ("export", "html", "--focus", "Kazakhstan", "-o", "-")):
        result = _kg_as(65534, paths.root, *args)
        assert result.returncode == 0 and result.stdout, result.stderr


@other_user
@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_data_directory_shared_by_two_users_never_fails_on_the_other_users_cache(built_data, shared_dir, umask):
    paths = _padded_copy(built_data, shared_dir / "data")
    paths.root.chmod(0o777)  # both may write here; the cache is made by the first
    expected = _run(paths, "query", STORE_QUERY, *Q, "--format", "csv", env={"KG_QUERY_STORE": "memory"}).stdout
    first = _kg_as(0, paths.root, "query", STORE_QUERY, *Q, "--format", "csv", env={"KG_QUERY_STORE": "disk"}, umask=umask)
    assert (first.returncode, first.stdout) == (0, expected), first.stderr
    for path in [paths.cache / "export.digest", *paths.cache.glob("store-*"), *paths.cache.glob("store-*/.complete")]:
        mode = path.stat().st_mode & 0o777  # what this first command wrote (the rest was copied)
        assert mode == (0o777 if path.is_dir() else 0o666) & ~umask, f"{path}: {oct(mode)} ignores the umask"
    for mode in ("auto", "disk"):
        second = _kg_as(65534, paths.root, "query", STORE_QUERY, *Q, "--format", "csv", env={"KG_QUERY_STORE": mode})
        assert (second.returncode, second.stdout) == (0, expected), second.stderr
    assert _kg_as(65534, paths.root, "rank", "--top", "3").returncode == 0


# --- finding 7: kg fmt and kg fix-quotes keep what the curator wrote -----------

KEPT = (
    "# A curator's note at the top.\n"
    "kz:Kazakhstan kzo:note \"007\"^^xsd:integer , \"1\"^^xsd:boolean , \"true\"^^xsd:boolean ,\n"
    "        \"1992-03-02+06:00\"^^xsd:date , \"22.50\"^^xsd:decimal ;  # why these values\n"
    "    rdfs:comment \"x\"@kk-Latn-KZ .\n"
    "# About the UN.\n"
    "kz:UN kzo:note \"a # not a comment\" .\n"
    "# At the end.\n"
)


@pytest.mark.parametrize("command", ["fmt", "fix-quotes"])
def test_fmt_and_fix_quotes_keep_comments_and_lexical_forms(kg_small, command):
    seed = _add_seed(kg_small.paths, KEPT)
    if command == "fix-quotes":  # a near-miss quote makes fix-quotes rewrite the file
        seed.write_text(seed.read_text(encoding="utf-8") + (
            "kz:Kazakhstan kzo:memberOf kz:UN .\n"
            "kz:st-test a rdf:Statement ; rdf:subject kz:Kazakhstan ; rdf:predicate kzo:memberOf ; rdf:object kz:UN ;\n"
            '    prov:wasDerivedFrom kz:source-002 ; kzo:quote "Біріккен Ұлттар  Ұйымының"@kk .\n'), encoding="utf-8")
    result = kg_small(command)
    assert result.exit_code == 0, result.output
    text = seed.read_text(encoding="utf-8")
    for kept in ('"007"^^xsd:integer', '"1"^^xsd:boolean', '"true"^^xsd:boolean', '"1992-03-02+06:00"^^xsd:date',
                 '"22.50"^^xsd:decimal', '"x"@kk-latn-kz', '"a # not a comment"', "# A curator's note at the top.",
                 "# why these values", "# About the UN.", "# At the end."):
        assert kept.lower() in text.lower(), f"{kept} was lost:\n{text}"
    if command == "fmt":
        assert kg_small("fmt", "--check").exit_code == 0, "kg fmt is not idempotent"
        assert text.index("# About the UN.") < text.index("kz:UN kzo:note")


def test_fmt_refuses_a_literal_with_a_base_direction_naming_the_file(kg_small):
    seed = _add_seed(kg_small.paths, 'kz:Kazakhstan rdfs:comment "x"@en--rtl .\n')
    before = {p: p.read_bytes() for p in kg_small.paths.seed_files()}
    result = kg_small("fmt")
    assert result.exit_code == 2
    assert result.output.strip() == (f"Error: {seed}: the literal \"x\"@en--rtl has a base direction (--rtl), "
                                     "which kg cannot keep; write it as \"x\"@en")
    assert {p: p.read_bytes() for p in kg_small.paths.seed_files()} == before


# --- finding 13: a blank node in a later file -----------------------------------


def test_fmt_with_a_blank_node_in_a_later_file_changes_nothing_and_names_it(kg_small):
    first = kg_small.paths.seed_files()[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # not canonical any more
    seed = _add_seed(kg_small.paths, 'kz:Kazakhstan kzo:note [ kzo:note "x" ] .\n', name="zz-later.ttl")
    before = {p: p.read_bytes() for p in kg_small.paths.seed_files()}
    result = kg_small("fmt")
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {seed}: blank nodes are not allowed in seed files; give the node an IRI"
    assert {p: p.read_bytes() for p in kg_small.paths.seed_files()} == before, "a file was rewritten before the refusal"
    validated = kg_small("validate")
    assert validated.exit_code == 1
    assert "seeds/facts/zz-later.ttl:7: kz:Kazakhstan: blank nodes are not allowed in seed files" in validated.output


# --- finding 18 (validation half) and the stray rdflib traceback ----------------


@pytest.mark.parametrize("literal", ['"1.5E1"^^xsd:decimal', '" 5"^^xsd:integer', '"1_000"^^xsd:integer',
                                     '"٣"^^xsd:integer', '"1e"^^xsd:double', '"1992-3-2"^^xsd:date'])
def test_a_form_outside_the_datatypes_lexical_space_is_refused(kg_small, literal):
    _add_seed(kg_small.paths, f"kz:Kazakhstan kzo:note {literal} .\n")
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "does not fit its datatype" in result.output and literal.split("^^")[0] in result.output
    assert kg_small("build").exit_code == 1


def test_no_rdflib_traceback_before_the_validation_messages(kg_small):
    import subprocess
    import sys

    _add_seed(kg_small.paths, 'kz:Kazakhstan kzo:note "1992-13-45"^^xsd:date .\n')
    for command in ("validate", "fmt", "fix-quotes", "build"):
        result = subprocess.run([sys.executable, "-m", "kg.cli", "--data", str(kg_small.paths.root), command],
                                capture_output=True, text=True, timeout=300)
        assert "Traceback" not in result.stderr and "Failed to convert" not in result.stderr, (command, result.stderr)


@other_user
def test_an_unreadable_export_is_one_line(built_data, shared_dir):
    paths = _copy_built(built_data, shared_dir / "data")
    for path in [paths.root, *paths.root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    paths.turtle_export.chmod(0o600)  # root's; nobody cannot read it
    for args in (("query", "ASK { ?s ?p ?o }"), ("rank",)):
        result = _kg_as(65534, paths.root, *args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines()[-1] == f"Error: {paths.turtle_export}: cannot be read (Permission denied)"
        assert "Traceback" not in result.stderr
