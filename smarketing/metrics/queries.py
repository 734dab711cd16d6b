"""The SQL of the committee's KPIs, month by month, as the metric layer computes them.

Each KPI of the registry (smarketing.yml ``committee.kpis``) names a MetricFlow metric. For each,
MetricFlow writes the query of that metric by ``metric_time__month`` from the project's semantic
manifest (``dbt/target/semantic_manifest.json``); the queries are stored in the warehouse
(``config.committee_kpi_queries``) and ``fct_committee_kpis`` runs them: the KPI mart is the
metric layer's figures, never a second definition. MetricFlow only writes SQL here (no
connection, no dbt): the queries name tables by schema and name, so they run in whichever
warehouse file dbt builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from smarketing.config.tables import QUERIES_TABLE, SCHEMA

TABLE = f"{SCHEMA}.{QUERIES_TABLE}"
MONTH = "metric_time__month"


class _ExplainOnly:
    """The part of MetricFlow's SQL client its ``explain`` uses: the dialect, nothing else."""

    def __init__(self) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.sql_engine_type = SqlEngine.DUCKDB
        self.sql_plan_renderer = DuckDbSqlPlanRenderer()

    def render_bind_parameter_key(self, key: str) -> str:
        return f"${key}"

    def close(self) -> None:
        return None


def monthly_queries(semantic_manifest: Path, metrics: Mapping[str, str]) -> dict[str, str]:
    """KPI -> the SQL giving its metric (METRICS: KPI -> metric) by ``metric_time__month``,
    one row per month, the value in a column named as the metric."""
    import sqlglot
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
    from sqlglot import exp

    manifest = parse_manifest_from_dbt_generated_manifest(
        semantic_manifest.read_text(encoding="utf-8")
    )
    engine = MetricFlowEngine(SemanticManifestLookup(manifest), _ExplainOnly())
    queries = {}
    for kpi, metric in metrics.items():
        request = MetricFlowQueryRequest.create(metric_names=[metric], group_by_names=[MONTH])
        tree = sqlglot.parse_one(engine.explain(request).sql_statement.sql, read="duckdb")
        # the parse named the warehouse file: the query names schema and table only
        for table in tree.find_all(exp.Table):
            table.set("catalog", None)
        queries[kpi] = tree.sql(dialect="duckdb")
    return queries


def write_queries(
    con: duckdb.DuckDBPyConnection, metrics: Mapping[str, str], queries: Mapping[str, str]
) -> None:
    """Replace ``config.committee_kpi_queries`` by QUERIES (KPI -> SQL) of METRICS."""
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(
        f"create or replace table {TABLE} (kpi varchar not null, metric varchar not null,"
        " value_sql varchar not null)"
    )
    con.executemany(
        f"insert into {TABLE} values (?, ?, ?)",
        [[kpi, metrics[kpi], sql] for kpi, sql in queries.items()],
    )
