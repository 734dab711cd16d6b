"""Detecting how an export writes dates and amounts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from smarketing.ingest.dates import DAY_FIRST, MONTH_FIRST, date_order

# Candidate strftime formats, naive only: staging reads a formatted date as wall-clock time.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)


def _parses(value: str, date_format: str) -> bool:
    try:
        datetime.strptime(value, date_format)
    except ValueError:
        return False
    return True


def detect_date_format(values: Sequence[str]) -> tuple[str | None, str]:
    """The strftime format reading every sampled date, and why (None: left to detection)."""
    if not values:
        return None, "no date in the sample: the format is detected when loading"
    fitting = [f for f in DATE_FORMATS if all(_parses(v, f) for v in values)]
    if len(fitting) == 1:
        return fitting[0], f"reads every sampled date ({len(values)})"
    if not fitting:
        return None, "no single format reads every sampled date: detected when loading"
    # only slash dates of days up to 12 fit both orders: the whole sample may tell which
    order = date_order(values)
    first = {DAY_FIRST: "%d", MONTH_FIRST: "%m"}.get(order or "")
    preferred = [f for f in fitting if first and f.startswith(first)]
    if preferred:
        return preferred[0], f"reads every sampled date; {order} (a day above 12 tells)"
    shown = " or ".join(fitting)
    return None, f"ambiguous ({shown}: no day above 12 in the sample): detected when loading"


_COMMA_DECIMAL = re.compile(r"-?\d{1,3}(?:[ .\u00a0\u202f]\d{3})*,\d{1,2}|-?\d+,\d{1,2}")
_DOT_DECIMAL = re.compile(r"-?\d{1,3}(?:[ ,\u00a0\u202f]\d{3})*\.\d{1,2}|-?\d+\.\d+")
_NOT_NUMBER = re.compile(r"[^\d,.\s\u00a0\u202f-]")


def detect_decimal(values: Sequence[str]) -> str | None:
    """`,` when amounts are written 1234,56 or 1 234,56 (and none 1234.56); else None."""
    numbers = [_NOT_NUMBER.sub("", value).strip() for value in values]
    if any(_DOT_DECIMAL.fullmatch(n) for n in numbers):
        return None
    return "," if any(_COMMA_DECIMAL.fullmatch(n) for n in numbers) else None
