"""Text from data, shown and never obeyed: the characters a terminal would act on, said once.

Every output that can reach a terminal (tables, reports, JSON, TSV, error lines) escapes the
same characters, so a name holding ESC sequences, a CSI or a bidirectional override reads as
what it is.

>>> printable("Nv\\x1b[31midia")
'Nv\\\\x1b[31midia'
>>> u_escaped("a\\u202eb")
'a\\\\u202Eb'
"""

from __future__ import annotations

import re

__all__ = ["CONTROLS", "printable", "u_escaped"]

#: C0 controls but tab and line feed (ESC starts colour, title and clear-screen sequences),
#: DEL, the C1 controls (0x9b is a terminal's CSI), and the bidirectional marks and overrides
#: that reorder what is read.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as its Python escape (``\\x1b``); line
    feeds and tabs stay."""
    return CONTROLS.sub(lambda m: ascii(m.group())[1:-1], text)


def u_escaped(text: str) -> str:
    """``text`` with every control character written as ``\\uXXXX``, an escape JSON and
    N-Triples both read back as the character."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04X}", text)
