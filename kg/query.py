"""Run SPARQL queries over the built graph with Oxigraph, and format the results."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass

from .errors import QueryError
from .namespaces import PREFIXES
from .paths import DataPaths


@dataclass
class QueryResult:
    """A query's answer: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str]
    rows: list[list]  # pyoxigraph terms (or None for unbound)
    boolean: bool | None = None
    triples: list | None = None


def run_query(paths: DataPaths, text: str) -> QueryResult:
    """Answer ``text`` over the built graph, with the project's prefixes predeclared."""
    import pyoxigraph

    from .store import open_store

    store = open_store(paths)
    try:
        answer = store.query(text, prefixes=PREFIXES)
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {error}") from None
    except OSError as error:
        raise QueryError(f"query failed: {error}") from None
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult("ask", [], [], boolean=bool(answer))
    if isinstance(answer, pyoxigraph.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [[solution[v] for v in variables] for solution in answer]
        return QueryResult("select", variables, rows)
    return QueryResult("graph", [], [], triples=list(answer))


def term_text(term) -> str:
    """A term as people read it: IRIs shortened with the known prefixes, literals bare."""
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, iri in PREFIXES.items():
            if term.value.startswith(iri):
                return f"{prefix}:{term.value[len(iri):]}"
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return term.value


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (combining marks take none, wide letters two)."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def format_table(variables: list[str], rows: list[list[str]]) -> str:
    widths = [display_width(v) for v in variables]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], display_width(cell))

    def line(cells):
        return "  ".join(c + " " * (widths[i] - display_width(c)) for i, c in enumerate(cells)).rstrip()

    out = [line(variables), line(["-" * w for w in widths])]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"


def format_select(result: QueryResult, fmt: str) -> str:
    """SELECT results as table, csv, tsv or json (SPARQL 1.1 Query Results JSON)."""
    if fmt == "json":
        return json.dumps(
            {
                "head": {"vars": result.variables},
                "results": {
                    "bindings": [
                        {v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}
                        for row in result.rows
                    ]
                },
            },
            ensure_ascii=False,
            indent=2,
        ) + "\n"
    cells = [[term_text(t) for t in row] for row in result.rows]
    if fmt == "table":
        return format_table(result.variables, cells)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(cells)
        return buffer.getvalue()
    raise QueryError(f"format {fmt!r} does not apply to SELECT results")


def _json_term(term) -> dict:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def format_triples(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE results as turtle or nt."""
    import pyoxigraph

    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}
    if fmt not in formats:
        raise QueryError(f"format {fmt!r} does not apply to CONSTRUCT/DESCRIBE results (use turtle or nt)")
    data = pyoxigraph.serialize(result.triples or [], format=formats[fmt], prefixes=PREFIXES if fmt == "turtle" else None)
    return data.decode("utf-8")
