"""How fast the HTML views are drawn, and whether their labels overlap, in headless Chromium.

Renders the main view of the full graph (what ``kg build`` writes to
exports/kazakhstan.html) from the current data, opens it several times in
Debian's headless Chromium with outside network blocked, and reports, per
run, the time from navigation start to the first frame the network drew and
to the last one (the view is "still" from then on: the page records every
redraw, and none comes in the second after), and how many pairs of the
labels drawn at the opening zoom overlap (measured from vis-network's own
label boxes). Targets: first draw of the main view under 300 ms; a
2,000-node focused view (``--page``) first drawn under 1 s; no two labels
overlapping.

    .venv/bin/python bench/html_bench.py              # 7 runs, prints medians
    .venv/bin/python bench/html_bench.py --runs 15
    .venv/bin/python bench/html_bench.py --screenshot docs/screenshot.png

A 2,000-node focused view, from data grown to 100,000 triples:

    .venv/bin/python bench/scale.py --triples 100000 --seed 1 --out /tmp/kg-100k
    kg --data /tmp/kg-100k build
    kg --data /tmp/kg-100k export html --focus Kazakhstan --depth 1 -o /tmp/kg-100k/kazakhstan.html
    .venv/bin/python bench/html_bench.py --page /tmp/kg-100k/kazakhstan.html --runs 5

Needs chromium and chromium-driver (``sudo apt-get install chromium chromium-driver``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.helpers.browser import CHROMEDRIVER, CHROMIUM, start_chromium  # noqa: F401  (bench/suite.py reads them here too)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: First draw of the main view, and of a large (--page) view.
TARGET_SECONDS = 0.3
LARGE_TARGET_SECONDS = 1.0
QUIET_SECONDS = 1.0


def render_main_view(target: Path) -> tuple[int, int]:
    """Write the main view of the current data to ``target``; return its node and edge counts."""
    from kg.data.graph import load_graph
    from kg.render.html import MAIN_TITLE, page_data, render_page
    from kg.network.store import network_from_store
    from kg.core.paths import data_paths

    built = load_graph(data_paths())
    graph = built.full
    network = network_from_store(built.store, evidence=True)
    target.write_text(render_page(page_data(graph, network, MAIN_TITLE["en"], "en")), encoding="utf-8")
    return network.number_of_nodes(), network.number_of_edges()


def _count(page: Path) -> tuple[int, int]:
    """Nodes and relations of a written page, from its embedded data."""
    import re

    text = page.read_text(encoding="utf-8")
    return len(re.findall(r'"cls":', text)), len(re.findall(r'"evidence":\[', text))


#: vis-network's label boxes of the nodes whose label is drawn, in screen pixels, and the
#: pairs of them that overlap.
OVERLAPS_JS = """
var boxes = [], body = kgNetwork.body;
body.nodeIndices.forEach(function (id) {
  var node = body.nodes[id], size = node.labelModule.size;
  if (!node.options.label || node.options.hidden || !size.width) return;
  var a = kgNetwork.canvasToDOM({x: size.left, y: size.top});
  var b = kgNetwork.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
  var c = document.getElementById('network');
  if (b.x < 0 || b.y < 0 || a.x > c.clientWidth || a.y > c.clientHeight) return;
  boxes.push([a.x, a.y, b.x, b.y]);
});
var overlaps = 0;
for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
  var p = boxes[i], q = boxes[j];
  if (p[0] < q[2] && q[0] < p[2] && p[1] < q[3] && q[1] < p[3]) overlaps += 1;
}
return [boxes.length, overlaps, kgNetwork.getScale()];
"""


def wait_until_still(driver, timeout: float = 20.0) -> dict:
    """Wait for the first draw, then until no redraw came for QUIET_SECONDS."""
    deadline = time.monotonic() + timeout
    while driver.execute_script("return window.kgDrawnAt === undefined") and time.monotonic() < deadline:
        time.sleep(0.02)
    draws = -1
    while time.monotonic() < deadline:
        now = driver.execute_script("return window.kgDraws")
        if now == draws:
            break
        draws = now
        time.sleep(QUIET_SECONDS)
    return driver.execute_script(
        "var nav = performance.getEntriesByType('navigation')[0];"
        "return {first: window.kgDrawnAt, last: window.kgLastDrawnAt, draws: window.kgDraws,"
        " dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--screenshot", type=Path, help="Also save a PNG of the main view here.")
    parser.add_argument("--page", type=Path, help="Time this page (e.g. a large focused view from "
                        "`kg export html --focus ...`) instead of the curated main view.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        page = args.page.resolve() if args.page else Path(work) / "kazakhstan.html"
        nodes, edges = _count(page) if args.page else render_main_view(page)
        size = page.stat().st_size
        driver = start_chromium(Path(work) / "profile")
        try:
            timings, labels = [], []
            for _ in range(args.runs):
                driver.get("about:blank")
                driver.get(page.as_uri())
                timings.append(wait_until_still(driver))
                labels.append(driver.execute_script(OVERLAPS_JS))
            if args.screenshot:
                driver.get(page.as_uri())
                wait_until_still(driver)
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(args.screenshot))
        finally:
            driver.quit()

    first = [t["first"] / 1000 for t in timings]
    still = [t["last"] / 1000 for t in timings]
    print(f"{'page' if args.page else 'main view'}: {nodes} nodes, {edges} relations, {size / 1e6:.2f} MB")
    print(f"runs: {args.runs} (chromium headless, physics off, precomputed layout)")
    print(f"navigation -> first draw:  median {statistics.median(first):.3f} s  (min {min(first):.3f}, max {max(first):.3f})")
    print(f"navigation -> still:       median {statistics.median(still):.3f} s  (min {min(still):.3f}, max {max(still):.3f})")
    print(f"redraws before still: {sorted({t['draws'] for t in timings})}")
    shown, overlaps, scale = labels[-1]
    print(f"labels drawn at the opening zoom ({scale:.3f}): {shown}, overlapping pairs: {max(l[1] for l in labels)}")
    target = LARGE_TARGET_SECONDS if args.page else TARGET_SECONDS
    fast = statistics.median(first) < target
    verdict = "OK" if fast and not any(l[1] for l in labels) else ("TOO SLOW" if not fast else "LABELS OVERLAP")
    print(f"target: first draw < {target * 1000:.0f} ms, no overlapping labels: {verdict}")
    if args.screenshot:
        print(f"screenshot: {args.screenshot}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
