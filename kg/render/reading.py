"""The reading pages: each curated text in full, every quote highlighted and anchored.

``kg build`` writes ``exports/texts/<NNN>.html`` for each source text (NNN is
the number its file name starts with). Each curated quote (a ``kzo:quote``,
an exact substring of its text) is highlighted and has the anchor
``#q-<statement>``: the graph's details panel and ``kg show`` link there.
Clicking a highlight lists the facts it supports, with a link that opens
each one in the graph. Stretches no fact cites stay plain, the long ones
marked, and the page says what share of the text the quotes cover: what a
curator has left to read.

Like the graph view, the page is one offline file with a strict
Content-Security-Policy: the text and every data string go through
``html.escape``, and its one small script is allowed by hash.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote as url_quote

from kg.core.namespaces import KZO
from kg.core.paths import TEXTS_DIR_NAME, quote_anchor, reading_link, reading_page_name  # noqa: F401 (reading_link: re-exported)
from kg.facts.entities import DATE_PROPERTIES, label, local_name

#: An uncovered stretch at least this long (in characters) is marked as a gap.
GAP_CHARS = 300

page_name = reading_page_name


@dataclass(frozen=True)
class Quoted:
    """One statement whose quote is in the text: where, and the fact it supports."""

    statement: str
    start: int
    end: int
    sentence: str
    english: str
    date: str
    graph_fragment: str


def graph_fragment(subject: str, relation: str, obj: str | None) -> str:
    """The graph view's address of a fact (or of its subject, when the object is a value)."""
    if obj is None:
        return "node=" + url_quote(subject, safe="")
    return "edge=" + ",".join(url_quote(part, safe="") for part in (subject, relation, obj))


def quotes_in(graph, source, text: str) -> tuple[list[Quoted], list[str]]:
    """The statements derived from ``source`` with their quote's span in ``text``,
    and the statements whose quote is not in it (a stale seed: ``kg validate`` says so too)."""
    from rdflib import RDF, URIRef
    from rdflib.namespace import PROV

    found, missing = [], []
    for statement in sorted(graph.subjects(PROV.wasDerivedFrom, source)):
        quote = graph.value(statement, KZO.quote)
        if quote is None or (statement, RDF.type, RDF.Statement) not in graph:
            continue
        start = text.find(str(quote))
        if start < 0 or not str(quote):
            missing.append(local_name(statement))
            continue
        subject, predicate, obj = (graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        date = next((str(graph.value(statement, p)) for p in DATE_PROPERTIES if graph.value(statement, p) is not None), "")
        other = label(graph, obj, "en") if isinstance(obj, URIRef) else str(obj)
        sentence = f"{label(graph, subject, 'en')} — {label(graph, predicate, 'en')} → {other}"
        found.append(Quoted(
            local_name(statement), start, start + len(str(quote)), sentence,
            str(graph.value(statement, KZO.quoteEnglish) or ""), date,
            graph_fragment(local_name(subject), local_name(predicate), local_name(obj) if isinstance(obj, URIRef) else None),
        ))
    return found, missing


def covered_share(text: str, quotes: list[Quoted]) -> float:
    """The share of the text's non-space characters that some quote covers."""
    covered = [False] * len(text)
    for item in quotes:
        for index in range(item.start, item.end):
            covered[index] = True
    letters = [i for i, ch in enumerate(text) if not ch.isspace()]
    return sum(covered[i] for i in letters) / len(letters) if letters else 0.0


def render_text_page(title: str, file_name: str, text: str, quotes: list[Quoted], missing: list[str]) -> str:
    """One reading page (escaped throughout)."""
    from kg.render.html import _csp_hash, _template, fill_template

    bounds = sorted({0, len(text), *(q.start for q in quotes), *(q.end for q in quotes)})
    starting: dict[int, list[Quoted]] = {}
    for item in quotes:
        starting.setdefault(item.start, []).append(item)
    pieces, gaps = [], 0
    for left, right in zip(bounds, bounds[1:]):
        anchors = "".join(f'<span class="anchor" id="{html.escape(quote_anchor(q.statement), quote=True)}"></span>'
                          for q in starting.get(left, []))
        chunk = html.escape(text[left:right])
        covering = [q.statement for q in quotes if q.start <= left and right <= q.end]
        if covering:
            ids = html.escape(" ".join(covering), quote=True)
            pieces.append(f'{anchors}<mark class="q" tabindex="0" data-q="{ids}">{chunk}</mark>')
        elif len(text[left:right].strip()) >= GAP_CHARS:
            gaps += 1
            pieces.append(f'{anchors}<span class="gap" id="gap-{gaps}" title="no fact cites this stretch">{chunk}</span>')
        else:
            pieces.append(anchors + chunk)

    facts = []
    for item in sorted(quotes, key=lambda q: (q.start, q.statement)):
        parts = [f'<p class="sentence">{html.escape(item.sentence)}{", " + html.escape(item.date) if item.date else ""}</p>']
        if item.english:
            parts.append(f'<p class="en" lang="en">{html.escape(item.english)}</p>')
        parts.append(
            f'<p class="links"><a href="../kazakhstan.html#{html.escape(item.graph_fragment, quote=True)}">open in the graph</a>'
            f' · <a href="#{html.escape(quote_anchor(item.statement), quote=True)}">the quote</a>'
            f' · <span class="id">kz:{html.escape(item.statement)}</span></p>'
        )
        facts.append(f'<section class="fact" id="f-{html.escape(item.statement, quote=True)}" '
                     f'data-st="{html.escape(item.statement, quote=True)}">{"".join(parts)}</section>')
    share = covered_share(text, quotes)
    summary = (f"{len(quotes)} quotes support facts; they cover {share:.0%} of the text"
               f" ({gaps} uncovered stretch{'es' if gaps != 1 else ''} of {GAP_CHARS}+ characters"
               + (": " + " ".join(f'<a href="#gap-{i}">{i}</a>' for i in range(1, gaps + 1)) if gaps else "") + ").")
    if missing:
        summary += " Not found in this text: " + ", ".join(html.escape(m) for m in missing) + "."
    script = _template("reading.js")
    csp = (f"default-src 'none'; script-src {_csp_hash(script)}; style-src 'unsafe-inline'; img-src data:; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'")
    return fill_template(_template("reading.html"), {
        "CSP": html.escape(csp, quote=True),
        "TITLE": html.escape(title),
        "FILE": html.escape(file_name),
        "SUMMARY": summary,
        "SHARE": f"{share * 100:.1f}",
        "TEXT": "".join(pieces),
        "FACTS": "\n".join(facts),
        "SCRIPT": script,
    })


def render_reading_pages(graph, paths) -> list[tuple[Path, bytes]]:
    """``kg build``'s renderer: exports/texts/<NNN>.html for every source with a kzo:fileName
    (``graph``: the built graph in rdflib, as the other renderers read it)."""
    from rdflib.namespace import DCTERMS

    artifacts = []
    for source, file_name in sorted(graph.subject_objects(KZO.fileName)):
        path = paths.texts / str(file_name)
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        quotes, missing = quotes_in(graph, source, text)
        title = str(graph.value(source, DCTERMS.title) or file_name)
        page = render_text_page(title, str(file_name), text, quotes, missing)
        artifacts.append((paths.exports / TEXTS_DIR_NAME / page_name(str(file_name)), page.encode("utf-8")))
    return artifacts
