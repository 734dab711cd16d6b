"""MetricFlow's SQL for a metric query, written without a connection.

The metric layer (dbt/models/semantic/) defines each figure once; a reader that needs a figure
no mart row holds (a sum over several months, a breakdown) asks the metric layer, as an analyst
runs ``mf query``: MetricFlow writes the SQL from the semantic manifest, the warehouse runs it.
The SQL names tables by schema and name only, so it runs in whichever warehouse file holds the
marts (the pipeline's, a serving copy).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date


class _ExplainOnly:
    """The part of MetricFlow's SQL client its ``explain`` uses: the dialect, nothing else
    (ENGINE: ``duckdb``, or ``spark``, written as for Databricks, whose SQL is Spark's)."""

    def __init__(self, engine: str = "duckdb") -> None:
        from metricflow.protocols.sql_client import SqlEngine

        if engine == "spark":
            from metricflow.sql.render.databricks import DatabricksSqlPlanRenderer

            self.sql_engine_type = SqlEngine.DATABRICKS
            self.sql_plan_renderer = DatabricksSqlPlanRenderer()
        else:
            from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

            self.sql_engine_type = SqlEngine.DUCKDB
            self.sql_plan_renderer = DuckDbSqlPlanRenderer()

    def render_bind_parameter_key(self, key: str) -> str:
        return f"${key}"

    def close(self) -> None:
        return None


# a table as MetricFlow names it: "catalog"."schema"."table" (the catalog optional)
_TABLE_NAME = re.compile(r'(?:"[^"]+"\.)?"([^"]+)"\."([^"]+)"')


def _spark_table_names(statement: str) -> str:
    """STATEMENT with its tables named by schema and table only, in Spark's quotes."""
    return _TABLE_NAME.sub(r"`\1`.`\2`", statement)


def literal(value: str | date) -> str:
    """VALUE as a SQL string literal of a metric filter."""
    return "'" + str(value).replace("'", "''") + "'"


class MetricSql:
    """Writes the SQL of metric queries on the semantic manifest MANIFEST_JSON (dbt's
    ``semantic_manifest.json``), in ENGINE's dialect (``duckdb`` or ``spark``)."""

    def __init__(self, manifest_json: str, engine: str = "duckdb") -> None:
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.dbt_manifest_parser import (
            parse_manifest_from_dbt_generated_manifest,
        )
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        manifest = parse_manifest_from_dbt_generated_manifest(manifest_json)
        self._dialect = "spark" if engine == "spark" else "duckdb"
        self._engine = MetricFlowEngine(SemanticManifestLookup(manifest), _ExplainOnly(engine))

    def dimensions(self, metrics: Sequence[str]) -> list:
        """The dimensions METRICS can be grouped by (MetricFlow's ``Dimension``: ``name``,
        ``dunder_name``, ``entity_links``)."""
        return list(self._engine.simple_dimensions_for_metrics(list(metrics)))

    def entities(self, metrics: Sequence[str]) -> list:
        """The entities METRICS can be grouped by (``name``)."""
        return list(self._engine.entities_for_metrics(list(metrics)))

    def sql(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str] = (),
        where: Mapping[str, str] | None = None,
        months: tuple[date, date] | None = None,
        order_by: Sequence[str] = (),
    ) -> str:
        """The SQL of METRICS by GROUP_BY (MetricFlow names: ``lead__segment``,
        ``metric_time__month``), WHERE each dimension equals its value, within
        MONTHS (first and last month, inclusive) of ``metric_time``; one column per metric and
        group."""
        import sqlglot
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest
        from sqlglot import exp

        constraints = [
            f"{{{{ Dimension({literal(name)}) }}}} = {literal(value)}"
            for name, value in (where or {}).items()
        ]
        if months is not None:
            month = "{{ TimeDimension('metric_time', 'month') }}"
            constraints.append(f"{month} >= {literal(months[0])}")
            constraints.append(f"{month} <= {literal(months[1])}")
        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by),
            where_constraints=constraints or None,
            order_by_names=list(order_by) or None,
        )
        statement = self._engine.explain(request).sql_statement.sql
        if self._dialect == "spark":
            # sqlglot would write Spark's median as percentile_approx: names only are rewritten
            return _spark_table_names(statement)
        tree = sqlglot.parse_one(statement, read="duckdb")
        # the manifest named the warehouse file it was parsed on: schema and table only
        for table in tree.find_all(exp.Table):
            table.set("catalog", None)
        return tree.sql(dialect="duckdb")
