"""SPARQL for people: read a query, check it, run it, print its answer.

A query meets these pieces in turn:

* **the query text** — a small SPARQL tokenizer (strings, IRIs and comments
  never confuse it) finds the query form, refuses SPARQL Update and, unless
  allowed, ``SERVICE`` and ``FROM``; it also fills ``VALUES`` parameters and
  points at the spot of a syntax error;
* **bundled queries** in ``kg/queries/*.rq``, each opening with a
  ``# Question:`` line;
* **running** — the query runs in a forked child process that streams its
  output back, so ``--timeout`` can always stop it by killing the child (an
  Oxigraph query cannot be interrupted from Python);
* **writers** — SPARQL 1.1 results as an aligned table, CSV, TSV, JSON or
  XML; graphs as Turtle, N-Triples or JSON-LD.

The same writers serve answers from the built graph (Oxigraph, see
``kg.store``) and from any SPARQL 1.1 server (``kg.endpoint``), so both look
alike. Nothing here imports rdflib except to locate a syntax error after one
happened: ``kg query`` starts in a few tens of milliseconds.
"""

from __future__ import annotations

import csv
import io
import os
import re
import select
import signal
import struct
import sys
import unicodedata
from collections import namedtuple
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.core.errors import KGError, QueryError
from kg.render.tables import display_width, format_table
from kg.core.paths import QUERIES_DIR

from kg.core.prefixes import PREFIXES  # noqa: E402  (rdflib-free, so kg query starts fast)

#: Exit code of a query stopped by --timeout or --max-rows.
STOPPED = 4

DEFAULT_TIMEOUT = 30.0

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "json-ld")
ALL_FORMATS = SELECT_FORMATS + GRAPH_FORMATS

#: What ``-o FILE`` implies when no --format is given.
FORMAT_BY_SUFFIX = {
    ".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml",
    ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".txt": "table",
}

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def prefix_declarations() -> str:
    """The predeclared prefixes as SPARQL ``PREFIX`` lines."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


# --------------------------------------------------------------------------
# The query text
# --------------------------------------------------------------------------


# Named tuples, not dataclasses or typing.NamedTuple: importing those modules
# would cost every ``kg query`` 15 ms, a quarter of its run on the curated graph.
class Token(namedtuple("Token", ["kind", "text", "start"])):
    """A significant token: ``kind`` (iri, string, var, lang, bnode, pname, number, word, punct),
    its ``text`` and its ``start`` offset in the query text."""

    __slots__ = ()


_LOCAL_CHAR = r"(?:[\w:%-]|\\[^\s])"
_TOKEN_PATTERNS = [
    ("ws", r"\s+"),
    ("comment", r"#[^\r\n]*"),
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("string", r'"""(?:[^"\\]|\\.|"(?!""))*"""'),
    ("string", r"'''(?:[^'\\]|\\.|'(?!''))*'''"),
    ("string", r'"(?:[^"\\\r\n]|\\.)*"'),
    ("string", r"'(?:[^'\\\r\n]|\\.)*'"),
    ("var", r"[?$]\w+"),
    ("lang", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
    ("bnode", r"_:[\w-]+(?:\.+[\w-]+)*"),
    ("pname", r"(?:[^\W\d_](?:[\w.-]*[\w-])?)?:"
              r"(?:" + _LOCAL_CHAR + r"(?:(?:" + _LOCAL_CHAR + r"|\.)*" + _LOCAL_CHAR + r")?)?"),
    ("number", r"\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+"),
    ("word", r"[^\W\d]\w*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|."),
]
_TOKEN_KINDS: list[str] = []
_token_regex: re.Pattern | None = None


def tokenize(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (no whitespace, no comments)."""
    global _token_regex
    if _token_regex is None:
        _TOKEN_KINDS.extend(kind for kind, _ in _TOKEN_PATTERNS)
        _token_regex = re.compile("|".join(f"({pattern})" for _, pattern in _TOKEN_PATTERNS), re.DOTALL)
    tokens = []
    for match in _token_regex.finditer(text):
        kind = _TOKEN_KINDS[match.lastindex - 1]
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, match.group(), match.start()))
    return tokens


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH MODIFY".split())


class QueryShape(namedtuple("QueryShape", ["form", "update", "service", "dataset", "declared_prefixes"],
                            defaults=(None, None, None, frozenset()))):
    """What the tokenizer learnt about a query without parsing it: its ``form``
    ("select", "ask", "construct", "describe"), the first SPARQL Update keyword
    (``update``), the first SERVICE (``service``), the first FROM or FROM NAMED
    (``dataset``), and the ``declared_prefixes``."""

    __slots__ = ()


def inspect_query(text: str) -> QueryShape:
    """The form, the refused keywords and the declared prefixes of a query."""
    return inspect_query_tokens(tokenize(text))


def inspect_query_tokens(tokens: list[Token]) -> QueryShape:
    form = update = service = dataset = None
    declared = set()
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word in QUERY_FORMS and form is None:
            form = word.lower()
        elif word in UPDATE_WORDS and update is None:
            update = token
        elif word == "SERVICE" and service is None:
            service = token
        elif word == "FROM" and dataset is None:
            dataset = token
        elif word == "PREFIX" and index + 1 < len(tokens) and tokens[index + 1].kind == "pname":
            declared.add(tokens[index + 1].text.split(":", 1)[0])
    return QueryShape(form, update, service, dataset, frozenset(declared))


def check_query(text: str, *, allow_service: bool = False, remote: bool = False) -> QueryShape:
    """Refuse what ``kg query`` never does on its own: updates, and (locally) fetching.

    SERVICE and FROM make most SPARQL engines send requests or read files, so
    they are refused unless ``allow_service``. On a remote endpoint they run
    on that server, which the user chose to ask, so they pass.
    """
    if not text.strip():
        raise QueryError("the query is empty")
    shape = inspect_query(text)
    if shape.update is not None:
        raise QueryError(
            f"{shape.update.text} at {_where(text, shape.update.start)} is SPARQL Update: kg query is read-only "
            "and never changes a graph (to replace the graph on a server, use `kg push`)"
        )
    if not remote and not allow_service:
        if shape.service is not None:
            raise QueryError(
                f"SERVICE at {_where(text, shape.service.start)} would send a request to another server; "
                "kg query answers from the built graph only, unless you pass --allow-service"
            )
        if shape.dataset is not None:
            raise QueryError(
                f"FROM at {_where(text, shape.dataset.start)} asks for another graph, which many SPARQL engines "
                "fetch from the network or the disk; kg query answers from the built graph only, "
                "unless you pass --allow-service"
            )
    return shape


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _where(text: str, offset: int) -> str:
    line, column = _line_column(text, offset)
    return f"line {line}, column {column}"


# Parameters: a query declares one with a VALUES block that holds its default,
#     VALUES ?state { kz:Kazakhstan }
# so it stays plain SPARQL that any engine runs; --param state=kz:Russia
# replaces the block's content.

# Patterns here are compiled on first use (``re`` keeps them); compiling them
# all at import would cost every ``kg query`` 2 ms.
_PARAMETER = r"\??([^\W\d]\w*)=(.*)"
_BARE_NAME = r"[A-Za-z0-9_][\w.-]*"
_LITERAL = (
    r'"(?:[^"\\\r\n]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>"{}|^`\\\x00-\x20]*>|[A-Za-z][\w.-]*:[\w-]*))?'
)
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"


def parse_parameter(assignment: str) -> tuple[str, str]:
    """Split a ``--param`` assignment.

    >>> parse_parameter("state=kz:Russia")
    ('state', 'kz:Russia')
    """
    match = re.fullmatch(_PARAMETER, assignment.strip(), re.DOTALL)
    if not match:
        raise QueryError(f"--param {assignment!r}: write NAME=VALUE, e.g. --param state=kz:Russia")
    return match.group(1), match.group(2).strip()


def parameter_term(value: str) -> str:
    """A --param value as a SPARQL term: an IRI, a prefixed name, a literal, a number.

    A bare name stands for an entity; anything that is not one term is refused.

    >>> parameter_term("Russia"), parameter_term('"Ресей"@kk'), parameter_term("<https://w3id.org/kzkg/id/UN>")
    ('kz:Russia', '"Ресей"@kk', '<https://w3id.org/kzkg/id/UN>')
    >>> parameter_term("kz:Russia } }")
    Traceback (most recent call last):
    kg.errors.QueryError: --param value 'kz:Russia } }' is not a SPARQL term: ...
    """
    tokens = tokenize(value)
    if len(tokens) == 1 and tokens[0].kind in ("iri", "pname") and tokens[0].text == value:
        return value
    if re.fullmatch(_LITERAL, value) or re.fullmatch(_NUMBER, value) or value in ("true", "false"):
        return value
    if re.fullmatch(_BARE_NAME, value):
        return f"kz:{value}"
    raise QueryError(
        f"--param value {value!r} is not a SPARQL term: give an IRI (kz:Russia or <https://…>), "
        'a bare entity name (Russia), a quoted literal (\'"Ресей"@kk\') or a number'
    )


def _values_blocks(text: str) -> dict[str, list[tuple[int, int]]]:
    """Each one-variable ``VALUES ?x { … }`` block: variable → (start, end) of each block's content."""
    tokens = tokenize(text)
    blocks: dict[str, list[tuple[int, int]]] = {}
    for index in range(len(tokens) - 2):
        keyword, variable, brace = tokens[index : index + 3]
        if keyword.kind == "word" and keyword.text.upper() == "VALUES" and variable.kind == "var" and brace.text == "{":
            for closing in tokens[index + 3 :]:
                if closing.text == "}":
                    blocks.setdefault(variable.text[1:], []).append((brace.start + 1, closing.start))
                    break
    return blocks


def query_parameters(text: str) -> dict[str, str]:
    """The parameters a query offers: variable → its default values, as written (UNDEF: any)."""
    return {name: " ".join(text[start:end].split()) for name, ((start, end), *_) in _values_blocks(text).items()}


def set_parameters(text: str, assignments: Iterable[tuple[str, str]]) -> str:
    """Fill the ``VALUES ?name { … }`` blocks; a name given twice gives two values.

    >>> set_parameters("SELECT * { VALUES ?state { kz:Kazakhstan } ?state ?p ?o }", [("state", "Russia"), ("state", "China")])
    'SELECT * { VALUES ?state { kz:Russia kz:China } ?state ?p ?o }'
    """
    values: dict[str, list[str]] = {}
    for name, value in assignments:
        values.setdefault(name, []).append(parameter_term(value))
    if not values:
        return text
    blocks = _values_blocks(text)
    for name in values:
        if name not in blocks:
            offered = ", ".join(sorted(blocks)) or "none"
            raise QueryError(
                f"the query has no `VALUES ?{name} {{ … }}` block for --param {name} to fill "
                f"(its parameters: {offered}); a query makes ?{name} a parameter with "
                f"`VALUES ?{name} {{ default }}`, or `VALUES ?{name} {{ UNDEF }}` for no default"
            )
    spans = sorted(((span, name) for name in values for span in blocks[name]), reverse=True)
    for (start, end), name in spans:
        text = text[:start] + " " + " ".join(values[name]) + " " + text[end:]
    return text


# --------------------------------------------------------------------------
# Bundled queries
# --------------------------------------------------------------------------


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


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QueryError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise QueryError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise QueryError(f"{path}: {error.strerror}") from None


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
        return (stdin or sys.stdin).read()
    if argument:
        return argument
    raise QueryError("give a query: as an argument, - for stdin, -f FILE, or --name NAME (see `kg queries`)")


# --------------------------------------------------------------------------
# Syntax errors
# --------------------------------------------------------------------------

_KEYWORDS = frozenset(
    """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE GROUP BY HAVING ORDER
    ASC DESC LIMIT OFFSET VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND MINUS UNION FILTER NOT IN EXISTS
    A TRUE FALSE STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES
    SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM
    ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    SEPARATOR LATERAL TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG HASLANGDIR STRLANGDIR
    """.split()
)
# Words that open a clause: an error reported at one lies somewhere inside it.
_CLAUSES = frozenset("SELECT CONSTRUCT DESCRIBE ASK WHERE FILTER OPTIONAL BIND MINUS GRAPH SERVICE VALUES "
                     "GROUP ORDER HAVING".split())
_ENGINE_POSITION = r"error at (\d+):(\d+): ?(.*)"


def describe_syntax_error(text: str, engine_message: str = "") -> str:
    """A syntax error as people can act on it: what, where, and a caret under the spot.

    Oxigraph reports the farthest point its parser tried, often the end of
    the query, with a list of expected tokens that rarely helps. So the
    common mistakes are found here first (an unclosed string or bracket, an
    undeclared prefix, a misspelt keyword); otherwise rdflib's parser, whose
    positions are closer to the mistake, locates it.
    """
    tokens = tokenize(text)
    problem = (
        _unclosed_string(tokens)
        or _bad_escape(tokens)
        or _unbalanced_bracket(text, tokens)
        or _unknown_prefix(tokens)
        or _misspelt_keyword(tokens)
        or _rdflib_position(text, tokens)
        or _engine_position(text, engine_message)
    )
    offset, message = problem
    line, column = _line_column(text, offset)
    return f"SPARQL syntax error at line {line}, column {column}: {message}\n{_caret(text, offset)}"


def _unclosed_string(tokens):
    for token in tokens:
        if token.kind == "punct" and token.text in "\"'":
            return token.start, "this string is never closed"
    return None


_LOCAL_ESCAPES = frozenset("_~.-!$&'()*+,;=/?#@%")


def _bad_escape(tokens):
    for token in tokens:
        if token.kind != "pname":
            continue
        for match in re.finditer(r"\\(.)", token.text):
            if match.group(1) not in _LOCAL_ESCAPES:
                return token.start + match.start(), (
                    f"'\\{match.group(1)}' is not an escape SPARQL allows in a prefixed name "
                    f"(those are \\ before one of {''.join(sorted(_LOCAL_ESCAPES))})"
                )
    return None


def _unbalanced_bracket(text, tokens):
    pairs = {"}": "{", ")": "(", "]": "["}
    open_brackets: list[Token] = []
    for token in tokens:
        if token.kind != "punct":
            continue
        if token.text in "{([":
            open_brackets.append(token)
        elif token.text in pairs:
            if not open_brackets:
                return token.start, f"unexpected {token.text!r}: nothing to close here"
            opener = open_brackets.pop()
            if opener.text != pairs[token.text]:
                opened = _where(text, opener.start)
                return token.start, f"{token.text!r} cannot close the {opener.text!r} opened at {opened}"
    if open_brackets:
        opener = open_brackets[-1]
        return opener.start, f"this {opener.text!r} is never closed"
    return None


def _unknown_prefix(tokens):
    known = set(PREFIXES) | set(inspect_query_tokens(tokens).declared_prefixes)
    for token in tokens:
        if token.kind == "pname":
            prefix = token.text.split(":", 1)[0]
            if prefix not in known:
                import difflib

                close = difflib.get_close_matches(prefix, sorted(known), n=1)
                hint = f"did you mean {close[0]}:? " if close else ""
                return token.start, (
                    f"unknown prefix {prefix}: ({hint}declare it with PREFIX {prefix}: <…>; "
                    f"predeclared: {', '.join(PREFIXES)})"
                )
    return None


def _misspelt_keyword(tokens):
    for index, token in enumerate(tokens):
        if token.kind != "word" or token.text.upper() in _KEYWORDS:
            continue
        if index + 1 < len(tokens) and tokens[index + 1].text == "(":
            continue  # a function call: custom functions are allowed to be unknown
        import difflib

        close = difflib.get_close_matches(token.text.upper(), _KEYWORDS, n=1, cutoff=0.75)
        if close:
            return token.start, f"unknown keyword {token.text!r} (did you mean {close[0]}?)"
    return None


def _rdflib_position(text, tokens):
    try:
        from pyparsing import ParseBaseException
        from rdflib.plugins.sparql.parser import parseQuery
    except ImportError:  # pragma: no cover - rdflib is a dependency of the project
        return None
    try:
        parseQuery(text)
    except ParseBaseException as error:
        offset = min(error.loc, len(text))
        token = next((t for t in tokens if t.start >= offset), None)
        if token is None:
            return len(text.rstrip()), "the query ends too early"
        if token.kind == "word" and token.text.upper() in _CLAUSES:
            return token.start, f"this {token.text} is not valid SPARQL"
        return token.start, f"unexpected {token.text!r}"
    except Exception:  # rdflib accepted the syntax but failed later: not our concern here
        return None
    return None


def _engine_position(text, message):
    match = re.search(_ENGINE_POSITION, message, re.DOTALL)
    if not match:
        return len(text.rstrip()), message or "not valid SPARQL"
    line, column = int(match.group(1)), int(match.group(2))
    lines = text.split("\n")
    line = min(max(line, 1), len(lines))
    offset = sum(len(previous) + 1 for previous in lines[: line - 1]) + min(column - 1, len(lines[line - 1]))
    # Keep the expectations people can read: sentences, not character classes.
    readable = [item.strip() for item in match.group(3).split(",") if " " in item.strip() and "'" not in item]
    return offset, "; ".join(readable) if readable else "not valid SPARQL from here on"


def _caret(text: str, offset: int) -> str:
    line, column = _line_column(text, offset)
    source_line = text.split("\n")[line - 1].rstrip("\r")
    gutter = f"{line:>4} | "
    # Tabs stay tabs so the caret lines up; other characters become spaces of their width.
    before = "".join("\t" if c == "\t" else " " * display_width(c) for c in source_line[: column - 1])
    return f"{gutter}{source_line}\n{' ' * (len(gutter) - 2)}| {before}^"


# --------------------------------------------------------------------------
# Terms and writers
# --------------------------------------------------------------------------


class Term(namedtuple("Term", ["kind", "value", "lang", "datatype"], defaults=(None, None))):
    """An RDF term as the SPARQL results formats see it: ``kind`` ("uri",
    "bnode", "literal" or "triple"), ``value``, ``lang``, and ``datatype``
    (None for xsd:string and language-tagged strings)."""

    __slots__ = ()


def to_term(node) -> Term | None:
    """A pyoxigraph term (or None for unbound) as a Term."""
    if node is None:
        return None
    kind = type(node).__name__  # by name, so this hot path needs no import
    if kind == "NamedNode":
        return Term("uri", node.value)
    if kind == "BlankNode":
        return Term("bnode", node.value)
    if kind == "Literal":
        if node.language:
            return Term("literal", node.value, node.language)
        datatype = node.datatype.value
        return Term("literal", node.value, None, None if datatype == XSD_STRING else datatype)
    return Term("triple", str(node))


def short_iri(iri: str) -> str:
    """``iri`` as a prefixed name when a predeclared prefix fits.

    >>> short_iri("https://w3id.org/kzkg/id/Russia"), short_iri("http://example.org/x")
    ('kz:Russia', 'http://example.org/x')
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def term_text(term, labels: dict[str, str] | None = None) -> str:
    """A term as people read it: a label or a prefixed name for an IRI, a literal's text."""
    if term is None:
        return ""
    if not isinstance(term, Term):
        term = to_term(term)
    if term.kind == "uri":
        return (labels or {}).get(term.value) or short_iri(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


class SolutionsWriter:
    """Writes SELECT results piece by piece: ``start``, ``rows`` (in batches), ``end``."""

    def __init__(self, variables: list[str], max_width: int | None = None):
        self.variables = variables
        self.max_width = max_width  # of a table on a terminal

    def start(self) -> str:
        return ""

    def rows(self, rows: list[list[Term | None]], labels: dict[str, str] | None = None) -> str:
        raise NotImplementedError

    def end(self) -> str:
        return ""


class TableWriter(SolutionsWriter):
    def __init__(self, variables, max_width=None):
        super().__init__(variables, max_width)
        self.cells: list[list[str]] = []

    def rows(self, rows, labels=None):
        self.cells.extend([term_text(term, labels) for term in row] for row in rows)
        return ""

    def end(self):
        return format_table(self.variables, self.cells, self.max_width)


class CsvWriter(SolutionsWriter):
    """SPARQL 1.1 Query Results CSV: full IRIs, bare literal text, CRLF line ends."""

    def _line(self, cells):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(cells)
        return buffer.getvalue()

    def start(self):
        return self._line([self.variables])

    def rows(self, rows, labels=None):
        def cell(term):
            if term is None:
                return ""
            if term.kind == "uri":
                return (labels or {}).get(term.value) or term.value
            return f"_:{term.value}" if term.kind == "bnode" else term.value

        return self._line([[cell(term) for term in row] for row in rows])


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_TURTLE_INTEGER = r"[+-]?\d+"


def turtle_term(term: Term | None) -> str:
    """A term in the Turtle/N-Triples syntax used by SPARQL TSV results."""
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind == "triple":
        return term.value
    if term.datatype == XSD_INTEGER and re.fullmatch(_TURTLE_INTEGER, term.value):
        return term.value
    text = f'"{term.value.translate(_TSV_ESCAPES)}"'
    if term.lang:
        return f"{text}@{term.lang}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


class TsvWriter(SolutionsWriter):
    """SPARQL 1.1 Query Results TSV: ``?var`` headers, terms in Turtle syntax."""

    def start(self):
        return "\t".join(f"?{v}" for v in self.variables) + "\n"

    def rows(self, rows, labels=None):
        return "".join("\t".join(turtle_term(term) for term in row) + "\n" for row in rows)


def json_term(term: Term) -> dict:
    if term.kind == "uri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


class JsonWriter(SolutionsWriter):
    """W3C SPARQL 1.1 Query Results JSON, one binding per line."""

    def start(self):
        import json  # here, not at the top: only JSON output pays for the import

        self.dumps = json.dumps
        self.first = True
        head = json.dumps({"vars": self.variables}, ensure_ascii=False)
        return f'{{\n  "head": {head},\n  "results": {{\n    "bindings": ['

    def rows(self, rows, labels=None):
        parts = []
        for row in rows:
            binding = {v: json_term(t) for v, t in zip(self.variables, row) if t is not None}
            parts.append(("\n      " if self.first else ",\n      ") + self.dumps(binding, ensure_ascii=False))
            self.first = False
        return "".join(parts)

    def end(self):
        return ("\n    ]" if not self.first else "]") + "\n  }\n}\n"


def _xml_escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


class XmlWriter(SolutionsWriter):
    """W3C SPARQL Query Results XML Format."""

    def start(self):
        variables = "".join(f'    <variable name="{_xml_escape(v, True)}"/>\n' for v in self.variables)
        return f"{_XML_HEAD}  <head>\n{variables}  </head>\n  <results>\n"

    def rows(self, rows, labels=None):
        parts = []
        for row in rows:
            parts.append("    <result>\n")
            for variable, term in zip(self.variables, row):
                if term is not None:
                    parts.append(f'      <binding name="{_xml_escape(variable, True)}">{self._term(term)}</binding>\n')
            parts.append("    </result>\n")
        return "".join(parts)

    @staticmethod
    def _term(term: Term) -> str:
        if term.kind == "uri":
            return f"<uri>{_xml_escape(term.value)}</uri>"
        if term.kind == "bnode":
            return f"<bnode>{_xml_escape(term.value)}</bnode>"
        if term.lang:
            return f'<literal xml:lang="{_xml_escape(term.lang, True)}">{_xml_escape(term.value)}</literal>'
        if term.datatype:
            return f'<literal datatype="{_xml_escape(term.datatype, True)}">{_xml_escape(term.value)}</literal>'
        return f"<literal>{_xml_escape(term.value)}</literal>"

    def end(self):
        return "  </results>\n</sparql>\n"


WRITERS = {"table": TableWriter, "csv": CsvWriter, "tsv": TsvWriter, "json": JsonWriter, "xml": XmlWriter}


def format_boolean(value: bool, fmt: str) -> str:
    """An ASK answer: ``true``/``false``, or the SPARQL JSON or XML boolean document."""
    if fmt == "json":
        return f'{{"head": {{}}, "boolean": {"true" if value else "false"}}}\n'
    if fmt == "xml":
        return f"{_XML_HEAD}  <head/>\n  <boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n"
    return ("true" if value else "false") + "\n"


def format_graph(triples: list, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE triples (pyoxigraph) as Turtle, N-Triples or JSON-LD, sorted."""
    import pyoxigraph

    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt == "json-ld":
        return _json_ld(triples)
    if fmt == "nt":
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    # pyoxigraph writes every prefix given, in no fixed order: keep the used ones, in ours.
    lines = text.splitlines(keepends=True)
    body = "".join(line for line in lines if not line.startswith("@prefix "))
    used = [p for p in PREFIXES if re.search(rf"(^|[\s(\[,;^]){p}:", body, re.MULTILINE)]
    header = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in used)
    return header + ("\n" if header and body else "") + body


def _json_ld(triples: list) -> str:
    """Compact JSON-LD: the known prefixes as the context, one node per subject."""
    nodes: dict[str, dict] = {}
    for triple in triples:
        subject = to_term(triple.subject)
        node_id = short_iri(subject.value) if subject.kind == "uri" else f"_:{subject.value}"
        node = nodes.setdefault(node_id, {"@id": node_id})
        value = to_term(triple.object)
        if triple.predicate.value == RDF_TYPE and value.kind == "uri":
            node.setdefault("@type", []).append(short_iri(value.value))
            continue
        if value.kind == "uri":
            entry = {"@id": short_iri(value.value)}
        elif value.kind == "bnode":
            entry = {"@id": f"_:{value.value}"}
        else:
            entry = {"@value": value.value}
            if value.lang:
                entry["@language"] = value.lang
            elif value.datatype:
                entry["@type"] = short_iri(value.datatype)
        node.setdefault(short_iri(triple.predicate.value), []).append(entry)
    document = {"@context": dict(PREFIXES), "@graph": list(nodes.values())}
    import json

    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def choose_format(form: str | None, fmt: str | None, output: str | None, on_terminal: bool) -> str:
    """The output format: the one asked for if it fits the query form, else a default."""
    graph = form in ("construct", "describe")
    if fmt is None and output and output != "-":
        fmt = FORMAT_BY_SUFFIX.get(Path(output).suffix.lower())
        if graph and fmt == "json":
            fmt = "json-ld"
        if fmt is not None and graph != (fmt in GRAPH_FORMATS) and fmt not in ("table", "csv", "tsv"):
            fmt = None  # e.g. answer.json for a CONSTRUCT: fall back to the default
    if fmt is None:
        if graph:
            return "turtle"
        return "table" if on_terminal and not output else "csv"
    if graph and fmt in ("json", "xml"):
        raise QueryError(
            f"--format {fmt} is for SELECT and ASK; a {form.upper()} gives turtle, nt, json-ld (or table, csv, tsv)"
        )
    if not graph and fmt in GRAPH_FORMATS:
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; a {(form or 'select').upper()} "
            "gives table, csv, tsv, json or xml"
        )
    return fmt


# --------------------------------------------------------------------------
# Running a query
# --------------------------------------------------------------------------


class QueryRequest(namedtuple(
        "QueryRequest",
        ["text", "form", "fmt", "export", "cache", "endpoint", "limit", "max_rows", "labels", "lang", "timeout",
         "table_width", "base_iri"],
        defaults=(None, None, None, None, None, False, "en", DEFAULT_TIMEOUT, None, None))):
    """Everything needed to answer a query, locally or from an endpoint.

    ``export`` is the built graph and ``cache`` where its persistent store
    lives (local queries); ``endpoint`` a kg.endpoint.Endpoint (remote
    queries); ``base_iri`` what relative IRIs in the query resolve against.
    """

    __slots__ = ()


class QueryOutcome(namedtuple("QueryOutcome", ["form", "boolean", "total", "shown"], defaults=(None, 0, 0))):
    """How a query ended: its ``form``, the ASK ``boolean``, the ``total`` rows
    (or triples) in the answer and how many were ``shown``."""

    __slots__ = ()


def run_query(request: QueryRequest, write: Callable[[str], None]) -> QueryOutcome:
    """Answer ``request``, passing the formatted output to ``write`` as it comes.

    The work happens in a forked child; if it runs past ``request.timeout``
    the child is killed and QueryError (exit code 4) is raised. Where fork
    does not exist the query runs in this process, without that guarantee.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return _collect(lambda send: answer_query(request, send), write)
    return _run_in_child(request, write)


def _collect(work, write) -> QueryOutcome:
    outcome: list[QueryOutcome] = []

    def send(kind: str, payload):
        if kind == "out":
            write(payload)
        else:
            outcome.append(_outcome_from(kind, payload))

    work(send)
    return outcome[0]


def _outcome_from(kind: str, payload: dict) -> QueryOutcome:
    if kind == "error":
        if payload.get("internal"):
            raise RuntimeError(payload["message"])
        raise QueryError(payload["message"], exit_code=payload["exit_code"])
    return QueryOutcome(**payload)


_FRAME = struct.Struct(">cI")


def _run_in_child(request: QueryRequest, write) -> QueryOutcome:
    import warnings

    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded test runner
        pid = os.fork()
    if pid == 0:  # the child: answer, stream frames, never return
        os.close(read_end)
        _child_main(request, write_end)
    os.close(write_end)
    finished = False
    try:
        outcome = _read_frames(read_end, write, request.timeout)
        finished = True
        return outcome
    finally:
        os.close(read_end)
        if not finished:
            _kill(pid)
        _reap(pid)


def _child_main(request: QueryRequest, channel: int) -> None:
    # Ctrl-C and a closed pipe end the child at once; the alarm is a second
    # guarantee that it stops even if the parent vanished.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if request.timeout:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, request.timeout + 1.0)

    def send(kind: str, payload) -> None:
        data = (payload if kind == "out" else _encode_payload(kind, payload)).encode("utf-8")
        if kind == "out" and not data:
            return
        frame = _FRAME.pack(kind[0].encode(), len(data)) + data
        view = memoryview(frame)
        while view:
            view = view[os.write(channel, view):]

    try:
        answer_query(request, send)
    except KGError as error:
        send("error", {"message": str(error), "exit_code": error.exit_code})
    except Exception:  # a bug: the parent shows the traceback
        import traceback

        send("error", {"message": traceback.format_exc(), "exit_code": 70, "internal": True})
    except BaseException:
        pass
    finally:
        os._exit(0)  # never run the parent's cleanup (or flush its buffers) twice


def _read_frames(channel: int, write, timeout: float | None) -> QueryOutcome:
    import time

    deadline = time.monotonic() + timeout if timeout else None
    buffer = b""
    while True:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise _timed_out(timeout)
        ready, _, _ = select.select([channel], [], [], wait)
        if not ready:
            raise _timed_out(timeout)
        chunk = os.read(channel, 1 << 16)
        if not chunk:
            raise QueryError("the query engine stopped unexpectedly (its process ended without an answer)")
        buffer += chunk
        while len(buffer) >= _FRAME.size:
            kind, length = _FRAME.unpack_from(buffer)
            if len(buffer) < _FRAME.size + length:
                break
            payload = buffer[_FRAME.size : _FRAME.size + length].decode("utf-8")
            buffer = buffer[_FRAME.size + length :]
            if kind == b"o":
                write(payload)
            else:
                kind = "error" if kind == b"e" else "done"
                return _outcome_from(kind, _decode_payload(kind, payload))


# The child's last frame says how the query ended, in tab-separated fields:
# form, boolean, total, shown; or exit_code, internal, message (last, as it
# may hold tabs). Not json: importing it would add 2 ms to every ``kg query``.


def _encode_payload(kind: str, payload: dict) -> str:
    if kind == "done":
        boolean = payload.get("boolean")
        return f"{payload['form']}\t{'' if boolean is None else int(boolean)}\t{payload['total']}\t{payload['shown']}"
    return f"{payload['exit_code']}\t{int(bool(payload.get('internal')))}\t{payload['message']}"


def _decode_payload(kind: str, text: str) -> dict:
    if kind == "done":
        form, boolean, total, shown = text.split("\t")
        return {"form": form, "boolean": None if boolean == "" else boolean == "1", "total": int(total),
                "shown": int(shown)}
    exit_code, internal, message = text.split("\t", 2)
    return {"exit_code": int(exit_code), "internal": internal == "1", "message": message}


def _timed_out(timeout: float) -> QueryError:
    return QueryError(
        f"the query was stopped after {timeout:g} s (--timeout); narrow it, add a LIMIT, "
        "or allow more time with --timeout SECONDS (0 for no limit)",
        exit_code=STOPPED,
    )


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


# What the child does -------------------------------------------------------

_BATCH = 512


def answer_query(request: QueryRequest, send: Callable[[str, object], None]) -> None:
    """Run the query (on the built graph or the endpoint) and ``send`` its formatted answer."""
    import pyoxigraph

    source = _source(request)
    answer = source.query(request.text, request.form)
    try:
        if isinstance(answer, pyoxigraph.QueryBoolean):
            value = bool(answer)
            send("out", format_boolean(value, request.fmt))
            send("done", {"form": "ask", "boolean": value, "total": 1, "shown": 1})
        elif isinstance(answer, pyoxigraph.QuerySolutions):
            _send_solutions(request, source, [v.value for v in answer.variables], answer, send)
        else:
            _send_graph(request, source, answer, send)
    except OSError as error:  # raised while iterating: a failing SERVICE, a dropped connection
        raise QueryError(f"the query failed: {error}") from None
    except SyntaxError as error:  # a server's answer that does not parse
        raise QueryError(f"the answer could not be read: {error}") from None


def _source(request: QueryRequest):
    if request.endpoint is not None:
        return request.endpoint
    return LocalGraph(request.export, request.cache, request.base_iri)


class LocalGraph:
    """The built graph in Oxigraph, opened on first use."""

    def __init__(self, export: Path, cache: Path | None, base_iri: str | None = None):
        from kg.data.querystore import open_store

        self.store = open_store(export, cache)
        self.base_iri = base_iri

    def query(self, text: str, form: str | None):
        try:
            return self.store.query(text, prefixes=PREFIXES, base_iri=self.base_iri)
        except SyntaxError as error:
            raise QueryError(describe_syntax_error(text, str(error))) from None
        except OSError as error:  # SERVICE failures, when allowed
            raise QueryError(f"the query failed: {error}") from None
        except RuntimeError as error:  # e.g. an extension function Oxigraph does not have
            raise QueryError(
                f"the query cannot run on the built graph: {error}. An unknown function stops a query "
                "(SPARQL 1.1, section 17.6); a server that has it can run it with --endpoint"
            ) from None

    def labels(self, iris: list[str], lang: str) -> dict[str, str]:
        return choose_labels(self.query(labels_query(iris), "select"), lang)


def query_base_iri(query_file: str | None) -> str:
    """The base IRI of a query: its file's URL, or the working directory's.

    >>> query_base_iri("/tmp/q.rq")
    'file:///tmp/q.rq'
    """
    return Path(query_file).resolve().as_uri() if query_file else Path.cwd().resolve().as_uri() + "/"


def labels_query(iris: list[str]) -> str:
    values = " ".join(f"<{iri}>" for iri in iris)
    return f"SELECT ?item ?label WHERE {{ VALUES ?item {{ {values} }} ?item <{RDFS_LABEL}> ?label }}"


def choose_labels(solutions, lang: str) -> dict[str, str]:
    """The best label of each item: in ``lang``, else English, else any."""
    best: dict[str, tuple[int, str]] = {}
    for solution in solutions:
        item, label = solution[0], solution[1]
        if item is None or label is None:
            continue
        language = getattr(label, "language", None)
        rank = 0 if language == lang else 1 if language == "en" else 2 if not language else 3
        candidate = (rank, label.value)
        if item.value not in best or candidate < best[item.value]:
            best[item.value] = candidate
    return {item: label for item, (_, label) in best.items()}


def _check_rows(count: int, request: QueryRequest, what: str) -> None:
    if request.max_rows and count > request.max_rows:
        raise QueryError(
            f"the query was stopped at more than {request.max_rows} {what} (--max-rows); "
            "any output above is incomplete: add a LIMIT or raise --max-rows",
            exit_code=STOPPED,
        )


def _send_solutions(request, source, variables, solutions, send) -> None:
    writer = WRITERS[request.fmt](variables, request.table_width)
    use_labels = request.labels and request.fmt in ("table", "csv")
    labels: dict[str, str] = {}
    pending = [writer.start()]  # held back until the first rows, so a failing query prints nothing
    batch: list[list[Term | None]] = []

    def flush():
        if use_labels:
            iris = {term.value for row in batch for term in row if term is not None and term.kind == "uri"}
            missing = sorted(iris - labels.keys())
            if missing:
                labels.update(dict.fromkeys(missing, ""))
                labels.update(source.labels(missing, request.lang))
        send("out", "".join(pending) + writer.rows(batch, labels))
        pending.clear()
        batch.clear()

    total = shown = 0
    for solution in solutions:
        total += 1
        _check_rows(total, request, "rows")
        if request.limit is None or total <= request.limit:
            batch.append([to_term(node) for node in solution])
            shown += 1
            if len(batch) >= _BATCH:
                flush()
    flush()
    send("out", writer.end())
    send("done", {"form": "select", "total": total, "shown": shown})


def _send_graph(request, source, triples, send) -> None:
    collected = []
    for triple in triples:
        collected.append(getattr(triple, "triple", triple))  # a parsed Quad holds a Triple
        _check_rows(len(collected), request, "triples")
    total = len(collected)
    collected.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    shown = collected if request.limit is None else collected[: request.limit]
    if request.fmt in GRAPH_FORMATS:
        send("out", format_graph(shown, request.fmt))
    else:
        writer = WRITERS[request.fmt](["subject", "predicate", "object"], request.table_width)
        rows = [[to_term(t.subject), to_term(t.predicate), to_term(t.object)] for t in shown]
        labels = {}
        if request.labels and request.fmt in ("table", "csv"):
            iris = sorted({term.value for row in rows for term in row if term.kind == "uri"})
            labels = source.labels(iris, request.lang) if iris else {}
        send("out", writer.start() + writer.rows(rows, labels) + writer.end())
    send("done", {"form": request.form or "construct", "total": total, "shown": len(shown)})
