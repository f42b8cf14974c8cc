"""The HTML views, without a browser: offline, escaped, deterministic, and the
--focus/--relation/--since/--until filters keep exactly the facts they should.

The browser half (drawing, search, clicks, the injected label running
nothing) is tests/integration/test_html_browser.py.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Literal

from kg.render import html as views
from kg.data.graph import load_graph
from kg.data.querystore import export_is_stale
from kg.network.store import network_from_store
from kg.render.html import fill_template, render_index, script_json, ReadyView
from tests.helpers.rdflib_network import build_network
from kg.core.paths import DataPaths

from tests.helpers.data import Kg

# -- a hostile entity, for the escaping tests here and in the browser ---------

from tests.helpers.hostile import (  # noqa: E402
    HOSTILE_ALT, HOSTILE_CLASS, HOSTILE_EN, HOSTILE_ENGLISH, HOSTILE_ID, HOSTILE_KK, HOSTILE_NOTE, HOSTILE_RELATION,
    HOSTILE_TEXTS, add_hostile_entity,
)


# -- helpers -------------------------------------------------------------------


class _Attributes(HTMLParser):
    """Collects every element and attribute of a page, and the text of its <title>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(page: str) -> _Attributes:
    parser = _Attributes()
    parser.feed(page)
    return parser


def page_data_of(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def outside_data(page: str) -> str:
    """The page without its JSON data block (where data is escaped as JSON, not as HTML)."""
    return re.sub(r'(<script type="application/json" id="kg-data">).*?(</script>)', r"\1\2", page, flags=re.S)


def export(kg_runner: Kg, tmp_path: Path, *args: str, name: str = "view.html") -> tuple[str, dict]:
    target = tmp_path / name
    if export_is_stale(kg_runner.paths):  # the view reads the last build: build what the test changed
        built = kg_runner("build")
        assert built.exit_code == 0, built.output
    result = kg_runner("export", "html", *args, "-o", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    return page, page_data_of(page)


@pytest.fixture(scope="module")
def real(built_graph):
    """The built real data: its graph and its networkx network."""
    return built_graph, build_network(built_graph)


# -- offline -------------------------------------------------------------------


def _every_page(exports: Path) -> list[Path]:
    return sorted(exports.glob("*.html")) + sorted((exports / "views").glob("*.html")) + sorted((exports / "texts").glob("*.html"))


def test_build_writes_the_main_view_ready_views_and_an_index(built_data):
    names = {p.relative_to(built_data.exports).as_posix() for p in _every_page(built_data.exports)}
    assert {"kazakhstan.html", "index.html", "views/security.html", "views/economy.html", "views/nuclear.html"} <= names
    index = parse((built_data.exports / "index.html").read_text(encoding="utf-8"))
    links = sorted(attrs["href"] for tag, attrs in index.tags if tag == "a")
    assert "kazakhstan.html" in links
    assert sorted(names - {"index.html"}) == sorted(links)
    for link in links:
        assert (built_data.exports / link).is_file()


def test_one_view_per_strategic_partner_computed_from_the_data(built_data, real):
    graph, _ = real
    partners = views.strategic_partners(graph)
    assert partners, "the data names no strategic partner of Kazakhstan"
    for partner in partners:
        stem = views._file_stem(partner.split("/")[-1])
        page = (built_data.exports / "views" / f"partner-{stem}.html").read_text(encoding="utf-8")
        assert page_data_of(page)["focus"] == partner.split("/")[-1]


@pytest.mark.parametrize("attribute", ["src", "href", "action", "srcset", "poster", "data"])
def test_pages_load_nothing_from_another_host(built_data, attribute):
    for path in _every_page(built_data.exports):
        page = path.read_text(encoding="utf-8")
        for tag, attrs in parse(page).tags:
            value = (attrs.get(attribute) or "").strip().lower()
            assert not re.match(r"^(https?:|//|ftp:)", value), f"{path.name}: <{tag} {attribute}={value!r}>"
        assert not re.search(r"url\(\s*['\"]?(https?:|//)", page), f"{path.name}: a stylesheet loads from another host"
        assert not re.search(r"@import", page), path.name


def test_pages_inline_every_script_and_forbid_the_rest(built_data):
    for path in _every_page(built_data.exports):
        page = path.read_text(encoding="utf-8")
        tags = parse(page).tags
        assert not [attrs for tag, attrs in tags if tag in ("script", "link") and ("src" in attrs or "href" in attrs)]
        (csp,) = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert "default-src 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src", 1)[-1].split(";")[0]


# -- escaping --------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXTS + ["\u2028\u2029", "<!--", "]]>"])
def test_script_json_leaves_no_markup_and_round_trips(text):
    encoded = script_json({"label": text})
    assert not set("<>&") & set(encoded)
    assert "\u2028" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"label": text}


def test_placeholders_are_filled_in_one_pass():
    assert fill_template("__TITLE__ __DATA__", {"TITLE": "__DATA__", "DATA": "x"}) == "__DATA__ x"


def test_a_title_that_is_markup_or_a_placeholder_is_escaped_text():
    data = {"title": HOSTILE_KK + " __DATA__ __VIS_JS__", "lang": "en", "focus": None, "nodes": [], "edges": [],
            "classes": {}, "relations": {}}
    page = views.render_page(data)
    assert parse(page).title == data["title"]
    assert HOSTILE_KK not in outside_data(page)
    assert [t for t, _ in parse(page).tags].count("script") == 3


def test_index_escapes_titles():
    page = render_index([ReadyView("views/x.html", HOSTILE_EN, HOSTILE_NOTE, 1, 0)])
    assert HOSTILE_EN not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not [t for t, _ in parse(page).tags if t in ("img", "script")]


def test_hostile_names_quotes_and_notes_never_reach_the_html_raw(kg_fresh, tmp_path):
    add_hostile_entity(kg_fresh.paths)
    result = kg_fresh("build")
    assert result.exit_code == 0, result.output
    exports = kg_fresh.paths.exports
    partner_page = exports / "views" / f"partner-{views._file_stem(HOSTILE_ID)}.html"
    assert partner_page.is_file()
    focused, _ = export(kg_fresh, tmp_path, "--focus", HOSTILE_ID)
    pages = {p.name: p.read_text(encoding="utf-8") for p in _every_page(exports)} | {"focused": focused}
    for name, page in pages.items():
        html_part = outside_data(page)
        for text in HOSTILE_TEXTS:
            assert text not in html_part, f"{name}: {text!r} reached the HTML unescaped"
        parsed = parse(html_part).tags
        assert not {"img", "svg", "b", "i"} & {t for t, _ in parsed}, f"{name}: {parsed}"
        # Links are the template's own (the index, the views, the texts), never built from a name.
        hrefs = [attributes.get("href") or "" for t, attributes in parsed if t == "a"]
        assert not [h for h in hrefs if ":" in h.split("#")[0]], f"{name}: {hrefs}"
    index = parse(pages["index.html"])
    assert not {"img", "svg", "b", "i"} & {t for t, _ in index.tags}
    assert HOSTILE_EN in pages["index.html"].replace("&lt;", "<").replace("&gt;", ">")
    assert parse(pages[partner_page.name]).title == f"Kazakhstan's strategic partner: {HOSTILE_EN}"
    assert parse(focused).title.startswith(HOSTILE_EN)
    # ... and the data block still carries every string exactly, for the page to show as text.
    data = page_data_of(focused)
    node = next(n for n in data["nodes"] if n["id"] == HOSTILE_ID)
    assert node["labels"]["en"] == HOSTILE_EN and node["labels"]["kk"] == HOSTILE_KK
    assert sorted(node["alt"]) == sorted(HOSTILE_ALT)
    evidence = [ev for e in data["edges"] for ev in e["evidence"] if e["to"] == HOSTILE_ID]
    assert [(ev["english"], ev["note"]) for ev in evidence] == [(HOSTILE_ENGLISH, HOSTILE_NOTE)]


# -- languages -----------------------------------------------------------------


def test_labels_follow_lang_and_fall_back_when_missing(kg_fresh, tmp_path):
    add_hostile_entity(kg_fresh.paths)  # it has no Russian label
    _, data = export(kg_fresh, tmp_path, "--lang", "ru", "--focus", "Kazakhstan", "--depth", "1")
    assert data["lang"] == "ru"
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["Kazakhstan"]["shown"]["ru"] == "Казахстан"
    assert by_id["Kazakhstan"]["shown"]["kk"] == "Қазақстан"
    hostile = by_id[HOSTILE_ID]
    assert hostile["labels"]["ru"] == "" and hostile["shown"]["ru"] == HOSTILE_EN


# -- determinism -----------------------------------------------------------------


def test_same_input_same_bytes(kg, tmp_path, built_data):
    first, _ = export(kg, tmp_path, "--focus", "Russia", name="a.html")
    second, _ = export(kg, tmp_path, "--focus", "Russia", name="b.html")
    assert first == second
    built = load_graph(built_data)
    network = network_from_store(built.store)
    assert views.render_ready_views(built.full, network, built_data) == views.render_ready_views(built.full, network, built_data)


# -- focused views ---------------------------------------------------------------


def _ids(data) -> set[str]:
    return {n["id"] for n in data["nodes"]}


def test_whole_view_holds_exactly_the_network(kg, tmp_path, real):
    _, network = real
    _, data = export(kg, tmp_path)
    assert _ids(data) == set(network.nodes)
    assert len(data["edges"]) == network.number_of_edges()


@pytest.mark.parametrize("name", ["Russia", "kz:Russia", "https://w3id.org/kzkg/id/Russia", "Ресей", "Ресеймен", "Россия"])
def test_focus_by_any_name_gives_the_ego_network(kg, tmp_path, real, name):
    _, network = real
    _, data = export(kg, tmp_path, "--focus", name, "--depth", "1")
    expected = {"Russia"} | set(network.successors("Russia")) | set(network.predecessors("Russia"))
    assert _ids(data) == expected
    assert data["focus"] == "Russia"
    inside = [(s, t) for s, t in network.edges() if s in expected and t in expected]
    assert len(data["edges"]) == len(inside)


def test_focus_depth_two_reaches_further(kg, tmp_path, real):
    import networkx as nx

    _, network = real
    _, data = export(kg, tmp_path, "--focus", "Russia", "--depth", "2")
    assert _ids(data) == set(nx.ego_graph(network, "Russia", radius=2, undirected=True))


def test_relation_filter_keeps_only_that_relation_and_its_subproperties(kg, tmp_path, real):
    _, network = real
    _, data = export(kg, tmp_path, "--relation", "signed")
    assert {e["rel"] for e in data["edges"]} == {"signed"}
    assert len(data["edges"]) == sum(1 for *_, r in network.edges(data="relation") if r == "signed")
    _, data = export(kg, tmp_path, "--relation", "kzo:partyTo")
    wanted = {"partyTo", "signed", "ratified", "acceded"}
    assert {e["rel"] for e in data["edges"]} <= wanted
    assert len(data["edges"]) == sum(1 for *_, r in network.edges(data="relation") if r in wanted)
    assert _ids(data) == {n for s, t, r in network.edges(data="relation") if r in wanted for n in (s, t)}


def test_since_until_keep_the_facts_dated_in_those_years(kg, tmp_path, real):
    _, network = real

    def years(attributes):
        return [int(e.date[:4]) for e in attributes["evidence"] if e.date[:4].isdigit()]

    expected = sum(1 for *_, a in network.edges(data=True) if any(1995 <= y <= 2005 for y in years(a)))
    assert expected, "no fact dated 1995-2005 in the data"
    _, data = export(kg, tmp_path, "--since", "1995", "--until", "2005")
    assert len(data["edges"]) == expected
    for edge in data["edges"]:
        assert any(1995 <= int(ev["date"][:4]) <= 2005 for ev in edge["evidence"] if ev["date"][:4].isdigit())
    _, since_only = export(kg, tmp_path, "--since", "2005", name="since.html")
    assert all(any(int(ev["date"][:4]) >= 2005 for ev in e["evidence"] if ev["date"]) for e in since_only["edges"])


def test_filters_combine(kg, tmp_path):
    _, data = export(kg, tmp_path, "--focus", "Kazakhstan", "--relation", "memberOf", "--until", "1995")
    assert data["edges"] and {e["rel"] for e in data["edges"]} <= {"memberOf", "foundingMemberOf"}
    assert all(e["from"] == "Kazakhstan" or e["to"] == "Kazakhstan" for e in data["edges"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--focus", "Atlantis"], "no entity matches 'Atlantis'"),
        (["--relation", "sined"], "no relation matches 'sined' (did you mean: kzo:signed"),
        (["--since", "2010", "--until", "2000"], "--since 2010 is after --until 2000"),
        (["--since", "2900"], "the view is empty"),
        (["--depth", "2"], "--depth needs --focus ENTITY"),
    ],
)
def test_bad_options_exit_2_with_one_line(kg, tmp_path, args, message):
    result = kg("export", "html", *args, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_too_many_nodes_is_refused_with_a_way_out(kg, tmp_path, monkeypatch):
    monkeypatch.setattr(views, "MAX_NODES", 10)
    result = kg("export", "html", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert "more than 10" in result.output
    for hint in ("--focus", "--relation", "--since"):
        assert hint in result.output
    assert not (tmp_path / "x.html").exists()


def test_output_replaces_a_file_atomically_and_stdout_works(kg, tmp_path):
    target = tmp_path / "view.html"
    target.write_text("old")
    assert kg("export", "html", "--focus", "UN", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["view.html"]
    result = kg("export", "html", "--focus", "UN")
    assert result.exit_code == 0 and result.output.startswith("<!DOCTYPE html>")


def test_layout_is_fixed_and_labels_do_not_overlap(real):
    graph, network = real
    data = views.page_data(graph, network, "t")
    boxes = {n["id"]: views.label_box(max(n["short"].values(), key=len), n["size"], n["font"]) for n in data["nodes"]}
    nodes = data["nodes"]
    overlapping = 0
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            ba, bb = boxes[a["id"]], boxes[b["id"]]
            if abs(a["x"] - b["x"]) < ba[0] + bb[0] - 1 and abs(a["y"] + ba[2] - b["y"] - bb[2]) < ba[1] + bb[1] - 1:
                overlapping += 1
    assert overlapping == 0
    assert views.page_data(graph, network, "t") == data


def test_large_parts_get_a_layout_without_scipy():
    import networkx as nx

    network = nx.relabel_nodes(nx.MultiDiGraph(nx.balanced_tree(3, 6)), str)  # 1093 nodes, one part
    positions = views.layout(network)
    assert len(positions) == network.number_of_nodes()
    assert len(set(positions.values())) == len(positions)


def test_the_page_carries_word_forms_and_the_endings_search_peels(built_data):
    """Search in the page finds an entity by a form of the texts (kzo:surfaceForm) and
    peels the endings kg.facts.wordforms peels (the browser half: tests/integration)."""
    from kg.facts.wordforms import search_endings

    data = page_data_of(built_data.html_export.read_text(encoding="utf-8"))
    assert data["wordforms"] == search_endings()
    turkey = next(n for n in data["nodes"] if n["id"] == "Turkey")
    assert "Туркия" in turkey["forms"] and "Туркия" not in [*turkey["labels"].values(), *turkey["alt"]]
