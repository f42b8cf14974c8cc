"""Kazakh word forms: the stems a typed name may stand for.

Kazakh adds case, possessive and plural endings to a name (Қытай → Қытаймен,
Ресей → Ресейге, БҰҰ → БҰҰ-ның, Семей полигоны → Семей полигонын). A lookup
that knows only the dictionary forms would miss them, and listing every form
as data cannot keep up with the texts. ``stem_candidates`` peels the endings
off the last word, one at a time, and returns every form on the way, so a
caller can try them against the names it knows, the least-peeled first.

The endings are the regular ones of the grammar (with their vowel-harmony and
consonant variants); a peel never leaves a last word shorter than three
letters, so short names (АҚШ, ТМД) are peeled only across a hyphen.
"""

from __future__ import annotations

import re

# Endings, longest first within each group, as they appear after folding
# (lower case, Cyrillic ә).
_CASE_ENDINGS = (
    # locative adjective ("in ..."), ablative, locative, instrumental
    "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі",
    "ынан", "інен", "нан", "нен", "дан", "ден", "тан", "тен",
    "ында", "інде", "нда", "нде", "да", "де", "та", "те",
    "ымен", "імен", "мен", "бен", "пен",
    # genitive, dative, accusative
    "ының", "інің", "ның", "нің", "дың", "дің", "тың", "тің",
    "ына", "іне", "ға", "ге", "қа", "ке", "на", "не",
    "ны", "ні", "ды", "ді", "ты", "ті",
    # after a possessive ending: -ын/-ін (accusative), -н, -а/-е (dative)
    "ын", "ін", "н", "а", "е",
)
_POSSESSIVE_ENDINGS = ("сы", "сі", "ы", "і")
_PLURAL_ENDINGS = ("лар", "лер", "дар", "дер", "тар", "тер")

#: The shortest last word a peel may leave.
MIN_STEM = 3

# "БҰҰ-ның", "АҚШ – пен", "ЮНЕСКО – мен": the ending written apart after a dash.
_DASHED_ENDING = re.compile(r"\s*[-–—‑]\s*(\w+)$")


def stem_candidates(folded: str) -> list[str]:
    """Every form ``folded`` (a name already folded for search) may be an inflection of,
    least peeled first, ``folded`` itself included.

    >>> stem_candidates("ресейге")
    ['ресейге', 'ресейг', 'ресей']
    >>> stem_candidates("бұұ-ның")
    ['бұұ-ның', 'бұұ']
    >>> "семей полигоны" in stem_candidates("семей полигонын")
    True
    """
    found = [folded]
    dashed = _DASHED_ENDING.search(folded)
    if dashed and dashed.group(1) in _CASE_ENDINGS + _PLURAL_ENDINGS + ("ның", "нің"):
        found.append(folded[: dashed.start()])
        return found
    frontier = [folded]
    for groups in (_CASE_ENDINGS, _POSSESSIVE_ENDINGS, _PLURAL_ENDINGS):
        peeled = []
        for form in frontier:
            peeled.extend(_peel(form, groups))
        found.extend(p for p in peeled if p not in found)
        frontier = frontier + peeled
    # Longest first: the least-peeled reading is the likeliest.
    return [folded] + sorted(found[1:], key=lambda form: (-len(form), form))


def _peel(form: str, endings: tuple[str, ...]) -> list[str]:
    head, _, last = form.rpartition(" ")
    prefix = head + " " if head else ""
    return [
        prefix + last[: -len(ending)]
        for ending in endings
        if last.endswith(ending) and len(last) - len(ending) >= MIN_STEM
    ]


def search_endings() -> dict:
    """The endings and limits ``stem_candidates`` uses, as plain data: the graph view's
    search (kg/render/templates/view.js) peels a typed word the same way.

    >>> search_endings()["min_stem"]
    3
    """
    return {
        "groups": [list(_CASE_ENDINGS), list(_POSSESSIVE_ENDINGS), list(_PLURAL_ENDINGS)],
        "dashed": list(_CASE_ENDINGS + _PLURAL_ENDINGS + ("ның", "нің")),
        "min_stem": MIN_STEM,
    }
