"""``kg export html``: the interactive graph view, whole or focused."""

from __future__ import annotations

import click

from .common import emit, get_paths, lang_option
from .core import export


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
    from ..errors import KGError
    from ..graph import load_graph
    from ..html import ViewSpec, export_html as render
    from ..storenet import STALE_WARNING, cached_network, export_is_stale, html_from_store, is_large, open_export_store

    if depth is not None and focus is None:
        raise KGError("--depth needs --focus ENTITY")
    spec = ViewSpec(lang=lang, focus=focus, depth=1 if depth is None else depth, relations=relations,
                    since=since, until=until)
    paths = get_paths()
    if is_large(paths):
        # Only the focused part is read from the store, laid out and labelled.
        store = open_export_store(paths)
        if export_is_stale(paths):
            click.echo(f"Warning: {STALE_WARNING}", err=True)
        emit(html_from_store(store, spec, lambda: cached_network(paths, store, evidence=True)), output)
        return
    emit(render(load_graph(paths).full, spec), output)
