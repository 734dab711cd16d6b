"""The calendar every figure is read in, and when the pipeline runs (``smarketing.yml``, keys
``calendar`` and ``schedule``): written once there, read by dbt (vars), the dashboard (the
warehouse's ``config.reporting_settings``), the schedule and the command line."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from smarketing.config.csv_text import csv_text
from smarketing.config.types import Strict

if TYPE_CHECKING:
    from smarketing.config.models import SmarketingConfig


def known_zone(value: str) -> str:
    """VALUE when it is an IANA time zone, else a ValueError naming it."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. America/New_York)") from None
    return value


class Calendar(Strict):
    reporting_time_zone: str = Field(
        description="IANA time zone of the reports' calendar: months and days of every "
        "figure, the times the dashboard shows, the daily schedule, --as-of without an offset."
    )
    source_time_zone: str = Field(
        description="IANA time zone of the naive timestamps in the exports (HubSpot UI "
        "exports, Salesforce exports written in the user's locale)."
    )

    @field_validator("reporting_time_zone", "source_time_zone")
    @classmethod
    def _known(cls, value: str) -> str:
        return known_zone(value)


class Schedule(Strict):
    daily_at: time = Field(
        default=time(6, 0),
        description="When the daily run starts (HH:MM, reporting time zone): before the teams.",
    )

    def cron(self) -> str:
        return f"{self.daily_at.minute} {self.daily_at.hour} * * *"


def reporting_settings_csv(config: SmarketingConfig) -> str:
    """setting, value: the reports' and the exports' time zones, for readers of the warehouse
    (the dashboard shows instants in the reporting time zone)."""
    calendar = config.calendar
    return csv_text(
        ["setting", "value"],
        [
            ["reporting_time_zone", calendar.reporting_time_zone],
            ["source_time_zone", calendar.source_time_zone],
        ],
    )
