"""Definition tables of the committee's targets: the MQL volume targets
(``sla.volume_targets``) and the KPIs the committee follows (``committee``)."""

from __future__ import annotations

from smarketing.config.csv_text import csv_text, number_text
from smarketing.config.models import SmarketingConfig


def mql_volume_targets_csv(config: SmarketingConfig) -> str:
    """segment, channel, campaign, mqls_per_month, from_month, until_month (empty: no bound;
    an empty campaign: the target of the segment and channel as a whole)."""
    rows = [
        [
            target.segment,
            target.channel,
            target.campaign or "",
            str(target.mqls_per_month),
            target.from_month or "",
            target.until_month or "",
        ]
        for target in config.sla.volume_targets
    ]
    return csv_text(
        ["segment", "channel", "campaign", "mqls_per_month", "from_month", "until_month"], rows
    )


def committee_kpis_csv(config: SmarketingConfig) -> str:
    """kpi, label_fr, label_en, description, unit, metric, display_order, target, better,
    at_risk_margin: one row per KPI of the committee's registry, in the YAML's order."""
    metrics = config.committee.metrics()
    rows = [
        [
            name,
            kpi.label.fr,
            kpi.label.en,
            kpi.description,
            kpi.unit,
            metrics[name],
            str(order),
            number_text(kpi.target),
            kpi.better,
            number_text(kpi.at_risk_margin),
        ]
        for order, (name, kpi) in enumerate(config.committee.kpis.items(), start=1)
    ]
    header = ["kpi", "label_fr", "label_en", "description", "unit", "metric", "display_order"]
    return csv_text([*header, "target", "better", "at_risk_margin"], rows)


def committee_settings_csv(config: SmarketingConfig) -> str:
    """setting, value: when a month is closed (``closes_on_working_day``)."""
    return csv_text(
        ["setting", "value"],
        [["closes_on_working_day", str(config.committee.closes_on_working_day)]],
    )
