"""``kg export site DIR``: the entity, ontology and text pages as static files,
with the redirect rules that give them content negotiation under w3id."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.serve.site import site_rules, w3id_rules

from tests.helpers.serve import expected_description

KZ = "https://w3id.org/kzkg/id/"


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    result = kg("export", "site", str(target), "--base-url", "https://example.org/kzkg/")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"wrote \d+ entity and statement pages, the ontology and 5 text pages \(\d+ files\) to .*\n",
                        result.output)
    return target


def subjects(paths) -> set[str]:
    graph = rdflib.Graph().parse(paths.turtle_export)
    return {str(s)[len(KZ):] for s in graph.subjects() if str(s).startswith(KZ)}


def test_every_entity_and_statement_has_a_page_and_its_rdf(site, built_data):
    names = subjects(built_data)
    assert {"Russia", "UN", "source-002", "st-Kazakhstan-memberOf-UN-002"} <= names
    for name in names:
        assert "." not in name and "/" not in name  # what the redirect rules match
        for extension in (".html", ".ttl", ".nt", ".jsonld"):
            assert (site / "id" / f"{name}{extension}").is_file(), f"id/{name}{extension}"


@pytest.mark.parametrize("extension, rdf_format", [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")])
def test_the_rdf_files_hold_what_the_server_serves(site, built_data, extension, rdf_format):
    graph = rdflib.Graph().parse(site / "id" / f"Russia{extension}", format=rdf_format)
    assert isomorphic(graph, expected_description(built_data, "Russia"))
    ontology = rdflib.Graph().parse(site / f"ontology{extension}", format=rdf_format)
    assert (rdflib.URIRef("https://w3id.org/kzkg/ontology#memberOf"), rdflib.RDF.type,
            rdflib.OWL.ObjectProperty) in ontology


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name):
                self.hrefs.append(attributes[name])


@functools.lru_cache(maxsize=None)  # a page is read once, however many links point into it
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("page", ["index.html", "ontology.html", "id/Russia.html", "id/Kazakhstan.html",
                                  "id/SemipalatinskTestSite.html", "text/source-002.html"])
def test_every_link_of_a_page_resolves_to_a_file_and_anchor(site, page):
    source = site / page
    links = _parse(source)
    local = [href for href in links.hrefs if not urlsplit(href).scheme]
    assert local, "the page links to other pages"
    for href in local:
        parts = urlsplit(href)
        target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
        assert target.is_file(), f"{page}: {href}"
        assert site.resolve() in target.parents
        if parts.fragment:
            assert unquote(parts.fragment) in _parse(target).ids, f"{page}: {href}"
    assert not any("/?query=" in href for href in links.hrefs)  # no endpoint behind a static site


def test_static_pages_load_nothing_from_outside(site):
    for page in ("index.html", "id/Russia.html", "ontology.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "<script" not in text
        assert not re.search(r'(src|href)="https?://[^"]*\.(css|js)"', text)


def _apply(rules: str, path: str, accept: str) -> str | None:
    """Apply mod_rewrite rules of the kind the site writes (RewriteCond on Accept, then RewriteRule)."""
    condition = None
    for line in rules.splitlines():
        if line.startswith("RewriteCond %{HTTP_ACCEPT} "):
            condition = line.split(" ", 2)[2]
        elif line.startswith("RewriteRule "):
            _, pattern, substitution, *_ = line.split(" ")
            matched = re.fullmatch(pattern.strip("^$"), path)
            if matched and (condition is None or re.search(condition, accept)):
                return matched.expand(substitution.replace("$1", r"\1"))
            condition = None
    return None


@pytest.mark.parametrize("accept, expected", [
    ("text/turtle", "https://example.org/kzkg/id/Russia.ttl"),
    ("application/n-triples", "https://example.org/kzkg/id/Russia.nt"),
    ("application/ld+json", "https://example.org/kzkg/id/Russia.jsonld"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "https://example.org/kzkg/id/Russia.html"),
])
def test_w3id_rules_negotiate(site, accept, expected):
    rules = (site / "w3id.htaccess").read_text(encoding="utf-8")
    assert rules == w3id_rules("https://example.org/kzkg/")
    assert _apply(rules, "id/Russia", accept) == expected
    assert _apply(rules, "ontology", accept) == expected.replace("id/Russia", "ontology")
    # The site's own rules: its extension-less addresses negotiate the same way.
    assert _apply(site_rules(), "id/Russia", accept) == "id/" + expected.rsplit("/", 1)[-1]
