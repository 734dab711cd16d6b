"""Small helpers for DuckDB queries whose results are read to the end.

A DuckDB 2.0 connection refuses new work while a result of ``execute()`` is unfinished (a
``fetchone()`` leaves it so), and Splink shares the work connection: every query here is
read to its last row.
"""

from __future__ import annotations

from typing import Any

import duckdb


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first column of the first row (None when there is no row)."""
    rows = con.execute(sql, params).fetchall()
    return rows[0][0] if rows else None


def count(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> int:
    return int(scalar(con, sql, params) or 0)
