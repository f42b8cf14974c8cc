"""The text of a SPARQL query: tokens, its form and what it may not do (updates, SERVICE, FROM), and --param values filled into its VALUES blocks."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterable

from kg.core.errors import QueryError
from kg.core.prefixes import PREFIXES


#: Exit code of a query stopped by --timeout or --max-rows.
STOPPED = 4

DEFAULT_TIMEOUT = 30.0

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
ALL_FORMATS = SELECT_FORMATS + GRAPH_FORMATS

#: What ``-o FILE`` implies when no --format is given.
FORMAT_BY_SUFFIX = {
    ".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml",
    ".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld", ".txt": "table",
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
    # An IRI may hold \u and \U escapes (Oxigraph decodes them), so `\` must not end the token:
    # reading `<http://a/\u0070#>` as punctuation then a comment once hid a SERVICE behind it.
    ("iri", r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"),
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
    kg.core.errors.QueryError: --param value 'kz:Russia } }' is not a SPARQL term: ...
    """
    import unicodedata

    value = unicodedata.normalize("NFC", value)  # the data's names are NFC: "Ресей" typed decomposed matches
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
