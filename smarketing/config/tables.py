"""The shared lead definition as tables of the warehouse's ``config`` schema, which dbt reads as
a source (``dbt/models/config/__sources.yml``), so SQL never repeats a value of smarketing.yml.

Every run writes them before dbt builds, in one transaction, with the definition's version (the
SHA-256 of smarketing.yml) in ``config.definition``: a run never rewrites a file of the project,
and each warehouse holds the definition it was built with. Column types come from the sources
file, where dbt documents and tests the same columns.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from smarketing.config.calendar import business_days_csv, sla_first_touch_limits_csv
from smarketing.config.csv_text import csv_text
from smarketing.config.currency import currency_rates_csv_rows
from smarketing.config.leads import key_fields_csv
from smarketing.config.models import ChannelSources, SmarketingConfig
from smarketing.config.reporting import reporting_settings_csv
from smarketing.config.routing import (
    routing_rules_csv,
    sales_regions_csv,
    sla_feedback_deadlines_csv,
)
from smarketing.config.targets import (
    committee_kpis_csv,
    committee_settings_csv,
    mql_volume_targets_csv,
)

SOURCES_FILE = Path(__file__).resolve().parents[2] / "dbt" / "models" / "config" / "__sources.yml"
SCHEMA = "config"
VERSION_TABLE = f"{SCHEMA}.definition"
# the other table of the source: the KPIs' queries, written from the metric layer
# (smarketing/metrics/queries.py), and beside it the metric layer's semantic manifest
QUERIES_TABLE = "committee_kpi_queries"
MANIFEST_TABLE = "semantic_manifest"
METRIC_LAYER_TABLES = (QUERIES_TABLE, MANIFEST_TABLE)


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def employee_segments_csv(config: SmarketingConfig) -> str:
    """segment, min_employees, max_employees (empty: no bound), description (always quoted)."""
    lines = ["segment,min_employees,max_employees,description"]
    for name, seg in config.segments.items():
        upper = "" if seg.max_employees is None else str(seg.max_employees)
        lines.append(f"{name},{seg.min_employees},{upper},{_quoted(seg.description)}")
    return "\n".join(lines) + "\n"


def lead_source_channels_csv(config: SmarketingConfig) -> str:
    """source_system, source_field, source_value, drill_down_1 (``*``: any), channel.

    HubSpot rows first, then Salesforce rows; within a tool, in the order of the channels in
    the YAML, sources without a channel last, and the rules of one HubSpot code together (at
    the place of its first rule).
    """
    groups: list[tuple[str, ChannelSources]] = list(config.channels.items())
    groups.append(("", config.sources_without_channel))

    hubspot: dict[str, list[list[str]]] = {}
    salesforce: list[list[str]] = []
    for channel, sources in groups:
        for source in sources.hubspot_original_sources:
            row = ["hubspot", "original_source", source.code, source.drill_down_key, channel]
            hubspot.setdefault(source.code, []).append(row)
        for value in sources.salesforce_lead_sources:
            salesforce.append(["salesforce", "lead_source", value, "*", channel])
    rows = [row for code_rows in hubspot.values() for row in code_rows] + salesforce
    header = ["source_system", "source_field", "source_value", "drill_down_1", "channel"]
    return csv_text(header, rows)


def disqualification_reasons_csv(config: SmarketingConfig) -> str:
    """category, rejection_reason: one row per Rejection_Reason__c value."""
    rows = [
        [category, value]
        for category, values in config.disqualification_reasons.items()
        for value in values
    ]
    return csv_text(["category", "rejection_reason"], rows)


def lead_status_stages_csv(config: SmarketingConfig) -> str:
    """salesforce_object, status, stage, is_nurturing: the stage each Salesforce value means.

    Lead statuses (``Lead.Status``) of the sal, sql, opportunity and disqualified stages, then
    the opportunity stages (``Opportunity.StageName``) of the customer stage, in YAML order.
    """
    stages = config.stages
    nurturing = set(stages.disqualified.nurturing_statuses)
    rows = [
        ["lead", status, stage, "true" if status in nurturing else "false"]
        for stage, definition in (
            ("sal", stages.sal),
            ("sql", stages.sql),
            ("opportunity", stages.opportunity),
            ("disqualified", stages.disqualified),
        )
        for status in definition.salesforce_lead_statuses
    ]
    rows += [
        ["opportunity", value, "customer", "false"]
        for value in stages.customer.salesforce_opportunity_stages
    ]
    return csv_text(["salesforce_object", "status", "stage", "is_nurturing"], rows)


def mql_criteria_csv(config: SmarketingConfig) -> str:
    """criterion, value: the MQL rule, one row per value (lists give several rows).

    ``score_threshold`` and ``fit_min_employees`` once, a ``fit_country`` row per country and a
    ``hubspot_lifecycle_stage`` row per lifecycle stage, in YAML order.
    """
    mql = config.stages.mql
    rows = [
        ["score_threshold", str(mql.score_threshold)],
        ["fit_min_employees", str(mql.fit.min_employees)],
    ]
    rows += [["fit_country", country] for country in mql.fit.countries]
    rows += [["hubspot_lifecycle_stage", stage] for stage in mql.hubspot_lifecycle_stages]
    return csv_text(["criterion", "value"], rows)


def currency_rates_csv(config: SmarketingConfig) -> str:
    """iso_code, conversion_rate, is_corporate: the rates of smarketing.yml (``currency``)."""
    return csv_text(
        ["iso_code", "conversion_rate", "is_corporate"], currency_rates_csv_rows(config.currency)
    )


def value_labels_csv(config: SmarketingConfig) -> str:
    """kind (segment, channel), code, label_fr, label_en: the names smarketing.yml gives its
    segments and channels, which the dashboard and the committee pack show for their codes."""
    rows = [
        [kind, code, item.label.fr, item.label.en]
        for kind, items in (("segment", config.segments), ("channel", config.channels))
        for code, item in items.items()
        if item.label is not None
    ]
    return csv_text(["kind", "code", "label_fr", "label_en"], rows)


DEFINITION_TABLES: dict[str, Callable[[SmarketingConfig], str]] = {
    "employee_segments": employee_segments_csv,
    "lead_source_channels": lead_source_channels_csv,
    "disqualification_reasons": disqualification_reasons_csv,
    "lead_status_stages": lead_status_stages_csv,
    "mql_criteria": mql_criteria_csv,
    "business_days": business_days_csv,
    "sla_first_touch_limits": sla_first_touch_limits_csv,
    "sales_regions": sales_regions_csv,
    "routing_rules": routing_rules_csv,
    "sla_feedback_deadlines": sla_feedback_deadlines_csv,
    "mql_volume_targets": mql_volume_targets_csv,
    "committee_kpis": committee_kpis_csv,
    "committee_settings": committee_settings_csv,
    "currency_rates": currency_rates_csv,
    "reporting_settings": reporting_settings_csv,
    "key_fields": key_fields_csv,
    "value_labels": value_labels_csv,
}


def written_tables() -> list[str]:
    """Every table of the ``config`` schema a run writes (by name): the definition's, its
    version, the metric layer's."""
    return [*DEFINITION_TABLES, VERSION_TABLE.split(".")[1], *METRIC_LAYER_TABLES]


def render_tables(config: SmarketingConfig) -> dict[str, str]:
    """Table name -> CSV text of every definition table given by CONFIG."""
    return {name: render(config) for name, render in DEFINITION_TABLES.items()}


@cache
def column_types(sources_file: Path = SOURCES_FILE) -> dict[str, dict[str, str]]:
    """Table -> {column: DuckDB type} of the ``config`` source, in the file's order."""
    sources = yaml.safe_load(sources_file.read_text(encoding="utf-8"))["sources"]
    (source,) = [s for s in sources if s["name"] == SCHEMA]
    return {
        table["name"]: {column["name"]: column["data_type"] for column in table["columns"]}
        for table in source["tables"]
    }


@dataclass(frozen=True)
class Definition:
    """What a run built with: the file, its version and when it was written into the warehouse."""

    path: Path
    version: str
    written_at: datetime


def definition_version(path: Path) -> str:
    """The version of the definition at PATH: the first 12 hex digits of its SHA-256 (what
    ``sha256sum smarketing.yml`` prints first)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def write_tables(
    con: duckdb.DuckDBPyConnection, config: SmarketingConfig, path: Path
) -> Definition:
    """Replace the ``config`` schema's tables by those of CONFIG (read from PATH), in one
    transaction: dbt never sees half a definition."""
    types = column_types()
    rendered = render_tables(config)
    missing = sorted(set(rendered) ^ (set(types) - {QUERIES_TABLE}))
    if missing:
        raise RuntimeError(f"{SOURCES_FILE}: tables {missing} differ from DEFINITION_TABLES")
    definition = Definition(
        path=path.resolve(), version=definition_version(path), written_at=datetime.now(UTC)
    )
    con.execute("begin transaction")
    try:
        con.execute(f"create schema if not exists {SCHEMA}")
        for name, text in rendered.items():
            _write_table(con, name, text, types[name])
        con.execute(
            f"create or replace table {VERSION_TABLE} as select ?::varchar as version,"
            " ?::varchar as path, ?::timestamptz as written_at",
            [definition.version, str(definition.path), definition.written_at],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return definition


def _write_table(
    con: duckdb.DuckDBPyConnection, name: str, text: str, types: dict[str, str]
) -> None:
    header, *rows = csv.reader(io.StringIO(text))
    if header != list(types):
        raise RuntimeError(f"{SOURCES_FILE}: columns of {name} are {list(types)}, not {header}")
    # the text as read, empty cells NULL (as in dbt seeds), then each column cast to its type
    cells = pa.table(
        {
            column: pa.array([row[i] or None for row in rows], type=pa.string())
            for i, column in enumerate(types)
        }
    )
    casts = ", ".join(f'cast("{column}" as {kind}) as "{column}"' for column, kind in types.items())
    con.register("definition_cells", cells)
    try:
        con.execute(
            f'create or replace table {SCHEMA}."{name}" as select {casts} from definition_cells'
        )
    finally:
        con.unregister("definition_cells")


def written_definition(con: duckdb.DuckDBPyConnection) -> Definition | None:
    """The definition the warehouse was last given, or None before the first run."""
    try:
        row = con.execute(f"select path, version, written_at from {VERSION_TABLE}").fetchone()
    except duckdb.CatalogException:
        return None
    return None if row is None else Definition(path=Path(row[0]), version=row[1], written_at=row[2])
