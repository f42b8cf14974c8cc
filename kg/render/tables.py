"""Plain-text, CSV and JSON renderings of library results."""

from __future__ import annotations

import csv
import io
import json

from kg.facts.entities import label, local_name
from kg.sparql.query import format_table


def render_rows(headers: list[str], rows: list[list], fmt: str) -> str:
    """One table of rows in table, csv, tsv or json (a list of objects)."""
    cells = [["" if value is None else str(value) for value in row] for row in rows]
    if fmt == "json":
        return json.dumps([dict(zip(headers, row)) for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(cells)
        return buffer.getvalue()
    return format_table(headers, cells)


def render_stats(graph, stats, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            {
                "triples_curated": stats.triples_curated,
                "triples_exported": stats.triples_exported,
                "entities": stats.entities,
                "facts": stats.facts,
                "statements": stats.statements,
                "disagreements": stats.disagreements,
                "by_class": {local_name(c): n for c, n in stats.by_class},
                "by_property": {local_name(p): n for p, n in stats.by_property},
                "by_source": {local_name(s): {"file": f, "statements": n, "facts": k} for s, f, n, k in stats.by_source},
            },
            ensure_ascii=False,
            indent=2,
        ) + "\n"
    if fmt in ("csv", "tsv"):
        rows = [["total", key, value] for key, value in (
            ("triples_curated", stats.triples_curated), ("triples_exported", stats.triples_exported),
            ("entities", stats.entities), ("facts", stats.facts), ("statements", stats.statements),
            ("disagreements", stats.disagreements))]
        rows += [["class", local_name(c), n] for c, n in stats.by_class]
        rows += [["property", local_name(p), n] for p, n in stats.by_property]
        rows += [["source", f"{local_name(s)} {f}", n] for s, f, n, _ in stats.by_source]
        return render_rows(["group", "name", "count"], rows, fmt)
    parts = [
        f"{stats.facts} facts, {stats.statements} statements, {stats.entities} entities, "
        f"{stats.disagreements} disagreements; {stats.triples_curated} curated triples, "
        f"{stats.triples_exported} exported (with ontology and materialized triples)\n",
        "Facts per source\n" + render_rows(
            ["source", "file", "statements", "facts"],
            [[local_name(s), f, n, k] for s, f, n, k in stats.by_source], "table"),
        "Entities per class (with subclasses)\n" + render_rows(
            ["class", "label", "entities"], [[local_name(c), label(graph, c), n] for c, n in stats.by_class], "table"),
        "Facts per property\n" + render_rows(
            ["property", "label", "facts"], [[local_name(p), label(graph, p), n] for p, n in stats.by_property], "table"),
    ]
    return "\n".join(parts)
