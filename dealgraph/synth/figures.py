"""Figures as sources write them: amounts in scale units with a few significant digits,
decimals in plain text, partial dates, and the weighted draws that pick among them.

>>> significant(1234.5, 2), scaled(1.234e9, 3)
(Decimal('1.2E+3'), (Decimal('1.23'), 'billion'))
>>> Money(Decimal("1.5"), "billion", "about").text()
'about 1.5 billion dollars'
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Sequence

from ..models import QUALIFIER_WORDS, SCALES

__all__ = ["Money", "plain", "significant", "scaled", "as_number", "share_text", "weighted", "partial_date"]

#: The scales a synthetic source writes amounts in, largest first (the smallest takes the rest).
WRITTEN_SCALES = ("billion", "million", "thousand")


def plain(d: Decimal) -> str:
    """A Decimal as plain text, never in exponent form: 3.5E+2 -> '350'."""
    return format(d.normalize(), "f")


def significant(x: float, digits: int) -> Decimal:
    """``x`` rounded to ``digits`` significant digits, as an exact Decimal."""
    d = Decimal(repr(float(x)))
    exp = d.adjusted() - (digits - 1)
    return (d.scaleb(-exp).quantize(Decimal(1), rounding=ROUND_HALF_EVEN).scaleb(exp)).normalize()


def scaled(units: float, digits: int) -> tuple[Decimal, str]:
    """Units -> (value, scale name) as a source would write them."""
    name = next((n for n in WRITTEN_SCALES if units >= float(SCALES[n])), WRITTEN_SCALES[-1])
    return significant(units / float(SCALES[name]), digits), name


def as_number(d: Decimal) -> int | float:
    """A Decimal as the number the SPARQL results give for it (int when integral)."""
    return int(d) if d == d.to_integral_value() else float(d)


def share_text(percent: Decimal, qualifier: str) -> str:
    """A share as a source writes it: 'more than 37 %'."""
    return f"{QUALIFIER_WORDS[qualifier][0]}{plain(percent)} %"


def weighted(rng: random.Random, odds: Sequence[tuple[Any, float]]) -> Any:
    """One item of ``odds`` ((item, weight) pairs), drawn with probability proportional to its weight."""
    x = rng.random() * sum(w for _, w in odds)
    for item, w in odds:
        x -= w
        if x < 0:
            return item
    return odds[-1][0]


def partial_date(day: dt.date, rng: random.Random, odds: tuple[float, float, float] = (0.7, 0.2, 0.1)) -> str:
    """``day`` written as a month, a full date or a year (with these odds), as sources do."""
    form = weighted(rng, list(zip(("month", "day", "year"), odds)))
    if form == "month":
        return day.strftime("%Y-%m")
    if form == "day":
        return day.isoformat()
    return str(day.year)


@dataclass
class Money:
    """An amount as a source writes it: ``value`` in ``scale`` units, maybe qualified or a range."""

    value: Decimal
    scale: str
    qualifier: str = "exact"
    min: Decimal | None = None
    max: Decimal | None = None

    @property
    def units(self) -> Decimal:
        return self.value * SCALES[self.scale]

    def text(self) -> str:
        if self.min is not None and self.max is not None:
            return f"between {plain(self.min)} and {plain(self.max)} {self.scale} dollars"
        return f"{QUALIFIER_WORDS[self.qualifier][0]}{plain(self.value)} {self.scale} dollars"

    def record(self) -> dict[str, Any]:
        """The amount as the seeds hold it."""
        out: dict[str, Any] = {"value": self.value, "scale": self.scale, "currency": "USD"}
        if self.qualifier != "exact":
            out["qualifier"] = self.qualifier
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        out["text"] = self.text()
        return out
