"""The serving copies: the published layers of the working warehouse, swapped in atomically.

DuckDB lets one process write a file and then excludes every other process, readers too. The
pipeline therefore never opens a serving file itself: it copies the published schemas of the
working warehouse into a new file beside it (checkpointed, fsynced) and renames it over the
serving copy with ``os.replace``. A reader that had the old file open keeps reading it; the
next one opens the new file. A run killed at any point leaves at worst a stray temporary
file, removed by the next publication.

Only what readers use is published: the marts, the audit (loads, rejected rows, publications,
quality history), the reference seeds and the definition the build used (``config``). The
workshop (raw deliveries, staging views over them, intermediate and identity tables) stays in
the working warehouse: at scale it is most of the file, and copying it would be most of the
publication's cost.

Two copies are published from the same build: the *restricted* one as built, for the people
who work leads (owner-only file), and the *shared* one, where the columns the models classify
as personal data (smarketing/privacy/classification.py) are pseudonymised (e-mail, phone) or
removed (names, free text, rejected rows' raw fields).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import duckdb

from smarketing import duckdb_limits
from smarketing.privacy import classification, pseudonym
from smarketing.publish import records
from smarketing.publish.records import PublicationRecord

BUILDING_SUFFIX = ".building"
SERVED_SCHEMAS = ("marts", "audit", "seeds", "config")
RESTRICTED_MODE = 0o600


class PublishError(Exception):
    """A serving copy could not be built; the previous ones are still in place."""


@dataclass(frozen=True)
class ServedCopy:
    path: Path
    pseudonym_key: bytes | None = None
    """The shared copy's key: personal data pseudonymised or removed. None: as built."""

    @property
    def mode(self) -> int | None:
        return None if self.pseudonym_key is not None else RESTRICTED_MODE


def building_path(serving: Path, run_id: str) -> Path:
    return serving.with_name(f".{serving.name}.{run_id}{BUILDING_SUFFIX}")


def remove_stale_copies(serving: Path) -> None:
    """Temporary copies left by runs killed while publishing."""
    for stale in serving.parent.glob(f".{serving.name}.*{BUILDING_SUFFIX}*"):
        stale.unlink(missing_ok=True)


def replace_serving_copies(
    warehouse: Path, copies: Sequence[ServedCopy], record: PublicationRecord
) -> None:
    """Copy the published schemas of WAREHOUSE (with RECORD added to ``audit.publications``)
    to each of COPIES, each swapped in atomically once all are built."""
    for copy in copies:
        if copy.path.resolve() == warehouse.resolve():
            raise PublishError(
                f"the serving copy {copy.path} is the warehouse itself: set SMARKETING_SERVING "
                "to another file"
            )
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}")
    # built side by side (DuckDB leaves the GIL while it copies), each with its share of memory
    memory = duckdb_limits.memory_share(len(copies))
    with ThreadPoolExecutor(max_workers=len(copies) or 1) as pool:
        futures = [pool.submit(_build, warehouse, copy, record, memory) for copy in copies]
        wait(futures)
    failed = [f.exception() for f in futures if f.exception() is not None]
    if failed:
        for future in futures:
            if future.exception() is None:
                future.result().unlink(missing_ok=True)
        raise failed[0]
    for future, copy in zip(futures, copies, strict=True):
        _swap(future.result(), copy.path)


def rewrite_serving_copy(
    serving: Path, warehouse: Path, edit: Callable[[duckdb.DuckDBPyConnection, str], None]
) -> None:
    """Copy SERVING into a new file beside it, let EDIT change that copy (attached as catalog
    ``fresh`` to the connection it gets), then swap it in as a publication is: readers keep
    the copy they opened."""
    remove_stale_copies(serving)
    building = building_path(serving, "rewrite")

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"attach {_literal(serving)} as served (read_only)")
        con.execute("copy from database served to fresh")
        con.execute("detach served")
        edit(con, "fresh")

    _write(building, warehouse, fill, f"rewrite {serving} in")
    _finish(building, stat.S_IMODE(serving.stat().st_mode))
    _swap(building, serving)


def _build(warehouse: Path, copy: ServedCopy, record: PublicationRecord, memory: str) -> Path:
    copy.path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_copies(copy.path)
    building = building_path(copy.path, record.run_id)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        if copy.pseudonym_key is not None:
            pseudonym.create_macro(con, copy.pseudonym_key)
        con.execute(f"attach {_literal(warehouse)} as working (read_only)")
        copy_schemas(con, "working", "fresh", SERVED_SCHEMAS, shared=copy.pseudonym_key is not None)
        records.write(con, record, catalog="fresh")
        con.execute("detach working")

    _write(building, warehouse, fill, f"copy {warehouse} to", memory)
    _finish(building, copy.mode)
    return building


def _write(
    building: Path,
    warehouse: Path,
    fill: Callable[[duckdb.DuckDBPyConnection], None],
    what: str,
    memory: str | None = None,
) -> None:
    """A new file BUILDING (catalog ``fresh``), filled by FILL and checkpointed (DuckDB given
    MEMORY, else the run's limit); removed when it fails (WHAT it was doing names the error)."""
    con = duckdb_limits.connect(":memory:", warehouse=warehouse, memory=memory)
    try:
        con.execute(f"attach {_literal(building)} as fresh")
        fill(con)
        con.execute("use memory")
        con.execute("checkpoint fresh")
        con.execute("detach fresh")
    except duckdb.Error as exc:
        building.unlink(missing_ok=True)
        raise PublishError(f"could not {what} {building}: {exc}") from exc
    finally:
        con.close()


def _finish(building: Path, mode: int | None) -> None:
    """BUILDING, complete on disk (its mode set), ready to be renamed over a serving copy."""
    wal = building.with_name(building.name + ".wal")
    if wal.exists():  # everything must be in the main file before it is renamed
        building.unlink(missing_ok=True)
        raise PublishError(f"{building} still has a write-ahead log after its checkpoint")
    if mode is not None:
        os.chmod(building, mode)
    _fsync(building)


def _swap(building: Path, serving: Path) -> None:
    os.replace(building, serving)
    _fsync(serving.parent)  # a crash keeps the rename


def copy_schemas(
    con: duckdb.DuckDBPyConnection,
    source: str,
    target: str,
    schemas: tuple[str, ...],
    *,
    shared: bool = False,
) -> None:
    """Tables and views of SCHEMAS from catalog SOURCE into catalog TARGET (attached). SHARED:
    personal data pseudonymised (``smarketing_pseudonym`` must be defined on CON) or removed."""
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
        select = _shared_select(con, source, schema, table) if shared else "*"
        con.execute(f"create table {target}.{name} as select {select} from {source}.{name}")
    # a view's text names its tables without a catalog: created from TARGET, it reads TARGET's
    con.execute(f"use {target}")
    for _, sql in views:
        con.execute(sql)
    con.execute("use memory")


def _shared_select(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> str:
    """``*``, with each personal column of SCHEMA.TABLE replaced by its pseudonym (contact)
    or NULL of its type (name, free text)."""
    personal = classification.personal_columns(schema, table)
    if not personal:
        return "*"
    types = dict(
        con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ?",
            [catalog, schema, table],
        ).fetchall()
    )
    replaced = [
        (
            f"{pseudonym.MACRO}({_ident(column)}) as {_ident(column)}"
            if kind == "contact"
            else f"null::{types[column]} as {_ident(column)}"
        )
        for column, kind in personal.items()
        if column in types
    ]
    return f"* replace ({', '.join(replaced)})" if replaced else "*"


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
