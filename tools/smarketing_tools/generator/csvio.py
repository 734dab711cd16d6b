"""CSV files as each tool writes them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CsvShape:
    """How one kind of export is written: its encoding, delimiter and line ending."""

    encoding: str
    delimiter: str = ","
    newline: str = "\n"

    def writer(self, path: Path, header: list[str]) -> CsvOut:
        return CsvOut(
            path, header, encoding=self.encoding, delimiter=self.delimiter, newline=self.newline
        )


# Data Loader: UTF-8 with BOM, comma, LF, quotes only where needed, API names
SALESFORCE = CsvShape("utf-8-sig")
# HubSpot UI exports: English in UTF-8; French in Windows-1252, semicolons, CRLF
HUBSPOT_EN = CsvShape("utf-8")
HUBSPOT_FR = CsvShape("cp1252", ";", "\r\n")


def salesforce_csv(path: Path, columns: list[str]) -> CsvOut:
    return SALESFORCE.writer(path, columns)


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
