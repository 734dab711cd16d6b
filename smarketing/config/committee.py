"""The monthly performance committee (``smarketing.yml``, key ``committee``): the KPIs it
follows, their targets and status rules, and when a month is closed.

Status of a KPI in a month: ``on_track`` when the value meets the target (at least it when
higher is better, at most it when lower is better); ``at_risk`` when it misses the target by
no more than ``at_risk_margin`` (in the KPI's own unit); ``off_track`` beyond that.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KpiName = Literal[
    "mql_volume_attainment",
    "mql_to_sql_rate",
    "sla_compliance",
    "feedback_coverage",
    "key_field_completeness",
    "out_of_target_share",
    "nurturing_share",
    "inbound_sales_cycle_days",
]

KPI_DESCRIPTIONS: dict[str, str] = {
    "mql_volume_attainment": "MQLs of the month over the volume target of the month",
    "mql_to_sql_rate": "SQLs of the month over MQLs of the month",
    "sla_compliance": "hand-offs of the month touched within the limit, of those decided",
    "feedback_coverage": "hand-offs of the month decided within the deadline, with a reason",
    "key_field_completeness": "leads accepted in the month with every key field filled",
    "out_of_target_share": "disqualifications of the month for out of target (hors cible)",
    "nurturing_share": "handed-over leads in a nurturing sequence at the month's end",
    "inbound_sales_cycle_days": "median days from lead creation to win, inbound deals won",
}


# how the dashboard shows a value: a share (0-1, shown as %) or a number of days
KPI_UNITS: dict[str, str] = {
    "mql_volume_attainment": "share",
    "mql_to_sql_rate": "share",
    "sla_compliance": "share",
    "feedback_coverage": "share",
    "key_field_completeness": "share",
    "out_of_target_share": "share",
    "nurturing_share": "share",
    "inbound_sales_cycle_days": "days",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KpiTarget(_Strict):
    target: float = Field(description="The value the committee aims for.")
    better: Literal["higher", "lower"] = Field(
        description="Whether a higher or a lower value is better."
    )
    at_risk_margin: float = Field(
        ge=0,
        description="How far on the wrong side of the target a value is at risk, not off track.",
    )


class Committee(_Strict):
    closes_on_working_day: int = Field(
        default=5,
        ge=1,
        le=20,
        description=(
            "A month is closed, its KPIs frozen, on this working day after its end (business "
            "calendar of sla.business_hours)."
        ),
    )
    kpis: dict[KpiName, KpiTarget] = Field(
        default_factory=dict, description="KPI -> its target and status rule."
    )
