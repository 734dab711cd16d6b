"""The serving copy: the published layers of the working warehouse, swapped in atomically.

DuckDB lets one process write a file and then excludes every other process, readers too. The
pipeline therefore never opens the serving file itself: it copies the published schemas of the
working warehouse into a new file beside it (checkpointed, fsynced) and renames it over the
serving copy with ``os.replace``. A reader that had the old file open keeps reading it; the
next one opens the new file. A run killed at any point leaves at worst a stray temporary
file, removed by the next publication.

Only what readers use is published: the marts, the audit (loads, rejected rows, publications,
quality history) and the reference seeds. The workshop (raw deliveries, staging views over
them, intermediate and identity tables) stays in the working warehouse: at scale it is most of
the file, and copying it would be most of the publication's cost.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from smarketing import duckdb_limits
from smarketing.publish import records
from smarketing.publish.records import PublicationRecord

BUILDING_SUFFIX = ".building"
SERVED_SCHEMAS = ("marts", "audit", "seeds")


class PublishError(Exception):
    """The serving copy could not be built; the previous one is still in place."""


def building_path(serving: Path, run_id: str) -> Path:
    return serving.with_name(f".{serving.name}.{run_id}{BUILDING_SUFFIX}")


def remove_stale_copies(serving: Path) -> None:
    """Temporary copies left by runs killed while publishing."""
    for stale in serving.parent.glob(f".{serving.name}.*{BUILDING_SUFFIX}*"):
        stale.unlink(missing_ok=True)


def replace_serving_copy(warehouse: Path, serving: Path, record: PublicationRecord) -> None:
    """Copy the published schemas of WAREHOUSE (with RECORD added to ``audit.publications``) to
    SERVING, atomically."""
    if serving.resolve() == warehouse.resolve():
        raise PublishError(
            f"the serving copy {serving} is the warehouse itself: set SMARKETING_SERVING to "
            "another file"
        )
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}")
    serving.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_copies(serving)
    building = building_path(serving, record.run_id)
    con = duckdb_limits.connect(":memory:", warehouse=warehouse)
    try:
        con.execute(f"attach {_literal(warehouse)} as working (read_only)")
        con.execute(f"attach {_literal(building)} as fresh")
        copy_schemas(con, "working", "fresh", SERVED_SCHEMAS)
        records.write(con, record, catalog="fresh")
        con.execute("checkpoint fresh")
        con.execute("detach fresh")
        con.execute("detach working")
    except duckdb.Error as exc:
        building.unlink(missing_ok=True)
        raise PublishError(f"could not copy {warehouse} to {building}: {exc}") from exc
    finally:
        con.close()
    wal = building.with_name(building.name + ".wal")
    if wal.exists():  # everything must be in the main file before it is renamed
        raise PublishError(f"{building} still has a write-ahead log after its checkpoint")
    _fsync(building)
    os.replace(building, serving)
    _fsync(serving.parent)


def copy_schemas(
    con: duckdb.DuckDBPyConnection, source: str, target: str, schemas: tuple[str, ...]
) -> None:
    """Tables and views of SCHEMAS from catalog SOURCE into catalog TARGET (attached)."""
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = ? and list_contains(?, schema_name) order by all",
        [source, list(schemas)],
    ).fetchall()
    views = con.execute(
        "select schema_name, sql from duckdb_views() "
        "where database_name = ? and list_contains(?, schema_name) and not internal order by all",
        [source, list(schemas)],
    ).fetchall()
    for schema in sorted({name for name, _ in tables} | {name for name, _ in views}):
        con.execute(f"create schema if not exists {target}.{_ident(schema)}")
    for schema, table in tables:
        name = f"{_ident(schema)}.{_ident(table)}"
        con.execute(f"create table {target}.{name} as from {source}.{name}")
    # a view's text names its tables without a catalog: created from TARGET, it reads TARGET's
    con.execute(f"use {target}")
    for _, sql in views:
        con.execute(sql)
    con.execute("use memory")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    """Flush PATH (a file, or a folder's entries) to disk, so a crash keeps the rename."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def last_publication(serving: Path) -> tuple[str, str] | None:
    """Run id and time (ISO 8601) of the publication in the serving copy, read-only."""
    if not serving.is_file():
        return None
    try:
        con = duckdb.connect(str(serving), read_only=True)
    except duckdb.Error:
        return None
    try:
        found = records.last_published(con)
    finally:
        con.close()
    return (found[0], found[1].isoformat()) if found else None
