"""DDL of the raw and audit tables the loader writes."""

from __future__ import annotations

import duckdb

from smarketing.ingest.registry import ExportKind, export_kinds

RAW_SCHEMA = "raw"
AUDIT_SCHEMA = "audit"
# the loader's audit tables (AUDIT_DDL)
AUDIT_TABLES = ("load_audit", "rejected_rows", "file_columns", "removed_rows")
# the audit statuses of a file whose rows are in raw
LOADED_STATUSES = ("loaded", "loaded_with_rejects")
METADATA_COLUMNS = (
    ("_source_file", "varchar"),
    ("_file_sha256", "varchar"),
    ("_row_number", "bigint"),
    ("_loaded_at", "timestamptz"),
    # the delivery's day/month order of slash dates (smarketing/ingest/dates.py), NULL: unknown
    ("_date_order", "varchar"),
)

REJECTED_SUMMARY = "rejected_row_summary"
AUDIT_DDL = f"""
create table if not exists {AUDIT_SCHEMA}.load_audit (
    run_id varchar not null,
    source_file varchar not null,
    file_sha256 varchar,
    file_bytes bigint,
    source_system varchar,
    entity varchar,
    raw_table varchar,
    encoding varchar,
    delimiter varchar,
    header_language varchar,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    status varchar not null,
    error varchar,
    duplicate_of varchar,
    unknown_columns varchar[],
    started_at timestamptz not null,
    finished_at timestamptz not null,
    lines_read_as_cp1252 bigint,
    closest_kind varchar,
    date_order varchar,
    file_mtime_ns bigint
);
create table if not exists {AUDIT_SCHEMA}.rejected_rows (
    run_id varchar not null,
    source_file varchar not null,
    file_sha256 varchar not null,
    raw_table varchar not null,
    row_number bigint not null,
    line_number bigint not null,
    reason varchar not null,
    raw_fields varchar[],
    rejected_at timestamptz not null
);
-- rows taken out of raw after their load (an erasure, the retention of old deliveries): the
-- load audit's counts stay as loaded, and raw = loaded - removed, file by file
create table if not exists {AUDIT_SCHEMA}.removed_rows (
    run_id varchar not null,
    raw_table varchar not null,
    file_sha256 varchar not null,
    reason varchar not null,
    rows_removed bigint not null,
    removed_at timestamptz not null
);
create table if not exists {AUDIT_SCHEMA}.file_columns (
    source_file varchar not null,
    file_sha256 varchar not null,
    raw_table varchar not null,
    position integer not null,
    header varchar not null,
    column_name varchar not null,
    is_known boolean not null
);
-- the rows set aside, counted (the dashboard lists the latest ones only)
create or replace view {AUDIT_SCHEMA}.{REJECTED_SUMMARY} as
select count(*) as rejected_row_count, count(distinct source_file) as file_count
from {AUDIT_SCHEMA}.rejected_rows;
"""


AUDIT_ADDED_COLUMNS = (
    ("lines_read_as_cp1252", "bigint"),
    ("closest_kind", "varchar"),
    ("date_order", "varchar"),
    ("file_mtime_ns", "bigint"),
)
# columns a delivery adds to a raw table one ALTER each; beyond, the table is rewritten once
ALTER_AT_MOST = 16


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def raw_table(kind: ExportKind) -> str:
    return f"{RAW_SCHEMA}.{quote(kind.table)}"


def ensure_schema(con: duckdb.DuckDBPyConnection, mapped: tuple[ExportKind, ...] = ()) -> None:
    """Every raw table exists, even before its first delivery, so staging always builds
    (MAPPED: the kinds of the mapping files, whose raw tables staging reads too)."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(f"create schema if not exists {AUDIT_SCHEMA}")
    for kind in (*export_kinds(), *mapped):
        columns = [f"{quote(c)} varchar" for c in kind.columns]
        columns += [f"{quote(name)} {type_}" for name, type_ in METADATA_COLUMNS]
        con.execute(f"create table if not exists {raw_table(kind)} ({', '.join(columns)})")
        # raw tables of an older warehouse gain the columns added since
        for name, type_ in METADATA_COLUMNS:
            con.execute(
                f"alter table {raw_table(kind)} add column if not exists {quote(name)} {type_}"
            )
    con.execute(AUDIT_DDL)
    # audit tables of an older warehouse gain the columns added since
    for column, type_ in AUDIT_ADDED_COLUMNS:
        con.execute(
            f"alter table {AUDIT_SCHEMA}.load_audit add column if not exists {column} {type_}"
        )


def add_missing_columns(
    con: duckdb.DuckDBPyConnection, kind: ExportKind, columns: tuple[str, ...]
) -> None:
    """Columns a delivery brings that the table lacks (custom fields) are added, as text."""
    existing = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [RAW_SCHEMA, kind.table],
        ).fetchall()
    }
    missing = [column for column in dict.fromkeys(columns) if column not in existing]
    if len(missing) <= ALTER_AT_MOST:
        for column in missing:
            con.execute(f"alter table {raw_table(kind)} add column {quote(column)} varchar")
        return
    # DuckDB keeps every version of the table an ALTER makes until the transaction ends: a
    # thousand new columns one by one held gigabytes. One statement writes the table once.
    added = ", ".join(f"cast(null as varchar) as {quote(column)}" for column in missing)
    con.execute(
        f"create or replace table {raw_table(kind)} as select *, {added} from {raw_table(kind)}"
    )
