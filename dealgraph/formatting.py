"""How figures are written for people: money, percentages, stated shares and deal kinds.

The one formatter every output uses (the terminal tables and report, the Markdown report, the
view's labels and tooltips, the charts), so a figure reads the same wherever it is shown. It
writes plain text; escaping for a terminal, Markdown or HTML happens where the text is put
into that markup.

>>> money(100e9, "USD", "about")
'about 100 bn USD'
>>> money(11.9e9, "USD", "nearly", short=True)
'≲11.9 bn USD'
>>> money(None)
'amount unknown'
>>> share(0.62, "exact", "revenue")
'62 % of revenue'
>>> percent(0.7771)
'77.7 %'
"""

from __future__ import annotations

import math
from typing import Any

from .codes import QUALIFIER_WORDS
from .kinds import DEAL_KINDS

__all__ = ["finite", "index", "money", "number", "percent", "share", "kind_label", "kind_short", "qualifier_prefix", "document_refs", "UNKNOWN_AMOUNT"]

UNKNOWN_AMOUNT = "amount unknown"
_SCALES = ((10**12, "tn"), (10**9, "bn"), (10**6, "m"))


def finite(x: Any) -> float | None:
    """``x`` as a finite float, or None (not a number, NaN, infinite)."""
    if x is None or isinstance(x, bool):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def number(value: float) -> str:
    """12e9 -> '12 bn', 6.3e9 -> '6.3 bn', 1234.5 -> '1,234.5': two decimals at most."""
    for size, unit in _SCALES:
        if abs(value) >= size:
            return f"{value / size:.2f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def qualifier_prefix(qualifier: str | None, *, short: bool = False) -> str:
    """What goes before a figure held with ``qualifier``: 'about ' (or '~' when ``short``)."""
    words = QUALIFIER_WORDS.get(qualifier or "exact")
    if words is None:  # a qualifier from elsewhere: say it as it is
        return "" if short else qualifier.replace("_", " ") + " "
    return words[1] if short else words[0]


def money(value: float | None, currency: str | None = "USD", qualifier: str | None = None, *,
          low: float | None = None, high: float | None = None, short: bool = False,
          unknown: str = UNKNOWN_AMOUNT) -> str:
    """A sum of money as people write it: '~100 bn USD' (short), 'up to 2.5 bn USD'.

    With no value, the range ``low``..``high`` where one is known, else ``unknown``.
    """
    unit = f" {currency}" if currency else ""
    value, low, high = finite(value), finite(low), finite(high)
    prefix = qualifier_prefix(qualifier, short=short)
    if value is not None:
        return f"{prefix}{number(value)}{unit}"
    if low is not None and high is not None:
        return f"{prefix}{number(low)}–{number(high)}{unit}"
    if low is not None:
        return f"{'≥' if short else 'at least '}{number(low)}{unit}"
    if high is not None:
        return f"{qualifier_prefix('up_to', short=short)}{number(high)}{unit}"
    return unknown


def percent(fraction: float | None) -> str:
    """A computed fraction as a percentage with one decimal: 0.7771 -> '77.7 %'; None -> 'n/a'."""
    f = finite(fraction)
    return "n/a" if f is None else f"{f * 100:.1f} %"


def index(value: float | None) -> str:
    """An index between 0 and 1 (Finn's) with three decimals; None -> 'n/a'."""
    f = finite(value)
    return "n/a" if f is None else f"{f:.3f}"


def share(fraction: float | None, qualifier: str | None = None, of: str | None = None, *,
          short: bool = False, unknown: str = "share unknown") -> str:
    """A share a source states, as it states it: 'more than 11 % of ownership'."""
    f = finite(fraction)
    if f is None:
        return unknown
    return f"{qualifier_prefix(qualifier, short=short)}{f * 100:.4g} %" + (f" of {of}" if of else "")


def kind_label(kind: str | None) -> str:
    """The label of a deal kind from the kinds table ('Equity investment'); a kind the table
    does not know is written as its name."""
    row = DEAL_KINDS.get(kind or "")
    return row.label if row else (kind or "unknown kind").replace("_", " ")


def kind_short(kind: str | None) -> str:
    """The short name of a deal kind, where room is short (table cells, edge labels)."""
    row = DEAL_KINDS.get(kind or "")
    return row.short if row else kind_label(kind)


def document_refs(documents: list[str] | tuple[str, ...]) -> str:
    """Document ids as the report cites them: '[000, 003]' (the ids' number prefixes)."""
    return "[" + ", ".join(d[:3] for d in documents) + "]"
