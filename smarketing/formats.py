"""Numbers, shares and dates as each language writes them (CLDR through Babel): `36,7 %` and
`4 déc. 2026` in French, `36.7%` and `Dec 4, 2026` in English. The dashboard and the committee
pack both format through here, with the language passed in."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("fr", "en")
MISSING = "\u2013"  # an en dash, for a value the mart leaves empty
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_POINTS = {"fr": "pt", "en": "pts"}
_DAYS = {"fr": "j", "en": "d"}
NARROW_SPACE = "\u202f"


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return value != value  # NaN, pandas' NA
    except TypeError:  # pandas.NA refuses comparison
        return True


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def _pattern(base: str, decimals: int) -> str:
    """The locale's pattern BASE (`#,##0 %`) with DECIMALS fraction digits."""
    return base.replace("0", "0." + "0" * decimals, 1) if decimals else base


def number(value: Any, lang: str, decimals: int = 1, *, signed: bool = False) -> str:
    """VALUE with DECIMALS, grouped by thousands, in LANG's notation."""
    if is_missing(value):
        return MISSING
    locale = Locale.parse(_locale(lang))
    pattern = _pattern("#,##0", decimals)
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(Decimal(str(float(value))), pattern, locale=locale)


def integer(value: Any, lang: str) -> str:
    return number(value, lang, 0)


def percent(value: Any, lang: str, decimals: int = 1) -> str:
    """A share (0.367) as a percentage: `36,7 %`, `36.7%`."""
    if is_missing(value):
        return MISSING
    locale = Locale.parse(_locale(lang))
    pattern = _pattern(locale.percent_formats[None].pattern, decimals)
    return format_percent(Decimal(str(float(value))), pattern, locale=locale)


def points(value: Any, lang: str) -> str:
    """A change of a share in percentage points: `+1,2 pt`, `+1.2 pts`."""
    if is_missing(value):
        return MISSING
    return f"{number(float(value) * 100, lang, 1, signed=True)}{NARROW_SPACE}{_POINTS[lang]}"


def days(value: Any, lang: str, *, signed: bool = False) -> str:
    if is_missing(value):
        return MISSING
    return f"{number(value, lang, 1, signed=signed)}{NARROW_SPACE}{_DAYS[lang]}"


def money(value: Any, lang: str, currency: str = "EUR") -> str:
    if is_missing(value):
        return MISSING
    from babel.numbers import format_currency

    return (
        format_currency(
            Decimal(str(round(float(value)))),
            currency,
            format_type="standard",
            locale=_locale(lang),
            currency_digits=False,
            decimal_quantization=False,
        )
        .replace(",00", "")
        .replace(".00", "")
    )


def month(value: date | datetime, lang: str, *, long: bool = False) -> str:
    """A month: `déc. 2026` / `Dec 2026` (LONG: `décembre 2026` / `December 2026`)."""
    return format_date(value, "LLLL y" if long else "LLL y", locale=_locale(lang))


def month_name(value: date | datetime, lang: str) -> str:
    """The month alone, short: `déc.` / `Dec`."""
    return format_date(value, "LLL", locale=_locale(lang))


def day(value: date | datetime, lang: str) -> str:
    """A date: `4 déc. 2026` / `4 Dec 2026`."""
    return format_date(value, "medium", locale=_locale(lang))


def moment(value: datetime, lang: str, time_zone: str) -> str:
    """An instant in TIME_ZONE (a naive value is UTC): `4 déc. 2026, 09:30`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    local = value.astimezone(ZoneInfo(time_zone))
    return format_datetime(local, "medium", locale=_locale(lang)).rsplit(":", 1)[0]
