"""Queries per second of ``kg serve`` against ``oxigraph serve-read-only``, side by side.

Both servers answer the same export (``exports/kazakhstan.ttl``, or ``--data``):
kg serve loads it into memory and forks its query workers; Oxigraph's own
server reads a RocksDB store that ``oxigraph load`` writes first (from the
``oxigraph`` package on PyPI, in the bench extra). The same client — Python's
http.client on one kept-alive connection per client thread, POSTing each
bundled query (``kg/queries/*.rq``, with its PREFIX lines, so Oxigraph
needs none predeclared) as application/sparql-query and asking for SPARQL
JSON — asks each server in turn, round after round, the order swapped every
round, so a change in the machine's load touches both alike. Every answer is
checked: both servers must give the same number of rows for every query.

    .venv/bin/python bench/serve_bench.py                      # 7 rounds, 1 and 4 clients
    .venv/bin/python bench/serve_bench.py --rounds 15 --out docs/bench/serve.md

Target: kg serve answers at least 0.8 times as many queries per second as Oxigraph's server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.core.paths import data_paths  # noqa: E402
from kg.sparql.bundled import bundled_queries  # noqa: E402
from kg.sparql.text import with_prefix_declarations  # noqa: E402

TARGET = 0.8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise SystemExit("needs the oxigraph CLI: pip install -e '.[bench]'")
    return found


def start_servers(root: Path, workdir: Path, workers: int | None):
    export = data_paths(root).turtle_export
    kg_port, oxi_port = free_port(), free_port()
    command = [sys.executable, "-m", "kg.cli", "--data", str(root), "serve", "--port", str(kg_port)]
    if workers:
        command += ["--workers", str(workers)]
    kg = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    store = workdir / "oxigraph-store"
    subprocess.run([oxigraph_binary(), "load", "--location", str(store), "--file", str(export)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    oxigraph = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind",
                                 f"127.0.0.1:{oxi_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(kg_port, kg)
    wait_for(oxi_port, oxigraph)
    return {"kg serve": (kg, kg_port, "/sparql"), "oxigraph serve-read-only": (oxigraph, oxi_port, "/query")}


class Client:
    """One kept-alive connection; POSTs a query, returns the number of result rows."""

    def __init__(self, port: int, path: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.path = path

    def ask(self, query: bytes) -> int:
        self.connection.request("POST", self.path, body=query, headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:300]!r}")
        answer = json.loads(body)
        return len(answer["results"]["bindings"]) if "results" in answer else 1

    def close(self):
        self.connection.close()


def run_round(port: int, path: str, queries: list[tuple[str, bytes]], clients: int, repeat: int):
    """Every query ``repeat`` times on each of ``clients`` threads; (queries per second, rows per query,
    seconds per query on one client)."""
    rows: dict[str, int] = {}
    per_query: dict[str, list[float]] = {name: [] for name, _ in queries}
    errors: list[BaseException] = []
    barrier = threading.Barrier(clients + 1)

    def work(index: int):
        client = Client(port, path)
        try:
            client.ask(queries[0][1])  # open the connection before the clock starts
            barrier.wait()
            for _ in range(repeat):
                for name, body in queries[index % len(queries):] + queries[: index % len(queries)]:
                    started = time.perf_counter()
                    count = client.ask(body)
                    if index == 0:
                        per_query[name].append(time.perf_counter() - started)
                        rows[name] = count
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
            barrier.abort()
        finally:
            client.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return clients * repeat * len(queries) / elapsed, rows, {n: statistics.median(t) for n, t in per_query.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="data directory (default: the repository)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the queries per round and client")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4], help="concurrent clients to measure")
    parser.add_argument("--workers", type=int, default=None, help="kg serve --workers (default: its own)")
    parser.add_argument("--out", type=Path, default=None, help="also write the report (Markdown) here")
    options = parser.parse_args()

    root = data_paths(options.data).root
    queries = [(q.name, with_prefix_declarations(q.text()).encode("utf-8")) for q in bundled_queries()]
    workdir = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    servers = start_servers(root, workdir, options.workers)
    started = time.monotonic()
    try:
        results: dict[int, dict[str, list[float]]] = {}
        rows: dict[str, dict[str, int]] = {}
        latency: dict[str, dict[str, list[float]]] = {name: {} for name in servers}
        names = list(servers)
        for clients in options.clients:
            results[clients] = {name: [] for name in servers}
            for round_number in range(options.rounds):
                order = names if round_number % 2 == 0 else names[::-1]
                for name in order:
                    _, port, path = servers[name]
                    qps, counts, times = run_round(port, path, queries, clients, options.repeat)
                    results[clients][name].append(qps)
                    rows[name] = counts
                    if clients == options.clients[0]:
                        for query, seconds in times.items():
                            latency[name].setdefault(query, []).append(seconds)
                print(f"clients {clients} round {round_number + 1}: " + ", ".join(
                    f"{name} {results[clients][name][-1]:.0f} q/s" for name in names), file=sys.stderr)
        mismatched = [q for q, _ in queries if rows[names[0]].get(q) != rows[names[1]].get(q)]
    finally:
        for process, _, _ in servers.values():
            process.send_signal(signal.SIGTERM)
        for process, _, _ in servers.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    report = render(options, root, queries, results, latency, rows, mismatched, time.monotonic() - started)
    print(report)
    if options.out:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(report, encoding="utf-8")
    return 1 if mismatched else 0


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, pyoxigraph {version('pyoxigraph')}, "
            f"oxigraph CLI {version('oxigraph')}, uvicorn {version('uvicorn')}, starlette {version('starlette')}, "
            f"load average {os.getloadavg()[0]:.2f}")


def render(options, root, queries, results, latency, rows, mismatched, seconds) -> str:
    names = list(latency)
    from kg.serve.engine import load_graph

    triples = load_graph(data_paths(root).turtle_export).triples
    lines = [
        "# kg serve against oxigraph serve-read-only",
        "",
        f"Written by `bench/serve_bench.py` ({time.strftime('%Y-%m-%d')}; {options.rounds} interleaved rounds, "
        f"each every bundled query ({len(queries)}) {options.repeat} times per client; {seconds:.0f} s in all).",
        f"Machine: {machine()}.",
        f"Graph: `{data_paths(root).turtle_export.name}`, {triples:,} triples.",
        "",
        "| clients | kg serve, queries/s | oxigraph serve-read-only, queries/s | kg ÷ oxigraph | target ≥ 0.8 |",
        "|---:|---:|---:|---:|---|",
    ]
    for clients, by_server in results.items():
        kg, oxi = statistics.median(by_server[names[0]]), statistics.median(by_server[names[1]])
        ratio = kg / oxi
        lines.append(f"| {clients} | {kg:.0f} | {oxi:.0f} | {ratio:.2f} | {'**met**' if ratio >= TARGET else 'not met'} |")
    lines += ["", "Medians over the rounds. Per query, one client, median ms per answer:", "",
              "| query | rows | kg serve | oxigraph | kg ÷ oxigraph |", "|---|---:|---:|---:|---:|"]
    for name, _ in queries:
        kg = statistics.median(latency[names[0]][name]) * 1000
        oxi = statistics.median(latency[names[1]][name]) * 1000
        lines.append(f"| {name} | {rows[names[0]].get(name)} | {kg:.2f} | {oxi:.2f} | {kg / oxi:.2f} |")
    lines += ["", "Row counts agree on every query." if not mismatched else
              f"Row counts differ on: {', '.join(mismatched)}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
