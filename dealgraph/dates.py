"""Partial dates, as the sources give them: a year (2025), a month (2025-03) or a day
(2025-03-28), in ISO 8601 text. One rule for the seeds, ``--as-of`` and the timelines.

>>> check_partial_date("2025-03")
'2025-03'
>>> date_start("2025-03")
'2025-03-01'
>>> month_range("2024-11", "2025-02")
['2024-11', '2024-12', '2025-01', '2025-02']
"""

from __future__ import annotations

import calendar
import re
from typing import Any

__all__ = ["check_partial_date", "date_start", "month_range"]

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_partial_date(value: Any) -> str:
    """``value`` as ISO text (YAML may hand over an int or a date); ValueError saying why
    when it is not a real YYYY, YYYY-MM or YYYY-MM-DD date."""
    text = str(value)
    m = _PARTIAL_DATE.fullmatch(text)
    if not m:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    if day and not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        raise ValueError(f"{text!r} has no day {day} in that month")
    return text


def date_start(partial: str) -> str:
    """The first day a partial date covers, for comparisons: "2025-03" -> "2025-03-01"."""
    return (partial + "-01-01")[:10] if len(partial) == 4 else (partial + "-01")[:10]


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (partial dates), as "YYYY-MM"."""
    y, m = map(int, date_start(first)[:7].split("-"))
    y2, m2 = map(int, date_start(last)[:7].split("-"))
    out = []
    while (y, m) <= (y2, m2):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
