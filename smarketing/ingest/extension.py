"""A delivery that extends an earlier one: the same file name, the earlier bytes at its start.

A file copied into the inbox while a run read it, or an export a tool appends to, arrives again
longer. Loading it whole would count the earlier rows twice; only the records after them are
loaded, numbered on from the earlier ones. When the earlier file stopped inside a line, its last
record was cut: that record is read again from the longer file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from smarketing.ingest.schema import AUDIT_SCHEMA, LOADED_STATUSES, RAW_SCHEMA, quote

# earlier deliveries of the same name tried, the latest first
CANDIDATES = 3


@dataclass(frozen=True)
class Extension:
    """The earlier delivery this file extends."""

    run_id: str
    file_sha256: str
    file_bytes: int
    records: int
    """the records delivered up to that delivery (the row numbers it reached)"""
    cut: bool
    """the earlier file ended inside a line: its last record is read again"""

    @property
    def skip(self) -> int:
        """Records of this file already loaded."""
        return self.records - 1 if self.cut and self.records else self.records

    def note(self, source_file: str) -> str:
        again = f", record {self.records} again (it was cut)" if self.cut else ""
        return (
            f"{source_file}: extends the delivery of the same name loaded by run {self.run_id} "
            f"({self.file_bytes:,} bytes, {self.records:,} records): the records after them "
            f"loaded{again}"
        )


def find_extension(
    con: duckdb.DuckDBPyConnection, path: Path, source_file: str, size: int
) -> Extension | None:
    """The earlier loaded delivery of SOURCE_FILE whose bytes PATH starts with, if any."""
    candidates = con.execute(
        f"select run_id, file_sha256, file_bytes, raw_table from {AUDIT_SCHEMA}.load_audit "
        f"where source_file = ? and status in {LOADED_STATUSES} and file_bytes < ? "
        "and file_sha256 is not null and raw_table is not null "
        "order by finished_at desc limit ?",
        [source_file, size, CANDIDATES],
    ).fetchall()
    for run_id, sha, nbytes, table in candidates:
        if nbytes <= 0:
            continue
        head, last = _prefix(path, nbytes)
        if head != sha:
            continue
        records = con.execute(
            f"select greatest(coalesce((select max(_row_number) from {RAW_SCHEMA}.{quote(table)} "
            f"where _file_sha256 = $sha), 0), coalesce((select max(row_number) from "
            f"{AUDIT_SCHEMA}.rejected_rows where file_sha256 = $sha), 0))",
            {"sha": sha},
        ).fetchone()
        return Extension(run_id, sha, nbytes, int(records[0] if records else 0), last != b"\n")
    return None


def _prefix(path: Path, nbytes: int) -> tuple[str, bytes]:
    """SHA-256 of the first NBYTES of PATH, and the last of those bytes."""
    digest, left, last = hashlib.sha256(), nbytes, b""
    with path.open("rb") as handle:
        while left > 0 and (chunk := handle.read(min(left, 1 << 20))):
            digest.update(chunk)
            left -= len(chunk)
            last = chunk[-1:]
    return digest.hexdigest(), last
