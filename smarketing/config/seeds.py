"""The dbt seeds generated from the shared lead definition, so SQL never repeats a value.

Every file of ``GENERATED_SEEDS`` below is written from ``smarketing.yml`` by
``smarketing config sync-seeds`` (and by ``smarketing run`` when the YAML changed); edit the
YAML, not the CSV files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from smarketing.config.calendar import business_days_csv, sla_first_touch_limits_csv
from smarketing.config.currency import currency_rates_csv_rows
from smarketing.config.models import ChannelSources, SmarketingConfig
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

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt" / "seeds"


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


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
    return _csv(["source_system", "source_field", "source_value", "drill_down_1", "channel"], rows)


def disqualification_reasons_csv(config: SmarketingConfig) -> str:
    """category, rejection_reason: one row per Rejection_Reason__c value."""
    rows = [
        [category, value]
        for category, values in config.disqualification_reasons.items()
        for value in values
    ]
    return _csv(["category", "rejection_reason"], rows)


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
    return _csv(["salesforce_object", "status", "stage", "is_nurturing"], rows)


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
    return _csv(["criterion", "value"], rows)


def currency_rates_csv(config: SmarketingConfig) -> str:
    """iso_code, conversion_rate, is_corporate: the rates of smarketing.yml (``currency``)."""
    return _csv(
        ["iso_code", "conversion_rate", "is_corporate"], currency_rates_csv_rows(config.currency)
    )


GENERATED_SEEDS: dict[str, Callable[[SmarketingConfig], str]] = {
    "employee_segments.csv": employee_segments_csv,
    "lead_source_channels.csv": lead_source_channels_csv,
    "disqualification_reasons.csv": disqualification_reasons_csv,
    "lead_status_stages.csv": lead_status_stages_csv,
    "mql_criteria.csv": mql_criteria_csv,
    "business_days.csv": business_days_csv,
    "sla_first_touch_limits.csv": sla_first_touch_limits_csv,
    "sales_regions.csv": sales_regions_csv,
    "routing_rules.csv": routing_rules_csv,
    "sla_feedback_deadlines.csv": sla_feedback_deadlines_csv,
    "mql_volume_targets.csv": mql_volume_targets_csv,
    "committee_kpis.csv": committee_kpis_csv,
    "committee_settings.csv": committee_settings_csv,
    "currency_rates.csv": currency_rates_csv,
}


def render_seeds(config: SmarketingConfig) -> dict[str, str]:
    """File name -> content of every seed generated from CONFIG."""
    return {name: render(config) for name, render in GENERATED_SEEDS.items()}


def _current(path: Path) -> str | None:
    return path.read_bytes().decode("utf-8") if path.is_file() else None


def stale_seeds(config: SmarketingConfig, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Names of the generated seeds in SEEDS_DIR that differ from what CONFIG gives."""
    return [
        name
        for name, content in render_seeds(config).items()
        if _current(seeds_dir / name) != content
    ]


def write_seeds(config: SmarketingConfig, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Rewrite the generated seeds that differ from CONFIG; returns the names rewritten."""
    changed = stale_seeds(config, seeds_dir)
    rendered = render_seeds(config)
    for name in changed:
        # newline="" keeps "\n" line endings on every platform: the files stay byte-stable
        with (seeds_dir / name).open("w", encoding="utf-8", newline="") as out:
            out.write(rendered[name])
    return changed
