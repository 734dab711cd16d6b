"""What the incremental models of the warehouse were built with, and when they must be rebuilt.

Incremental models (staging) merge only the rows loaded since their last build. That is right
only while the code and the definition that built them are unchanged: a new version of the
models, an edited smarketing.yml (custom fields, field bindings, mappings, seeds) or another
source time zone changes rows already built. Each dbt build records the fingerprint of what it
ran with (``audit.dbt_builds``); a build whose fingerprint differs from the last one, or asked
for with ``smarketing run --full-refresh``, rebuilds every incremental model from raw.
Frozen committee months are never rebuilt (``full_refresh=false`` on their model).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

TABLE = "audit.dbt_builds"


def fingerprint(files: Iterable[Path], root: Path, dbt_vars: dict[str, Any]) -> str:
    """SHA-256 of the project's FILES (names relative to ROOT, and contents) and its vars."""
    digest = hashlib.sha256(json.dumps(dbt_vars, sort_keys=True, default=str).encode())
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists audit")
    con.execute(
        f"create table if not exists {TABLE} ("
        " part varchar not null, fingerprint varchar not null, full_refresh boolean not null,"
        " reason varchar, built_at timestamptz not null)"
    )


def full_refresh_reason(
    con: duckdb.DuckDBPyConnection, part: str, current: str, requested: bool
) -> str | None:
    """Why PART must rebuild its incremental models from raw, or None when it may merge."""
    if requested:
        return "a full refresh was asked for"
    _ensure_table(con)
    row = con.execute(
        f"select fingerprint from {TABLE} where part = ? order by built_at desc limit 1", [part]
    ).fetchone()
    if row is None:
        return "first build of this warehouse"
    if row[0] != current:
        return "the models or the definition (smarketing.yml) changed since the last build"
    if _erased_since_last_build(con, part):
        return "people were erased from raw since the last build"
    return None


def _erased_since_last_build(con: duckdb.DuckDBPyConnection, part: str) -> bool:
    """An erasure deletes raw rows; merged models keep what they merged until rebuilt."""
    if not con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'audit' "
        "and table_name = 'erasures'"
    ).fetchone()[0]:
        return False
    row = con.execute(
        f"select count(*) from audit.erasures where applied_at > "
        f"(select max(built_at) from {TABLE} where part = ?)",
        [part],
    ).fetchone()
    return bool(row and row[0])


def record_build(
    con: duckdb.DuckDBPyConnection, part: str, current: str, reason: str | None
) -> None:
    """Record that PART was built with fingerprint CURRENT (after a successful build only, so
    a failed full refresh is redone by the next run)."""
    _ensure_table(con)
    con.execute(
        f"insert into {TABLE} values (?, ?, ?, ?, ?)",
        [part, current, reason is not None, reason, datetime.now(UTC)],
    )
