"""The HTML views in a real browser: Debian's headless Chromium, driven by selenium,
with every outside host unreachable.

Each test opens built pages and checks that they draw without a JavaScript
error or a request to another host, hold exactly the nodes and edges the
networkx network has, find a node by an inflected Kazakh name, filter,
highlight, switch language, and show hostile labels as text while running
nothing. Without Chromium these tests skip (saying how to install it),
except in CI, where they fail.
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


def open_view(driver, path: Path) -> None:
    """Open a page and wait until the network has drawn once."""
    driver.get("about:blank")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri())
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
    """Nodes and edges in the network, and how many of each are not hidden."""
    return tuple(driver.execute_script(
        "var b = kgNetwork.body.data;"
        "return [b.nodes.length, b.edges.length,"
        " b.nodes.get({filter: function (n) { return !n.hidden; }}).length,"
        " b.edges.get({filter: function (e) { return !e.hidden; }}).length];"
    ))


@pytest.fixture(scope="module")
def network(built_data):
    return build_network(load_graph(built_data).full)


def test_main_view_draws_exactly_the_network_without_errors(browser, built_data, network):
    page = built_data.html_export
    open_view(browser, page)
    assert shown_counts(browser) == (network.number_of_nodes(), network.number_of_edges()) * 2
    assert browser.execute_script("return kgNetwork.getPositions(['Kazakhstan']).Kazakhstan.x") is not None
    assert browser.title == views.MAIN_TITLE["en"]
    assert_clean(browser, page)


def test_every_ready_view_opens_cleanly_from_the_index(browser, built_data):
    index = built_data.exports / "index.html"
    browser.get(index.resolve().as_uri())
    links = [a.get_attribute("href") for a in browser.find_elements("css selector", "a")]
    assert len(links) >= 4
    assert_clean(browser, index)
    for link in links:
        path = Path(unquote(urlparse(link).path))
        open_view(browser, path)
        data = browser.execute_script("return kgData")
        assert shown_counts(browser)[:2] == (len(data["nodes"]), len(data["edges"])), path.name
        assert_clean(browser, path)


def _search(driver, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("id", "search")
    box.clear()
    box.send_keys(text + Keys.ENTER)


@pytest.mark.parametrize("name, expected", [("Ресеймен", "Russia"), ("ресей", "Russia"), ("ШЫҰ", "SCO"), ("ООН", "UN")])
def test_search_finds_a_node_by_a_kazakh_or_russian_name(browser, built_data, network, name, expected):
    from kg.data.evidence import fold_for_search

    names = [network.nodes[expected][f"label_{l}"] for l in ("en", "kk", "ru")]
    names += network.nodes[expected]["alt_labels"].split(" | ")
    assert fold_for_search(name) in {fold_for_search(n) for n in names}, f"{name} is not a name of {expected} in the data"
    open_view(browser, built_data.html_export)
    _search(browser, name)
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == [expected]
    assert browser.find_element("id", "status").text.endswith(network.nodes[expected]["label_en"])
    # The node's neighbourhood is highlighted, the rest dimmed.
    neighbours = set(network.successors(expected)) | set(network.predecessors(expected)) | {expected}
    opacity = browser.execute_script("var o = {}; kgNetwork.body.data.nodes.forEach(function (n) { o[n.id] = n.opacity; }); return o")
    assert {n for n, value in opacity.items() if value == 1} == neighbours
    assert_clean(browser, built_data.html_export)


def test_clicking_a_node_highlights_its_neighbourhood(browser, built_data, network):
    from selenium.webdriver.common.action_chains import ActionChains

    open_view(browser, built_data.html_export)
    canvas = browser.find_element("css selector", "#network canvas")
    x, y = browser.execute_script(
        "var p = kgNetwork.canvasToDOM(kgNetwork.getPositions(['Russia']).Russia); return [p.x, p.y]")
    ActionChains(browser).move_to_element_with_offset(canvas, x - canvas.size["width"] / 2, y - canvas.size["height"] / 2).click().perform()
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == ["Russia"]
    neighbours = set(network.successors("Russia")) | set(network.predecessors("Russia")) | {"Russia"}
    dimmed = browser.execute_script(
        "return kgNetwork.body.data.nodes.get({filter: function (n) { return n.opacity < 1; }}).map(function (n) { return n.id; })")
    assert set(dimmed) == set(network.nodes) - neighbours
    assert_clean(browser, built_data.html_export)


def test_filters_show_what_they_say(browser, built_data, network):
    from selenium.webdriver.support.ui import Select

    open_view(browser, built_data.html_export)
    Select(browser.find_element("id", "filter-relation")).select_by_value("signed")
    signed = [(s, t) for s, t, r in network.edges(data="relation") if r == "signed"]
    assert shown_counts(browser)[2:] == (len({n for edge in signed for n in edge}), len(signed))

    Select(browser.find_element("id", "filter-relation")).select_by_value("")
    year = browser.find_element("id", "filter-year")
    year.send_keys("1995")
    dated = [a for *_, a in network.edges(data=True) if a["year"] is not None and a["year"] <= 1995]
    assert shown_counts(browser)[3] == len(dated)

    browser.find_element("id", "reset").click()
    assert shown_counts(browser)[2:] == (network.number_of_nodes(), network.number_of_edges())
    assert_clean(browser, built_data.html_export)


def test_language_menu_relabels_the_view(browser, built_data, network):
    from selenium.webdriver.support.ui import Select

    open_view(browser, built_data.html_export)
    Select(browser.find_element("id", "language")).select_by_value("kk")
    label = browser.execute_script("return kgNetwork.body.data.nodes.get('Kazakhstan').label")
    assert label == network.nodes["Kazakhstan"]["label_kk"]
    assert browser.find_element("css selector", "[data-ui=search]").text == "Іздеу"
    assert browser.execute_script("return document.documentElement.lang") == "kk"
    assert_clean(browser, built_data.html_export)


def _hover(driver, node_id: str) -> str:
    """Move the mouse onto a node; return the text of the tooltip that appears."""
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element("css selector", "#network canvas")
    x, y = driver.execute_script(
        "var p = kgNetwork.canvasToDOM(kgNetwork.getPositions([arguments[0]])[arguments[0]]); return [p.x, p.y]", node_id)
    ActionChains(driver).move_to_element_with_offset(canvas, 0, 0).perform()
    ActionChains(driver).move_to_element_with_offset(canvas, x - canvas.size["width"] / 2, y - canvas.size["height"] / 2).perform()
    deadline = time.monotonic() + 5
    while True:
        tooltip = driver.execute_script(
            "var t = document.querySelector('div.vis-tooltip');"
            "return t && t.style.visibility === 'visible' ? t.textContent : null")
        if tooltip or time.monotonic() > deadline:
            return tooltip or ""
        time.sleep(0.05)


def _assert_ran_nothing(driver, path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert driver.execute_script("return window.__pwned === undefined"), f"{path.name}: injected code ran"
    # The page builds no image, SVG, link or frame from data: markup in a label stays text.
    assert driver.execute_script("return document.querySelectorAll('img, svg, iframe, object, embed, a').length") == 0
    assert_clean(driver, path)


def test_hostile_labels_show_as_text_and_run_nothing(browser, kg_fresh, tmp_path):
    add_hostile_entity(kg_fresh.paths)
    assert kg_fresh("build").exit_code == 0
    exports = kg_fresh.paths.exports

    # The partner view: its title, legend, menus, search list, tooltips all come from hostile data.
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
    tooltip = _hover(browser, HOSTILE_ID)
    assert HOSTILE_EN in tooltip and HOSTILE_KK in tooltip and HOSTILE_CLASS in tooltip
    assert all(alt in tooltip for alt in HOSTILE_ALT)
    edge_tip = browser.execute_script(
        "var id = arguments[0];"
        "return kgNetwork.body.data.edges.get().filter(function (e) { return e.to === id; }).map(function (e) {"
        " return [e.title.textContent, e.title.querySelectorAll('*').length, e.title.querySelectorAll('img, svg, script, a').length]; })",
        HOSTILE_ID)
    assert len(edge_tip) == 1
    text, elements, injected = edge_tip[0]
    assert HOSTILE_ENGLISH in text and HOSTILE_NOTE in text and HOSTILE_RELATION in text
    assert elements > 0 and injected == 0
    _search(browser, HOSTILE_ALT[0])
    assert browser.execute_script("return kgNetwork.getSelectedNodes()") == [HOSTILE_ID]
    _assert_ran_nothing(browser, partner)

    # The main view, in Kazakh: the hostile Kazakh label is drawn as text.
    result = kg_fresh("export", "html", "--lang", "kk", "-o", str(tmp_path / "kk.html"))
    assert result.exit_code == 0, result.output
    open_view(browser, tmp_path / "kk.html")
    assert browser.execute_script("return kgNetwork.body.data.nodes.get(arguments[0]).label", HOSTILE_ID) == views._short_label(HOSTILE_KK, HOSTILE_ALT)
    _assert_ran_nothing(browser, tmp_path / "kk.html")

    # The index lists the partner view under its hostile name, as text.
    index = exports / "index.html"
    browser.get(index.resolve().as_uri())
    link = browser.find_element("css selector", f"a[href='views/partner-{views._file_stem(HOSTILE_ID)}.html']")
    assert link.text == f"Kazakhstan's strategic partner: {HOSTILE_EN}"
    assert browser.execute_script("return document.querySelectorAll('img, svg, script').length") == 0
    assert browser.execute_script("return window.__pwned === undefined")
    assert_clean(browser, index)
