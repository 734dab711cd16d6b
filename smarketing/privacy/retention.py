"""Retention of raw deliveries: a row delivered longer ago than ``retention.raw_deliveries_days``
(smarketing.yml) is purged once a later delivery superseded its record.

Raw tables keep every delivery of a record; staging shows the latest one only (the file loaded
last, then its last row: dbt/macros/latest_delivery.sql). A superseded row is therefore in no
model: purging it changes no table the warehouse builds, a full rebuild included, and keeps
the personal data of old exports no longer than the period the team set. The current delivery
of every record is kept, however old. Each purge is counted in ``audit.removed_rows`` (reason
``retention``), so raw still reconciles with the load audit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from smarketing.ingest.registry import ExportKind
from smarketing.ingest.schema import quote, raw_table

# the spaces staging trims from a key (dbt/macros: clean_text)
KEY_SPACES = "' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(8239) || chr(65279)"


@dataclass(frozen=True)
class Purged:
    cutoff: datetime
    rows_by_table: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.rows_by_table.values())


def purge(
    con: duckdb.DuckDBPyConnection,
    kinds: Sequence[ExportKind],
    days: int,
    run_id: str,
    now: datetime,
) -> Purged:
    """Purge the superseded raw rows loaded before NOW - DAYS, in one transaction."""
    cutoff = now - timedelta(days=days)
    purged: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        for kind in kinds:
            table = raw_table(kind)
            old = con.execute(
                f"select count(*) from {table} where _loaded_at < ?", [cutoff]
            ).fetchone()
            if not old or not old[0]:
                continue  # nothing that old: no need to rank the table
            key = f"trim({quote(kind.key)}, {KEY_SPACES})"
            con.execute(
                f"""
                create or replace temp table superseded as
                select _source_file, _row_number, _file_sha256
                from (
                    select _source_file, _row_number, _file_sha256, _loaded_at,
                        row_number() over (
                            partition by {key}
                            order by _loaded_at desc, _source_file desc, _row_number desc
                        ) as delivery_rank
                    from {table}
                )
                where delivery_rank > 1 and _loaded_at < ?
                """,
                [cutoff],
            )
            count = con.execute("select count(*) from superseded").fetchone()
            if not count or not count[0]:
                continue
            con.execute(
                """
                insert into audit.removed_rows
                select ?, ?, _file_sha256, 'retention', count(*), now()
                from superseded group by _file_sha256
                """,
                [run_id, kind.table],
            )
            con.execute(
                f"""
                delete from {table}
                where (_source_file, _row_number) in (
                    select (_source_file, _row_number) from superseded
                )
                """
            )
            purged[kind.table] = int(count[0])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return Purged(cutoff, purged)
