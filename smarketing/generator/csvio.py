"""CSV files as each tool writes them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO


class CsvOut:
    """A CSV file written row by row; counts its data rows."""

    def __init__(
        self,
        path: Path,
        header: list[str],
        *,
        encoding: str = "utf-8",
        delimiter: str = ",",
        newline: str = "\n",
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.header = header
        self._file: IO[str] = path.open("w", encoding=encoding, newline="")
        self._writer = csv.writer(self._file, delimiter=delimiter, lineterminator=newline)
        self._writer.writerow(header)
        self.rows = 0

    def write(self, row: list[str]) -> None:
        self._writer.writerow(row)
        self.rows += 1

    def close(self) -> None:
        self._file.close()


def salesforce_csv(path: Path, columns: list[str]) -> CsvOut:
    """Data Loader: UTF-8 with BOM, comma, LF, quotes only where needed, API names."""
    return CsvOut(path, columns, encoding="utf-8-sig")


def truth_csv(path: Path, columns: list[str]) -> CsvOut:
    return CsvOut(path, columns)


class DictRows:
    """Writes rows given as dicts, in the file's column order ('' for absent keys)."""

    def __init__(self, out: CsvOut) -> None:
        self.out = out
        self.columns = out.header

    def write(self, values: dict[str, str]) -> None:
        self.out.write([values.get(c, "") for c in self.columns])

    @property
    def rows(self) -> int:
        return self.out.rows

    def close(self) -> None:
        self.out.close()
