"""``kg serve``'s pages in headless Chromium: the query page runs a query and
shows labels linked to entity pages, an entity page draws, and nothing
leaves 127.0.0.1. The data holds a hostile entity (names, quote rendering and
note written as markup and script): every page shows them as text.

Chromium is started by ``tests.helpers.browser.start_chromium`` with every host
but 127.0.0.1 unresolvable. Without it these tests skip, except in CI.
"""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.helpers.browser import CHROMEDRIVER, CHROMIUM, start_chromium
from tests.helpers.data import copy_data
from tests.helpers.hostile import HOSTILE_EN, HOSTILE_ENGLISH, HOSTILE_ID, HOSTILE_KK, add_hostile_entity
from tests.helpers.serve import running_server


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    paths = copy_data(tmp_path_factory.mktemp("hostile-data"))
    add_hostile_entity(paths)
    result = CliRunner().invoke(main, ["--data", str(paths.root), "build"])
    assert result.exit_code == 0, result.output
    with running_server(paths) as server:
        yield server


@pytest.fixture(scope="module")
def local_browser(tmp_path_factory):
    """Chromium that reaches 127.0.0.1 and nothing else."""
    from pathlib import Path

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("headless Chromium is needed: sudo apt-get install chromium chromium-driver")
    driver = start_chromium(tmp_path_factory.mktemp("chromium-serve"), 1400, 1000, keep_console=True,
                            allow_local=True)
    yield driver
    driver.quit()


def wait(driver, script: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script}")


def open_page(driver, url: str) -> None:
    driver.get_log("browser")  # forget earlier pages' messages
    driver.get(url)
    wait(driver, "return document.readyState === 'complete'")


def assert_clean(driver, server) -> None:
    """No console error, no script from the data ran, and every request went to the server itself."""
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], [e["message"][:300] for e in errors]
    assert driver.execute_script("return window.__pwned === undefined")
    requests = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    origin = server.url.rstrip("/")
    assert [r for r in requests if not r.startswith(origin)] == []
    assert driver.execute_script("return document.querySelectorAll('img[src=\"x\"]').length") == 0


def test_query_page_runs_a_query_and_links_labels(local_browser, hostile_server):
    driver = local_browser
    open_page(driver, hostile_server.url)
    wait(driver, "return document.querySelector('.CodeMirror') !== null")
    examples = driver.execute_script("return document.querySelectorAll('#examples option').length")
    assert examples > 40  # the bundled queries, as a menu
    driver.execute_script("window.kgYasgui.getTab().query()")
    wait(driver, "return document.querySelector('table.kg-results a') !== null")
    links = driver.execute_script(
        "return [...document.querySelectorAll('table.kg-results a')].map(a => [a.textContent, a.getAttribute('href')])")
    assert ["United Nations", "/id/UN"] in links
    downloads = driver.execute_script(
        "return [...document.querySelectorAll('#downloads a')].map(a => [a.textContent, a.href])")
    assert [name for name, _ in downloads] == ["JSON", "XML", "CSV", "TSV"]
    csv_link = dict(downloads)["CSV"]
    assert csv_link.startswith(hostile_server.url + "sparql?query=") and csv_link.endswith("format=csv")
    from urllib.request import urlopen

    with urlopen(csv_link, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "https://w3id.org/kzkg/id/UN" in response.read().decode("utf-8")
    # YASGUI's own table view draws too, under the same strict policy.
    driver.execute_script("window.kgYasgui.getTab().getYasr().selectPlugin('table')")
    wait(driver, "return document.querySelector('.yasr table.dataTable td') !== null")
    driver.execute_script("window.kgYasgui.getTab().getYasr().selectPlugin('labels')")
    wait(driver, "return document.querySelector('table.kg-results a') !== null")
    # Labels in Kazakh, on demand.
    driver.execute_script("const s = document.getElementById('lang'); s.value = 'kk'; "
                          "s.dispatchEvent(new Event('change'))")
    wait(driver, "return [...document.querySelectorAll('table.kg-results a')]"
                 ".some(a => a.textContent === 'Біріккен Ұлттар Ұйымы')")
    assert_clean(driver, hostile_server)


def test_query_page_shows_hostile_labels_as_text(local_browser, hostile_server):
    driver = local_browser
    query = f"SELECT ?state ?name WHERE {{ kz:Kazakhstan kzo:strategicPartnerOf ?state . ?state rdfs:label ?name }}"
    from urllib.parse import quote

    open_page(driver, hostile_server.url + "?query=" + quote(query))
    wait(driver, "return document.querySelector('table.kg-results') !== null")
    cells = driver.execute_script(
        "return [...document.querySelectorAll('table.kg-results td')].map(td => td.textContent)")
    assert HOSTILE_EN in cells and HOSTILE_KK in cells
    assert_clean(driver, hostile_server)


def test_entity_page_draws_and_shows_hostile_text(local_browser, hostile_server):
    driver = local_browser
    open_page(driver, hostile_server.url + f"id/{HOSTILE_ID}")
    assert driver.execute_script("return document.querySelector('h1').textContent") == HOSTILE_EN
    body = driver.execute_script("return document.body.textContent")
    assert HOSTILE_KK in body and HOSTILE_ENGLISH in body
    assert driver.execute_script("return document.querySelector('svg.graph circle.centre') !== null")
    assert_clean(driver, hostile_server)
    open_page(driver, hostile_server.url + "id/Kazakhstan")
    assert driver.execute_script(
        f"return [...document.querySelectorAll('a.entity')].some(a => a.textContent === {HOSTILE_EN!r})")
    assert driver.execute_script("return document.querySelectorAll('svg.graph a').length") > 10
    assert_clean(driver, hostile_server)


def test_ontology_and_text_pages_open_clean(local_browser, hostile_server):
    driver = local_browser
    open_page(driver, hostile_server.url + "ontology#memberOf")
    assert driver.execute_script("return document.getElementById('memberOf') !== null")
    assert_clean(driver, hostile_server)
    open_page(driver, hostile_server.url + "text/source-002")
    assert driver.execute_script("return document.querySelectorAll('mark').length") > 10
    assert_clean(driver, hostile_server)
