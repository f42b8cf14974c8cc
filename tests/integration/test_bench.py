"""The scale benchmark's own code: its table, its targets, its chart, and one
smoke run of ``bench/run`` on the smallest graph (one run per figure, no
browser, no server). Not a timing test: it checks that the suite runs end to
end and that what it writes says what the numbers say."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench import suite  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)


def _figure(seconds, **extra):
    return {"median": seconds, "runs": 3, "planned_runs": 3, "samples": [seconds] * 3, "status": "ok", **extra}


def _entry(size, scale, lookup_cold=0.2, roqet=None, build=1.0, load=0.5, peak=500.0, degree=1.0, read=1.0,
           first=0.2):
    figures = {
        "build": _figure(build * scale, peak_rss_mb=peak),
        "pyoxigraph_load": _figure(load * scale),
        "build_vs_load": {"median": build / load, "status": "ratio", "samples": []},
        "kg_first_query": _figure(first, store_bytes=10_000_000),
        "kg_second_query": _figure(0.2),
        "rank_degree": _figure(degree, peak_rss_mb=200.0),
        "html_focus": _figure(read, peak_rss_mb=150.0),
        **{key: _figure(read, peak_rss_mb=100.0) for key, _ in suite.read_commands(Path("out"))},
        "rank_betweenness": _figure(2.0, notice="betweenness estimated from 200 of 9000 entities (--sample)"),
        "html_first_draw": {"status": "skipped", "note": "--quick or --skip-browser", "samples": []},
    }
    for name in suite.QUERIES:
        figures[f"q:{name}:kg_cold"] = _figure(lookup_cold if name == "lookup" else 0.3, rows=10)
        figures[f"q:{name}:kg_warm"] = _figure(0.1, rows=10)
        figures[f"q:{name}:pyoxigraph"] = _figure(0.001, rows=10)
        figures[f"q:{name}:rdflib"] = _figure(5.0 * scale, rows=10)
        figures[f"q:{name}:roqet"] = roqet.get(name, _figure(1.0, rows=10)) if roqet else _figure(1.0, rows=10)
    return {"requested": size, "triples": size + 5, "export_bytes": size * 70, "runs": 3, "figures": figures}


def _results(curated=0.1, large_lookup=0.2, **at_1m):
    entries = [_entry(10_000, 1), _entry(100_000, 10), _entry(1_000_000, 100, **at_1m),
               _entry(10_000_000, 1000, lookup_cold=large_lookup)]
    results = {
        "curated": {"runs": 5, "figures": {key: _figure(curated, peak_rss_mb=50.0) for key, _ in suite.READ_ROWS}},
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gib": 24, "kernel": "6.1", "os": "Debian", "python": "3.11",
                    "kg": "0.1.0", "pyoxigraph": "0.5", "rdflib": "7.1", "roqet": "0.9.33"},
        "started": "2026-01-01 00:00 UTC", "options": {"cap": 60, "sizes": list(SIZES)}, "suite_seconds": 600.0,
        "sizes": entries,
        "virtuoso": {"size": 1_000_000, "triples": 1_000_005, "version": "7.2", "start_seconds": 2.0,
                     "triples_in_server": 1_000_005,
                     "figures": {"push": _figure(30.0), **{f"q:{n}:virtuoso": _figure(0.2, rows=10) for n in suite.QUERIES}}},
    }
    results["targets"] = suite.evaluate_targets(results)
    return results


def _verdicts(results):
    return {target["target"]: target["verdict"] for target in results["targets"]}


def test_targets_are_met_when_the_numbers_meet_them():
    verdicts = _verdicts(_results())
    assert set(verdicts.values()) == {"MET"}, verdicts
    # 9 read commands and 5 more at 1M, 3 at 10M, 9 on the curated graph
    assert len(verdicts) == 26


def test_each_target_is_missed_by_the_number_that_misses_it():
    slow_roqet = {"two-hop": _figure(0.05, rows=10)}
    results = _results(lookup_cold=1.5, roqet=slow_roqet, build=4.0, load=1.0, peak=1500.0, degree=7.0, read=2.5,
                       first=0.5, curated=0.3, large_lookup=1.5)
    results["sizes"][-1]["figures"]["build"]["status"] = "failed"
    results["sizes"][-1]["figures"]["q:lookup:kg_warm"] = _figure(1.5)
    results["sizes"][2]["figures"]["q:lookup:kg_warm"] = _figure(2.5)  # the lookup's read-command row at 1M
    results["targets"] = suite.evaluate_targets(results)
    assert set(_verdicts(results).values()) == {"MISSED"}, _verdicts(results)
    by_name = {target["target"]: target for target in results["targets"]}
    assert "two-hop: kg 300 ms, roqet 50 ms" in by_name["at 1M, kg query (cold) runs every query faster than roqet"]["reason"]
    ratio = by_name["at 1M, kg build within 2.5 times of pyoxigraph's bare Store.load of the seeds"]
    assert ratio["measured"].startswith("4.00×") and ratio["reason"]  # a miss says why


def test_roqet_stopped_at_the_cap_counts_as_slower_than_kg():
    stopped = {"aggregate": {"median": None, "status": "timeout", "note": "stopped after 60 s", "samples": []}}
    results = _results(roqet=stopped)
    target = next(t for t in results["targets"] if "faster than roqet" in t["target"])
    assert target["verdict"] == "MET"
    assert "aggregate 300 ms vs > 60 s" in target["measured"]


def test_targets_are_not_judged_without_the_million_triple_graph():
    results = _results()
    results["sizes"] = results["sizes"][:2]
    results["virtuoso"] = None
    del results["curated"]
    results["targets"] = suite.evaluate_targets(results)
    assert set(_verdicts(results).values()) == {"NOT RUN"}


def test_the_table_has_one_column_per_size_and_the_verdicts():
    results = _results(lookup_cold=1.5)
    results["targets"] = suite.evaluate_targets(results)
    text = suite.render_markdown(results)
    assert "| | 10k | 100k | 1M |" in text
    assert "| exported triples | 10,005 | 100,005 | 1,000,005 |" in text
    assert "| `kg build` (load, materialize, check, write Turtle) | 1 s | 10 s | 100 s |" in text
    assert "| … its peak memory | 500 MB | 500 MB | 500 MB |" in text
    assert "| at 1M, kg query answers the lookup cold in under 1 s | 1.5 s | **MISSED** |" in text
    assert "| … Virtuoso via `kg query --endpoint` |  |  | 200 ms |" in text
    assert "| Virtuoso: `kg push` of the export |  |  | 30 s |" in text
    assert "betweenness estimated from 200 of 9000 entities" in text
    assert "| lookup | 1M | 10 | 10 | 10 | 10 | 10 | yes |" in text


def test_a_single_run_a_timeout_and_a_failure_read_as_such():
    assert suite.seconds_text({"median": 42.0, "runs": 1, "planned_runs": 3, "status": "ok"}) == "42 s ¹"
    assert suite.seconds_text({"median": 0.0123, "runs": 5, "planned_runs": 5, "status": "ok"}) == "12.3 ms"
    assert suite.seconds_text({"median": None, "status": "timeout", "note": "stopped after 60 s"}) == "> 60 s"
    assert suite.seconds_text({"median": None, "status": "failed", "note": "exit 1: boom"}) == "failed"


def test_row_counts_that_differ_are_flagged():
    results = _results()
    results["sizes"][0]["figures"]["q:aggregate:roqet"]["rows"] = 9
    assert "| aggregate | 10k | 10 | 10 | 9 | 10 | — | **no** |" in suite.render_markdown(results)


def test_sizes_accept_suffixes():
    assert suite.parse_sizes("1M,10k,100000") == [10_000, 100_000, 1_000_000]


def test_bench_run_smoke(tmp_path):
    """``bench/run`` end to end on the real data alone (about 5 thousand triples), one run per figure."""
    done = subprocess.run(
        [str(REPO / "bench" / "run"), "--sizes", "5000", "--quick", "--out", str(tmp_path / "out"),
         "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    (entry,) = results["sizes"]
    assert entry["triples"] > 4000
    figures = entry["figures"]
    assert figures["build"]["status"] == "ok", figures["build"]
    for name in suite.QUERIES:
        cold = figures[f"q:{name}:kg_cold"]
        assert cold["status"] == "ok" and cold["median"] > 0
        # Every engine that ran answered with as many rows as kg.
        for peer in ("rdflib", "roqet", "pyoxigraph"):
            other = figures[f"q:{name}:{peer}"]
            if other["status"] == "ok":
                assert other["rows"] == cold["rows"], (name, peer)
    table = (tmp_path / "out" / "results.md").read_text()
    assert f"| exported triples | {entry['triples']:,} |" in table
    assert (tmp_path / "out" / "scale.png").read_bytes()[:4] == b"\x89PNG"


def test_the_chart_is_a_png(tmp_path):
    # bench/run (the smoke test above) installs the [bench] extra when it is missing.
    pytest.importorskip("matplotlib", reason="matplotlib comes with the [bench] extra: pip install -e .[bench]")
    suite.render_chart(_results(), tmp_path / "scale.png")
    assert (tmp_path / "scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# bench/query_bench.py: the curated-graph targets of the query issue --------


def _query_result(name, kg_ms, rdflib_ms, roqet_ms):
    return {"query": name, "kg_query_ms": kg_ms, "rdflib_ms": rdflib_ms, "roqet_ms": roqet_ms}


def test_query_bench_judges_each_target_on_its_worst_query():
    from bench import query_bench

    met = query_bench.verdicts([_query_result("lookup", 60, 480, 25), _query_result("join", 70, 700, 900)])
    assert met == ["Target: kg query at least 5x faster than rdflib on every query: MET (lowest 8.0x, lookup)",
                   "Target: kg query within 3x of roqet on every query: MET (highest 2.40x, lookup)"]
    missed = query_bench.verdicts([_query_result("lookup", 100, 480, 25), _query_result("join", 70, 700, 900)])
    assert missed == ["Target: kg query at least 5x faster than rdflib on every query: MISSED (lowest 4.8x, lookup)",
                      "Target: kg query within 3x of roqet on every query: MISSED (highest 4.00x, lookup)"]


def test_query_bench_leaves_a_query_stopped_at_the_cap_out_of_its_ratios():
    from bench import query_bench

    lines = query_bench.verdicts([_query_result("lookup", 60, 480, 25), _query_result("slow", 70, 700, None)])
    assert lines[1].endswith("MET (highest 2.40x, lookup)")
