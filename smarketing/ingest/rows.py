"""Which delivered rows are not records, and why.

Report exports end with lines that are not records: a blank line, "Grand Totals (60 records)",
a row of column totals or shares (``0,0,0.2139,…``), "Confidential Information - Do Not
Distribute", a copyright line. They are rejected with a reason (and counted), like a row with
the wrong number of fields or without a record id; the file's other rows still load.
"""

from __future__ import annotations

import re

from smarketing.ingest.registry import ExportKind

TRAILER_PREFIX = "not a record"
_TOTALS = re.compile(
    r"^\s*(?:grand\s+totals?|totals?|sous-totals?|totaux(?:\s+g[ée]n[ée]raux)?|total\s+g[ée]n[ée]ral)"
    r"\b",
    re.IGNORECASE,
)
_CONFIDENTIAL = re.compile(
    r"confidential\s+information|informations?\s+confidentielles?|do\s+not\s+distribute|"
    r"ne\s+pas\s+diffuser",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"copyright|©|\(c\)\s*\d{4}|all\s+rights\s+reserved|tous\s+droits", re.IGNORECASE
)
# A cell of a statistics row: a number, a share, a currency amount, or nothing.
_STATISTIC = re.compile(r"[\s\u00a0\u202f]*[-+]?[$€£]?[\d\s\u00a0\u202f.,]*%?[\s\u00a0\u202f]*")


def trailer_reason(record: list[str], key_index: int | None) -> str | None:
    """Why RECORD is a report's trailer line, or None when it may be a record."""
    cells = [cell for cell in record if cell.strip()]
    if not cells:
        return f"{TRAILER_PREFIX}: blank line"
    first = cells[0]
    if _TOTALS.match(first):
        return f"{TRAILER_PREFIX}: report totals line"
    if len(cells) <= 2 and _CONFIDENTIAL.search(first):
        return f"{TRAILER_PREFIX}: report confidentiality notice"
    if len(cells) <= 2 and _COPYRIGHT.search(first):
        return f"{TRAILER_PREFIX}: report copyright notice"
    if all(_STATISTIC.fullmatch(cell) for cell in cells) and (
        key_index is None or key_index >= len(record) or not _looks_like_id(record[key_index])
    ):
        return f"{TRAILER_PREFIX}: report row of column totals or shares"
    return None


def _looks_like_id(value: str) -> bool:
    text = value.strip()
    return bool(text) and not _STATISTIC.fullmatch(text)


def row_problem(
    record: list[str], width: int, key_index: int, kind: ExportKind, key_label: str
) -> str | None:
    """Why RECORD cannot be loaded as a record of KIND, or None when it can."""
    trailer = trailer_reason(record, key_index)
    if trailer is not None and (len(record) != width or kind.key_reason(record[key_index])):
        return trailer
    if len(record) != width:
        return f"expected {width} fields, found {len(record)}"
    key_problem = kind.key_reason(record[key_index])
    if key_problem == "empty":
        return f"empty key {key_label!r}"
    if key_problem is not None:
        shown = record[key_index].strip()
        shown = shown if len(shown) <= 40 else shown[:37] + "…"
        return f"key {key_label!r} {shown!r} is {key_problem}: {TRAILER_PREFIX}"
    return None


def is_trailer(reason: str) -> bool:
    return reason.startswith(TRAILER_PREFIX)
