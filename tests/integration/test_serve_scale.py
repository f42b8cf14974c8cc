"""``kg serve`` on a million triples: the graph is opened once and shared.

The export is grown with bench/scale.py and written with the library's own
load-and-materialize (``kg.data.store.materialized_store``), which is what ``kg
build`` does on large data before its checks, then its persistent store, as
``kg build`` prepares it. The server opens that store, which ``kg query`` uses;
its query workers read the same files, so a full scan in a worker leaves it no
private copy of the graph.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pathlib import Path
from kg.core.paths import DataPaths
from tests.helpers.scale import load_scale
from tests.helpers.serve import request, running_server, sparql_get

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def private_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no Private_Dirty line")


#: Written in a process of its own: RocksDB's threads, once started in the test process, can hang
#: the forked query children of kg commands that later tests run in process.
_WRITE_EXPORT_AND_STORE = """
import sys
import pyoxigraph
from pathlib import Path
from kg.core.paths import DataPaths
from kg.data.querystore import prepare_store
from kg.data.store import materialized_store

paths = DataPaths(Path(sys.argv[1]))
store = materialized_store(paths)
paths.exports.mkdir(exist_ok=True)
turtle = pyoxigraph.serialize((quad.triple for quad in store), format=pyoxigraph.RdfFormat.TURTLE)
paths.turtle_export.write_bytes(turtle)
prepare_store(paths.turtle_export, paths.cache, turtle)  # kg build's last step: the store read commands open
print(len(store))
"""


@pytest.fixture(scope="module")
def million(tmp_path_factory) -> tuple[DataPaths, int]:
    root = tmp_path_factory.mktemp("kg-1m")
    assert load_scale().main(["--triples", "1000000", "--seed", "1", "--out", str(root), "--force"]) == 0
    done = subprocess.run([sys.executable, "-c", _WRITE_EXPORT_AND_STORE, str(root)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return DataPaths(root), int(done.stdout)


def test_a_million_triples_are_opened_once_and_shared(million):
    paths, triples = million
    assert triples > 1_000_000
    with running_server(paths, "--workers", "2") as server:
        assert f"({triples} triples from {paths.turtle_export}, store {paths.cache}" in server.start_line
        status, _, body = sparql_get(server, COUNT)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(triples)
        for _ in range(3):  # both workers scan the whole graph
            assert sparql_get(server, COUNT)[0] == 200
        # A private copy of the graph would be about 300 MB per worker (measured with the in-memory
        # store); the shared store leaves each with its own caches only.
        for pid in [server.process.pid, *server.workers()]:
            assert private_megabytes(pid) < 120, pid
        status, headers, page = request(server.url + "id/Kazakhstan")
        assert status == 200 and "more relations than a page shows" in page
        assert len(page) < 5_000_000
    # The store is the one kg query uses: a second start opens it without parsing the export again.
    assert len(list(paths.cache.glob("store-*"))) == 1
    started = time.monotonic()
    with running_server(paths) as server:
        assert sparql_get(server, "ASK { kz:Kazakhstan ?p ?o }")[0] == 200
    assert time.monotonic() - started < 8
