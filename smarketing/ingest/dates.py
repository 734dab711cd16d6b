"""Which number is the day in a file's slash dates (``03/05/2026``): told by the file itself.

A French export writes 05/03/2026 for 5 March, a US report 3/5/2026; a value alone cannot say
which. The whole file can: one date whose first number is above 12 (``17/03/2026``) makes it
day first; one whose second number is above 12 (``3/17/2026``) or a 12-hour clock
(``3/5/2026 2:22 PM``) makes it month first. The loader records that order with the file's rows
(raw column ``_date_order``) and staging reads every slash date of the file that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DAY_FIRST = "day_first"
MONTH_FIRST = "month_first"
SAMPLE_RECORDS = 5_000
"""Records read to decide: days above 12 show up within a few dozen dated rows."""

_SLASH_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/\d{4}(?:[ T](.*))?\s*")
_TWELVE_HOUR = re.compile(r"\b[AaPp]\.?[Mm]\.?(?:\W|$)")


def date_order(cells: Iterable[str]) -> str | None:
    """``day_first``, ``month_first``, or None when the cells do not tell (no slash date with a
    4-digit year, only ambiguous ones, or both orders: a file mixing them)."""
    day_first = month_first = False
    for cell in cells:
        if "/" not in cell:
            continue
        match = _SLASH_DATE.fullmatch(cell)
        if match is None:
            continue
        first, second, time = int(match[1]), int(match[2]), match[3] or ""
        day_first = day_first or first > 12
        month_first = month_first or second > 12 or bool(_TWELVE_HOUR.search(time))
        if day_first and month_first:
            return None
    if day_first:
        return DAY_FIRST
    return MONTH_FIRST if month_first else None
