"""dbt run in the test's own process (dbtRunner) keeps its DuckDB connection open afterwards,
and DuckDB refuses a second connection to the file with another configuration. dbt opens the
warehouse with the run's limits (from the environment, smarketing/dbt_runtime.py): the tests
fix them here, set them while dbt runs, and open their own connections with the same."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from smarketing import duckdb_limits


def limits(database: Path) -> dict[str, str]:
    return {"memory_limit": "1GiB", "threads": "2", "temp_directory": str(database) + ".tmp"}


def set_limits(patch: pytest.MonkeyPatch, database: Path) -> None:
    """The environment dbt reads DuckDB's limits from (smarketing/dbt_runtime.py)."""
    for name, value in duckdb_limits.as_env(limits(database)).items():
        patch.setenv(name, value)


def connect(database: Path) -> duckdb.DuckDBPyConnection:
    """A connection with dbt's configuration (read-write: a read-only one differs too)."""
    return duckdb.connect(str(database), config=limits(database))
