"""One colour and one line style per relation, the same in every view.

A relation's style is keyed by its kzo: property (its place in the sorted
list of the ontology's object properties), not by its place in one view's
legend, so "signed" looks the same in the main view and in every focused
view. Fourteen colours, each at least 3:1 against white (WCAG's figure for
graphics), times five line styles give 70 distinct looks, for the 58 object
properties of the ontology today. A 71st property would repeat the first look
(tests/render/test_palette.py would say so), and the table needs another colour.
"""

from __future__ import annotations

import hashlib

#: Line colours, each >= 3:1 against the white canvas (checked in tests/render/test_palette.py).
LINE_COLOURS = (
    "#1f5fa8",  # blue
    "#c0392b",  # red
    "#1e7b34",  # green
    "#8e44ad",  # purple
    "#a35200",  # burnt orange
    "#00747a",  # teal
    "#b0306e",  # magenta
    "#5f6b00",  # olive
    "#6b4c2a",  # brown
    "#3949ab",  # indigo
    "#4d4d4d",  # grey
    "#9c6b00",  # ochre
    "#006b4f",  # deep green
    "#7a2e2e",  # maroon
)
#: vis-network dash patterns (None: a solid line).
LINE_DASHES = (None, [10, 5], [3, 4], [12, 4, 3, 4], [14, 3, 3, 3, 3, 3])


def relation_styles(properties) -> dict[str, dict]:
    """``{local name: {"color", "dashes"}}`` for the ontology's object properties (local names).

    >>> styles = relation_styles(["signed", "memberOf", "borders"])
    >>> styles["borders"]["color"], styles["memberOf"]["color"]
    ('#1f5fa8', '#c0392b')
    """
    names = sorted(set(properties))
    styles = {}
    for index, name in enumerate(names):
        styles[name] = _style(index)
    return styles


def style_for(name: str, styles: dict[str, dict]) -> dict:
    """The style of ``name``, or a stable one from its hash when the ontology does not list it."""
    if name in styles:
        return styles[name]
    return _style(int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % (len(LINE_COLOURS) * len(LINE_DASHES)))


def _style(index: int) -> dict:
    colour = LINE_COLOURS[index % len(LINE_COLOURS)]
    dashes = LINE_DASHES[(index // len(LINE_COLOURS)) % len(LINE_DASHES)]
    return {"color": colour, "dashes": dashes}


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours.

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
