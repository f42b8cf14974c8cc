"""The bundled queries (kg/sparql/queries/*.rq, each opening with a ``# Question:`` line) and reading a query from an argument, a file or stdin."""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import namedtuple
from pathlib import Path

from kg.core.errors import QueryError
from kg.core.paths import QUERIES_DIR
from kg.render.tables import format_table
from kg.sparql.text import query_parameters


class NamedQuery(namedtuple("NamedQuery", ["name", "path", "question", "parameters"], defaults=((),))):
    """One ``kg/queries/NAME.rq`` file: its ``name``, ``path``, ``question``
    and ``parameters`` (a tuple of (name, description) pairs)."""

    __slots__ = ()

    def text(self) -> str:
        return _read_query_file(self.path)


_HEADER_LINE = r"#\s*(question|param(?:eter)?)\s*:\s*(.*)"


def read_named_query(path: Path) -> NamedQuery:
    """Read the header of a bundled query: ``# Question:`` and ``# Param:`` comment lines."""
    question = ""
    parameters = []
    for line in _read_query_file(path).splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break  # the header is the comment block at the top
        match = re.match(_HEADER_LINE, stripped, re.IGNORECASE)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "question" and not question:
            question = value
        elif key.startswith("param") and value:
            name, _, description = value.partition(" ")
            parameters.append((name.strip("?$:"), description.strip(" :—-=")))
    return NamedQuery(path.stem, path, question, tuple(parameters))


def bundled_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every bundled query, by name; an unreadable file is listed with the reason."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.rq")):
        try:
            found.append(read_named_query(path))
        except QueryError as error:
            found.append(NamedQuery(path.stem, path, f"(unreadable: {error})"))
    return found


def find_named_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """The bundled query called ``name``; the error names the closest ones."""
    import unicodedata

    name = unicodedata.normalize("NFC", name)
    stem = name[:-3] if name.endswith(".rq") else name
    path = directory / f"{stem}.rq"
    if "/" not in stem and path.is_file():
        return read_named_query(path)
    names = [query.name for query in bundled_queries(directory)]
    import difflib

    close = difflib.get_close_matches(stem, names, n=3, cutoff=0.5)
    close += [n for n in names if stem.lower() in n.lower() and n not in close][: 5 - len(close)]
    hint = f" (did you mean: {', '.join(close)}?)" if close else ""
    raise QueryError(f"no bundled query is named {name!r}{hint}; `kg queries` lists them")


def render_query_list(queries: list[NamedQuery], fmt: str, max_width: int | None = None) -> str:
    """The bundled queries as a table, CSV or JSON: name, question, parameters with defaults."""
    entries = []
    for named in queries:
        try:
            defaults = query_parameters(named.text())
        except QueryError:
            defaults = {}
        parameters = [{"name": p, "default": defaults.get(p), "description": d} for p, d in named.parameters]
        entries.append({"name": named.name, "question": named.question, "parameters": parameters})
    if fmt == "json":
        import json

        return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    headers = ["name", "question", "parameters"]
    rows = [
        [e["name"], e["question"] or "(no # Question: line)",
         ", ".join(f"{p['name']}={_shown_default(p['default'])}" for p in e["parameters"])]
        for e in entries
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([headers, *rows])
        return buffer.getvalue()
    return format_table(headers, rows, max_width)


def _shown_default(default: str | None) -> str:
    if default is None:
        return "(no VALUES block)"
    return "(any)" if default.upper() == "UNDEF" else default


#: The largest query kg reads (-f, stdin): far above any real query, and it stops
#: ``-f /dev/zero`` before memory runs out.
MAX_QUERY_BYTES = 16 << 20


def _read_query_file(path: Path) -> str:
    try:
        with open(path, "rb") as stream:
            return _decode_query(stream.read(MAX_QUERY_BYTES + 1), str(path))
    except FileNotFoundError:
        raise QueryError(f"{path}: no such file") from None
    except OSError as error:
        raise QueryError(f"{path}: {error.strerror}") from None


def _decode_query(raw: bytes, where: str) -> str:
    if len(raw) > MAX_QUERY_BYTES:
        raise QueryError(f"{where}: larger than {MAX_QUERY_BYTES >> 20} MB, which is not a query kg reads")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QueryError(f"{where}: not UTF-8 text (byte {error.start})") from None


def _read_stdin(stdin) -> str:
    stream = stdin or sys.stdin
    if stream is None:
        raise QueryError("standard input is closed: give the query as an argument or with -f FILE")
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text stream without bytes underneath (tests): bound it all the same
        text = stream.read(MAX_QUERY_BYTES + 1)
        return _decode_query(text.encode("utf-8", "surrogateescape"), "standard input")
    try:
        return _decode_query(binary.read(MAX_QUERY_BYTES + 1), "standard input")
    except OSError as error:
        raise QueryError(f"standard input: {error.strerror}") from None


def read_query(argument: str | None, file: str | None, name: str | None, stdin=None) -> str:
    """The query text from exactly one of: an argument, ``-`` (stdin), a file, a bundled name."""
    given = [what for what, value in (("a query argument", argument), ("--file", file), ("--name", name)) if value]
    if len(given) > 1:
        raise QueryError(f"give the query one way only, not {' and '.join(given)}")
    if name:
        return find_named_query(name).text()
    if file:
        return _read_query_file(Path(file))
    if argument == "-":
        return _read_stdin(stdin)
    if argument:
        # An argument that is not UTF-8 arrives with lone surrogates in place of its bytes.
        return _decode_query(argument.encode("utf-8", "surrogateescape"), "the query argument")
    raise QueryError("give a query: as an argument, - for stdin, -f FILE, or --name NAME (see `kg queries`)")


# --------------------------------------------------------------------------
# Syntax errors
# --------------------------------------------------------------------------
