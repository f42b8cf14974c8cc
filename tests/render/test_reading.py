"""The reading pages: every curated quote of a text highlighted at its exact place, with an anchor."""

from __future__ import annotations

import html
import re

from click.testing import CliRunner
from rdflib.namespace import DCTERMS

from kg.cli import main
from kg.core.namespaces import KZO
from kg.render.reading import covered_share, page_name, quotes_in


def test_every_text_gets_a_page_with_every_quote_anchored_in_place(built_data, built_graph):
    graph = built_graph
    sources = sorted(graph.subject_objects(KZO.fileName))
    assert len(sources) == 5
    for source, file_name in sources:
        text = (built_data.texts / str(file_name)).read_text(encoding="utf-8")
        quotes, missing = quotes_in(graph, source, text)
        assert quotes and not missing, file_name
        for quote in quotes:
            assert text[quote.start:quote.end] == str(graph.value(graph.resource(f"https://w3id.org/kzkg/id/{quote.statement}").identifier, KZO.quote))
        page = (built_data.exports / "texts" / page_name(str(file_name))).read_text(encoding="utf-8")
        anchors = re.findall(r'<span class="anchor" id="q-([^"]+)"></span>', page)
        assert sorted(anchors) == sorted(html.escape(q.statement, quote=True) for q in quotes)
        assert html.escape(str(graph.value(source, DCTERMS.title))) in page
        # The page holds the whole text: without its tags, it is the text itself.
        body = re.search(r'<article id="text" lang="kk">(.*?)</article>', page, re.S).group(1)
        assert html.unescape(re.sub(r"<[^>]+>", "", body)) == text
        assert f"{covered_share(text, quotes):.0%} of the text" in page


def test_covered_share_counts_letters_once():
    from kg.render.reading import Quoted

    quote = lambda a, b: Quoted("s", a, b, "", "", "", "")  # noqa: E731
    assert covered_share("ab cd", [quote(0, 2), quote(1, 2)]) == 0.5
    assert covered_share("   ", []) == 0.0


def test_kg_show_points_to_the_quote_in_its_reading_page(built_data):
    result = CliRunner().invoke(main, ["--data", str(built_data.root), "show", "Russia"])
    assert result.exit_code == 0, result.output
    links = re.findall(r"in the text: exports/(texts/\d{3}\.html)#(q-\S+)", result.output)
    assert links
    for page, anchor in links:
        assert f'id="{anchor}"' in (built_data.exports / page).read_text(encoding="utf-8")
