#!/usr/bin/env python3
"""How fast is ``kg query``? Side by side, same file, same queries, one run:

* ``kg query`` as people run it: a new process per query (cold). Reported
  three ways: as shipped (``auto``: the curated graph is small enough to be
  parsed into memory on each call), and forced onto the persistent RocksDB
  store with its cache warm (built before) and cold (deleted before each run);
* plain rdflib: a new Python process that parses ``exports/kazakhstan.ttl``
  and runs the query;
* ``roqet`` (Debian's rasqal-utils), a C program, on the same file.

Then, inside one process, what the engines themselves cost: loading the file
and answering each query (warm) with pyoxigraph and with rdflib.

Every figure is the median of ``--runs`` runs after one warm-up run; ratios
are of medians. The commands of one query run in turn, round after round, so
a change in the machine's load touches them all alike. ``python -c pass``
is timed alongside: the interpreter's own start, the floor under ``kg query``.
The report ends with the issue's targets, MET or MISSED, per query. Each
engine's row count is shown, so an engine that answers differently is seen.
``--scale N`` repeats the graph N times (each copy with its own entity IRIs)
to see how the engines grow.

Usage (from the repository, after ``kg build``):

    .venv/bin/python bench/query_bench.py
    .venv/bin/python bench/query_bench.py --runs 9 --scale 10 --json bench/out/scale10.json
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.core.prefixes import PREFIXES  # noqa: E402
from kg.sparql.text import prefix_declarations  # noqa: E402

QUERIES_DIR = REPO / "kg" / "sparql" / "queries"
# Typical questions that all three engines can answer (roqet has no property paths).
QUERIES = {
    "lookup": "SELECT ?organization ?name WHERE { kz:Kazakhstan kzo:memberOf ?organization . "
              'OPTIONAL { ?organization rdfs:label ?name FILTER(lang(?name) = "en") } } ORDER BY ?organization',
    "state-evidence": (QUERIES_DIR / "state-evidence.rq").read_text(encoding="utf-8"),
    "treaties-by-year": (QUERIES_DIR / "treaties-by-year.rq").read_text(encoding="utf-8"),
    "facts-per-source": (QUERIES_DIR / "facts-per-source.rq").read_text(encoding="utf-8"),
}

RDFLIB_PROGRAM = """
import sys
from rdflib import Graph
graph = Graph()
graph.parse(sys.argv[1], format="turtle")
result = graph.query(open(sys.argv[2], encoding="utf-8").read())
sys.stdout.write(result.serialize(format="csv").decode("utf-8"))
"""


class Timed:
    """One command to time: how to run it, what to do before each run, which exit codes are fine."""

    def __init__(self, command: list[str], env: dict | None = None, before=None, ok=(0,)):
        self.command, self.env, self.before, self.ok = command, env, before, ok
        self.samples: list[float] = []
        self.output = ""
        self.capped = False  # a run went past --cap: no figure

    def run_once(self, cap: float | None) -> float | None:
        if self.before:
            self.before()
        started = time.perf_counter()
        try:
            done = subprocess.run(self.command, capture_output=True, text=True, env=self.env, timeout=cap)
        except subprocess.TimeoutExpired:
            self.capped = True
            return None
        elapsed = (time.perf_counter() - started) * 1000
        if done.returncode not in self.ok:
            raise SystemExit(f"failed ({done.returncode}): {' '.join(self.command)}\n{done.stderr}")
        self.output = done.stdout
        return elapsed

    @property
    def median(self) -> float | None:
        return None if self.capped else statistics.median(self.samples)


def time_interleaved(timed: dict[str, Timed], runs: int, cap: float | None) -> None:
    """Run every command once to warm the file cache, then ``runs`` rounds of each in turn.

    Interleaving puts every command under the same machine load, so the
    ratios hold even when the load drifts during the run (these machines are
    shared). A command stopped at ``cap`` seconds drops out with no figure.
    """
    for round_number in range(runs + 1):
        for each in timed.values():
            if each.capped:
                continue
            elapsed = each.run_once(cap)
            if round_number and elapsed is not None:
                each.samples.append(elapsed)


def csv_rows(output: str) -> int:
    return max(len(list(csv.reader(io.StringIO(output)))) - 1, 0)


def scaled_export(source: Path, copies: int, target: Path) -> None:
    """``copies`` copies of the graph, each with its own entity IRIs (the ontology is shared)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(source), format=pyoxigraph.RdfFormat.TURTLE)
    nt = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()).decode("utf-8")
    entity = PREFIXES["kz"]
    with open(target, "w", encoding="utf-8") as out:  # N-Triples is Turtle too
        for copy in range(copies):
            out.write(nt if copy == 0 else nt.replace(entity, f"{entity}copy{copy}/"))


def in_process(export: Path, runs: int) -> list[tuple[str, float, float]]:
    """Load and per-query times inside one process: pyoxigraph, then rdflib (ms, medians)."""
    import pyoxigraph
    from rdflib import Graph

    def timed(action):
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            action()
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    figures = []
    store = pyoxigraph.Store()
    oxigraph_load = timed(lambda: pyoxigraph.Store().load(path=str(export), format=pyoxigraph.RdfFormat.TURTLE))
    store.load(path=str(export), format=pyoxigraph.RdfFormat.TURTLE)
    rdflib_load = timed(lambda: Graph().parse(str(export), format="turtle"))
    figures.append(("load the export", oxigraph_load, rdflib_load))
    graph = Graph().parse(str(export), format="turtle")
    for name, text in QUERIES.items():
        full = prefix_declarations() + text
        list(store.query(full))
        list(graph.query(full))  # both warm: rdflib compiles its first query slowly
        figures.append((f"query {name} (warm)", timed(lambda: list(store.query(full))),
                        timed(lambda: list(graph.query(full)))))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure (default 5)")
    parser.add_argument("--data", type=Path, default=REPO, help="data directory holding exports/kazakhstan.ttl")
    parser.add_argument("--scale", type=int, default=1, help="repeat the graph N times (default 1)")
    parser.add_argument("--cap", type=float, default=60, help="stop a run after this many seconds (default 60)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    options = parser.parse_args()

    source = options.data / "exports" / "kazakhstan.ttl"
    if not source.is_file():
        raise SystemExit(f"{source} not found: run `kg build` first")
    roqet = shutil.which("roqet")
    if roqet is None:
        raise SystemExit("roqet not found: apt-get install rasqal-utils (./dev test installs it)")
    kg_script = Path(sys.executable).with_name("kg")
    kg_command = [str(kg_script)] if kg_script.exists() else [sys.executable, "-m", "kg.cli"]

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        data = Path(scratch) / "data"
        (data / "exports").mkdir(parents=True)
        export = data / "exports" / "kazakhstan.ttl"
        if options.scale > 1:
            scaled_export(source, options.scale, export)
        else:
            shutil.copy2(source, export)
        triples = sum(1 for _ in open(export, encoding="utf-8")) if options.scale > 1 else None
        if triples is None:
            import pyoxigraph

            triples = sum(1 for _ in pyoxigraph.parse(path=str(export), format=pyoxigraph.RdfFormat.TURTLE))
        megabytes = export.stat().st_size / 1e6
        cache = data / ".kg-cache"

        def drop_cache():
            shutil.rmtree(cache, ignore_errors=True)

        # Processes start as on a user's machine: with compiled bytecode cached.
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env_auto = {**base_env, "KG_QUERY_STORE": "auto"}
        env_disk = {**base_env, "KG_QUERY_STORE": "disk"}
        results = []
        for name, text in QUERIES.items():
            query_file = Path(scratch) / f"{name}.rq"
            query_file.write_text(prefix_declarations() + text, encoding="utf-8")
            kg = [*kg_command, "--data", str(data), "query", "-f", str(query_file), "--format", "csv"]
            subprocess.run(kg, capture_output=True, env=env_disk)  # build the persistent store once
            timed = {
                "kg": Timed(kg, env_auto),
                "disk_warm": Timed(kg, env_disk),
                "disk_cold": Timed(kg, env_disk, before=drop_cache),
                "rdflib": Timed([sys.executable, "-c", RDFLIB_PROGRAM, str(export), str(query_file)], base_env),
                "roqet": Timed([roqet, "-q", "-i", "sparql", "-D", str(export), "-r", "csv", str(query_file)],
                               ok=(0, 2)),  # 2: warnings
                "python": Timed([sys.executable, "-c", "pass"], base_env),
            }
            time_interleaved(timed, options.runs, options.cap)
            results.append({
                "query": name, "kg_query_ms": timed["kg"].median, "kg_disk_warm_ms": timed["disk_warm"].median,
                "kg_disk_cold_ms": timed["disk_cold"].median, "rdflib_ms": timed["rdflib"].median,
                "roqet_ms": timed["roqet"].median, "python_start_ms": timed["python"].median,
                "rows": {engine: None if timed[key].capped else csv_rows(timed[key].output)
                         for engine, key in (("kg", "kg"), ("rdflib", "rdflib"), ("roqet", "roqet"))},
            })
        engine = in_process(export, options.runs)

    report(results, engine, options, triples, megabytes)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps({"triples": triples, "megabytes": megabytes, "runs": options.runs,
                                            "cold_processes": results,
                                            "in_process": [dict(zip(("what", "pyoxigraph_ms", "rdflib_ms"), f))
                                                           for f in engine]}, indent=2) + "\n")


def report(results, engine, options, triples, megabytes) -> None:
    import pyoxigraph
    import rdflib

    roqet_version = subprocess.run(["roqet", "-v"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    capped = f"> {options.cap:g} s"

    def ms(value):
        return capped if value is None else f"{value:.0f}"

    def ratio(numerator, denominator, digits=1):
        if numerator is None:
            return f"> {options.cap * 1000 / denominator:.2g}"
        if denominator is None:
            return f"< {numerator / (options.cap * 1000):.2g}"
        return f"{numerator / denominator:.{digits}f}"

    def median_of(key):
        values = [r[key] if r[key] is not None else float("inf") for r in results]
        value = statistics.median(values)
        return None if value == float("inf") else value

    print(f"{triples} triples ({megabytes:.2f} MB of Turtle), scale {options.scale}; median of {options.runs} runs; "
          f"{os.cpu_count()} CPUs, load {load:.1f}; Python {platform.python_version()}, pyoxigraph "
          f"{pyoxigraph.__version__}, rdflib {rdflib.__version__}, roqet {roqet_version}")
    print()
    print("Cold: a new process per query, wall time in ms")
    print()
    print("| query | kg query | kg, disk store warm | kg, disk store cold | rdflib | roqet | python -c pass "
          "| rdflib ÷ kg | kg ÷ roqet | rows kg/rdflib/roqet |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        rows = r["rows"]
        print(f"| {r['query']} | {ms(r['kg_query_ms'])} | {ms(r['kg_disk_warm_ms'])} | {ms(r['kg_disk_cold_ms'])} | "
              f"{ms(r['rdflib_ms'])} | {ms(r['roqet_ms'])} | {ms(r['python_start_ms'])} | "
              f"{ratio(r['rdflib_ms'], r['kg_query_ms'])} | {ratio(r['kg_query_ms'], r['roqet_ms'], 2)} | "
              + "/".join("—" if rows[e] is None else str(rows[e]) for e in ("kg", "rdflib", "roqet")) + " |")
    kg_all, rdflib_all, roqet_all = median_of("kg_query_ms"), median_of("rdflib_ms"), median_of("roqet_ms")
    print(f"| **median** | **{ms(kg_all)}** | | | **{ms(rdflib_all)}** | **{ms(roqet_all)}** | "
          f"**{ms(median_of('python_start_ms'))}** | **{ratio(rdflib_all, kg_all)}** | "
          f"**{ratio(kg_all, roqet_all, 2)}** | |")
    print()
    for line in verdicts(results):
        print(line)
    print()
    print("In one process: the engines alone, ms")
    print()
    print("| step | pyoxigraph | rdflib | rdflib ÷ pyoxigraph |")
    print("|---|---:|---:|---:|")
    for what, oxigraph_ms, rdflib_ms in engine:
        print(f"| {what} | {oxigraph_ms:.2f} | {rdflib_ms:.2f} | {rdflib_ms / oxigraph_ms:.0f} |")


#: The targets of the query issue, on the curated graph, for every query.
FASTER_THAN_RDFLIB = 5.0  # rdflib ÷ kg at least this
WITHIN_ROQET = 3.0  # kg ÷ roqet at most this


def verdicts(results: list[dict]) -> list[str]:
    """MET or MISSED for each target, with the query that came closest to missing it."""
    lines = []

    def worst(key, numerator, denominator):
        ratios = [(r[numerator] / r[denominator], r["query"]) for r in results
                  if r[numerator] is not None and r[denominator] is not None]
        return (min if key == "min" else max)(ratios) if ratios else None

    lowest = worst("min", "rdflib_ms", "kg_query_ms")
    if lowest:
        verdict = "MET" if lowest[0] >= FASTER_THAN_RDFLIB else "MISSED"
        lines.append(f"Target: kg query at least {FASTER_THAN_RDFLIB:g}x faster than rdflib on every query: {verdict} "
                     f"(lowest {lowest[0]:.1f}x, {lowest[1]})")
    highest = worst("max", "kg_query_ms", "roqet_ms")
    if highest:
        verdict = "MET" if highest[0] <= WITHIN_ROQET else "MISSED"
        lines.append(f"Target: kg query within {WITHIN_ROQET:g}x of roqet on every query: {verdict} "
                     f"(highest {highest[0]:.2f}x, {highest[1]})")
    return lines


if __name__ == "__main__":
    main()
