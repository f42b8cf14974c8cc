"""Plain-text, CSV and JSON renderings of library results."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from kg.core.terminal import visible
from kg.facts.entities import local_name


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (combining marks take none, wide letters two).

    >>> display_width("Қазақстан"), display_width("e\u0301"), display_width("中国")
    (9, 1, 4)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _truncate(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        char_width = display_width(char)
        if used + char_width > width - 1:
            break
        out.append(char)
        used += char_width
    return "".join(out) + "…"


def format_table(headers: list[str], rows: list[list[str]], max_width: int | None = None) -> str:
    """Aligned columns; with ``max_width`` the widest columns are cut to fit (with …)."""
    # A table is for people: values from outside are shown, never obeyed as terminal escapes.
    headers = [visible(header, keep="") for header in headers]
    rows = [[visible(" ".join(cell.split()) if "\n" in cell or "\t" in cell else cell, keep="") for cell in row]
            for row in rows]
    widths = [display_width(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], display_width(cell))
    if max_width:
        while sum(widths) + 2 * (len(widths) - 1) > max_width and max(widths, default=0) > 12:
            widths[widths.index(max(widths))] -= 1

    def line(cells):
        cells = [_truncate(cell, widths[i]) for i, cell in enumerate(cells)]
        return "  ".join(c + " " * (widths[i] - display_width(c)) for i, c in enumerate(cells)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"


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


def render_stats(labels: dict[str, str], stats, fmt: str) -> str:
    """``kg stats``: the counts as text, CSV or JSON; ``labels``: the label shown beside each class
    and property IRI (``kg.facts.stats.stat_labels``)."""
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
            ["class", "label", "entities"], [[local_name(c), labels.get(str(c)) or local_name(c), n] for c, n in stats.by_class], "table"),
        "Facts per property\n" + render_rows(
            ["property", "label", "facts"], [[local_name(p), labels.get(str(p)) or local_name(p), n] for p, n in stats.by_property], "table"),
    ]
    return "\n".join(parts)


def render_conflicts(conflicts: list, fmt: str) -> str:
    """``kg conflicts``: both claims of every disagreement, as text, CSV or JSON."""
    if fmt == "json":
        return json.dumps(
            [{"first": _as_dict(c.first), "second": _as_dict(c.second)} for c in conflicts], ensure_ascii=False, indent=2
        ) + "\n"
    if fmt == "csv":
        rows = []
        for number, conflict in enumerate(conflicts, start=1):
            for claim in (conflict.first, conflict.second):
                rows.append([number, local_name(claim.statement), claim.fact, claim.value, claim.source, claim.quote, claim.quote_english, claim.note])
        return render_rows(["conflict", "statement", "fact", "value", "source", "quote", "quote_english", "note"], rows, "csv")
    lines = [f"{len(conflicts)} disagreement(s)\n"]
    for number, conflict in enumerate(conflicts, start=1):
        lines.append(f"#{number}")
        for side, claim in (("A", conflict.first), ("B", conflict.second)):
            lines.append(f"  {side}. {claim.fact}" + (f"  [{claim.value}]" if claim.value else ""))
            lines.append(f"     source: {claim.source}   ({local_name(claim.statement)})")
            if claim.quote:
                lines.append(f"     kk: «{claim.quote}»")
            if claim.quote_english:
                lines.append(f"     en: “{claim.quote_english}”")
            if claim.note:
                lines.append(f"     note: {claim.note}")
        lines.append("")
    return "\n".join(lines)


def _as_dict(claim: Claim) -> dict:
    return {
        "statement": str(claim.statement),
        "fact": claim.fact,
        "value": claim.value,
        "source": claim.source,
        "quote": claim.quote,
        "quote_english": claim.quote_english,
        "note": claim.note,
    }
