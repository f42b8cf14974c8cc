"""Find evidence quotes in the source texts.

Quotes must be exact substrings of their text. The texts mix the Latin 'ə'
(U+0259) with the Cyrillic 'ә' (U+04D9) and hold non-breaking spaces, so a
quote typed by hand often differs from the text by one invisible character.
``locate_quote`` finds the exact span a near-miss was meant to be, so that
curators can copy it rather than retype it.
"""

from __future__ import annotations


# Characters that look alike in these texts, folded to one form for matching.
_LOOKALIKES = str.maketrans(
    {
        "\u0259": "\u04d9",  # Latin ə -> Cyrillic ә
        "\u018f": "\u04d8",  # Latin Ə -> Cyrillic Ә
        "\u00a0": " ",  # no-break space -> space
        "\u202f": " ",
        "\u2009": " ",
        "\t": " ",
        "\n": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
    }
)


def _fold(text: str) -> tuple[str, list[int], list[bool]]:
    """Fold look-alike characters, case and runs of spaces; keep a map back to the original offsets.

    Case folding can change a letter's length ('İ' U+0130, of the Kazakh Latin
    alphabet, folds to 'i' and a combining dot; 'ß' to 'ss'), so the map is
    built over the folded string itself: one entry per folded character,
    holding the offset of the character of ``text`` it came from, and
    whether it is the first character that one gave (a match must start and
    end on whole characters of ``text``).
    """
    folded: list[str] = []
    offsets: list[int] = []
    starts: list[bool] = []
    previous_space = False
    for index, char in enumerate(text.translate(_LOOKALIKES)):
        if char == " ":
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        for position, piece in enumerate(char.casefold()):
            folded.append(piece)
            offsets.append(index)
            starts.append(position == 0)
    return "".join(folded), offsets, starts


def locate_quote(text: str, quote: str) -> str | None:
    """Return the exact span of ``text`` that ``quote`` stands for, or None.

    An exact substring is returned as it is; otherwise the quote is matched
    with look-alike letters, dashes, quotation marks, case and spacing
    folded, and the original characters of the text are returned. The span
    returned always folds to exactly what the quote folds to.

    >>> locate_quote("Ол мəселе\\u00a0бар", "мәселе бар")
    'мəселе\\xa0бар'
    >>> locate_quote("İzmir and Astana\\u00a0agreed.", "Astana agreed")
    'Astana\\xa0agreed'
    >>> locate_quote("abc", "xyz") is None
    True
    """
    if quote in text:
        return quote
    folded_text, offsets, starts = _fold(text)
    folded_quote = _fold(quote.strip())[0]
    if not folded_quote:
        return None
    start = folded_text.find(folded_quote)
    while start >= 0:
        after = start + len(folded_quote)
        whole = starts[start] and (after == len(folded_text) or starts[after])
        if whole:
            span = text[offsets[start] : offsets[after - 1] + 1]
            if _fold(span)[0] == folded_quote:
                return span
        start = folded_text.find(folded_quote, start + 1)
    return None


def is_verbatim(text: str, quote: str) -> bool:
    """True when ``quote`` is an exact, non-empty substring of ``text``."""
    return bool(quote) and quote in text


def fold_for_search(text: str) -> str:
    """A key for matching names typed by people: Unicode form (NFC), case, ə/ә and spacing folded.

    NFC first: "Ресей" typed with a combining breve (и + U+0306) is the name
    written with the precomposed й.
    """
    import unicodedata

    return _fold(unicodedata.normalize("NFC", text.strip()))[0]
