"""The HTML views in a real browser: Debian's headless Chromium, driven by selenium,
with every outside host unreachable.

Each test opens built pages as a person would and checks one behaviour: the
view draws without a JavaScript error or a request to another host and holds
exactly the networkx network; a click opens the details panel with the quote
as selectable text; the hover preview is the line under the pointer; the
address restores selection, filters and language; the phone layout; contrast
from the page's own colours; every view links back; search by a Kazakh word
form; the reading pages; hostile labels show as text while nothing runs.
Without Chromium these tests skip (saying how to install it), except in CI,
where they fail.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.helpers.browser import CHROMEDRIVER, CHROMIUM, start_chromium
from kg.render import html as views
from kg.data.graph import load_graph
from tests.helpers.rdflib_network import build_network

from tests.helpers.hostile import (
    HOSTILE_ALT,
    HOSTILE_CLASS,
    HOSTILE_EN,
    HOSTILE_ENGLISH,
    HOSTILE_ID,
    HOSTILE_KK,
    HOSTILE_NOTE,
    HOSTILE_RELATION,
    add_hostile_entity,
)

INSTALL_HINT = "install them with `sudo apt-get install chromium chromium-driver` (./dev test does it)"


def _missing() -> list[str]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[test]')")
    return missing


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = _missing()
    if missing:
        message = f"headless Chromium is needed for the browser tests; missing: {', '.join(missing)}: {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message + " (CI must run these tests)")
        pytest.skip(message)
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"), 1400, 900, keep_console=True)
    yield driver
    driver.quit()


def open_view(driver, path: Path, fragment: str = "") -> None:
    """Open a page (at ``#fragment``) and wait until the network has drawn once."""
    driver.get("about:blank")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
    deadline = time.monotonic() + 15
    while not driver.execute_script("return window.kgDrawnAt !== undefined"):
        assert time.monotonic() < deadline, f"{path.name} never drew"
        time.sleep(0.05)


def assert_clean(driver, path: Path) -> None:
    """No JavaScript error or warning in the console, and nothing asked of another host."""
    problems = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert not problems, f"{path.name}: {problems}"
    requested = driver.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(function (e) { return e.name; })"
    )
    assert requested, "no navigation entry"
    outside = [url for url in requested if not url.startswith(("file:", "data:", "about:"))]
    assert not outside, f"{path.name} asked other hosts for {outside}"


def shown_counts(driver) -> tuple[int, int, int, int]:
    """Nodes and edges in the page's data, and how many of each the network shows."""
    return tuple(driver.execute_script(
        "var b = kgNetwork.body.data, own = function (item) { return !/^gathered/.test(String(item.id)); };"
        "return [kgData.nodes.length, kgData.edges.length,"
        " b.nodes.get({filter: function (n) { return own(n) && !n.hidden; }}).length,"
        " b.edges.get({filter: function (e) { return own(e) && !e.hidden; }}).length];"
    ))


def shown_or_gathered(driver) -> tuple[int, int]:
    """Nodes and edges shown, a gathered one counting as shown (it is one click away)."""
    return tuple(driver.execute_script(
        "var gone = {}; kgGathered().forEach(function (g) { g.members.forEach(function (m) { gone[m] = true; }); });"
        "var b = kgNetwork.body.data, own = function (item) { return !/^gathered/.test(String(item.id)); };"
        "return [b.nodes.get({filter: function (n) { return own(n) && !n.hidden; }}).length + Object.keys(gone).length,"
        " b.edges.get({filter: function (e) { return own(e) && !e.hidden; }}).length"
        "  + kgData.edges.filter(function (e) { return gone[e.from] || gone[e.to]; }).length];"
    ))


@pytest.fixture(scope="module")
def network(built_graph):
    return build_network(built_graph)


def test_main_view_draws_exactly_the_network_without_errors(browser, built_data, network):
    page = built_data.html_export
    open_view(browser, page)
    assert shown_counts(browser)[:2] == (network.number_of_nodes(), network.number_of_edges())
    assert shown_or_gathered(browser) == (network.number_of_nodes(), network.number_of_edges())
    assert browser.execute_script("return kgNetwork.getPositions(['Kazakhstan']).Kazakhstan.x") is not None
    assert browser.title == views.MAIN_TITLE["en"]
    assert_clean(browser, page)


def _canvas_point(driver, x: float, y: float):
    """Move the mouse to the network's DOM point (x, y)."""
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element("css selector", "#network canvas")
    # 50 ms instead of Selenium's default 250 ms for a pointer move: the pointer still travels (and
    # crosses what lies between) in a few steps, without a quarter second per move.
    ActionChains(driver, duration=50).move_to_element_with_offset(canvas, round(x - canvas.size["width"] / 2), round(y - canvas.size["height"] / 2)).perform()
    return canvas


def _node_point(driver, node_id: str) -> tuple[float, float]:
    return tuple(driver.execute_script(
        "var p = kgNetwork.canvasToDOM(kgNetwork.getPositions([arguments[0]])[arguments[0]]); return [p.x, p.y]", node_id))


def _click_node(driver, node_id: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = _canvas_point(driver, *_node_point(driver, node_id))
    ActionChains(driver).click().perform()
    assert canvas


def test_every_ready_view_opens_cleanly_from_the_index_and_links_back(browser, built_data):
    index = built_data.exports / "index.html"
    browser.get(index.resolve().as_uri())
    links = [a.get_attribute("href") for a in browser.find_elements("css selector", "#views a")]
    assert len(links) >= 4
    texts = [a.get_attribute("href") for a in browser.find_elements("css selector", "#texts a")]
    assert [Path(unquote(urlparse(t).path)).name for t in texts] == [f"00{i}.html" for i in range(5)]
    assert_clean(browser, index)
    for link in links:
        path = Path(unquote(urlparse(link).path))
        open_view(browser, path)
        data = browser.execute_script("return kgData")
        assert shown_counts(browser)[:2] == (len(data["nodes"]), len(data["edges"])), path.name
        # Back to the index, to every sibling view, and the command that makes this one.
        back = browser.find_element("id", "to-index")
        assert back.is_displayed() and Path(unquote(urlparse(back.get_attribute("href")).path)) == index.resolve()
        siblings = {Path(unquote(urlparse(a.get_attribute("href")).path)) for a in browser.find_elements("css selector", "#views a")}
        assert siblings == {Path(unquote(urlparse(l).path)) for l in links}, path.name
        assert browser.find_element("css selector", "#views a[aria-current=page]").get_attribute("href") == link
        assert browser.find_element("id", "command").get_attribute("textContent").startswith("kg ")
        assert_clean(browser, path)
    for page in sorted((built_data.exports / "texts").glob("*.html")):
        browser.get(page.resolve().as_uri())
        back = browser.find_element("link text", "All views")
        assert Path(unquote(urlparse(back.get_attribute("href")).path)) == index.resolve()
        assert_clean(browser, page)


def _search(driver, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("id", "search")
    box.clear()
    box.send_keys(text + Keys.ENTER)


@pytest.mark.parametrize("name, expected", [
    ("Ресеймен", "Russia"), ("ресей", "Russia"), ("ШЫҰ", "SCO"), ("ООН", "UN"),
    ("Қытаймен", "China"),  # not a stored name: found by its stem, Қытай
    ("United", "UN"),  # many names start so: the best-connected wins
    ("Туркия", "Turkey"),  # only a word form of the texts (kzo:surfaceForm)
    ("Францияда", "France"),  # stem: the endings of kg.facts.wordforms
    ("БҰҰ-ға", "UN"),  # an ending after a dash
])
def test_search_finds_a_node_by_a_kazakh_or_russian_name(browser, built_data, network, name, expected):
    from kg.data.evidence import fold_for_search
    from kg.facts.wordforms import stem_candidates

    names = [network.nodes[expected][f"label_{l}"] for l in ("en", "kk", "ru")]
    names += network.nodes[expected]["alt_labels"].split(" | ") + network.nodes[expected].get("surface_forms", "").split(" | ")
    folded = {fold_for_search(n) for n in names if n}
    typed = fold_for_search(name)
    # a stored name or form, the start of one (United), or a word form whose stem is one (Қытаймен)
    assert typed in folded or any(n.startswith(typed) for n in folded) or folded & set(stem_candidates(typed)), \
        f"{name} is neither a name of {expected} in the data nor a form of one"
    open_view(browser, built_data.html_export)
    _search(browser, name)
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == [expected]
    assert browser.find_element("id", "status").text.endswith(network.nodes[expected]["label_en"])
    # The node's neighbourhood is highlighted, the rest dimmed, and its panel is open.
    neighbours = set(network.successors(expected)) | set(network.predecessors(expected)) | {expected}
    opacity = browser.execute_script("var o = {}; kgData.nodes.forEach(function (d) { var n = kgNetwork.body.data.nodes.get(d.id); o[d.id] = !n ? null : n.opacity === undefined ? 1 : n.opacity; }); return o")
    assert {n for n, value in opacity.items() if value == 1} == neighbours
    assert browser.find_element("css selector", "#panel h2").text == network.nodes[expected]["label_en"]
    assert_clean(browser, built_data.html_export)


def test_a_search_that_finds_nothing_clears_the_highlight_and_suggests(browser, built_data):
    open_view(browser, built_data.html_export)
    _search(browser, "Russia")
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == ["Russia"]
    _search(browser, "Rusia")
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == []
    assert browser.execute_script("return kgNetwork.body.data.nodes.get({filter: function (n) { return n.opacity < 1; }}).length") == 0
    assert not browser.find_element("id", "panel").is_displayed()
    assert browser.find_element("id", "status").text.startswith("Nothing matches")
    suggestions = [b.text for b in browser.find_elements("css selector", "#suggest button")]
    assert "Russia" in suggestions
    browser.find_element("css selector", "#suggest button").click()
    assert browser.execute_script("return kgNetwork.getSelectedNodes()")
    assert_clean(browser, built_data.html_export)


def test_clicking_a_node_opens_its_panel_with_quotes_as_selectable_text(browser, built_data, network):
    open_view(browser, built_data.html_export)
    _click_node(browser, "Russia")
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == ["Russia"]
    neighbours = set(network.successors("Russia")) | set(network.predecessors("Russia")) | {"Russia"}
    dimmed = browser.execute_script(
        "return kgData.nodes.filter(function (d) { var n = kgNetwork.body.data.nodes.get(d.id); return !n || n.hidden || n.opacity < 1; })"
        ".map(function (n) { return n.id; })")
    assert set(dimmed) == set(network.nodes) - neighbours
    panel = browser.find_element("id", "panel")
    assert panel.is_displayed()
    assert panel.find_element("css selector", "h2").text == "Russia"
    # Every relation of Russia is there as a sentence, with each quote as text.
    quotes = sorted({f"«{item.quote}»" for s, t, a in network.edges(data=True) if "Russia" in (s, t)
                     for item in a["evidence"] if item.quote})
    shown = sorted({q.get_attribute("textContent") for q in panel.find_elements("css selector", "blockquote")})
    assert shown == quotes
    assert len(panel.find_elements("css selector", ".fact")) == network.degree("Russia")
    # The quote can be selected like any text, and copied as a citation.
    first = panel.find_element("css selector", "blockquote")
    assert browser.execute_script("return getComputedStyle(arguments[0]).userSelect", first) != "none"
    selected = browser.execute_script(
        "var range = document.createRange(); range.selectNodeContents(arguments[0]);"
        "var s = window.getSelection(); s.removeAllRanges(); s.addRange(range); return s.toString()", first)
    assert selected == first.get_attribute("textContent")
    item = first.find_element("xpath", "..")
    assert "quote from a text" in item.text
    link = item.find_element("link text", "open in the text")
    target = Path(unquote(urlparse(link.get_attribute("href")).path))
    assert target.is_file() and f'id="{urlparse(link.get_attribute("href")).fragment}"' in target.read_text(encoding="utf-8")
    item.find_element("css selector", "button").click()
    copied = browser.execute_script("return window.kgLastCopied")
    assert first.get_attribute("textContent") in copied and "kz:st-" in copied
    assert_clean(browser, built_data.html_export)


def test_a_reference_is_marked_as_cited_not_quoted(browser, built_data, network):
    source, target, _ = next((s, t, k) for s, t, k, a in network.edges(keys=True, data=True)
                             if any(not item.source.endswith(".txt") for item in a["evidence"]))
    open_view(browser, built_data.html_export, f"node={source}")
    items = [i for i in browser.find_elements("css selector", "#panel .evidence.reference")]
    assert items and all("cited reference: " in i.text for i in items)
    # "cited reference: citation, address", the address a link out of the page
    data = browser.execute_script("return JSON.parse(document.getElementById('kg-data').textContent)")
    cited = {(ev["citation"], ev["address"]) for e in data["edges"] if source in (e["from"], e["to"])
             for ev in e["evidence"] if ev["kind"] == "reference"}
    shown = "\n".join(i.text for i in items)
    for citation, address in cited:
        assert f"cited reference: {citation}" + (f", {address}" if address else "") in shown
    links = [a.get_attribute("href") for i in items for a in i.find_elements("css selector", "a")]
    assert {a for _, a in cited if a} <= set(links)
    assert all(not i.find_elements("css selector", "blockquote") for i in items)
    assert_clean(browser, built_data.html_export)


def test_clicking_a_line_opens_its_evidence(browser, built_data):
    from selenium.webdriver.common.action_chains import ActionChains

    open_view(browser, built_data.html_export)
    edge, x, y = _clear_line_points(browser, 1)[0]
    _canvas_point(browser, x, y)
    ActionChains(browser).click().perform()
    data = browser.execute_script("return kgData.edges[arguments[0]]", edge)
    panel = browser.find_element("id", "panel")
    assert panel.is_displayed() and data["from"] in browser.execute_script("return location.hash")
    assert len(panel.find_elements("css selector", ".evidence")) == len(data["evidence"])
    assert_clean(browser, built_data.html_export)


def _clear_line_points(driver, count: int) -> list:
    """Points in the middle of lines, away from any node: (edge id, x, y) in DOM pixels."""
    return driver.execute_script(
        "var found = [], n = arguments[0], w = document.getElementById('network').clientWidth, h = document.getElementById('network').clientHeight;"
        "kgNetwork.body.edgeIndices.forEach(function (id) {"
        "  if (found.length >= n) return;"
        "  var e = kgNetwork.body.edges[id]; if (!e || !e.connected || !kgData.edges[id]) return;"
        "  var p = kgNetwork.canvasToDOM(e.edgeType.getPoint(0.5));"
        "  if (p.x < 30 || p.y < 30 || p.x > w - 30 || p.y > h - 30) return;"
        "  if (kgNetwork.getNodeAt(p) !== undefined) return;"
        "  if (kgNetwork.getEdgeAt(p) !== id) return;"  # another line crosses here: not a clear point
        "  found.push([id, p.x, p.y]);"
        "}); return found;", count)


def test_the_hover_preview_is_the_line_under_the_pointer(browser, built_data):
    open_view(browser, built_data.html_export)
    points = _clear_line_points(browser, 40)
    assert len(points) >= 30
    for edge, x, y in points:
        _canvas_point(browser, x, y)
        deadline = time.monotonic() + 3
        while True:
            # The preview shows the line vis-network highlights as hovered, and that line is under the pointer.
            shown, hovered, under = browser.execute_script(
                "var id = document.getElementById('preview').getAttribute('data-id');"
                "var hovered = kgNetwork.body.edgeIndices.filter(function (e) { return kgNetwork.body.edges[e].hover; });"
                "var p = kgNetwork.DOMtoCanvas({x: arguments[0], y: arguments[1]});"
                "var under = hovered.length === 1 && kgNetwork.body.edges[hovered[0]].isOverlappingWith({left: p.x, right: p.x, top: p.y, bottom: p.y});"
                "return [id, hovered.map(String), under];", x, y)
            if shown is not None and hovered == [shown]:
                break
            assert time.monotonic() < deadline, f"at ({x:.0f}, {y:.0f}) the preview shows {shown}, the highlighted line is {hovered}"
            time.sleep(0.03)
        assert under, f"line {shown} is not under the pointer at ({x:.0f}, {y:.0f})"
        if shown == str(edge):
            data = browser.execute_script("return kgData.edges[arguments[0]]", edge)
            text = browser.find_element("id", "preview").text
            assert browser.execute_script("return kgData.relations[arguments[0]].labels.en", data["rel"]) in text
            assert browser.execute_script("var id = arguments[0]; return kgData.nodes.filter(function (n) { return n.id === id; })[0].shown.en", data["from"]) in text
    # Off every line and node, there is no preview.
    _canvas_point(browser, 3, 3)
    time.sleep(0.2)
    assert not browser.find_element("id", "preview").is_displayed()
    assert_clean(browser, built_data.html_export)


def test_the_address_restores_selection_filters_and_language(browser, built_data, network):
    from selenium.webdriver.support.ui import Select

    fragment = "node=Kazakhstan&rel=signed&from=1991&to=1995&undated=0&lang=kk"
    open_view(browser, built_data.html_export, fragment)
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == ["Kazakhstan"]
    assert browser.execute_script("return document.documentElement.lang") == "kk"
    assert browser.title == views.MAIN_TITLE["kk"]
    kept = [(s, t) for s, t, a in network.edges(data=True)
            if a["relation"] == "signed" and any(1991 <= int(i.date[:4]) <= 1995 for i in a["evidence"] if i.date[:4].isdigit())]
    assert shown_counts(browser)[2:] == (len({n for e in kept for n in e}), len(kept))
    assert browser.find_element("id", "filter-from").get_attribute("value") == "1991"
    assert not browser.find_element("id", "filter-undated").is_selected()
    assert browser.find_element("css selector", "[data-rel=signed]").get_attribute("aria-pressed") == "true"
    assert browser.find_element("id", "panel").is_displayed()
    # What one changes goes back into the address, ready to copy.
    Select(browser.find_element("id", "language")).select_by_value("ru")
    browser.find_element("id", "copy-link").click()
    copied = browser.execute_script("return window.kgLastCopied")
    assert "lang=ru" in copied and "rel=signed" in copied and "from=1991" in copied
    open_view(browser, built_data.html_export, urlparse(copied).fragment)
    assert browser.execute_script("return document.documentElement.lang") == "ru"
    assert shown_counts(browser)[3] == len(kept)
    # The short forms: #Russia and ?focus=Russia.
    open_view(browser, built_data.html_export, "Russia")
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == ["Russia"]
    browser.get("about:blank")
    browser.get(built_data.html_export.resolve().as_uri() + "?focus=China")
    time.sleep(0.5)
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == ["China"]
    assert_clean(browser, built_data.html_export)


def test_filters_show_what_they_say_and_clear_a_stale_highlight(browser, built_data, network):
    from selenium.webdriver.support.ui import Select

    open_view(browser, built_data.html_export)
    _search(browser, "Russia")
    browser.find_element("css selector", "[data-rel=signed]").click()
    signed = [(s, t) for s, t, r in network.edges(data="relation") if r == "signed"]
    assert shown_counts(browser)[2:] == (len({n for edge in signed for n in edge}), len(signed))
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == []
    assert browser.execute_script("return kgNetwork.body.data.nodes.get({filter: function (n) { return n.opacity < 1; }}).length") == 0
    # Several legend rows at once.
    browser.find_element("css selector", "[data-rel=memberOf]").click()
    both = [e for e in network.edges(data="relation") if e[2] in ("signed", "memberOf")]
    assert shown_counts(browser)[3] == len(both)
    browser.find_element("css selector", "[data-rel=signed]").click()
    browser.find_element("css selector", "[data-rel=memberOf]").click()
    assert shown_or_gathered(browser) == (network.number_of_nodes(), network.number_of_edges())

    # A year range: undated facts are an explicit choice, and the menu says how many there are.
    undated = sum(1 for *_, y in network.edges(data="year") if y is None)
    assert browser.find_element("id", "undated-label").text == f"include undated ({undated})"
    start, end = browser.find_element("id", "filter-from"), browser.find_element("id", "filter-to")
    start.send_keys("1991"); end.send_keys("1995\n")
    in_range = [a for *_, a in network.edges(data=True)
                if any(1991 <= int(i.date[:4]) <= 1995 for i in a["evidence"] if i.date[:4].isdigit())]
    assert shown_counts(browser)[3] == len(in_range) + undated
    browser.find_element("id", "filter-undated").click()
    assert shown_counts(browser)[3] == len(in_range)
    scale = browser.execute_script("return kgNetwork.getScale()")
    assert scale > 0.3, "the view was not fitted to what the filter shows"

    # The class filter shows the nodes of that class (and the relations among them).
    browser.find_element("id", "reset").click()
    Select(browser.find_element("id", "filter-class")).select_by_value("State")
    states = {n for n, c in network.nodes(data="class") if c == "State"}
    among = [(s, t) for s, t in network.edges() if s in states and t in states]
    assert shown_counts(browser)[2:] == (len(states), len(among))
    browser.find_element("id", "reset").click()
    assert shown_or_gathered(browser) == (network.number_of_nodes(), network.number_of_edges())
    assert_clean(browser, built_data.html_export)


def test_language_menu_relabels_the_view(browser, built_data, network):
    from selenium.webdriver.support.ui import Select

    open_view(browser, built_data.html_export)
    Select(browser.find_element("id", "language")).select_by_value("kk")
    assert browser.execute_script("return kgNetwork.body.data.nodes.get('Kazakhstan').label") == network.nodes["Kazakhstan"]["label_kk"]
    assert browser.find_element("css selector", "[data-ui=search]").get_attribute("textContent") == "Іздеу"
    assert browser.execute_script("return document.documentElement.lang") == "kk"
    assert browser.title == views.MAIN_TITLE["kk"]
    relation_names = browser.execute_script("return Object.values(kgData.relations).map(function (r) { return r.labels.kk; })")
    assert len(relation_names) == len(set(relation_names))
    Select(browser.find_element("id", "language")).select_by_value("ru")
    # 162 узла, 234 связи (not "162 узлов, 234 связей").
    status = browser.find_element("id", "status").text
    nodes, edges = network.number_of_nodes(), network.number_of_edges()

    def russian(count, forms):
        if count % 10 == 1 and count % 100 != 11:
            return forms[0]
        return forms[1] if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else forms[2]

    assert status.startswith(f"{nodes} {russian(nodes, ('узел', 'узла', 'узлов'))}, {edges} {russian(edges, ('связь', 'связи', 'связей'))}")
    assert_clean(browser, built_data.html_export)


def test_keyboard_pans_zooms_steps_and_opens_the_panel(browser, built_data, network):
    from selenium.webdriver.common.keys import Keys

    open_view(browser, built_data.html_export)
    canvas = browser.find_element("id", "network")
    assert canvas.get_attribute("role") == "application" and "Arrow keys" in canvas.get_attribute("aria-label")
    canvas.click()
    scale = browser.execute_script("return kgNetwork.getScale()")
    canvas.send_keys("+")
    assert browser.execute_script("return kgNetwork.getScale()") > scale
    where = browser.execute_script("return kgNetwork.getViewPosition()")
    canvas.send_keys(Keys.ARROW_RIGHT)
    assert browser.execute_script("return kgNetwork.getViewPosition()")["x"] > where["x"]
    canvas.send_keys("n")
    hub = max(network.nodes, key=lambda n: (network.degree(n), [-ord(c) for c in n]))
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == [hub]
    canvas.send_keys(Keys.ENTER)
    assert browser.find_element("id", "panel").is_displayed()
    canvas.send_keys(Keys.ESCAPE)
    assert not browser.find_element("id", "panel").is_displayed()
    # The text alternative: every entity as a list, each opening its panel.
    browser.find_element("id", "list").click()
    items = browser.find_elements("css selector", "#panel .list-item")
    assert len(items) == network.number_of_nodes()
    assert_clean(browser, built_data.html_export)


@pytest.mark.parametrize("page", ["kazakhstan.html", "views/partner-china.html", "views/nuclear.html"])
def test_labels_fit_and_do_not_overlap_at_the_opening_zoom(browser, built_data, page):
    open_view(browser, built_data.exports / page)
    boxes = browser.execute_script("return kgLabelBoxes")
    width, height = browser.execute_script("var c = document.getElementById('network'); return [c.clientWidth, c.clientHeight]")
    assert len(boxes) >= min(40, len(browser.execute_script("return kgData.nodes")) // 2)
    for i, a in enumerate(boxes):
        assert a["left"] >= 0 and a["right"] <= width and a["bottom"] <= height, f"label of {a['id']} is clipped"
        for b in boxes[i + 1:]:
            assert not (a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]), (a, b)
    # Shown labels are at least 12 px high on screen.
    small = browser.execute_script(
        "var s = kgNetwork.getScale(); return kgNetwork.body.data.nodes.get({filter: function (n) { return n.label && n.font.size * s < 11.9; }}).length")
    assert small == 0
    assert_clean(browser, built_data.exports / page)


def test_each_class_has_its_own_shape(browser, built_data):
    open_view(browser, built_data.html_export)
    looks = browser.execute_script("return Object.values(kgData.classes).map(function (c) { return c.shape + (c.hollow ? ' hollow' : ''); })")
    assert len(looks) == len(set(looks))


def test_a_hubs_leaves_are_gathered_by_relation_until_expanded(browser, built_data, network):
    from selenium.webdriver.common.action_chains import ActionChains

    open_view(browser, built_data.html_export)
    groups = browser.execute_script("return kgGathered()")
    assert groups, "the main view gathers none of Kazakhstan's lines"
    for group in groups:
        assert len(group["members"]) >= 3
        for member in group["members"]:
            assert network.degree(member) == 1  # linked to the hub alone: nothing is lost from sight
            assert network.has_edge(group["hub"], member) or network.has_edge(member, group["hub"])
    biggest = max(groups, key=lambda g: len(g["members"]))
    label = browser.execute_script("return kgNetwork.body.data.nodes.get(arguments[0]).label", biggest["id"])
    assert label.endswith(f"×{len(biggest['members'])}")
    _canvas_point(browser, *_node_point(browser, biggest["id"]))
    ActionChains(browser).click().perform()
    assert biggest["id"] not in [g["id"] for g in browser.execute_script("return kgGathered()")]
    hidden = browser.execute_script("return kgNetwork.body.data.nodes.get(arguments[0]).map(function (n) { return !!n.hidden; })", biggest["members"])
    assert hidden == [False] * len(biggest["members"])
    # A search for a gathered entity opens its group.
    other = next(g for g in groups if g["id"] != biggest["id"])
    _search(browser, network.nodes[other["members"][0]]["label_en"])
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == [other["members"][0]]
    assert other["id"] not in [g["id"] for g in browser.execute_script("return kgGathered()")]
    assert_clean(browser, built_data.html_export)


def _luminance(colour: str) -> float:
    import re

    if colour.startswith("#"):
        channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(float(v)) for v in re.findall(r"[\d.]+", colour)[:3]]
    linear = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_of_lines_and_text_from_the_page_colours(browser, built_data):
    open_view(browser, built_data.html_export)
    lines = browser.execute_script("return kgNetwork.body.data.edges.map(function (e) { return [e.color.color, e.color.opacity]; })")
    assert all(opacity == 1 and _contrast(colour, "#ffffff") >= 3 for colour, opacity in lines), lines
    # One colour and line style per relation: no two relations look alike.
    looks = browser.execute_script("return Object.keys(kgData.relations).map(function (k) { var r = kgData.relations[k]; return r.color + JSON.stringify(r.dashes); })")
    assert len(looks) == len(set(looks))
    texts = browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('aside .legend-item span:not(.glyph), aside .legend-item .count, #status, #hint, aside h2, header label, #panel .meta'),"
        " function (node) { var el = node, bg = 'rgba(0, 0, 0, 0)';"
        "  while (el && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(el).backgroundColor; el = el.parentElement; }"
        "  return [node.textContent, getComputedStyle(node).color, bg]; })")
    assert len(texts) > 50
    low = [(text, colour, bg, round(_contrast(colour, bg), 2)) for text, colour, bg in texts if _contrast(colour, bg) < 4.5]
    assert not low
    # Class glyphs and node fills are graphics: 3:1.
    glyphs = browser.execute_script("return Array.prototype.map.call(document.querySelectorAll('.glyph'), function (g) { return getComputedStyle(g).color; })")
    assert glyphs and all(_contrast(g, "#fafbfc") >= 3 for g in glyphs), glyphs
    fills = browser.execute_script("return Object.values(kgData.classes).map(function (c) { return c.color; })")
    assert all(_contrast(f, "#ffffff") >= 3 for f in fills), fills
    assert_clean(browser, built_data.html_export)


def phone(driver, on: bool) -> None:
    """A 390×844 phone screen (Chromium's own device emulation; a window cannot be that narrow)."""
    if on:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    else:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_phone_layout_gives_the_graph_the_width_and_the_legend_a_drawer(browser, built_data):
    phone(browser, True)
    try:
        open_view(browser, built_data.html_export)
        width = browser.execute_script("return window.innerWidth")
        graph = browser.execute_script("var r = document.getElementById('network').getBoundingClientRect(); return [r.width, r.height, r.top]")
        assert graph[0] >= width - 2, graph
        assert graph[2] <= 110, "the header takes too much height"
        drawer = browser.find_element("id", "drawer")
        assert browser.execute_script("return arguments[0].getBoundingClientRect().left", drawer) >= width - 1
        browser.find_element("id", "drawer-toggle").click()
        time.sleep(0.4)
        left = browser.execute_script("return arguments[0].getBoundingClientRect().left", drawer)
        assert 0 <= left < width and drawer.find_element("css selector", "[data-rel=signed]").is_displayed()
        browser.find_element("id", "drawer-close").click()
        time.sleep(0.4)
        assert browser.execute_script("return arguments[0].getBoundingClientRect().left", drawer) >= width - 1
        _search(browser, "Russia")
        panel = browser.execute_script("var r = document.getElementById('panel').getBoundingClientRect(); return [r.width, r.height, r.top]")
        assert panel[0] >= width - 2 and panel[1] < 0.7 * browser.execute_script("return window.innerHeight")
        # The found node is in sight, above the panel.
        x, y = _node_point(browser, "Russia")
        top = browser.execute_script("return document.getElementById('network').getBoundingClientRect().top")
        assert 0 < x < width and 0 < y + top < panel[2], (x, y + top, panel[2])
        assert width == 390
        assert_clean(browser, built_data.html_export)
    finally:
        phone(browser, False)


def test_png_export_is_the_current_canvas(browser, built_data):
    import base64

    open_view(browser, built_data.html_export)
    url = browser.execute_script("return kgExportPng()")
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert_clean(browser, built_data.html_export)


def test_a_reading_page_highlights_every_quote_and_shows_its_facts(browser, built_data):
    from kg.data.graph import load_graph
    from kg.render.reading import quotes_in
    from rdflib import Literal
    from kg.core.namespaces import KZO

    graph = load_graph(built_data).full
    source = next(s for s, f in graph.subject_objects(KZO.fileName) if str(f).startswith("001_"))
    text = (built_data.texts / str(graph.value(source, KZO.fileName))).read_text(encoding="utf-8")
    quotes, missing = quotes_in(graph, source, text)
    assert quotes and not missing
    page = built_data.exports / "texts" / "001.html"
    browser.get(page.resolve().as_uri() + f"#q-{quotes[0].statement}")
    assert browser.execute_script("return window.kgReadingReady")
    anchors = browser.execute_script("return Array.prototype.map.call(document.querySelectorAll('.anchor'), function (a) { return a.id; })")
    assert sorted(anchors) == sorted(f"q-{q.statement}" for q in quotes)
    # The address's quote is chosen: its facts are shown, the others not.
    shown = browser.find_elements("css selector", ".fact.current")
    assert [f.get_attribute("data-st") for f in shown] == [quotes[0].statement]
    # Clicking another highlight shows its facts, each with a link into the graph.
    other = quotes[-1]
    mark = browser.find_element("css selector", f"mark[data-q~='{other.statement}']")
    mark.click()
    facts = browser.find_elements("css selector", ".fact.current")
    assert other.statement in [f.get_attribute("data-st") for f in facts]
    link = facts[0].find_element("link text", "open in the graph")
    assert link.get_attribute("href").split("#")[0].endswith("/kazakhstan.html")
    # The share of the text covered is stated.
    assert "% of the text" in browser.find_element("tag name", "header").text
    assert_clean(browser, page)
    link.click()
    deadline = time.monotonic() + 15
    while not browser.execute_script("return window.kgDrawnAt !== undefined"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert browser.execute_script("return kgNetwork.getSelectedNodes().length + kgNetwork.getSelectedEdges().length") >= 1
    assert browser.find_element("id", "panel").is_displayed()


def _assert_ran_nothing(driver, path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert driver.execute_script("return window.__pwned === undefined"), f"{path.name}: injected code ran"
    # The page builds no image, SVG or frame from data, and no link to anything but a file beside it.
    assert driver.execute_script("return document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    hrefs = driver.execute_script("return Array.prototype.map.call(document.querySelectorAll('a[href]'), function (a) { return a.href; })")
    assert all(h.startswith("file:") for h in hrefs), hrefs
    assert_clean(driver, path)


def test_hostile_labels_show_as_text_and_run_nothing(browser, kg_fresh, tmp_path):
    add_hostile_entity(kg_fresh.paths)
    assert kg_fresh("build").exit_code == 0
    exports = kg_fresh.paths.exports

    # The partner view: its title, legend, menus, search list, panel all come from hostile data.
    partner = exports / "views" / f"partner-{views._file_stem(HOSTILE_ID)}.html"
    open_view(browser, partner)
    _assert_ran_nothing(browser, partner)
    assert browser.title == f"Kazakhstan's strategic partner: {HOSTILE_EN}"
    assert browser.find_element("id", "kg-title").text == browser.title
    legend = browser.find_element("css selector", "aside").text
    assert HOSTILE_CLASS in legend and HOSTILE_RELATION in legend
    options = browser.execute_script("return Array.prototype.map.call(document.querySelectorAll('#search-options option'), function (o) { return o.value; })")
    assert {HOSTILE_EN, HOSTILE_KK, *HOSTILE_ALT} <= set(options)
    assert browser.execute_script("return kgNetwork.body.data.nodes.get(arguments[0]).label", HOSTILE_ID) == HOSTILE_EN
    # Hover preview and panel show the names and the evidence as text.
    _canvas_point(browser, *_node_point(browser, HOSTILE_ID))
    deadline = time.monotonic() + 3
    while browser.execute_script("return document.getElementById('preview').getAttribute('data-id')") != HOSTILE_ID:
        assert time.monotonic() < deadline
        time.sleep(0.03)
    assert HOSTILE_EN in browser.find_element("id", "preview").text
    _click_node(browser, HOSTILE_ID)
    panel = browser.find_element("id", "panel")
    text = panel.text
    assert HOSTILE_EN in text and HOSTILE_KK in text and HOSTILE_CLASS in text
    assert all(alt.strip() in text for alt in HOSTILE_ALT if alt.isprintable())
    assert HOSTILE_ENGLISH in text and HOSTILE_NOTE in text and HOSTILE_RELATION in text
    assert browser.execute_script("return document.querySelectorAll('#panel img, #panel svg, #panel script, #panel b, #panel i').length") == 0
    _search(browser, HOSTILE_ALT[0])
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == [HOSTILE_ID]
    _assert_ran_nothing(browser, partner)

    # The main view, in Kazakh: the hostile Kazakh label is drawn as text.
    result = kg_fresh("export", "html", "--lang", "kk", "-o", str(tmp_path / "kk.html"))
    assert result.exit_code == 0, result.output
    open_view(browser, tmp_path / "kk.html")
    assert browser.execute_script("return kgLabelOf(arguments[0])", HOSTILE_ID) == views._short_label(HOSTILE_KK, HOSTILE_ALT)
    _search(browser, HOSTILE_ID)
    assert browser.execute_script("return kgNetwork.body.data.nodes.get(arguments[0]).label", HOSTILE_ID) == views._short_label(HOSTILE_KK, HOSTILE_ALT)
    _assert_ran_nothing(browser, tmp_path / "kk.html")

    # The reading page of the text the hostile fact cites shows its sentence as text.
    reading = exports / "texts" / "000.html"
    browser.get(reading.resolve().as_uri())
    assert HOSTILE_EN in browser.find_element("id", "facts").get_attribute("textContent")
    _assert_ran_nothing(browser, reading)

    # The index lists the partner view under its hostile name, as text.
    index = exports / "index.html"
    browser.get(index.resolve().as_uri())
    link = browser.find_element("css selector", f"a[href='views/partner-{views._file_stem(HOSTILE_ID)}.html']")
    assert link.text == f"Kazakhstan's strategic partner: {HOSTILE_EN}"
    assert browser.execute_script("return document.querySelectorAll('img, svg, script').length") == 0
    assert browser.execute_script("return window.__pwned === undefined")
    assert_clean(browser, index)
