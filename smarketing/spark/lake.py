"""The tables a Spark build reads and does not build, as Parquet folders Spark registers.

The loader's raw deliveries and load audit and the definition's ``config`` tables live in
the run's DuckDB file, the ``identity`` tables of a Spark build in its resolution's
(``smarketing.spark.identity``); the build reads them from one Parquet folder per table
(``<lake>/<schema>/<table>/``), registered as external tables before each dbt part
(``run-operation register_lake``, var ``spark_lake``: smarketing/spark/build.py). The
committee KPIs' queries, written by MetricFlow in DuckDB's dialect, are written anew in
Spark's.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from smarketing.config import tables

# a warehouse's tables a build reads (the identity tables are the build's own)
INPUT_SCHEMAS = ("raw", "audit", "config")
QUERIES = (tables.SCHEMA, tables.QUERIES_TABLE)


@dataclass(frozen=True)
class LakeTable:
    """One table of the lake: where Spark finds its files."""

    schema: str
    table: str
    location: Path

    def var(self) -> dict[str, Any]:
        return {"schema": self.schema, "table": self.table, "location": str(self.location)}


def export_inputs(
    con: duckdb.DuckDBPyConnection, lake: Path, schemas: tuple[str, ...] = INPUT_SCHEMAS
) -> list[LakeTable]:
    """Write every table of SCHEMAS in CON's warehouse to LAKE, one folder per table replaced
    whole; the tables written."""
    found = con.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_schema in (select unnest(?)) and table_type = 'BASE TABLE'"
        " order by all",
        [list(schemas)],
    ).fetchall()
    written = []
    for schema, table in found:
        folder = lake / schema / table
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        query = _spark_queries(con) if (schema, table) == QUERIES else f'"{schema}"."{table}"'
        target = folder / "part-0.parquet"
        con.execute(f"copy (select * from {query}) to '{target}' (format parquet)")
        written.append(LakeTable(schema, table, folder))
    return written


def _spark_queries(con: duckdb.DuckDBPyConnection) -> str:
    """The KPI queries table with each query written anew by MetricFlow in Spark's dialect
    (from the semantic manifest stored beside them), as a DuckDB relation name."""
    from smarketing.metrics.queries import MANIFEST_TABLE, MONTH
    from smarketing.metrics.sql import MetricSql

    rows = con.execute(f"select kpi, metric from {tables.SCHEMA}.{tables.QUERIES_TABLE}").fetchall()
    manifest = con.execute(f"select manifest from {MANIFEST_TABLE}").fetchone()
    assert manifest is not None, f"{MANIFEST_TABLE} is empty"
    writer = MetricSql(manifest[0], engine="spark")
    con.execute(
        "create or replace temp table spark_kpi_queries"
        " (kpi varchar not null, metric varchar not null, value_sql varchar not null)"
    )
    con.executemany(
        "insert into spark_kpi_queries values (?, ?, ?)",
        [(kpi, metric, writer.sql([metric], [MONTH])) for kpi, metric in rows],
    )
    return "spark_kpi_queries"
