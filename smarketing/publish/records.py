"""``audit.publications``: one row per pipeline run, published or held back, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import duckdb

PUBLICATIONS = "audit.publications"
Outcome = Literal["published", "held_back"]


def ddl(catalog: str | None = None) -> str:
    prefix = f"{catalog}." if catalog else ""
    return f"""
    create schema if not exists {prefix}audit;
    create table if not exists {prefix}{PUBLICATIONS} (
        run_id varchar not null,          -- the Dagster run
        started_at timestamptz,
        finished_at timestamptz not null,
        status varchar not null,          -- published | held_back
        reason varchar,                   -- why it was held back (one cause per line)
        checks_passed integer,            -- asset checks of the run: dbt tests and GX
        checks_failed integer,
        blocking_failed integer,          -- failed with ERROR severity (block publication)
        warnings_failed integer,          -- failed with WARN severity (recorded only)
        check_errors integer,             -- GX checks that could not run (engine errors)
        serving_path varchar              -- the serving copy it was (or would have been) in
    );
    """


@dataclass(frozen=True)
class CheckCounts:
    passed: int = 0
    failed: int = 0
    blocking_failed: int = 0
    warnings_failed: int = 0
    errors: int = 0


@dataclass(frozen=True)
class PublicationRecord:
    run_id: str
    started_at: datetime | None
    finished_at: datetime
    status: Outcome
    reason: str | None
    counts: CheckCounts
    serving_path: str

    def row(self) -> tuple:
        c = self.counts
        return (
            self.run_id,
            self.started_at,
            self.finished_at,
            self.status,
            self.reason,
            c.passed,
            c.failed,
            c.blocking_failed,
            c.warnings_failed,
            c.errors,
            self.serving_path,
        )


def write(
    con: duckdb.DuckDBPyConnection, record: PublicationRecord, catalog: str | None = None
) -> None:
    """Insert RECORD, replacing an earlier row of the same run (a hold-back recorded twice)."""
    table = f"{catalog}.{PUBLICATIONS}" if catalog else PUBLICATIONS
    con.execute(ddl(catalog))
    con.execute(f"delete from {table} where run_id = ?", [record.run_id])
    con.execute(f"insert into {table} values ({', '.join('?' * 11)})", list(record.row()))


def reason_of(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """The reason already recorded for RUN_ID, if any."""
    con.execute(ddl())
    row = con.execute(f"select reason from {PUBLICATIONS} where run_id = ?", [run_id]).fetchone()
    return row[0] if row else None


def last_published(con: duckdb.DuckDBPyConnection) -> tuple[str, datetime] | None:
    """Run id and time of the latest publication recorded in CON's database."""
    try:
        row = con.execute(
            f"select run_id, finished_at from {PUBLICATIONS} where status = 'published' "
            "order by finished_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None
    return (row[0], row[1]) if row else None
