"""The SQL of the committee's KPIs, month by month, as the metric layer computes them, and the
semantic manifest every reader of the warehouse asks the metric layer with.

Each KPI of the registry (smarketing.yml ``committee.kpis``) names a MetricFlow metric. For each,
MetricFlow writes the query of that metric by ``metric_time__month`` from the project's semantic
manifest (``dbt/target/semantic_manifest.json``); the queries are stored in the warehouse
(``config.committee_kpi_queries``) and ``fct_committee_kpis`` runs them: the KPI mart is the
metric layer's figures, never a second definition. The manifest itself is stored beside them
(``config.semantic_manifest``): the published copies carry the metric layer of the build they
hold, which the dashboard's metric queries read (dashboards/metrics.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from smarketing.config import tables
from smarketing.metrics.sql import MetricSql

QUERIES_TABLE = f"{tables.SCHEMA}.{tables.QUERIES_TABLE}"
MANIFEST_TABLE = f"{tables.SCHEMA}.{tables.MANIFEST_TABLE}"
MONTH = "metric_time__month"


def monthly_queries(semantic_manifest: Path, metrics: Mapping[str, str]) -> dict[str, str]:
    """KPI -> the SQL giving its metric (METRICS: KPI -> metric) by ``metric_time__month``,
    one row per month, the value in a column named as the metric."""
    writer = MetricSql(semantic_manifest.read_text(encoding="utf-8"))
    return {kpi: writer.sql([metric], [MONTH]) for kpi, metric in metrics.items()}


def write_queries(
    con: duckdb.DuckDBPyConnection,
    metrics: Mapping[str, str],
    queries: Mapping[str, str],
    semantic_manifest: Path,
) -> None:
    """Replace ``config.committee_kpi_queries`` by QUERIES (KPI -> SQL) of METRICS, and
    ``config.semantic_manifest`` by the manifest they were written from."""
    con.execute(f"create schema if not exists {tables.SCHEMA}")
    con.execute(
        f"create or replace table {QUERIES_TABLE} (kpi varchar not null, metric varchar not null,"
        " value_sql varchar not null)"
    )
    con.executemany(
        f"insert into {QUERIES_TABLE} values (?, ?, ?)",
        [[kpi, metrics[kpi], sql] for kpi, sql in queries.items()],
    )
    con.execute(
        f"create or replace table {MANIFEST_TABLE} as select ?::varchar as manifest",
        [semantic_manifest.read_text(encoding="utf-8")],
    )
