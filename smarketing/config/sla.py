"""The SLA contract between Marketing and Sales (``smarketing.yml``, key ``sla``).

Business time is the union, over the local dates that are working days and not public
holidays, of the local interval [opens_at, closes_at) in ``time_zone``.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

import holidays
from pydantic import (
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from smarketing.config.reporting import known_zone
from smarketing.config.types import Code, CountryCode, Strict

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class PublicHolidays(Strict):
    country: str = Field(
        default="FR",
        description="Country whose public holidays are days off (ISO code known to `holidays`).",
    )
    subdivision: str | None = Field(
        default=None,
        description="Region of that country with its own holidays (e.g. 57 for Moselle).",
    )

    @model_validator(mode="after")
    def _known_to_holidays(self) -> PublicHolidays:
        supported = holidays.list_supported_countries()
        if self.country not in supported:
            raise ValueError(
                f"country {self.country!r} is not known to the holidays library "
                "(use an ISO 3166-1 alpha-2 code such as FR, BE, CH, LU)"
            )
        if self.subdivision is not None and self.subdivision not in supported[self.country]:
            raise ValueError(
                f"subdivision {self.subdivision!r} is not one of {self.country}'s: "
                f"{', '.join(supported[self.country])}"
            )
        return self


class BusinessHours(Strict):
    time_zone: str | None = Field(
        default=None,
        description="IANA time zone of the working hours (default: calendar.reporting_time_zone).",
    )
    working_days: list[Weekday] = Field(
        default=["monday", "tuesday", "wednesday", "thursday", "friday"],
        min_length=1,
        description="Days of the week Sales works.",
    )
    opens_at: time = Field(default=time(9, 0), description="Start of the working day (HH:MM).")
    closes_at: time = Field(default=time(18, 0), description="End of the working day (HH:MM).")
    public_holidays: PublicHolidays = Field(
        default_factory=PublicHolidays, description="Public holidays off."
    )
    first_year: int = Field(
        default=2015, ge=1990, description="First year of the business calendar dbt reads."
    )
    last_year: int = Field(
        default=2035, le=2100, description="Last year of the business calendar dbt reads."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else known_zone(value)

    @field_validator("working_days")
    @classmethod
    def _unique_days(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a working day is listed twice")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> BusinessHours:
        if self.closes_at <= self.opens_at:
            raise ValueError(
                f"closes_at {self.closes_at:%H:%M} is not after opens_at {self.opens_at:%H:%M}"
            )
        if self.last_year < self.first_year:
            raise ValueError(f"last_year {self.last_year} is before first_year {self.first_year}")
        return self


class FirstTouch(Strict):
    limit_business_hours: float = Field(
        default=48,
        gt=0,
        description="Business hours from hand-off to the first call, e-mail or meeting by Sales.",
    )
    by_segment: dict[Code, float] = Field(
        default_factory=dict,
        description="Segment -> its own limit in business hours, where it differs.",
    )

    @field_validator("by_segment")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        for segment, hours in value.items():
            if hours <= 0:
                raise ValueError(f"{segment}: a limit must be more than 0 business hours")
        return value


class Feedback(Strict):
    deadline_business_hours: float = Field(
        default=45,
        gt=0,
        description=(
            "Business hours Sales has, from hand-off, to record a decision on the lead "
            "(accepted, or rejected with a reason)."
        ),
    )


class RoutingRule(Strict):
    team: str = Field(
        min_length=1,
        description=(
            "Team that receives the lead (Salesforce User.Team__c); `{sales_region}` is replaced "
            "by the lead's sales region."
        ),
    )
    countries: list[CountryCode] = Field(
        default_factory=list, description="The lead's country is one of these (ISO codes)."
    )
    not_countries: list[CountryCode] = Field(
        default_factory=list,
        description="The lead's country is none of these (an unknown country is none of them).",
    )
    segments: list[Code] = Field(
        default_factory=list,
        description="The lead's segment (by its company size) is one of these.",
    )
    min_score: int | None = Field(default=None, ge=0, le=100, description="Score at least this.")
    max_score: int | None = Field(default=None, ge=0, le=100, description="Score at most this.")

    @model_validator(mode="after")
    def _score_band(self) -> RoutingRule:
        if (
            self.min_score is not None
            and self.max_score is not None
            and self.max_score < self.min_score
        ):
            raise ValueError(f"max_score {self.max_score} is below min_score {self.min_score}")
        return self


class Routing(Strict):
    sales_regions: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Sales region -> the administrative regions (Salesforce Lead.State values) it covers."
        ),
    )
    rules: list[RoutingRule] = Field(
        default_factory=list,
        description="Who receives a hand-off: the first rule whose conditions all hold.",
    )

    @model_validator(mode="after")
    def _one_region_per_state(self) -> Routing:
        owner: dict[str, str] = {}
        for region, states in self.sales_regions.items():
            for state in states:
                if state in owner:
                    raise ValueError(
                        f"state {state!r} is in both sales regions {owner[state]} and {region}"
                    )
                owner[state] = region
        return self


Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class VolumeTarget(Strict):
    segment: Code = Field(description="Segment of the MQLs.")
    channel: Code = Field(description="Channel of the MQLs.")
    campaign: str | None = Field(
        default=None, description="Campaign name, where the target is per campaign."
    )
    mqls_per_month: int = Field(ge=0, description="MQLs Marketing commits to hand over per month.")
    from_month: Month | None = Field(default=None, description="First month it applies (YYYY-MM).")
    until_month: Month | None = Field(default=None, description="Last month it applies (YYYY-MM).")

    @model_validator(mode="after")
    def _ordered_months(self) -> VolumeTarget:
        if self.from_month and self.until_month and self.until_month < self.from_month:
            raise ValueError(
                f"until_month {self.until_month} is before from_month {self.from_month}"
            )
        return self


class Sla(Strict):
    sales_departments: list[str] = Field(
        min_length=1,
        description="Salesforce User.Department values of the sales team: a lead created by "
        "anyone else (the marketing-automation sync) was handed over to Sales.",
    )
    # int | float: a whole bound reads `4 h`, not `4.0 h`, in the buckets' labels
    speed_to_lead_buckets: list[int | float] = Field(
        min_length=1,
        description="Upper bounds (business hours, exclusive) of the response-time buckets of "
        "speed-to-lead, ascending; the last bucket has no bound.",
    )
    business_hours: BusinessHours = Field(default_factory=BusinessHours)
    first_touch: FirstTouch = Field(default_factory=FirstTouch)
    feedback: Feedback = Field(default_factory=Feedback)
    routing: Routing = Field(default_factory=Routing)
    volume_targets: list[VolumeTarget] = Field(
        default_factory=list, description="MQLs per month Marketing commits to."
    )

    @field_validator("speed_to_lead_buckets")
    @classmethod
    def _ascending_bounds(cls, value: list[int | float]) -> list[int | float]:
        if any(bound <= 0 for bound in value) or value != sorted(set(value)):
            raise ValueError("bounds must be positive and strictly ascending, e.g. [1, 4, 24, 48]")
        return value
