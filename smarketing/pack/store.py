"""The frozen content of each month's pack, kept in the warehouse (``committee.packs``): written
once, when the month is first frozen, never rewritten (a full refresh keeps it too), so a pack
rendered again shows what the committee saw."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import duckdb

from smarketing.relations import has_table

TABLE = "committee.packs"


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists committee")
    con.execute(
        f"""
        create table if not exists {TABLE} (
            period_month date primary key,
            frozen_at timestamp with time zone not null,
            content varchar not null
        )
        """
    )


def frozen_months(con: duckdb.DuckDBPyConnection) -> set[date]:
    if not has_table(con, TABLE):
        return set()
    return {month for (month,) in con.execute(f"select period_month from {TABLE}").fetchall()}


def save(con: duckdb.DuckDBPyConnection, month: date, content: dict[str, Any]) -> None:
    """Keep CONTENT as MONTH's, unless the month has one already (it stays as it was)."""
    ensure(con)
    con.execute(
        f"insert into {TABLE} values (?, ?, ?) on conflict do nothing",
        [month, datetime.now().astimezone(), json.dumps(content, sort_keys=True)],
    )


def text(con: duckdb.DuckDBPyConnection, month: date) -> str | None:
    """MONTH's content as kept (JSON), or None when it has none."""
    if not has_table(con, TABLE):
        return None
    found = con.execute(f"select content from {TABLE} where period_month = ?", [month]).fetchone()
    return None if found is None else found[0]


def load(con: duckdb.DuckDBPyConnection, month: date) -> dict[str, Any] | None:
    kept = text(con, month)
    return None if kept is None else json.loads(kept)
