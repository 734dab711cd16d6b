"""Reading an export's header and a sample of its rows for a draft mapping."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from smarketing.ingest.decoding import DecodedLines
from smarketing.ingest.sniffing import sniff

SAMPLE_ROWS = 1_000

# Cells that mean "empty" in some exports (a picklist's `Select` placeholder, spreadsheets'
# `N/A`): listed in `formats.null` only when the sample holds them.
NULL_TOKENS = ("Select", "N/A", "n/a", "#N/A", "-", "--", "null", "NULL", "(none)", "(blank)", "?")


class DraftError(ValueError):
    """The file cannot be drafted: not readable as CSV, or no header."""


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Sample:
    header: tuple[str, ...]
    """Header cells, trimmed (a trailing delimiter leaves an empty last cell)."""
    rows: tuple[tuple[str, ...], ...]
    """Sampled data rows, cut or padded to the header's width."""

    def values(self, index: int) -> list[str]:
        """The filled cells of column INDEX, trimmed (null tokens count as empty)."""
        return [v for row in self.rows if (v := row[index].strip()) and v not in NULL_TOKENS]

    def nulls(self) -> list[str]:
        """The null tokens the sample holds."""
        cells = {cell.strip() for row in self.rows for cell in row}
        return [token for token in NULL_TOKENS if token in cells]


def read_sample(path: Path, limit: int = SAMPLE_ROWS) -> Sample:
    """The header and the first LIMIT non-blank rows of the CSV file PATH."""
    try:
        file_format = sniff(path)
        lines = DecodedLines(path, file_format.encoding)
        reader = csv.reader(lines, delimiter=file_format.delimiter)
        header = tuple(cell.strip() for cell in next(reader, []))
        rows: list[tuple[str, ...]] = []
        for row in reader:
            if len(rows) >= limit:
                break
            if any(cell.strip() for cell in row):
                rows.append(tuple((row + [""] * len(header))[: len(header)]))
    except (OSError, UnicodeError, csv.Error) as exc:
        raise DraftError(f"{path}: cannot be read as a CSV file: {exc}") from exc
    if not any(header):
        raise DraftError(f"{path}: empty header: the first line names no column")
    if any(_CONTROL.search(cell) for cell in header):
        raise DraftError(f"{path}: not a CSV file (its first line holds binary data)")
    return Sample(header, tuple(rows))
