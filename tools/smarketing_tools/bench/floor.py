"""The floor: DuckDB reading the same exports straight into tables, no checks, no audit.

Each file becomes one table (``read_csv`` with every column as text). DuckDB reads UTF-8 by
itself; other encodings (Windows-1252, UTF-16) are transcoded to a temporary UTF-8 file first,
and that time is counted, as it is part of reading such a file.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from smarketing.ingest.sniffing import sniff

NATIVE_ENCODINGS = ("utf-8", "utf-8-sig")
TRANSCODE_CHUNK = 1 << 22


@dataclass
class FloorFile:
    source_file: str
    encoding: str
    delimiter: str
    rows: int = 0
    seconds: float = 0.0
    transcode_s: float = 0.0
    note: str = ""


def transcode(path: Path, encoding: str, target: Path) -> None:
    with (
        path.open(encoding=encoding, newline="") as source,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        while chunk := source.read(TRANSCODE_CHUNK):
            out.write(chunk)


def _read_csv_sql(path: Path, delimiter: str, ignore_errors: bool) -> str:
    literal = str(path).replace("'", "''")
    delim = delimiter.replace("'", "''")
    options = "all_varchar=true, header=true, delim='" + delim + "', encoding='utf-8'"
    if ignore_errors:
        options += ", ignore_errors=true"
    return f"select * from read_csv('{literal}', {options})"


def _create(con: duckdb.DuckDBPyConnection, table: str, path: Path, delimiter: str) -> str:
    """Create the table; retry skipping malformed lines (say so) when strict reading fails."""
    try:
        con.execute(f"create or replace table {table} as {_read_csv_sql(path, delimiter, False)}")
        return ""
    except duckdb.InvalidInputException as exc:
        if "encoded" in str(exc) or "unicode" in str(exc).lower():
            raise
        con.execute(f"create or replace table {table} as {_read_csv_sql(path, delimiter, True)}")
        return "malformed lines skipped (ignore_errors)"


def load_file(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, source_file: str, scratch: Path
) -> FloorFile:
    started = time.perf_counter()
    fmt = sniff(path)
    result = FloorFile(source_file=source_file, encoding=fmt.encoding, delimiter=fmt.delimiter)
    encodings = [fmt.encoding, "cp1252"] if fmt.encoding in NATIVE_ENCODINGS else [fmt.encoding]
    for encoding in encodings:
        target = path
        if encoding not in NATIVE_ENCODINGS:
            t0 = time.perf_counter()
            target = scratch / f"{table}.csv"
            transcode(path, encoding, target)
            result.transcode_s = time.perf_counter() - t0
        try:
            note = _create(con, table, target, fmt.delimiter)
        except duckdb.InvalidInputException:
            if encoding == encodings[-1]:
                raise
            continue  # looked like UTF-8 at first, is not: read it as Windows-1252
        finally:
            if target != path:
                target.unlink(missing_ok=True)
        result.encoding = encoding
        result.note = note
        break
    count = con.execute(f"select count(*) from {table}").fetchone()
    result.rows = int(count[0]) if count else 0
    result.seconds = time.perf_counter() - started
    return result


def load_floor(
    database: Path,
    inbox: Path,
    files: list[Path],
    progress: Callable[[str, int, int], None] | None = None,
) -> list[FloorFile]:
    """Read every file into its own table of ``database``; the connection is closed at the end."""
    con = duckdb.connect(str(database))
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="floor-", dir=database.parent) as scratch:
            for index, path in enumerate(files, start=1):
                source_file = path.relative_to(inbox).as_posix()
                results.append(load_file(con, f"t{index:04d}", path, source_file, Path(scratch)))
                if progress:
                    progress(source_file, index, len(files))
    finally:
        con.close()
    return results
