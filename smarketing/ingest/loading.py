"""Loading delivered exports, unchanged, into the warehouse's ``raw`` tables.

Every file ends up in ``audit.load_audit``; every data row either in its raw table or in
``audit.rejected_rows`` with the reason, so that for each file
rows_read = rows_loaded + rows_rejected. A file already loaded (same bytes) is not loaded again.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from smarketing.ingest.dates import SAMPLE_RECORDS, date_order
from smarketing.ingest.decoding import DecodedLines
from smarketing.ingest.extension import find_extension
from smarketing.ingest.headers import Recognition, UnknownExport, recognise
from smarketing.ingest.inbox import CSV_SUFFIXES, settle_seconds, signature, still_written
from smarketing.ingest.inbox import entries as inbox_entries
from smarketing.ingest.records import OpenQuote, RecordReader
from smarketing.ingest.registry import SALESFORCE_EMPTY_IDS, SALESFORCE_ID, ExportKind
from smarketing.ingest.rows import is_trailer, row_problem
from smarketing.ingest.schema import (
    AUDIT_SCHEMA,
    LOADED_STATUSES,
    add_missing_columns,
    ensure_schema,
    quote,
    raw_table,
)
from smarketing.ingest.sniffing import FileFormat, sniff

BATCH_ROWS = 100_000
# a batch holds at most this many cells, so a wide file's batches stay small
BATCH_CELLS = 4_000_000
# wider files are refused: a Salesforce object has at most ~900 fields, HubSpot ~1,500
MAX_COLUMNS = 4_096
DUCKDB_ENCODINGS = ("utf-8", "utf-8-sig")
# DuckDB reads an empty cell as NULL unless told another text means NULL: raw keeps '' as ''.
NEVER_NULL = "\x00smarketing-no-null\x00"
# a file with one of these needs nothing more: its rows are in raw, or were already
HANDLED_STATUSES = (*LOADED_STATUSES, "duplicate")
STILL_WRITTEN = "still being written when the run started: left for the next run"
CHANGED_WHILE_READ = "changed while it was read: nothing loaded, left for the next run"
# Raised by csv for very long quoted fields (a JSON address, a long description).
csv.field_size_limit(1 << 30)

Progress = Callable[[str, int], None]
"""Called with (source file, rows read so far) while a file loads."""


@dataclass
class FileLoad:
    """What happened to one delivered file (one row of ``audit.load_audit``)."""

    source_file: str
    file_sha256: str | None = None
    file_bytes: int | None = None
    file_mtime_ns: int | None = None
    """the modification time (ns) of the file's bytes as last seen in the inbox: with its size,
    how the next run knows the file unchanged without reading it again"""
    kind: ExportKind | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_language: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    status: str = "loaded"
    error: str | None = None
    duplicate_of: str | None = None
    unknown_columns: list[str] = field(default_factory=list)
    lines_read_as_cp1252: int = 0
    closest_kind: str | None = None
    date_order: str | None = None
    """how the file writes slash dates: ``day_first``, ``month_first``, None (unknown)"""
    rows_rejected_as_records: int = 0
    """rejected rows that looked like records (the others: blank lines, report trailers)"""
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None

    @property
    def raw_table(self) -> str | None:
        return self.kind.table if self.kind else None


@dataclass(frozen=True)
class Rejected:
    row_number: int
    line_number: int
    reason: str
    fields: list[str]


class RefusedFile(ValueError):
    """The file cannot be loaded at all (empty, or a required column is missing)."""


def inbox_files(inbox: Path) -> list[Path]:
    """The regular files of the inbox, hidden ones aside, in a stable order."""
    return [entry.path for entry in inbox_entries(inbox) if entry.refusal is None]


def scan_file(path: Path) -> tuple[str, bool]:
    """The file's SHA-256, and whether it holds a blank line (DuckDB's reader skips those
    silently; the row-by-row path counts each one)."""
    digest = hashlib.sha256()
    blank, tail = False, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if not blank:
                window = tail + chunk
                blank = b"\n\n" in window or b"\n\r\n" in window or b"\r\r" in window
                tail = window[-2:]
    return digest.hexdigest(), blank


def file_sha256(path: Path) -> str:
    return scan_file(path)[0]


def load_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    run_id: str | None = None,
    progress: Progress | None = None,
    fast: bool = True,
    mapped: tuple[ExportKind, ...] = (),
) -> list[FileLoad]:
    """Load every new file of the inbox; files already loaded with the same bytes are skipped.

    Every entry gets an audit row, those that cannot be read too (``smarketing.ingest.inbox``),
    and a file still being written is left for the next run (status ``deferred``).
    ``fast=False`` reads every file row by row (the exact path) even when DuckDB could read it.
    MAPPED: the export kinds of the mapping files (``Mapping.kind()``), recognised first.
    """
    run_id = run_id or uuid.uuid4().hex
    ensure_schema(con, mapped)
    found = inbox_entries(inbox)
    readable = [entry.path for entry in found if entry.refusal is None]
    moving = still_written(readable, settle_seconds())
    results = []
    for entry in found:
        if entry.refusal is not None:
            result = _not_read(con, run_id, entry.source_file, entry.status, entry.refusal)
        elif entry.path in moving:
            result = _not_read(con, run_id, entry.source_file, "deferred", STILL_WRITTEN)
        else:
            result = _load_entry(con, inbox, entry.path, run_id, progress, fast, mapped)
        if result is not None:
            results.append(result)
    return results


def _load_entry(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    path: Path,
    run_id: str,
    progress: Progress | None,
    fast: bool,
    mapped: tuple[ExportKind, ...],
) -> FileLoad | None:
    """``load_file``, an OS error (the file vanished, may not be read…) becoming its audit row."""
    source_file = path.relative_to(inbox).as_posix()
    try:
        return load_file(con, inbox, path, run_id, progress, fast, mapped)
    except OSError as exc:  # before its transaction: load_file handles those inside it
        reason = (
            "disappeared before it was read"
            if isinstance(exc, FileNotFoundError)
            else (f"cannot be read: {exc.strerror or exc}")
        )
        return _not_read(con, run_id, source_file, "error", reason)


def _not_read(
    con: duckdb.DuckDBPyConnection, run_id: str, source_file: str, status: str, reason: str
) -> FileLoad:
    result = FileLoad(source_file=source_file, status=status, error=f"{source_file}: {reason}")
    _write_audit(con, run_id, result)
    return result


def load_file(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    path: Path,
    run_id: str,
    progress: Progress | None = None,
    fast: bool = True,
    mapped: tuple[ExportKind, ...] = (),
) -> FileLoad | None:
    """Load one file in one transaction; None when this very file was loaded before."""
    source_file = path.relative_to(inbox).as_posix()
    stat = path.stat()
    result = FileLoad(
        source_file=source_file, file_bytes=stat.st_size, file_mtime_ns=stat.st_mtime_ns
    )
    # the same name, size and modification time as a file already handled: not read again
    # (a daily run would otherwise hash every earlier delivery: 11 s for 4 GB)
    unchanged = con.execute(
        f"select 1 from {AUDIT_SCHEMA}.load_audit where source_file = ? and file_bytes = ? "
        f"and file_mtime_ns = ? and status in {HANDLED_STATUSES} limit 1",
        [source_file, stat.st_size, stat.st_mtime_ns],
    ).fetchone()
    if unchanged is not None:
        return None
    sha, has_blank = scan_file(path)
    result.file_sha256 = sha
    already = con.execute(
        f"select 1 from {AUDIT_SCHEMA}.load_audit where file_sha256 = ? and source_file = ? "
        f"and status in {HANDLED_STATUSES} limit 1",
        [sha, source_file],
    ).fetchone()
    if already is not None:
        # this very file was handled by an earlier run: touched since (or by a version that
        # did not note the time), its new time spares the next runs reading it
        con.execute(
            f"update {AUDIT_SCHEMA}.load_audit set file_mtime_ns = ? where source_file = ? "
            "and file_sha256 = ?",
            [stat.st_mtime_ns, source_file, sha],
        )
        return None
    previous = con.execute(
        f"select source_file from {AUDIT_SCHEMA}.load_audit "
        f"where file_sha256 = ? and status in {LOADED_STATUSES} order by started_at limit 1",
        [sha],
    ).fetchone()
    if previous is not None:
        result.status, result.duplicate_of = "duplicate", previous[0]
        result.error = f"same bytes as {previous[0]}, already loaded: nothing loaded again"
        _write_audit(con, run_id, result)
        return result

    if path.suffix.lower() not in CSV_SUFFIXES:
        result.status = "unknown"
        result.error = (
            f"{source_file}: not a CSV export ({path.suffix or 'no extension'}); export it as CSV"
        )
        _write_audit(con, run_id, result)
        return result

    fmt = sniff(path)
    if fmt.not_text is not None:
        result.status = "refused"
        result.error = f"{source_file}: not a text file but {fmt.not_text}: export it as CSV"
        _write_audit(con, run_id, result)
        return result
    extension = find_extension(con, path, source_file, stat.st_size)
    con.begin()
    try:
        _load_rows(
            con,
            path,
            source_file,
            sha,
            fmt,
            run_id,
            result,
            progress,
            fast,
            has_blank,
            mapped,
            skip=extension.skip if extension else 0,
        )
        if extension is not None:
            note = extension.note(source_file)
            result.error = f"{result.error}; {note}" if result.error else note
    except (RefusedFile, UnknownExport) as exc:
        con.rollback()
        result.status = "unknown" if isinstance(exc, UnknownExport) else "refused"
        result.error = f"{source_file}: {exc}"
        if isinstance(exc, UnknownExport) and exc.closest is not None:
            result.closest_kind = exc.closest.name
        result.rows_read = result.rows_loaded = result.rows_rejected = 0
    except UnicodeDecodeError as exc:
        con.rollback()
        result.status = "error"
        result.error = f"{source_file}: cannot be decoded as {fmt.encoding} text: {exc.reason}"
        result.rows_read = result.rows_loaded = result.rows_rejected = 0
    except Exception as exc:
        con.rollback()
        result.status, result.error = "error", f"{source_file}: {type(exc).__name__}: {exc}"
        result.rows_read = result.rows_loaded = result.rows_rejected = 0
    else:
        if signature(path) != (stat.st_size, stat.st_mtime_ns):
            con.rollback()
            return _not_read(con, run_id, source_file, "deferred", CHANGED_WHILE_READ)
        _write_audit(con, run_id, result)
        con.commit()
        return result
    _write_audit(con, run_id, result)
    return result


def _load_rows(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source_file: str,
    sha: str,
    fmt: FileFormat,
    run_id: str,
    result: FileLoad,
    progress: Progress | None,
    fast: bool,
    has_blank: bool,
    mapped: tuple[ExportKind, ...],
    skip: int = 0,
) -> None:
    """Read the file into its raw table, the first SKIP records aside (loaded before)."""
    result.delimiter = fmt.delimiter
    result.rows_read = result.rows_loaded = result.rows_rejected = 0
    result.started_at = datetime.now(UTC)
    lines = DecodedLines(path, fmt.encoding)
    reader = RecordReader(lines, fmt.delimiter)
    header = reader.header()
    if not header or not any(cell.strip() for cell in header):
        raise RefusedFile("file is empty: no header line")
    if len(header) > MAX_COLUMNS:
        raise RefusedFile(
            f"{len(header):,} columns, more than the {MAX_COLUMNS:,} a delivery may have: "
            "export the columns the warehouse reads (a CRM object has fewer than 2,000)"
        )
    recognition = recognise(header, mapped)
    kind = recognition.kind
    result.kind, result.header_language = kind, recognition.language
    if recognition.missing_required:
        missing = ", ".join(recognition.header_for(c) for c in recognition.missing_required)
        raise RefusedFile(
            f"recognised as {kind.name} but the required column(s) {missing} are missing"
        )
    result.unknown_columns = [
        c for c, known in zip(recognition.columns, recognition.known, strict=True) if not known
    ]
    add_missing_columns(con, kind, recognition.columns)
    _write_file_columns(con, source_file, sha, header, recognition)

    clean = (
        fast
        and not has_blank
        and not skip
        and _load_clean_file(con, path, fmt, source_file, sha, recognition, result)
    )
    if not clean:
        _load_row_by_row(
            con, reader, header, source_file, sha, run_id, recognition, result, progress, skip
        )
        result.encoding, result.lines_read_as_cp1252 = lines.label, lines.cp1252_lines
    trailers = result.rows_rejected - result.rows_rejected_as_records
    if result.rows_rejected_as_records:
        result.status = "loaded_with_rejects"
        result.error = (
            f"{source_file}: {result.rows_rejected} row(s) rejected, see audit.rejected_rows"
        )
    else:
        result.status = "loaded"
        result.error = (
            f"{source_file}: {trailers} line(s) that are not records (blank lines, report "
            "totals and notices) set aside, see audit.rejected_rows"
            if trailers
            else None
        )
    if result.lines_read_as_cp1252 and result.encoding == "utf-8+cp1252":
        note = (
            f"{source_file}: mixed encodings, {result.lines_read_as_cp1252} line(s) read as "
            "Windows-1252 among UTF-8 lines"
        )
        result.error = f"{result.error}; {note}" if result.error else note
    if progress:
        progress(source_file, result.rows_read)


def _load_clean_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fmt: FileFormat,
    source_file: str,
    sha: str,
    recognition: Recognition,
    result: FileLoad,
) -> bool:
    """The fast path for a well-formed file: DuckDB's CSV reader, all or nothing.

    Returns False, having written nothing, when DuckDB rejects any row, a key is not a record
    id or the text is not UTF-8: the row-by-row path then reports those rows with their line
    and reason. The read runs on its own cursor, so a failed read leaves the file's transaction
    usable. Other encodings (Windows-1252, UTF-16) are read from a UTF-8 copy.
    """
    if fmt.encoding not in DUCKDB_ENCODINGS:
        with tempfile.TemporaryDirectory(prefix="smarketing-") as tmp:
            copy = Path(tmp) / "utf8.csv"
            lines = DecodedLines(path, fmt.encoding)
            with copy.open("w", encoding="utf-8", newline="") as target:
                target.writelines(lines)
            utf8 = FileFormat(encoding="utf-8", has_bom=False, delimiter=fmt.delimiter)
            if not _load_clean_file(con, copy, utf8, source_file, sha, recognition, result):
                return False
            result.encoding, result.lines_read_as_cp1252 = lines.label, lines.cp1252_lines
            return True
    columns = ", ".join(
        "'" + name.replace("'", "''") + "': 'VARCHAR'" for name in recognition.columns
    )
    cursor = con.cursor()
    try:
        cursor.execute("set enable_progress_bar = false")
        rows = cursor.sql(
            "select row_number() over () as _row_number, * from read_csv($path, header = true, "
            f"auto_detect = false, columns = {{{columns}}}, delim = $delim, quote = '\"', "
            "escape = '\"', nullstr = $never_null, strict_mode = true, store_rejects = true, "
            "rejects_table = '_smarketing_rejects', rejects_scan = '_smarketing_scans')",
            params={"path": str(path), "delim": fmt.delimiter, "never_null": NEVER_NULL},
        ).to_arrow_table()
        rejected = cursor.execute("select count(*) from _smarketing_rejects").fetchone()
    except duckdb.Error:
        return False
    finally:
        cursor.close()
    if (rejected and rejected[0]) or not _keys_are_records(rows, recognition.kind):
        return False
    n = rows.num_rows
    sample = rows.slice(0, SAMPLE_RECORDS).select(list(recognition.columns))
    result.date_order = date_order(
        cell for column in sample.columns for cell in column.to_pylist() if cell
    )
    rows = rows.append_column("_date_order", pa.array([result.date_order] * n, type=pa.string()))
    rows = rows.append_column("_source_file", pa.array([source_file] * n, type=pa.string()))
    rows = rows.append_column("_file_sha256", pa.array([sha] * n, type=pa.string()))
    rows = rows.append_column(
        "_loaded_at", pa.array([result.started_at] * n, type=pa.timestamp("us", tz="UTC"))
    )
    _insert_arrow(con, recognition.kind, rows)
    result.rows_read = result.rows_loaded = n
    result.encoding = fmt.encoding
    return True


def _keys_are_records(rows: pa.Table, kind: ExportKind) -> bool:
    """Every key identifies a record (not empty; a Salesforce id where the tool uses them)."""
    key = pc.utf8_trim_whitespace(rows.column(kind.key))
    if pc.any(pc.equal(key, "")).as_py():
        return False
    if kind.id_format == "salesforce":
        valid = pc.match_substring_regex(key, f"^(?:{SALESFORCE_ID.pattern})$")
        empty_id = pc.is_in(key, pa.array(sorted(SALESFORCE_EMPTY_IDS)))
        if not pc.all(pc.and_(valid, pc.invert(empty_id))).as_py():
            return False
    return True


def _load_row_by_row(
    con: duckdb.DuckDBPyConnection,
    reader: RecordReader,
    header: list[str],
    source_file: str,
    sha: str,
    run_id: str,
    recognition: Recognition,
    result: FileLoad,
    progress: Progress | None,
    skip: int = 0,
) -> None:
    """The exact path: every record checked, each bad one rejected with its line and reason;
    the first SKIP records aside, the others numbered by their place in the file."""
    kind = recognition.kind
    width, key_index = len(header), recognition.columns.index(kind.key)
    key_label = header[key_index].strip() or recognition.header_for(kind.key)
    batch_rows = max(1, min(BATCH_ROWS, BATCH_CELLS // width))
    batch: list[list[str]] = []
    row_numbers: list[int] = []
    rejects: list[Rejected] = []

    def is_record(fields: list[str]) -> bool:
        return row_problem(fields, width, key_index, kind, key_label) is None

    for position, record in enumerate(reader.records(width, is_record), start=1):
        if position <= skip:
            continue
        result.rows_read += 1
        line = reader.line
        if isinstance(record, csv.Error):
            rejects.append(Rejected(position, line, f"unreadable CSV: {record}", []))
        elif isinstance(record, OpenQuote):
            rejects.append(Rejected(position, line, record.reason, [record.line]))
            result.rows_rejected_as_records += 1
        elif (problem := row_problem(record, width, key_index, kind, key_label)) is not None:
            rejects.append(Rejected(position, line, problem, record))
            if not is_trailer(problem):
                result.rows_rejected_as_records += 1
        else:
            batch.append(record)
            row_numbers.append(position)
        if len(batch) >= batch_rows:
            _insert_batch(con, kind, recognition, batch, row_numbers, source_file, sha, result)
            batch, row_numbers = [], []
            if progress:
                progress(source_file, result.rows_read)
    if batch:
        _insert_batch(con, kind, recognition, batch, row_numbers, source_file, sha, result)
    _write_rejects(con, run_id, source_file, sha, kind, rejects)
    result.rows_rejected = len(rejects)


def _insert_batch(
    con: duckdb.DuckDBPyConnection,
    kind: ExportKind,
    recognition: Recognition,
    batch: list[list[str]],
    row_numbers: list[int],
    source_file: str,
    sha: str,
    result: FileLoad,
) -> None:
    n = len(batch)
    if result.rows_loaded == 0:  # the first batch tells the file's order of slash dates
        result.date_order = date_order(cell for record in batch[:SAMPLE_RECORDS] for cell in record)
    arrays = [pa.array(column, type=pa.string()) for column in zip(*batch, strict=True)]
    names = list(recognition.columns)
    arrays += [
        pa.array([source_file] * n, type=pa.string()),
        pa.array([sha] * n, type=pa.string()),
        pa.array(row_numbers, type=pa.int64()),
        pa.array([result.started_at] * n, type=pa.timestamp("us", tz="UTC")),
        pa.array([result.date_order] * n, type=pa.string()),
    ]
    names += ["_source_file", "_file_sha256", "_row_number", "_loaded_at", "_date_order"]
    _insert_arrow(con, kind, pa.Table.from_arrays(arrays, names=names))
    result.rows_loaded += n


def _insert_arrow(con: duckdb.DuckDBPyConnection, kind: ExportKind, rows: pa.Table) -> None:
    column_list = ", ".join(quote(name) for name in rows.column_names)
    con.register("_smarketing_batch", rows)
    try:
        con.execute(
            f"insert into {raw_table(kind)} ({column_list}) "
            f"select {column_list} from _smarketing_batch"
        )
    finally:
        con.unregister("_smarketing_batch")


def _write_file_columns(
    con: duckdb.DuckDBPyConnection,
    source_file: str,
    sha: str,
    header: list[str],
    recognition: Recognition,
) -> None:
    con.executemany(
        f"insert into {AUDIT_SCHEMA}.file_columns values (?, ?, ?, ?, ?, ?, ?)",
        [
            [source_file, sha, recognition.kind.table, position, cell, column, known]
            for position, (cell, column, known) in enumerate(
                zip(header, recognition.columns, recognition.known, strict=True), start=1
            )
        ],
    )


def _write_rejects(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source_file: str,
    sha: str,
    kind: ExportKind,
    rejects: list[Rejected],
) -> None:
    if not rejects:
        return
    now = datetime.now(UTC)
    con.executemany(
        f"insert into {AUDIT_SCHEMA}.rejected_rows values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                run_id,
                source_file,
                sha,
                kind.table,
                r.row_number,
                r.line_number,
                r.reason,
                r.fields,
                now,
            ]
            for r in rejects
        ],
    )


AUDIT_COLUMNS = (
    "run_id",
    "source_file",
    "file_sha256",
    "file_bytes",
    "source_system",
    "entity",
    "raw_table",
    "encoding",
    "delimiter",
    "header_language",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "status",
    "error",
    "duplicate_of",
    "unknown_columns",
    "started_at",
    "finished_at",
    "lines_read_as_cp1252",
    "closest_kind",
    "date_order",
    "file_mtime_ns",
)


def _write_audit(con: duckdb.DuckDBPyConnection, run_id: str, result: FileLoad) -> None:
    result.finished_at = datetime.now(UTC)
    kind = result.kind
    values = [
        run_id,
        result.source_file,
        result.file_sha256,
        result.file_bytes,
        kind.source_system if kind else None,
        kind.entity if kind else None,
        result.raw_table,
        result.encoding,
        result.delimiter,
        result.header_language,
        result.rows_read,
        result.rows_loaded,
        result.rows_rejected,
        result.status,
        result.error,
        result.duplicate_of,
        result.unknown_columns,
        result.started_at,
        result.finished_at,
        result.lines_read_as_cp1252,
        result.closest_kind,
        result.date_order,
        result.file_mtime_ns,
    ]
    con.execute(
        f"insert into {AUDIT_SCHEMA}.load_audit ({', '.join(AUDIT_COLUMNS)}) "
        f"values ({', '.join('?' for _ in AUDIT_COLUMNS)})",
        values,
    )
