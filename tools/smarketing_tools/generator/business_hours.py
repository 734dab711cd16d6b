"""Business hours between two instants: Mon-Fri 09:00-18:00 Europe/Paris, French public
holidays off (``holidays.France``).

Business time is the union, over the local dates that are working days, of the local
intervals [09:00, 18:00). DST changes happen at night, so every working day holds exactly
nine real hours.
"""

from __future__ import annotations

import bisect
import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")


class BusinessCalendar:
    """Working days and hours of one time zone and one country's public holidays."""

    def __init__(
        self,
        tz: str = "Europe/Paris",
        start: time = time(9, 0),
        end: time = time(18, 0),
        country: str = "FR",
        weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
    ) -> None:
        self.tz = ZoneInfo(tz)
        self.start = start
        self.end = end
        self.country = country
        self.weekdays = frozenset(weekdays)
        self._day_start = start.hour * 60 + start.minute
        self._day_minutes = (end.hour * 60 + end.minute) - self._day_start
        self._years = (0, 0)
        # ordinals of the working days of the covered years, sorted: the rank of a date in
        # this list is the number of working days before it, so counting is a bisect
        self._working: list[int] = []

    def _cover(self, *days: date) -> None:
        """Make sure the working days of the years around ``days`` are known."""
        low = min(d.year for d in days) - 1
        high = max(d.year for d in days) + 1
        if self._working and self._years[0] <= low and high <= self._years[1]:
            return
        if self._working:
            low, high = min(low, self._years[0]), max(high, self._years[1])
        off = set(holidays.country_holidays(self.country, years=range(low, high + 1)))
        first, last = date(low, 1, 1).toordinal(), date(high, 12, 31).toordinal()
        self._working = [
            o
            for o in range(first, last + 1)
            if date.fromordinal(o).weekday() in self.weekdays and date.fromordinal(o) not in off
        ]
        self._years = (low, high)

    def is_working_day(self, day: date) -> bool:
        self._cover(day)
        o = day.toordinal()
        i = bisect.bisect_left(self._working, o)
        return i < len(self._working) and self._working[i] == o

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("business hours need timezone-aware datetimes")
        return moment.astimezone(self.tz)

    def _within(self, local: datetime) -> float:
        """Business minutes already elapsed on the local day of ``local``."""
        if not self.is_working_day(local.date()):
            return 0.0
        minute = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 6e7
        return min(max(minute - self._day_start, 0.0), float(self._day_minutes))

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Business minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.minutes_between(end, start)
        a, b = self._local(start), self._local(end)
        self._cover(a.date(), b.date())
        days = bisect.bisect_left(self._working, b.date().toordinal()) - bisect.bisect_left(
            self._working, a.date().toordinal()
        )
        return days * self._day_minutes + self._within(b) - self._within(a)

    def hours_between(self, start: datetime, end: datetime) -> float:
        return self.minutes_between(start, end) / 60

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """The first instant at which ``hours`` business hours have elapsed since ``start``."""
        if hours < 0:
            raise ValueError("hours must be >= 0")
        if hours == 0:
            return start
        local = self._local(start)
        self._cover(local.date())
        while True:
            # count from the window of the first working day at or after ``local``
            rank = bisect.bisect_left(self._working, local.date().toordinal())
            if self._working[rank] == local.date().toordinal():
                remaining = hours * 60 + self._within(local)
            else:
                remaining = hours * 60
            full_days = max(math.ceil(remaining / self._day_minutes) - 1, 0)
            target = rank + full_days
            if target < len(self._working):
                break
            self._cover(date.fromordinal(self._working[-1]) + timedelta(days=366))
        remaining -= full_days * self._day_minutes
        day = date.fromordinal(self._working[target])
        opening = datetime.combine(day, self.start, tzinfo=self.tz)
        return (opening + timedelta(minutes=remaining)).astimezone(start.tzinfo)


DEFAULT_CALENDAR = BusinessCalendar()


def business_hours_between(
    start: datetime, end: datetime, calendar: BusinessCalendar = DEFAULT_CALENDAR
) -> float:
    """Business hours (Mon-Fri 09:00-18:00 Europe/Paris, French holidays off) between two
    timezone-aware instants."""
    return calendar.hours_between(start, end)


def add_business_hours(
    start: datetime, hours: float, calendar: BusinessCalendar = DEFAULT_CALENDAR
) -> datetime:
    """The instant at which ``hours`` business hours have elapsed since ``start``."""
    return calendar.add_hours(start, hours)
