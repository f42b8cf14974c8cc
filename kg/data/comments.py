"""The ``# comments`` of a Turtle file, and the subject each belongs to, so ``kg fmt`` keeps them.

An RDF parser drops comments; a curator's notes ("# each link confirmed in
...") must survive formatting. ``turtle_comments`` reads a file that already
parsed (so only strings, IRIs and escapes need care) and gives every comment
an owner:

* comments before the first statement that is not a ``@prefix`` or
  ``@base`` directive are the file's **header**, but for the last lines
  right above that statement (no blank line between), which belong to it;
* a comment inside a statement belongs to that statement's subject;
* a comment between statements belongs to the subject of the next one;
* a comment after the last statement is part of the **trailer**.

``kg fmt`` writes each comment on its own line right above the first block
that starts with its owner (the header under the prefixes, the trailer at
the end), so formatting twice gives the same text.

>>> found = turtle_comments('@prefix kz: <https://w3id.org/kzkg/id/> .\\n# about A\\n'
...                         'kz:A kz:p "x # not a comment" ; # on p\\n    kz:q kz:B .\\n# the end\\n')
>>> found.header, found.owned, found.trailer
([], {'https://w3id.org/kzkg/id/A': ['# about A', '# on p']}, ['# the end'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DELIMITERS = set(" \t\r\n<>\"'()[],;#")
_ESCAPED_LOCAL = re.compile(r"\\(.)")


@dataclass
class Comments:
    header: list[str] = field(default_factory=list)
    owned: dict[str, list[str]] = field(default_factory=dict)  # subject IRI -> its comments, in file order
    trailer: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.header or self.owned or self.trailer)


def _string_end(text: str, start: int) -> int:
    """The index just past the string literal that starts at ``start``."""
    quote = text[start]
    long = text.startswith(quote * 3, start)
    delimiter = quote * 3 if long else quote
    index = start + len(delimiter)
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(delimiter, index):
            return index + len(delimiter)
        index += 1
    return len(text)


def turtle_comments(text: str) -> Comments:
    """Every comment of ``text`` (valid Turtle) with its owner; see the module's docstring."""
    found = Comments()
    prefixes: dict[str, str] = {}
    pending: list[str] = []  # comments waiting for the next statement's subject
    statement: list[str] = []  # tokens of the statement being read
    subject: str | None = None  # its subject's IRI, once known
    seen_data = False
    index = 0
    last_end = 0  # where the last token or comment ended
    opening: list[tuple[str, bool]] = []  # comments before any data: (comment, blank line before it)

    def blank_between(start: int, end: int) -> bool:
        return re.search(r"\n[ \t\r]*\n", text[start:end]) is not None

    def end_statement():
        nonlocal statement, subject
        if statement and statement[0].lower() in ("@prefix", "prefix") and len(statement) >= 3:
            prefixes[statement[1].rstrip(":")] = statement[2][1:-1]
        statement, subject = [], None

    def token(value: str, start: int):
        nonlocal subject, seen_data, last_end
        statement.append(value)
        gap_is_blank = blank_between(last_end, start)
        last_end = start + len(value)
        if len(statement) == 1:
            if value.lower() in ("@prefix", "@base", "prefix", "base"):
                return
            if not seen_data:
                # The last lines right above the first statement are its own; the rest is the header.
                run = len(opening)
                if not gap_is_blank:
                    while run > 0 and not (run < len(opening) and opening[run][1]):
                        run -= 1
                found.header.extend(comment for comment, _ in opening[:run])
                pending.extend(comment for comment, _ in opening[run:])
            seen_data = True
            subject = _expand(value, prefixes)
            if subject is not None and pending:
                found.owned.setdefault(subject, []).extend(pending)
                pending.clear()
        elif statement[0].lower() in ("prefix", "base") and value.startswith("<"):
            end_statement()  # SPARQL-style directives end with their IRI

    depth = 0
    while index < len(text):
        char = text[index]
        if char in " \t\r\n":
            index += 1
        elif char == "#":
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            comment = text[index:end].rstrip()
            blank_before = blank_between(last_end, index)
            last_end = end
            if not seen_data:
                opening.append((comment, blank_before))
            elif subject is not None:
                found.owned.setdefault(subject, []).append(comment)
            else:
                pending.append(comment)
            index = end
        elif char in "\"'":
            end = _string_end(text, index)
            token(text[index:end], index)
            index = end
        elif char == "<" and not text.startswith("<<", index):
            end = text.find(">", index) + 1 or len(text)
            token(text[index:end], index)
            index = end
        elif char in "[(":
            depth += 1
            token(char, index)
            index += 1
        elif char in "])":
            depth -= 1
            index += 1
        elif char in ",;<>":
            index += 1
        else:
            start = index
            while index < len(text) and text[index] not in _DELIMITERS:
                index += 2 if text[index] == "\\" else 1
            word = text[start:index]
            stripped = word.rstrip(".")
            if stripped:
                token(stripped, start)
            if stripped != word and depth == 0:
                end_statement()
    if not seen_data:
        found.header.extend(comment for comment, _ in opening)
    if pending:
        found.trailer.extend(pending)
    return found


def _expand(name: str, prefixes: dict[str, str]) -> str | None:
    """The IRI a subject token stands for (None for a blank node or collection)."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    if ":" not in name or name.startswith("_:"):
        return None
    prefix, local = name.split(":", 1)
    if prefix not in prefixes:
        return None
    return prefixes[prefix] + _ESCAPED_LOCAL.sub(r"\1", local)
