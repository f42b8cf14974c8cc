"""Text from outside (a server's error page, a value in a result) made safe to show on a terminal.

A terminal obeys control characters: ESC and the C1 controls start sequences
that set the window title, move the cursor, rewrite what is shown or, on some
terminals, write files. Issue 15: an endpoint's 500 reply set the terminal's
title through kg's error message. Every control character except the line
breaks and tabs kept by the caller is shown as its escape (``\\x1b``), so the
text stays readable and nothing in it is obeyed.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, keep: str = "\n\t") -> str:
    """``text`` with every control character except those in ``keep`` written as an escape.

    >>> visible("500\\x1b]0;owned\\x07 error")
    '500\\\\x1b]0;owned\\\\x07 error'
    >>> visible("two\\nlines")
    'two\\nlines'
    """
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
