"""Ad hoc read-only SQL for analysts: one SELECT, a row limit, a timeout.

Four locks, each enough on its own for what it covers:
- DuckDB's parser must find exactly one statement, of type SELECT (which covers WITH,
  FROM-first, VALUES, DESCRIBE, SHOW and SUMMARIZE); anything else is refused unrun;
- the connection is read-only, so a write hidden in a query fails;
- external access is off and the configuration locked, so no file is read or written
  (read_csv, COPY, ATTACH, extensions) and no query can turn it back on;
- a timer interrupts the query after the timeout.
And the functions that tell where the server keeps its files (the database's path, the spill
folder, extensions, secrets) are refused by name, quoted or not.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dashboards import warehouse

MAX_ROWS = 10_000
MAX_TIMEOUT_SECONDS = 120
# Keep one analyst's query from starving the dashboard of memory and cores.
LIMITS = {"max_memory": "2GB", "threads": 2}
SERVER_FUNCTIONS = (
    "current_setting",
    "duckdb_settings",
    "duckdb_databases",
    "duckdb_extensions",
    "duckdb_temporary_files",
    "duckdb_secrets",
    "which_secret",
    "pragma_database_list",
    "duckdb_logs",
)
_SERVER_FUNCTION = re.compile(r"\b(" + "|".join(SERVER_FUNCTIONS) + r")\b", re.IGNORECASE)


class QueryRefused(Exception):
    """The query is not a single SELECT, failed, or ran past its timeout."""


@dataclass(frozen=True)
class QueryResult:
    frame: pd.DataFrame
    truncated: bool
    """More rows than the limit: only the first `limit` are in frame."""
    seconds: float


def single_select(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The text of SQL's only statement, if it is a SELECT; QueryRefused otherwise."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryRefused(str(error)) from error
    if len(statements) != 1:
        raise QueryRefused(f"one statement expected, found {len(statements)}")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise QueryRefused(f"only SELECT queries are allowed, not {statement.type.name}")
    if found := _SERVER_FUNCTION.search(statement.query):
        raise QueryRefused(
            f"{found.group(1).lower()} is not available here: it describes the server, not the data"
        )
    return statement.query


def run(sql: str, path: Path, *, row_limit: int, timeout_seconds: float) -> QueryResult:
    """Run SQL on a fresh read-only connection to PATH; at most ROW_LIMIT rows, interrupted
    after TIMEOUT_SECONDS."""
    row_limit = max(1, min(int(row_limit), MAX_ROWS))
    timeout_seconds = max(0.1, min(float(timeout_seconds), MAX_TIMEOUT_SECONDS))
    con = warehouse.connect(path, LIMITS)
    timer = threading.Timer(timeout_seconds, con.interrupt)
    started = time.perf_counter()
    try:
        statement = single_select(con, sql)
        timer.start()
        # One row past the limit tells whether the result was cut.
        frame = con.sql(statement).limit(row_limit + 1).df()
    except duckdb.InterruptException as error:
        raise QueryRefused(f"stopped after the {timeout_seconds:g} s timeout") from error
    except duckdb.Error as error:
        raise QueryRefused(str(error)) from error
    finally:
        timer.cancel()
        con.close()
    return QueryResult(
        frame=frame.head(row_limit),
        truncated=len(frame) > row_limit,
        seconds=time.perf_counter() - started,
    )


def tables(path: Path) -> pd.DataFrame:
    """What an analyst can query: every table and view outside DuckDB's own schemas."""
    con = warehouse.connect(path)
    try:
        return con.execute(
            """
            select table_schema, table_name, table_type
            from information_schema.tables
            where table_schema not in ('information_schema', 'pg_catalog')
            order by table_schema, table_name
            """
        ).df()
    finally:
        con.close()
