"""Time as whole minutes since 1970-01-01 UTC (plain ints and int64 arrays), its Europe/Paris
local time, and the text formats of each export.

Whole minutes keep every computation exact and fast; the offsets come from the tz database.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from smarketing_tools.generator.business_hours import DEFAULT_CALENDAR, PARIS

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = 1440


def _offset_table(first_year: int = 2000, last_year: int = 2045) -> tuple[list[int], list[int]]:
    """UTC minutes at which the Paris offset changes, and the offset (minutes) from then on."""

    def off_at(moment: datetime) -> int:
        delta = moment.astimezone(PARIS).utcoffset()
        assert delta is not None
        return int(delta.total_seconds() // 60)

    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    starts, offsets = [int((moment - EPOCH).total_seconds() // 60)], [off_at(moment)]
    end = datetime(last_year, 12, 31, tzinfo=UTC)
    while moment < end:
        following = moment + timedelta(days=1)
        if off_at(following) != offsets[-1]:
            # changes happen on the hour: find which one
            probe = moment
            while off_at(probe) == offsets[-1]:
                probe += timedelta(hours=1)
            starts.append(int((probe - EPOCH).total_seconds() // 60))
            offsets.append(off_at(probe))
        moment = following
    return starts, offsets


_STARTS, _OFFSETS = _offset_table()
_STARTS_NP = np.array(_STARTS, dtype=np.int64)
_OFFSETS_NP = np.array(_OFFSETS, dtype=np.int64)


def offset(m: int) -> int:
    """Paris UTC offset, in minutes, at UTC minute ``m``."""
    return _OFFSETS[bisect.bisect_right(_STARTS, m) - 1]


def local(m: int) -> int:
    return m + offset(m)


def utc_from_local(lm: int) -> int:
    """UTC minute of a Paris wall-clock minute (unambiguous outside 02:00-03:00)."""
    u = lm - offset(lm - 60)
    o = offset(u)
    return lm - o


def offsets_np(m: np.ndarray) -> np.ndarray:
    return _OFFSETS_NP[np.searchsorted(_STARTS_NP, m, side="right") - 1]


def utc_from_local_np(lm: np.ndarray) -> np.ndarray:
    u = lm - offsets_np(lm - 60)
    return lm - offsets_np(u)


def from_date(d: date, hour: int = 0, minute: int = 0) -> int:
    """UTC minute of a Paris local date and wall-clock time."""
    return utc_from_local((d - date(1970, 1, 1)).days * DAY + hour * 60 + minute)


def local_day(m: int) -> int:
    """Days since 1970-01-01 of the Paris local date of ``m``."""
    return local(m) // DAY


def local_date(m: int) -> date:
    return date(1970, 1, 1) + timedelta(days=local_day(m))


def local_minute_of_day(m: int) -> int:
    return local(m) % DAY


def to_datetime(m: int) -> datetime:
    return EPOCH + timedelta(minutes=m)


def from_datetime(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds() // 60)


# --- business hours on minutes (the public module works on datetimes) --------------------


def business_hours_between(a: int, b: int) -> float:
    return DEFAULT_CALENDAR.hours_between(to_datetime(a), to_datetime(b))


def add_business_hours(m: int, hours: float) -> int:
    return from_datetime(DEFAULT_CALENDAR.add_hours(to_datetime(m), hours))


def is_working_day(d: date) -> bool:
    return DEFAULT_CALENDAR.is_working_day(d)


# --- text formats --------------------------------------------------------------------------

_DAY_ISO: dict[int, str] = {}
_DAY_FR: dict[int, str] = {}
_HM = [f"{h:02d}:{mi:02d}" for h in range(24) for mi in range(60)]


def _day_iso(day: int) -> str:
    text = _DAY_ISO.get(day)
    if text is None:
        text = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        _DAY_ISO[day] = text
    return text


def _day_fr(day: int) -> str:
    text = _DAY_FR.get(day)
    if text is None:
        iso = _day_iso(day)
        text = f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
        _DAY_FR[day] = text
    return text


def fmt_sf(m: int) -> str:
    """Salesforce Data Loader datetime, UTC: ``2026-03-05T13:22:00.000+0000``."""
    return f"{_day_iso(m // DAY)}T{_HM[m % DAY]}:00.000+0000"


def fmt_sf_date(m: int) -> str:
    """Salesforce date field: the Paris local date."""
    return _day_iso(local(m) // DAY)


def fmt_hs_en(m: int) -> str:
    """HubSpot English UI export: naive Paris time ``2026-03-05 14:22``."""
    lm = local(m)
    return f"{_day_iso(lm // DAY)} {_HM[lm % DAY]}"


def fmt_hs_fr(m: int) -> str:
    """HubSpot French UI export: naive Paris time ``05/03/2026 14:22``."""
    lm = local(m)
    return f"{_day_fr(lm // DAY)} {_HM[lm % DAY]}"


def fmt_iso(m: int) -> str:
    """Truth files: ISO 8601 with the Paris offset, ``2026-03-05T14:22:00+01:00``."""
    off = offset(m)
    lm = m + off
    return f"{_day_iso(lm // DAY)}T{_HM[lm % DAY]}:00+{off // 60:02d}:00"


def fmt_opt(fmt: Callable[[int], str], m: int | None) -> str:
    return "" if m is None else fmt(m)


@dataclass(frozen=True)
class Window:
    """The generated history: from ``start`` (inclusive) to ``cutoff`` (exclusive), in UTC
    minutes. ``cutoff`` is as_of at 00:00 Paris: the exports are taken that morning."""

    as_of: date
    first_day: date
    start: int
    cutoff: int

    @classmethod
    def ending(cls, as_of: date, days: int) -> Window:
        first_day = as_of - timedelta(days=days)
        return cls(as_of, first_day, from_date(first_day), from_date(as_of))

    @property
    def days(self) -> int:
        return (self.as_of - self.first_day).days
