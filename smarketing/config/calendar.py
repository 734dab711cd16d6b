"""The definition tables of the SLA contract (``smarketing.yml``, key ``sla``).

``business_days.csv`` is the business calendar: one row per working day, with the instants the
working day opens and closes, so SQL measures business hours by summing, over these rows, the
overlap of an interval with [opens_at, closes_at) — time zone, daylight saving time and public
holidays are all settled here, with ``zoneinfo`` and the ``holidays`` library.
``sla_first_touch_limits.csv`` gives the first-touch limit of each segment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays

from smarketing.config.csv_text import csv_text, number_text
from smarketing.config.sla import WEEKDAYS

if TYPE_CHECKING:
    from smarketing.config.models import SmarketingConfig


def _instant(day: date, at: time, zone: ZoneInfo) -> str:
    """Local time AT on DAY in ZONE as an ISO 8601 instant with its UTC offset.

    A wall-clock time that does not exist (skipped by a daylight-saving change) becomes the
    instant it would have been with the offset before the change, written in the new offset.
    """
    local = datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone).isoformat()


def working_days(config: SmarketingConfig) -> list[date]:
    """The working days of the business calendar: the configured weekdays, public holidays off,
    from ``first_year``-01-01 to ``last_year``-12-31."""
    hours = config.sla.business_hours
    off = holidays.country_holidays(
        hours.public_holidays.country,
        subdiv=hours.public_holidays.subdivision,
        years=range(hours.first_year, hours.last_year + 1),
    )
    weekdays = {WEEKDAYS.index(day) for day in hours.working_days}
    first, last = date(hours.first_year, 1, 1), date(hours.last_year, 12, 31)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() in weekdays and day not in off]


def business_days_csv(config: SmarketingConfig) -> str:
    """day, opens_at, closes_at: one row per working day (``working_days``), in date order.

    ``opens_at`` and ``closes_at`` are the instants the day's working hours start and end, in
    ISO 8601 with the local UTC offset of that day (daylight saving time applied).
    """
    hours = config.sla.business_hours
    zone = ZoneInfo(hours.time_zone or config.calendar.reporting_time_zone)
    rows = [
        [
            day.isoformat(),
            _instant(day, hours.opens_at, zone),
            _instant(day, hours.closes_at, zone),
        ]
        for day in working_days(config)
    ]
    return csv_text(["day", "opens_at", "closes_at"], rows)


def sla_first_touch_limits_csv(config: SmarketingConfig) -> str:
    """segment, limit_business_hours: the first-touch limit of each segment (its own limit,
    else the default), in the order of the segments, then a row with an empty segment: the
    default, for leads whose segment is unknown."""
    first_touch = config.sla.first_touch
    default = first_touch.limit_business_hours
    rows = [
        [segment, number_text(first_touch.by_segment.get(segment, default))]
        for segment in config.segments
    ]
    rows.append(["", number_text(default)])
    return csv_text(["segment", "limit_business_hours"], rows)
