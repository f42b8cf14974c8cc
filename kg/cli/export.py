"""``kg export FORMAT``: the graph for other tools (RDF, networks, CSV, HTML)."""

from __future__ import annotations

import click

from kg.cli.common import built_store, emit, get_paths, lang_option, network_data


@click.group()
def export() -> None:
    """Write the graph in one format: RDF for triple stores, graphs for
    network tools, CSV for spreadsheets, HTML for people.

    \b
    Examples:
        kg export turtle -o kazakhstan.ttl
        kg export html --focus Russia --depth 1 -o russia.html
    """


_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write to this file (atomically) instead of stdout."
)

#: Export subcommands: name -> (summary, details, example).
_EXPORTS = {
    "turtle": ("Turtle, as kg build writes it.",
               "The ontology, the curated data with its statement and source nodes, and the materialized triples.",
               "kg export turtle -o kazakhstan.ttl"),
    "nt": ("N-Triples, one triple a line, sorted.",
           "Blank nodes get canonical names, so the same data always gives the same file.",
           "kg export nt | grep memberOf"),
    "jsonld": ("JSON-LD with a context that reads like JSON.",
               "The @context has the ontology as @vocab (\"memberOf\": \"kz:UN\"), language maps for names "
               "(\"label\": {\"en\": \"Russia\"}) and IRIs coerced; it loads back into the same graph.",
               "kg export jsonld -o kazakhstan.jsonld"),
    "rdfxml": ("RDF/XML, for ontology editors.",
               "Opens in Protégé and any RDF/XML reader.",
               "kg export rdfxml -o kazakhstan.rdf"),
    "graphml": ("GraphML network, for Cytoscape and yEd.",
                "Entities are nodes; each fact is an edge carrying its relation, dates, sources and quotes.",
                "kg export graphml -o kazakhstan.graphml"),
    "gexf": ("GEXF 1.3 network with dates, for Gephi.",
             "A dynamic graph: each fact is an edge with one spell per dated claim (from its date on, or "
             "between its start and end dates), and each node lives over its facts' spells, so Gephi's "
             "timeline plays the relations over the years.",
             "kg export gexf -o kazakhstan.gexf"),
    "csv": ("CSV, one row per fact and source.",
            "Columns: statement, subject, predicate, object as full IRIs with labels in --lang, class and "
            "ISO 3166 code, dates as ISO days with their precision, qualifiers, evidence (text or "
            "reference), source, quote and quote_english. kg build writes its CSVW metadata beside it.",
            "kg export csv --lang kk -o facts.csv"),
    "nodes-csv": ("CSV, one row per entity: the nodes table beside the facts table.",
                  "Columns: id (full IRI), label in --lang, label_en, label_kk, label_ru, class, iso3166, "
                  "iso3166_3, same_as (Wikidata), alt_labels.",
                  "kg export nodes-csv -o nodes.csv"),
}


def _export_command(fmt: str, summary: str, details: str, example: str) -> None:
    def command(output: str | None, lang: str = "en") -> None:
        from kg.data.graph import load_graph
        from kg.render.exports import NETWORK_SERIALIZERS, export_bytes

        if fmt in NETWORK_SERIALIZERS:  # the network of the last build, as the analysis commands read it
            emit(export_bytes(fmt, network=network_data().network), output)
            return
        # the seeds as they are now, loaded and materialized as kg build does
        emit(export_bytes(fmt, built=load_graph(get_paths()), lang=lang), output)

    command.__doc__ = f"{summary}\n\n{details} Printed to stdout unless -o FILE is given.\n\n\b\nExample:\n    {example}\n"
    command.__name__ = f"export_{fmt.replace('-', '_')}"
    decorated = _OUTPUT(command)
    if fmt in ("csv", "nodes-csv"):
        decorated = lang_option()(decorated)
    export.command(fmt)(decorated)


for _name, (_summary, _details, _example) in _EXPORTS.items():
    _export_command(_name, _summary, _details, _example)


@export.command("html")
@lang_option()
@click.option("--focus", metavar="ENTITY", help="Show only this entity's neighbourhood (IRI, local name or any label).")
@click.option("--depth", type=click.IntRange(0, 10), default=None, metavar="N",
              help="With --focus: how many steps away from it to show (default 1).")
@click.option("--relation", "relations", multiple=True, metavar="P",
              help="Show only this relation (and its subproperties); repeat for several. E.g. signed, kzo:memberOf.")
@click.option("--since", type=int, metavar="YEAR", help="Show only facts dated in or after YEAR.")
@click.option("--until", type=int, metavar="YEAR", help="Show only facts dated in or before YEAR.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), default="-", show_default=True,
              help="Write the page to this file (atomically); - for stdout.")
def export_html(lang: str, focus: str | None, depth: int | None, relations: tuple[str, ...],
                since: int | None, until: int | None, output: str) -> None:
    """Write the graph as one self-contained HTML page that works offline.

    Hover a node for its names in three languages, a line for its evidence
    quotes; click a node to highlight its neighbours; search any name in any
    language. Over 5000 nodes the page would be too slow: narrow it.

    \b
    Examples:
        kg export html -o kazakhstan.html
        kg export html --lang kk -o kazakhstan-kk.html
        kg export html --focus Russia --depth 1 -o russia.html
        kg export html --focus Ресеймен --relation signed -o russia-treaties.html
        kg export html --relation memberOf --relation partOf --since 1992 --until 2000 -o orgs.html
    """
    from kg.core.errors import KGError
    from kg.network.store import cached_network
    from kg.render.html import ViewSpec, html_from_store

    if depth is not None and focus is None:
        raise KGError("--depth needs --focus ENTITY")
    spec = ViewSpec(lang=lang, focus=focus, depth=1 if depth is None else depth, relations=relations,
                    since=since, until=until)
    paths = get_paths()
    store = built_store()
    emit(html_from_store(store, spec, lambda: cached_network(paths, store, evidence=True)), output)
