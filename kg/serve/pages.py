"""The pages of the graph: one per entity, one for the ontology, one per source text.

Each page is read from the loaded graph with a few fixed SPARQL queries
(``kg.serve.engine.LoadedGraph``) and rendered with Jinja2, which escapes
every value taken from the data: a label holding markup shows as text. The
same functions serve the running server (links like ``/id/Russia``) and the
static site (links like ``Russia.html``); ``Links`` is the only difference.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import jinja2

from .engine import KZ_IRI, KZO_IRI, LANGUAGES, ONTOLOGY_IRI, PREFIXES, choose_labels, compact_iri, format_graph, labels_query, local_name

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
PROV = PREFIXES["prov"]
DCTERMS = PREFIXES["dcterms"]
RDF_TYPE = RDF + "type"
LABEL = RDFS + "label"

#: Local names that an entity IRI may have: anything else is not looked up (no SPARQL injection).
SAFE_NAME = re.compile(r"[A-Za-z0-9_.~-][A-Za-z0-9_.~%-]*")

#: Qualifiers shown with a statement, in this order.
QUALIFIERS = ("date", "startDate", "endDate", "count", "sharePercent", "amount", "atEvent", "note")

#: A hub of a large graph (Kazakhstan at a million triples) has tens of thousands of relations: a page
#: reads at most this many triples each way and statement rows, and lists at most PER_RELATION facts
#: per relation; its RDF description (Turtle, ...) and the query page have them all.
MAX_PAGE_TRIPLES = 3000
MAX_STATEMENT_ROWS = 20000
PER_RELATION = 200

#: At most this many neighbours are drawn in an entity's small graph (the list below it has them all).
MAX_DRAWN_NEIGHBOURS = 24

#: Security headers for every HTML page: scripts and styles from this site only; no frames, no plugins.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("kg.serve", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page_name(iri: str) -> str:
    """The name of ``iri``'s page or anchor: what follows ``kz:`` or ``kzo:`` (the inverse of
    ``entity_iri``), else the IRI's local name."""
    for namespace in (KZ_IRI, KZO_IRI):
        if iri.startswith(namespace):
            return iri[len(namespace):]
    return local_name(iri)


def entity_iri(name: str) -> str | None:
    """The IRI of ``/id/NAME``, or None for a name that no entity can have."""
    return KZ_IRI + name if SAFE_NAME.fullmatch(name) and "%" not in name else None


class Links:
    """Where a page links to: the live server (``/id/Russia``) or the static site (``../id/Russia.html``)."""

    def __init__(self, static_site: bool = False, root: str = "/"):
        self.static_site = static_site
        self.root = root  # the site's root, relative to the page in a static site

    def entity(self, iri: str) -> str:
        if iri.startswith(KZ_IRI):
            name = quote(iri[len(KZ_IRI):], safe="")
            return f"{self.root}id/{name}.html" if self.static_site else f"{self.root}id/{name}"
        if iri.startswith(KZO_IRI) or iri == ONTOLOGY_IRI:
            return self.ontology(iri)
        return iri

    def ontology(self, iri: str | None = None) -> str:
        page = f"{self.root}ontology.html" if self.static_site else f"{self.root}ontology"
        return page + (f"#{quote(page_name(iri), safe='')}" if iri and iri.startswith(KZO_IRI) else "")

    def text(self, source_iri: str, statement_iri: str | None = None) -> str:
        name = quote(page_name(source_iri), safe="")
        page = f"{self.root}text/{name}.html" if self.static_site else f"{self.root}text/{name}"
        return page + (f"#{quote(page_name(statement_iri), safe='')}" if statement_iri else "")

    def query(self, sparql: str) -> str | None:
        """The query page with ``sparql`` ready to run (a static site has no endpoint: None)."""
        return None if self.static_site else f"{self.root}?query={quote(sparql, safe='')}"

    def static(self, path: str) -> str:
        return f"{self.root}static/{path}"

    def home(self) -> str:
        return f"{self.root}index.html" if self.static_site else self.root

    def alternate(self, iri: str, extension: str) -> str | None:
        """The same description in another format, as a file of the static site (None when serving)."""
        if not self.static_site:
            return None
        page = self.entity(iri) if iri.startswith(KZ_IRI) else self.ontology()
        return page.rsplit(".", 1)[0] + extension


# --------------------------------------------------------------------------
# Reading the graph
# --------------------------------------------------------------------------


def _iri_values(iris) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(iris))


class Names:
    """The labels of many IRIs, read in one query per 500 IRIs, chosen as ``kg query`` chooses them."""

    def __init__(self, graph, iris):
        iris = sorted({i for i in iris if i})
        self.rows = [(row["item"], row["label"]) for start in range(0, len(iris), 500)
                     for row in graph.select(labels_query(iris[start:start + 500]))]
        self.chosen: dict[str, dict[str, str]] = {}

    def label(self, iri: str, lang: str = "en") -> str:
        """In ``lang``, else en, kk, ru, else any label (``choose_labels``), else the prefixed name."""
        if lang not in self.chosen:
            self.chosen[lang] = choose_labels(self.rows, lang)
        return self.chosen[lang].get(iri) or compact_iri(iri)


def _term(node) -> dict:
    """A pyoxigraph term for a template."""
    kind = type(node).__name__
    if kind == "NamedNode":
        return {"iri": node.value}
    if kind == "Literal":
        return {"text": node.value, "lang": node.language,
                "datatype": None if node.language else compact_iri(node.datatype.value)}
    return {"text": str(node)}


def describe_entity(graph, iri: str) -> list:
    """Every triple about the entity (either way) and every triple of its statements."""
    return graph.construct(f"""
        CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> . ?st ?k ?v }} WHERE {{
          {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }}
          UNION {{ {{ ?st rdf:subject <{iri}> }} UNION {{ ?st rdf:object <{iri}> }} ?st a rdf:Statement ; ?k ?v }}
        }}""")


def describe_ontology(graph) -> list:
    """Every triple whose subject is the ontology or one of its terms."""
    return graph.construct(f"""
        CONSTRUCT {{ ?t ?p ?o }} WHERE {{
          ?t ?p ?o FILTER(?t = <{ONTOLOGY_IRI}> || STRSTARTS(STR(?t), "{KZO_IRI}")) }}""")


def rdf_document(triples: list, fmt: str) -> str:
    """Triples as Turtle, N-Triples or JSON-LD: ``kg query``'s writer."""
    return format_graph(triples, fmt)


def entity_exists(graph, iri: str) -> bool:
    return graph.ask(f"ASK {{ <{iri}> ?p ?o }}")


def entity_context(graph, iri: str, links: Links, lang: str = "en") -> dict | None:
    """Everything the entity page shows, or None when the graph says nothing about ``iri``."""
    outgoing = graph.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT {MAX_PAGE_TRIPLES + 1}")
    if not outgoing:
        return None
    incoming = graph.select(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(?p NOT IN (rdf:subject, rdf:object)) }} "
                            f"LIMIT {MAX_PAGE_TRIPLES + 1}")
    statement_rows = graph.select(f"""
        SELECT ?st ?s ?p ?o ?k ?v WHERE {{
          {{ ?st rdf:subject <{iri}> }} UNION {{ ?st rdf:object <{iri}> }}
          ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ?k ?v }}
        LIMIT {MAX_STATEMENT_ROWS + 1}""")
    truncated = max(len(outgoing), len(incoming)) > MAX_PAGE_TRIPLES or len(statement_rows) > MAX_STATEMENT_ROWS
    outgoing, incoming = outgoing[:MAX_PAGE_TRIPLES], incoming[:MAX_PAGE_TRIPLES]
    statement_rows = statement_rows[:MAX_STATEMENT_ROWS]
    statements: dict[str, dict] = {}
    for row in statement_rows:
        st = statements.setdefault(row["st"].value, {"iri": row["st"].value, "fact": (
            row["s"].value, row["p"].value, getattr(row["o"], "value", str(row["o"]))), "values": defaultdict(list)})
        st["values"][row["k"].value].append(row["v"])
    source_iris = {v.value for st in statements.values() for v in st["values"].get(PROV + "wasDerivedFrom", [])}
    sources = _sources(graph, source_iris)

    mentioned = {iri} | {row["p"].value for row in outgoing} | {row["p"].value for row in incoming}
    mentioned |= {row["o"].value for row in outgoing if type(row["o"]).__name__ == "NamedNode"}
    mentioned |= {row["s"].value for row in incoming if type(row["s"]).__name__ == "NamedNode"}
    for st in statements.values():
        mentioned |= {v.value for values in st["values"].values() for v in values if type(v).__name__ == "NamedNode"}
    names = Names(graph, mentioned)

    by_language = defaultdict(list)
    also, surface, types, properties = [], [], [], []
    for row in outgoing:
        p, o = row["p"].value, row["o"]
        if p == LABEL:
            by_language[o.language or ""].append(o.value)
        elif p == SKOS + "altLabel":
            also.append(_term(o))
        elif p == KZO_IRI + "surfaceForm":
            surface.append(o.value)
        elif p == RDF_TYPE:
            types.append({"iri": o.value, "label": names.label(o.value, lang), "href": links.entity(o.value)})
        elif type(o).__name__ != "NamedNode" or not p.startswith(KZO_IRI):
            properties.append({"predicate": _predicate(p, names, links, lang), "value": _value(o, names, links, lang)})
    relations = _relations(iri, outgoing, incoming, statements, sources, names, links, lang)
    neighbours = sorted({r["other"]["iri"]: r["other"] for group in relations for r in group["facts"]}.values(),
                        key=lambda n: n["label"].casefold())
    name = quote(page_name(iri), safe="")
    return {
        "iri": iri,
        "short": compact_iri(iri),
        "title": names.label(iri, lang),
        "lang": lang,
        "names": [{"lang": language, "labels": sorted(by_language.get(language, []))} for language in LANGUAGES],
        "other_names": [{"lang": language, "labels": sorted(values)} for language, values in sorted(by_language.items())
                        if language not in LANGUAGES],
        "also": sorted(also, key=lambda t: (t.get("lang") or "", t["text"])),
        "surface": sorted(surface),
        "types": sorted(types, key=lambda t: t["label"]),
        "properties": sorted(properties, key=lambda p: (p["predicate"]["label"], str(p["value"]))),
        "relations": relations,
        "neighbours": neighbours,
        "drawing": neighbourhood_drawing(names.label(iri, lang), neighbours),
        "query_href": links.query(entity_query(iri)),
        "formats": _formats(links, iri, name),
        "links": links,
        "truncated": truncated,
        "page_limit": MAX_PAGE_TRIPLES,
    }


def _formats(links: Links, iri: str, name: str) -> list[dict]:
    if links.static_site:
        return [{"label": label, "href": links.alternate(iri, ext)}
                for label, ext in (("Turtle", ".ttl"), ("N-Triples", ".nt"), ("JSON-LD", ".jsonld"))]
    page = links.entity(iri) if iri.startswith(KZ_IRI) else links.ontology()
    return [{"label": label, "href": f"{page}?format={fmt}"}
            for label, fmt in (("Turtle", "turtle"), ("N-Triples", "nt"), ("JSON-LD", "jsonld"))]


def entity_query(iri: str) -> str:
    """The ready query an entity page links to: its relations, with labels."""
    return (f"# Everything said about {compact_iri(iri)}, with the other side's English label\n"
            f"SELECT ?direction ?relation ?other ?label WHERE {{\n"
            f"  {{ {compact_iri(iri)} ?relation ?other BIND(\"out\" AS ?direction) }}\n"
            f"  UNION {{ ?other ?relation {compact_iri(iri)} BIND(\"in\" AS ?direction) }}\n"
            f"  OPTIONAL {{ ?other rdfs:label ?label FILTER(lang(?label) = \"en\") }}\n"
            f"}} ORDER BY ?relation ?other LIMIT 500\n")


def _predicate(p: str, names: Names, links: Links, lang: str) -> dict:
    return {"iri": p, "label": names.label(p, lang), "short": compact_iri(p), "href": links.entity(p)}


def _value(node, names: Names, links: Links, lang: str) -> dict:
    term = _term(node)
    if "iri" in term:
        term.update(label=names.label(term["iri"], lang), href=links.entity(term["iri"]))
    return term


def _sources(graph, iris) -> dict[str, dict]:
    sources: dict[str, dict] = {iri: {"iri": iri} for iri in iris}
    if not iris:
        return sources
    for row in graph.select(f"SELECT ?src ?k ?v WHERE {{ VALUES ?src {{ {_iri_values(iris)} }} ?src ?k ?v }}"):
        entry = sources[row["src"].value]
        key = row["k"].value
        if key == KZO_IRI + "fileName":
            entry["file"] = row["v"].value
        elif key == DCTERMS + "bibliographicCitation":
            entry["citation"] = row["v"].value
        elif key == DCTERMS + "title":
            entry.setdefault("title", row["v"].value)
        elif key == RDFS + "seeAlso":
            entry["see_also"] = row["v"].value
        elif key == RDF_TYPE and row["v"].value == KZO_IRI + "Reference":
            entry["reference"] = True
    for entry in sources.values():
        # A reference is any source outside the texts: no file to quote from.
        entry["reference"] = entry.get("reference", False) or "file" not in entry
    return sources


def _relations(iri, outgoing, incoming, statements, sources, names, links, lang) -> list[dict]:
    """Relations to other entities, grouped by property, each with its evidence."""
    evidence: dict[tuple, list] = defaultdict(list)
    for st in statements.values():
        evidence[st["fact"]].append(st)
    facts = []
    for row in outgoing:
        if row["p"].value.startswith(KZO_IRI) and type(row["o"]).__name__ == "NamedNode":
            facts.append(("out", row["p"].value, row["o"].value, (iri, row["p"].value, row["o"].value)))
    for row in incoming:
        if row["p"].value.startswith(KZO_IRI) and type(row["s"]).__name__ == "NamedNode":
            facts.append(("in", row["p"].value, row["s"].value, (row["s"].value, row["p"].value, iri)))
    groups: dict[tuple, dict] = {}
    for direction, predicate, other, fact in facts:
        key = (predicate, direction)
        group = groups.setdefault(key, {"predicate": _predicate(predicate, names, links, lang),
                                        "direction": direction, "facts": []})
        group["facts"].append({
            "other": {"iri": other, "label": names.label(other, lang), "href": links.entity(other),
                      "short": compact_iri(other)},
            "evidence": sorted((_evidence(st, sources, names, links, lang) for st in evidence.get(fact, [])),
                               key=lambda e: (e["source"]["label"], e["iri"])),
        })
    for group in groups.values():
        group["facts"].sort(key=lambda f: f["other"]["label"].casefold())
        group["hidden"] = max(0, len(group["facts"]) - PER_RELATION)
        group["facts"] = group["facts"][:PER_RELATION]
    return sorted(groups.values(), key=lambda g: (g["predicate"]["label"].casefold(), g["direction"]))


def _evidence(st, sources, names, links, lang) -> dict:
    values = st["values"]

    def first(name, namespace=KZO_IRI):
        found = values.get(namespace + name)
        return found[0] if found else None

    source_iri = first("wasDerivedFrom", PROV)
    source = dict(sources.get(source_iri.value, {"iri": source_iri.value})) if source_iri else {"iri": ""}
    source["label"] = source.get("file") or source.get("title") or source.get("citation") or compact_iri(source["iri"])
    quote_node = first("quote")
    english = first("quoteEnglish")
    qualifiers = []
    for name in QUALIFIERS:
        for node in values.get(KZO_IRI + name, []):
            qualifiers.append({"name": name, "value": _value(node, names, links, lang)})
    disagrees = [{"iri": v.value, "href": links.entity(v.value), "short": compact_iri(v.value)}
                 for v in values.get(KZO_IRI + "disagreesWith", [])]
    return {
        "iri": st["iri"],
        "href": links.entity(st["iri"]),
        "short": compact_iri(st["iri"]),
        "quote": quote_node.value if quote_node else None,
        "english": english.value if english else None,
        "source": source,
        "quote_href": links.text(source["iri"], st["iri"]) if quote_node and not source.get("reference") else None,
        "qualifiers": qualifiers,
        "disagrees": disagrees,
    }


def neighbourhood_drawing(title: str, neighbours: list[dict]) -> dict:
    """A small radial drawing: the entity in the middle, its neighbours around (SVG coordinates)."""
    drawn = neighbours[:MAX_DRAWN_NEIGHBOURS]
    width, height, radius = 960, 460, 180
    cx, cy = width / 2, height / 2
    nodes = []
    for index, neighbour in enumerate(drawn):
        angle = 2 * math.pi * index / max(len(drawn), 1) - math.pi / 2
        x, y = cx + radius * 1.45 * math.cos(angle), cy + radius * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else "start" if math.cos(angle) > 0 else "end"
        label = neighbour["label"] if len(neighbour["label"]) <= 32 else neighbour["label"][:31] + "…"
        nodes.append({"x": round(x, 1), "y": round(y, 1), "anchor": anchor, "label": label, "full": neighbour["label"],
                      "href": neighbour["href"], "lx": round(x + (8 if anchor == "start" else -8 if anchor == "end"
                                                                      else 0), 1),
                      "ly": round(y + (4 if anchor != "middle" else (-10 if y < cy else 16)), 1)})
    return {"width": width, "height": height, "cx": cx, "cy": cy, "title": title, "nodes": nodes,
            "hidden": max(0, len(neighbours) - len(drawn))}


# --------------------------------------------------------------------------
# The ontology page
# --------------------------------------------------------------------------

_TERM_KINDS = {
    OWL + "Class": "class", OWL + "ObjectProperty": "property", OWL + "DatatypeProperty": "property",
    OWL + "AnnotationProperty": "property", RDF + "Property": "property", OWL + "SymmetricProperty": "property",
    OWL + "TransitiveProperty": "property", OWL + "FunctionalProperty": "property",
}
_TERM_LINKS = (("subClassOf", RDFS + "subClassOf"), ("subPropertyOf", RDFS + "subPropertyOf"),
               ("domain", RDFS + "domain"), ("range", RDFS + "range"), ("inverseOf", OWL + "inverseOf"),
               ("type", RDF_TYPE))


def ontology_context(graph, links: Links, lang: str = "en") -> dict:
    rows = graph.select(f"SELECT ?t ?p ?o WHERE {{ ?t ?p ?o FILTER(STRSTARTS(STR(?t), \"{KZO_IRI}\")) }}")
    terms: dict[str, dict] = {}
    mentioned = set()
    for row in rows:
        term = terms.setdefault(row["t"].value, {"values": defaultdict(list)})
        term["values"][row["p"].value].append(row["o"])
        if type(row["o"]).__name__ == "NamedNode":
            mentioned.add(row["o"].value)
    names = Names(graph, set(terms) | mentioned)
    described = []
    for iri, term in terms.items():
        values = term["values"]
        kinds = {_TERM_KINDS.get(v.value) for v in values.get(RDF_TYPE, [])} - {None}
        if not kinds:
            continue
        labels = defaultdict(list)
        for node in values.get(LABEL, []):
            labels[node.language or ""].append(node.value)
        comments = [node.value for node in values.get(RDFS + "comment", []) if (node.language or "en") == "en"]
        described.append({
            "iri": iri, "name": page_name(iri), "kind": "class" if "class" in kinds else "property",
            "title": names.label(iri, lang),
            "names": [{"lang": language, "labels": sorted(labels.get(language, []))} for language in LANGUAGES],
            "comments": comments,
            "links": [{"name": name, "targets": sorted(
                ({"label": names.label(v.value, lang), "href": links.entity(v.value), "short": compact_iri(v.value)}
                 for v in values.get(predicate, []) if type(v).__name__ == "NamedNode"), key=lambda t: t["short"])}
                for name, predicate in _TERM_LINKS
                if any(type(v).__name__ == "NamedNode" for v in values.get(predicate, []))],
            "query_href": links.query(term_query(iri, "class" in kinds)),
        })
    described.sort(key=lambda t: (t["kind"], t["name"].casefold()))
    return {"title": "Ontology", "iri": ONTOLOGY_IRI, "lang": lang, "links": links,
            "classes": [t for t in described if t["kind"] == "class"],
            "properties": [t for t in described if t["kind"] == "property"],
            "formats": _formats(links, ONTOLOGY_IRI, "ontology")}


def term_query(iri: str, is_class: bool) -> str:
    term = compact_iri(iri)
    if is_class:
        return (f"SELECT ?entity ?label WHERE {{\n  ?entity a {term} .\n"
                f"  OPTIONAL {{ ?entity rdfs:label ?label FILTER(lang(?label) = \"en\") }}\n}} ORDER BY ?label\n")
    return (f"SELECT ?subject ?object WHERE {{\n  ?subject {term} ?object .\n}} ORDER BY ?subject ?object LIMIT 500\n")


# --------------------------------------------------------------------------
# The reading page of a source text
# --------------------------------------------------------------------------


def text_context(graph, source_iri: str, texts: Path, links: Links, lang: str = "en") -> dict | None:
    """A source text with every quote taken from it marked and anchored; None if no such text."""
    rows = graph.select(f"SELECT ?file ?title WHERE {{ <{source_iri}> kzo:fileName ?file "
                        f"OPTIONAL {{ <{source_iri}> dcterms:title ?title }} }}")
    if not rows:
        return None
    file_name = rows[0]["file"].value
    path = texts / file_name
    if "/" in file_name or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    quotes = graph.select(f"SELECT ?st ?quote ?english WHERE {{ ?st prov:wasDerivedFrom <{source_iri}> ; "
                          f"kzo:quote ?quote OPTIONAL {{ ?st kzo:quoteEnglish ?english }} }}")
    spans = []
    for row in quotes:
        start = text.find(row["quote"].value)
        if start >= 0:
            spans.append((start, start + len(row["quote"].value), row["st"].value,
                          row["english"].value if row["english"] is not None else ""))
    return {"title": rows[0]["title"].value if rows[0]["title"] is not None else file_name, "file": file_name,
            "iri": source_iri, "short": compact_iri(source_iri), "lang": lang, "links": links,
            "paragraphs": marked_paragraphs(text, spans), "quotes": len(spans), "href": links.entity(source_iri)}


def marked_paragraphs(text: str, spans: list[tuple[int, int, str, str]]) -> list[list[dict]]:
    """The text as paragraphs of pieces: plain, or marked (a quote), with an anchor where each quote starts."""
    starts = defaultdict(list)
    for start, end, statement, english in spans:
        starts[start].append({"id": page_name(statement), "english": english})
    covered = [0] * (len(text) + 1)
    for start, end, _, _ in spans:
        covered[start] += 1
        covered[end] -= 1
    depth, marked = 0, []
    for index in range(len(text)):
        depth += covered[index]
        marked.append(depth > 0)
    paragraphs: list[list[dict]] = []
    for match in re.finditer(r"[^\n]+", text):
        pieces: list[dict] = []
        for index in range(match.start(), match.end()):
            for anchor in starts.get(index, []):
                pieces.append({"anchor": anchor["id"], "title": anchor["english"]})
            if pieces and "text" in pieces[-1] and pieces[-1]["marked"] == marked[index]:
                pieces[-1]["text"] += text[index]
            else:
                pieces.append({"text": text[index], "marked": marked[index]})
        paragraphs.append(pieces)
    return paragraphs


def render(template: str, context: dict) -> str:
    return _templates.get_template(template).render(**context)
