"""The layout of every definition table as CSV text: "\n" line endings, quotes only where
needed, numbers as written in the YAML."""

from __future__ import annotations

import csv
import io


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def number_text(value: float) -> str:
    """VALUE as written in the YAML: 45.0 -> 45, 22.5 -> 22.5."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
