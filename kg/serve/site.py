"""The pages as plain files, for any static host: ``kg export site DIR``.

The same renderer as the server (``kg.serve.pages``) with static links: an
entity's page is ``id/NAME.html`` beside ``id/NAME.ttl``, ``.nt`` and
``.jsonld``. ``w3id.htaccess`` holds the rules that w3id.org (Apache
mod_rewrite) applies to give ``https://w3id.org/kzkg/id/NAME`` content
negotiation: a browser is sent to the HTML page, a program that asks for
Turtle, N-Triples or JSON-LD to that file. ``_redirects`` does the same
for hosts that read Netlify-style rules, and the site's own ``.htaccess``
gives its extension-less addresses the same negotiation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import pages
from .engine import KZ_IRI, LANGUAGES, MEDIA_TYPES, DataPaths, cache_path, export_path, load_graph, compact_iri, texts_dir

RDF_FILES = {".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld"}

#: Every IRI of the kz: namespace that the graph says something about (entities, sources,
#: statements), with its classes.
ENTITY_CLASSES_QUERY = f"""
SELECT DISTINCT ?entity ?class WHERE {{
  ?entity ?p ?o FILTER(STRSTARTS(STR(?entity), "{KZ_IRI}"))
  OPTIONAL {{ ?entity a ?class }}
}}"""


def export_site(paths: DataPaths, directory: str | Path, base_url: str) -> dict[str, int]:
    """Write the static site into ``directory``; return counts of what was written."""
    target = Path(directory)
    graph = load_graph(export_path(paths), cache_path(paths))
    files = 0

    def write(relative: str, text: str) -> None:
        nonlocal files
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files += 1

    static = target / "static"
    if static.exists():
        shutil.rmtree(static)
    shutil.copytree(Path(__file__).resolve().parent / "static", static,
                    ignore=shutil.ignore_patterns("yasgui", "query.js"))  # no endpoint, no query page

    classes: dict[str, set[str]] = {}
    for row in graph.select(ENTITY_CLASSES_QUERY):
        kinds = classes.setdefault(row["entity"].value, set())
        if row["class"] is not None:
            kinds.add(row["class"].value)
    entity_links = pages.Links(static_site=True, root="../")
    for iri in sorted(classes):
        name = iri[len(KZ_IRI):]
        if pages.entity_iri(name) is None:
            continue
        context = pages.entity_context(graph, iri, entity_links)
        write(f"id/{name}.html", pages.render("entity.html", context))
        triples = pages.describe_entity(graph, iri)
        for extension, fmt in RDF_FILES.items():
            write(f"id/{name}{extension}", pages.rdf_document(triples, fmt))

    root_links = pages.Links(static_site=True, root="")
    write("ontology.html", pages.render("ontology.html", pages.ontology_context(graph, root_links)))
    ontology = pages.describe_ontology(graph)
    for extension, fmt in RDF_FILES.items():
        write(f"ontology{extension}", pages.rdf_document(ontology, fmt))

    texts = []
    for row in graph.select("SELECT ?source ?file WHERE { ?source kzo:fileName ?file } ORDER BY ?file"):
        source = row["source"].value
        context = pages.text_context(graph, source, texts_dir(paths), entity_links)
        if context is None:
            continue
        name = pages.page_name(source)
        write(f"text/{name}.html", pages.render("text.html", context))
        texts.append({"label": f"{row['file'].value} — {context['title']}", "href": f"text/{name}.html"})

    write("index.html", pages.render("index.html", index_context(graph, classes, root_links, texts)))
    write("w3id.htaccess", w3id_rules(base_url))
    write(".htaccess", site_rules())
    write("_redirects", netlify_rules(base_url))
    return {"entities": len(classes), "texts": len(texts), "files": files}


def index_context(graph, classes: dict[str, set[str]], links: pages.Links, texts: list[dict]) -> dict:
    names = pages.Names(graph, set(classes) | {c for cs in classes.values() for c in cs})
    groups: dict[str, list] = {}
    main_classes = [f"https://w3id.org/kzkg/ontology#{c}" for c in (
        "State", "InternationalOrganization", "Treaty", "Event", "Person", "Initiative", "Company", "Place",
        "Source")]
    statement = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
    for iri, kinds in classes.items():
        if statement in kinds or not kinds:
            continue  # statements are linked from their entities' pages, not listed
        kind = next((c for c in main_classes if c in kinds), min(kinds))
        groups.setdefault(kind, []).append({"label": names.label(iri), "href": links.entity(iri)})
    ordered = sorted(groups.items(), key=lambda item: (main_classes.index(item[0]) if item[0] in main_classes
                                                       else len(main_classes), compact_iri(item[0])))
    listed = [e for group in groups.values() for e in group]
    return {"title": "Index", "lang": "en", "links": links, "entities": listed, "texts": texts,
            "groups": [{"label": names.label(kind), "entities": sorted(members, key=lambda e: e["label"].casefold())}
                       for kind, members in ordered]}


def _accept_pattern(fmt: str) -> str:
    """The RewriteCond pattern that matches an Accept header asking for ``fmt``."""
    return MEDIA_TYPES[fmt].replace("+", "\\+")


def _negotiation() -> list[tuple[str, str]]:
    """(Accept pattern, file extension) for each RDF file of a page; the first rule that matches wins, HTML otherwise."""
    return [(_accept_pattern(fmt), extension[1:]) for extension, fmt in RDF_FILES.items()]


#: What ``docs/w3id/.htaccess`` is written for: the static site's address, filled in before submitting.
W3ID_PLACEHOLDER = "https://HOST/"


def w3id_rules(base_url: str) -> str:
    """The .htaccess for https://github.com/perma-id/w3id.org's kzkg/ folder: content negotiation onto the site.

    ``base_url`` is where ``kg export site`` is hosted, with the repository's ``exports/`` and the
    released ontologies (``releases/X.Y.Z/ontology.ttl``) beside it. ``docs/w3id/.htaccess`` is this
    function's output for ``W3ID_PLACEHOLDER`` (a test says so).
    """
    base = base_url.rstrip("/") + "/"
    lines = ["# https://w3id.org/kzkg/ : Kazakhstan's foreign relations, a knowledge graph with evidence.",
             "# Content negotiation onto the static site written by `kg export site` (copy to w3id.org's",
             "# kzkg/.htaccess); written by kg.serve.site.w3id_rules, see docs/publishing.md.",
             "Options +FollowSymLinks", "RewriteEngine on", "",
             "# This version of the ontology, by its owl:versionIRI.",
             f"RewriteRule ^ontology/([0-9]+\\.[0-9]+\\.[0-9]+)$ {base}releases/$1/ontology.ttl [R=303,L]", "",
             "# Entities, statements, sources and the ontology: each to its own page or RDF file."]
    for media, extension in _negotiation():
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {media}",
                  f"RewriteRule ^id/([^/.]+)$ {base}id/$1.{extension} [R=303,L]",
                  f"RewriteCond %{{HTTP_ACCEPT}} {media}",
                  f"RewriteRule ^ontology$ {base}ontology.{extension} [R=303,L]", ""]
    lines += [f"RewriteRule ^id/([^/.]+)$ {base}id/$1.html [R=303,L]",
              f"RewriteRule ^ontology$ {base}ontology.html [R=303,L]", "",
              "# The export files (the void:dataDump addresses).",
              f"RewriteRule ^exports/(.+)$ {base}exports/$1 [R=302,L]", "",
              "# The dataset itself: the dump, with its VoID and DCAT description; a browser gets the index."]
    for fmt, extension in (("turtle", "ttl"), ("jsonld", "jsonld")):
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {_accept_pattern(fmt)}",
                  f"RewriteRule ^$ {base}exports/kazakhstan.{extension} [R=303,L]"]
    lines += [f"RewriteRule ^$ {base}index.html [R=303,L]", ""]
    return "\n".join(lines)


def site_rules() -> str:
    """The site's own .htaccess (Apache): /id/NAME without an extension negotiates as the server does."""
    lines = ["# Extension-less addresses with content negotiation, as `kg serve` answers them", "RewriteEngine on"]
    lines += [f"AddType {MEDIA_TYPES[fmt]} {extension}" for extension, fmt in RDF_FILES.items()]
    lines += ["AddDefaultCharset utf-8", ""]
    for media, extension in _negotiation():
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {media}", f"RewriteRule ^(id/[^/.]+|ontology)$ $1.{extension} [L]"]
    lines += ["RewriteRule ^(id/[^/.]+|ontology)$ $1.html [L]", ""]
    return "\n".join(lines)


def netlify_rules(base_url: str) -> str:
    """Netlify-style rules (no Accept matching there): extension-less addresses open the HTML pages."""
    return "/id/:name  /id/:name.html  200\n/ontology  /ontology.html  200\n"


__all__ = ["export_site", "w3id_rules", "site_rules", "W3ID_PLACEHOLDER", "LANGUAGES"]
