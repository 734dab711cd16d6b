"""The shared lead definition (``smarketing.yml``) as validated models.

Each field's description documents the key it reads. Unknown keys are refused everywhere, so
a misspelt key is an error rather than a silently ignored setting.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from smarketing.config.checks import Checks
from smarketing.config.committee import Committee, KpiLabels
from smarketing.config.currency import Currency
from smarketing.config.custom_fields import CustomField
from smarketing.config.fields import FieldBindings
from smarketing.config.leads import Inbound, KeyField
from smarketing.config.reporting import Calendar, Schedule
from smarketing.config.retention import Retention
from smarketing.config.sla import Sla
from smarketing.config.types import Code, CountryCode, Strict, Value

REASON_CATEGORIES = ("out_of_target", "no_budget", "no_project", "bad_data", "duplicate", "other")
ReasonCategory = Literal[
    "out_of_target", "no_budget", "no_project", "bad_data", "duplicate", "other"
]


def _no_repeats(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)
    return values


# --- stages ------------------------------------------------------------------------------------


class Fit(Strict):
    countries: list[CountryCode] = Field(
        min_length=1,
        description="Countries in the target, as ISO 3166-1 alpha-2 codes (FR, BE…).",
    )
    min_employees: int = Field(
        ge=0, description="Smallest company size (number of employees) in the target."
    )

    @field_validator("countries")
    @classmethod
    def _unique_countries(cls, value: list[str]) -> list[str]:
        return _no_repeats(value, "country")


# HubSpot lifecycle stages whose "Became a … Date" property the contact exports carry
HUBSPOT_DATED_LIFECYCLE_STAGES = (
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
)
HubSpotDatedLifecycleStage = Literal[
    "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"
]


class MqlStage(Strict):
    score_threshold: int = Field(
        ge=0,
        le=100,
        description=(
            "Score (0-100) a person needs to be an MQL: the score the sync wrote on the "
            "Salesforce lead at hand-off (Lead_Score__c), else the HubSpot score."
        ),
    )
    fit: Fit = Field(description="Who fits the target; both criteria must be known and met.")
    hubspot_lifecycle_stages: list[HubSpotDatedLifecycleStage] = Field(
        min_length=1,
        description=(
            "HubSpot lifecycle stages (internal codes) whose Became a … Date marks when the "
            "person became an MQL (the earliest of them); the score and fit then confirm it."
        ),
    )

    @field_validator("hubspot_lifecycle_stages")
    @classmethod
    def _unique_stages(cls, value: list[str]) -> list[str]:
        return _no_repeats(value, "lifecycle stage")


class SalesforceLeadStatusStage(Strict):
    salesforce_lead_statuses: list[Value] = Field(
        min_length=1,
        description="Salesforce Lead.Status values (API values) that mean the stage is reached.",
    )


class DisqualifiedStage(SalesforceLeadStatusStage):
    nurturing_statuses: list[Value] = Field(
        default_factory=list,
        description=(
            "Those of salesforce_lead_statuses that send the lead back to Marketing to be "
            "nurtured (it may be qualified again: a new cycle), rather than reject it."
        ),
    )

    @model_validator(mode="after")
    def _nurturing_is_disqualified(self) -> DisqualifiedStage:
        for status in self.nurturing_statuses:
            if status not in self.salesforce_lead_statuses:
                raise ValueError(
                    f"nurturing status {status!r} is not one of salesforce_lead_statuses "
                    f"({', '.join(self.salesforce_lead_statuses)})"
                )
        _no_repeats(self.nurturing_statuses, "nurturing status")
        return self


class CustomerStage(Strict):
    salesforce_opportunity_stages: list[Value] = Field(
        min_length=1,
        description="Salesforce Opportunity.StageName values that make the lead a customer.",
    )


class Stages(Strict):
    mql: MqlStage = Field(description="Marketing Qualified Lead: Marketing hands over to Sales.")
    sal: SalesforceLeadStatusStage = Field(
        description="Sales Accepted Lead: a sales rep has taken the lead."
    )
    sql: SalesforceLeadStatusStage = Field(
        description="Sales Qualified Lead: the rep confirmed a project."
    )
    opportunity: SalesforceLeadStatusStage = Field(
        description="Opportunity: the lead is converted into a Salesforce opportunity."
    )
    customer: CustomerStage = Field(description="Customer: the opportunity is won.")
    disqualified: DisqualifiedStage = Field(
        description="Disqualified: Sales rejected the lead or sent it back to nurturing."
    )

    @model_validator(mode="after")
    def _one_stage_per_status(self) -> Stages:
        owner: dict[str, str] = {}
        for stage in ("sal", "sql", "opportunity", "disqualified"):
            definition: SalesforceLeadStatusStage = getattr(self, stage)
            for status in definition.salesforce_lead_statuses:
                if status in owner:
                    raise ValueError(
                        f"Salesforce lead status {status!r} is in both {owner[status]} and "
                        f"{stage}: a status means one stage only"
                    )
                owner[status] = stage
        return self


# --- channels ----------------------------------------------------------------------------------

ANY_DRILL_DOWN = "*"


class HubSpotSource(Strict):
    code: Value = Field(description="HubSpot Original Source code (PAID_SEARCH, OFFLINE…).")
    drill_down_1: Value | None = Field(
        default=None,
        description="Original Source Drill-Down 1 the rule applies to; omitted for any.",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_code(cls, data: Any) -> Any:
        """A bare code means that code with any drill-down."""
        return {"code": data} if isinstance(data, str) else data

    @field_validator("drill_down_1")
    @classmethod
    def _not_the_wildcard(cls, value: str | None) -> str | None:
        if value == ANY_DRILL_DOWN:
            raise ValueError(f"omit drill_down_1 for any drill-down rather than writing {value!r}")
        return value

    @property
    def drill_down_key(self) -> str:
        return self.drill_down_1 or ANY_DRILL_DOWN

    def __str__(self) -> str:
        return self.code if self.drill_down_1 is None else f"{self.code}/{self.drill_down_1}"


class ChannelSources(Strict):
    label: KpiLabels | None = Field(
        default=None,
        description="The channel's name in French and English (default: its code's words).",
    )
    salesforce_lead_sources: list[Value] = Field(
        default_factory=list,
        description="Salesforce LeadSource picklist values (legacy values included).",
    )
    hubspot_original_sources: list[HubSpotSource] = Field(
        default_factory=list,
        description=(
            "HubSpot Original Source codes, each alone (any drill-down) or as "
            "{code, drill_down_1} when the drill-down decides."
        ),
    )


# --- segments, offers --------------------------------------------------------------------------


class Segment(Strict):
    min_employees: int = Field(ge=1, description="Smallest number of employees in the segment.")
    max_employees: int | None = Field(
        default=None,
        ge=1,
        description="Largest number of employees in the segment; omitted for no upper bound.",
    )
    description: Value = Field(description="What the segment is, in a sentence.")
    label: KpiLabels | None = Field(
        default=None,
        description="The segment's name in French and English (default: its code's words).",
    )

    @model_validator(mode="after")
    def _ordered_bounds(self) -> Segment:
        if self.max_employees is not None and self.max_employees < self.min_employees:
            raise ValueError(
                f"max_employees {self.max_employees} is below min_employees {self.min_employees}"
            )
        return self


class Offer(Strict):
    name: Value = Field(description="The offer as Salesforce writes it in Offer__c.")
    description: Value = Field(description="What the offer is.")


# --- the file ----------------------------------------------------------------------------------


class SmarketingConfig(Strict):
    """The shared lead definition both teams own."""

    stages: Stages = Field(description="Rules of each funnel stage.")
    channels: dict[Code, ChannelSources] = Field(
        min_length=1,
        description="Canonical channel -> the source values of both tools that mean it.",
    )
    sources_without_channel: ChannelSources = Field(
        default_factory=ChannelSources,
        description="Source values known to say nothing of the channel.",
    )
    segments: dict[Code, Segment] = Field(
        min_length=1,
        description="Company segments by number of employees, smallest first, no gap or overlap.",
    )
    offers: list[Offer] = Field(min_length=1, description="What the company sells.")
    key_fields: list[KeyField] = Field(
        min_length=1,
        description="What a lead must hold for Sales to work it (smarketing/config/leads.py): "
        "the lead table's has_key_fields, the CRM completeness of accepted leads, the checks "
        "on inbound leads and the dashboard read this one list.",
    )
    inbound: Inbound = Field(
        default_factory=Inbound,
        description="Which leads Marketing brings in (smarketing/config/leads.py).",
    )
    calendar: Calendar = Field(
        description="The reports' time zone and the exports' (smarketing/config/reporting.py)."
    )
    schedule: Schedule = Field(default_factory=Schedule, description="When the daily run starts.")
    sla: Sla = Field(
        description="The SLA contract between Marketing and Sales (smarketing/config/sla.py).",
    )
    committee: Committee = Field(
        default_factory=Committee,
        description="The KPIs the monthly committee follows (smarketing/config/committee.py).",
    )
    currency: Currency = Field(
        default_factory=Currency,
        description="The corporate currency and fallback conversion rates "
        "(smarketing/config/currency.py).",
    )
    fields: FieldBindings = Field(
        default_factory=FieldBindings,
        description="The org's own fields the models read: which export column holds each "
        "(smarketing/config/fields.py).",
    )
    custom_fields: list[CustomField] = Field(
        default_factory=list,
        description="Export columns the project does not know, passed through to the marts.",
    )
    checks: Checks = Field(
        default_factory=Checks,
        description="The data checks' severities (smarketing/config/checks.py).",
    )
    retention: Retention = Field(
        default_factory=Retention,
        description="How long raw keeps superseded deliveries (smarketing/config/retention.py).",
    )
    disqualification_reasons: dict[ReasonCategory, list[Value]] = Field(
        description=(
            "Reason category -> the Salesforce Lead.Rejection_Reason__c values that mean it. "
            "A value listed nowhere counts as other."
        ),
    )

    @field_validator("segments")
    @classmethod
    def _contiguous_segments(cls, segments: dict[str, Segment]) -> dict[str, Segment]:
        items = list(segments.items())
        for (name, seg), (next_name, nxt) in pairwise(items):
            if seg.max_employees is None:
                raise ValueError(
                    f"{name} has no max_employees but {next_name} follows it: only the last "
                    "segment may be unbounded"
                )
            if nxt.min_employees <= seg.max_employees:
                raise ValueError(
                    f"{next_name}.min_employees {nxt.min_employees} overlaps {name} "
                    f"({seg.min_employees}-{seg.max_employees}); segments are listed smallest "
                    "first and must not overlap"
                )
            if nxt.min_employees != seg.max_employees + 1:
                raise ValueError(
                    f"{next_name}.min_employees {nxt.min_employees} leaves a gap after {name} "
                    f"(ends at {seg.max_employees}): it should be {seg.max_employees + 1}"
                )
        return segments

    @field_validator("offers")
    @classmethod
    def _unique_offers(cls, offers: list[Offer]) -> list[Offer]:
        _no_repeats([offer.name for offer in offers], "offer")
        return offers

    @field_validator("disqualification_reasons")
    @classmethod
    def _one_category_per_reason(cls, reasons: dict[str, list[str]]) -> dict[str, list[str]]:
        owner: dict[str, str] = {}
        for category, values in reasons.items():
            for value in values:
                if value in owner:
                    raise ValueError(
                        f"rejection reason {value!r} is in both {owner[value]} and {category}: "
                        "a reason belongs to one category only"
                    )
                owner[value] = category
        return reasons

    @model_validator(mode="after")
    def _one_channel_per_source(self) -> SmarketingConfig:
        groups = [(f"channels.{name}", sources) for name, sources in self.channels.items()]
        groups.append(("sources_without_channel", self.sources_without_channel))
        salesforce: dict[str, str] = {}
        hubspot: dict[tuple[str, str], str] = {}
        for where, sources in groups:
            for value in sources.salesforce_lead_sources:
                key = f"{where}.salesforce_lead_sources"
                if value in salesforce:
                    raise ValueError(
                        f"{key}: Salesforce lead source {value!r} is already mapped in "
                        f"{salesforce[value]}; a source value maps to one channel only"
                    )
                salesforce[value] = key
            for source in sources.hubspot_original_sources:
                key = f"{where}.hubspot_original_sources"
                pair = (source.code, source.drill_down_key)
                if pair in hubspot:
                    raise ValueError(
                        f"{key}: HubSpot original source {str(source)!r} is already mapped in "
                        f"{hubspot[pair]}; a source value maps to one channel only"
                    )
                hubspot[pair] = key
        return self

    @field_validator("key_fields")
    @classmethod
    def _unique_key_fields(cls, fields: list[str]) -> list[str]:
        return _no_repeats(fields, "key field")

    @model_validator(mode="after")
    def _outbound_channels_exist(self) -> SmarketingConfig:
        for channel in self.inbound.outbound_channels:
            if channel not in self.channels:
                raise ValueError(
                    f"inbound.outbound_channels: {channel!r} is not a channel "
                    f"({', '.join(self.channels)})"
                )
        return self

    @field_validator("custom_fields")
    @classmethod
    def _unique_custom_fields(cls, fields: list[CustomField]) -> list[CustomField]:
        _no_repeats([field.name for field in fields], "custom field")
        return fields

    @model_validator(mode="after")
    def _sla_segments_exist(self) -> SmarketingConfig:
        segments = ", ".join(self.segments)
        for segment in self.sla.first_touch.by_segment:
            if segment not in self.segments:
                raise ValueError(
                    f"sla.first_touch.by_segment: {segment!r} is not a segment ({segments})"
                )
        for number, rule in enumerate(self.sla.routing.rules, start=1):
            for segment in rule.segments:
                if segment not in self.segments:
                    raise ValueError(
                        f"sla.routing.rules[{number}] ({rule.team}): {segment!r} is not a "
                        f"segment ({segments})"
                    )
        for number, target in enumerate(self.sla.volume_targets, start=1):
            if target.segment not in self.segments:
                raise ValueError(
                    f"sla.volume_targets[{number}]: {target.segment!r} is not a segment "
                    f"({segments})"
                )
            if target.channel not in self.channels:
                raise ValueError(
                    f"sla.volume_targets[{number}]: {target.channel!r} is not a channel "
                    f"({', '.join(self.channels)})"
                )
        return self

    def segment_of(self, employees: int) -> str | None:
        """The segment of a company of EMPLOYEES people (None below the first segment)."""
        for name, seg in self.segments.items():
            if seg.min_employees <= employees and (
                seg.max_employees is None or employees <= seg.max_employees
            ):
                return name
        return None
