"""The monthly performance committee (``smarketing.yml``, key ``committee``): the registry of
the KPIs it follows, and when a month is closed.

A KPI is one entry: its labels (French, English), what it measures, its unit, the metric of the
metric layer that gives its value (``dbt/models/semantic/``), its target and status rule. The
KPI table of the warehouse (``config.committee_kpis``), the checks' parameters and the
dashboard's labels follow from it.

Status of a KPI in a month: ``on_track`` when the value meets the target (at least it when
higher is better, at most it when lower is better); ``at_risk`` when it misses the target by
no more than ``at_risk_margin`` (in the KPI's own unit); ``off_track`` beyond that.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from smarketing.config.types import Code, Strict

# a KPI's name is a column value and a metric name
KpiName = Code


class KpiLabels(Strict):
    fr: str = Field(min_length=1, description="The KPI's name in French.")
    en: str = Field(min_length=1, description="The KPI's name in English.")


class Kpi(Strict):
    label: KpiLabels = Field(description="The KPI's name as the committee reads it.")
    description: str = Field(min_length=1, description="What the KPI measures.")
    unit: Literal["share", "days"] = Field(
        description="How a value reads: a share (0-1, shown as a percentage) or days."
    )
    metric: KpiName | None = Field(
        default=None,
        description="The metric of the metric layer giving the KPI's value (default: the "
        "KPI's name).",
    )
    target: float = Field(description="The value the committee aims for.")
    better: Literal["higher", "lower"] = Field(
        description="Whether a higher or a lower value is better."
    )
    at_risk_margin: float = Field(
        ge=0,
        description="How far on the wrong side of the target a value is at risk, not off track.",
    )


class Committee(Strict):
    closes_on_working_day: int = Field(
        default=5,
        ge=1,
        le=20,
        description=(
            "A month is closed, its KPIs frozen, on this working day after its end (business "
            "calendar of sla.business_hours)."
        ),
    )
    kpis: dict[KpiName, Kpi] = Field(
        default_factory=dict,
        description="KPI -> its labels, unit, metric, target and status rule, in the "
        "scorecard's order.",
    )

    def metrics(self) -> dict[str, str]:
        """KPI -> the metric giving its value (its own name unless ``metric`` says)."""
        return {name: kpi.metric or name for name, kpi in self.kpis.items()}
