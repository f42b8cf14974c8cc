"""Syntax errors as people can act on them: the line, a caret under the spot, and what is likely wrong."""

from __future__ import annotations

import re

from kg.core.prefixes import PREFIXES
from kg.render.tables import display_width
from kg.sparql.text import Token, _line_column, _where, inspect_query_tokens, tokenize


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
        or _relative_iri(tokens)
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


def _relative_iri(tokens):
    if any(token.kind == "word" and token.text.upper() == "BASE" for token in tokens):
        return None
    for token in tokens:
        if token.kind == "iri" and not re.match(r"<[A-Za-z][A-Za-z0-9+.-]*:", token.text):
            return token.start, (
                f"{token.text} is a relative IRI, and with --allow-service kg gives the query no base "
                "(Oxigraph would send it along with every SERVICE request): write the full IRI "
                "(kz:… or <https://…>), or declare BASE <…> in the query"
            )
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
