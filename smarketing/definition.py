"""The shared lead definition written into the warehouse: smarketing.yml validated, its tables
in the ``config`` schema (smarketing/config/tables.py) and the query of each committee KPI's
metric by month with the semantic manifest they come from (smarketing/metrics/queries.py).
A run's first step writes it (dagster_project/defs/definition); so does the benchmark before
its dbt stages."""

from __future__ import annotations

from pathlib import Path

import duckdb

from smarketing.config import default_config_path, load_config
from smarketing.config.metrics import kpi_metric_errors
from smarketing.config.tables import Definition, write_tables
from smarketing.metrics.queries import monthly_queries, write_queries


class DefinitionError(ValueError):
    """The definition names metrics the metric layer does not have."""


def write_definition(
    con: duckdb.DuckDBPyConnection, semantic_manifest: Path, path: Path | None = None
) -> Definition:
    """Validate the definition at PATH (default: ``$SMARKETING_CONFIG`` or ./smarketing.yml) and
    replace the ``config`` tables by what it says, with the KPIs' monthly queries written from
    SEMANTIC_MANIFEST."""
    path = path or default_config_path()
    config = load_config(path)
    errors = kpi_metric_errors(config)
    if errors:
        raise DefinitionError("\n".join(errors))
    metrics = config.committee.metrics()
    queries = monthly_queries(semantic_manifest, metrics)
    definition = write_tables(con, config, path)
    write_queries(con, metrics, queries, semantic_manifest)
    return definition
