"""Salesforce's weekly *Data Export* service: one CSV per object, API names as headers.

Every field is quoted; booleans are ``0``/``1``; an empty lookup is ``000000000000000AAA``;
datetimes are UTC ``2026-03-05T13:22:00.000Z``. Most files are UTF-8 without BOM, Lead.csv
and Contact.csv Windows-1252 (Latin-1), and Account.csv mixes both: the rows of accounts
created before 2024 (imported from the old CRM) are Windows-1252, the others UTF-8.

The org is multi-currency, corporate currency EUR: Lead, Account, Opportunity and
OpportunityHistory carry ``CurrencyIsoCode``; about 10 % of opportunities (with their history
rows) are in USD and 3 % in CHF, their amounts converted from the EUR truth at the fixed rates
of CurrencyType.csv and DatedConversionRate.csv (units per EUR, two decimals, so that
``round(amount / rate, 2)`` gives back the EUR amount exactly). Meetings (Tasks of Type
``Meeting``) are Events in Event.csv, at the task's completion time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from smarketing_tools.generator import clock
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.delivery_fields import (
    BOOLEAN,
    CURRENCY,
    DATETIME,
    LOOKUP,
    field_type,
    minute_of,
    read_data_loader,
    unit_draw,
)
from smarketing_tools.generator.ids import salesforce_id

EMPTY_ID = "000000000000000AAA"
CORPORATE = "EUR"
# units of the currency per 1 EUR, as Salesforce stores them (six decimals written)
RATES = {"EUR": Decimal("1"), "USD": Decimal("1.08"), "CHF": Decimal("0.94")}
USD_SHARE, CHF_SHARE = 0.10, 0.03
CURRENCY_OBJECTS = ("Lead", "Account", "Opportunity", "OpportunityHistory")
LATIN1_FILES = ("Lead", "Contact")
MIXED_FILE = "Account"
LATIN1_BEFORE = date(2024, 1, 1)
# key prefixes of the objects only this delivery writes
EVENT_PREFIX, CURRENCY_TYPE_PREFIX, DATED_RATE_PREFIX = "00U", "02c", "04w"
MEETING_MINUTES = (30, 45, 60, 60, 90)
EVENT_COLUMNS = [
    "Id",
    "IsDeleted",
    "WhoId",
    "WhatId",
    "Subject",
    "Location",
    "IsAllDayEvent",
    "ActivityDateTime",
    "ActivityDate",
    "DurationInMinutes",
    "StartDateTime",
    "EndDateTime",
    "Description",
    "AccountId",
    "OwnerId",
    "Type",
    "EventSubtype",
    "ShowAs",
    "IsPrivate",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
]
CURRENCY_TYPE_COLUMNS = [
    "Id",
    "IsoCode",
    "ConversionRate",
    "DecimalPlaces",
    "IsActive",
    "IsCorporate",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
]
DATED_RATE_COLUMNS = [
    "Id",
    "IsoCode",
    "ConversionRate",
    "StartDate",
    "NextStartDate",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
]
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class ExportFile:
    """A Data Export CSV written line by line, each line in the encoding its record calls for.

    A line Windows-1252 cannot encode, or that would also read as UTF-8 (the loader tries
    UTF-8 first), is written in UTF-8 instead, so that every line reads back as written."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self._handle = path.open("wb")
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
        self.rows = 0
        self._line(header, "utf-8")

    def _line(self, cells: list[str], encoding: str) -> None:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._csv.writerow(cells)
        text = self._buffer.getvalue()
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        if not data.isascii() and encoding != "utf-8" and _reads_as_utf8(data):
            data = text.encode("utf-8")
        self._handle.write(data)

    def write(self, cells: list[str], encoding: str = "utf-8") -> None:
        self._line(cells, encoding)
        self.rows += 1

    def close(self) -> None:
        self._handle.close()


def _reads_as_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- values ---------------------------------------------------------------------------------


def currency_of(seed: int, opportunity_id: str) -> str:
    """The opportunity's currency: fixed by the seed and its Id (history rows follow it)."""
    u = unit_draw(seed, "currency", opportunity_id)
    return "USD" if u < USD_SHARE else "CHF" if u < USD_SHARE + CHF_SHARE else CORPORATE


def convert(eur: str, currency: str) -> str:
    """A EUR amount in CURRENCY, to the cent; converting back must give the EUR amount."""
    amount = Decimal(eur)
    rate = RATES[currency]
    converted = (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    back = (converted / rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if back != amount or round(float(converted) / float(rate), 2) != float(amount):
        raise ValueError(f"{eur} EUR in {currency} does not convert back exactly")
    return f"{converted:.2f}"


def export_value(api_name: str, value: str) -> str:
    kind = field_type(api_name)
    if kind == BOOLEAN and value:
        return {"true": "1", "false": "0"}[value]
    if kind == DATETIME and value:
        minute_of(value)  # a Data Loader datetime, nothing else
        return value.removesuffix("+0000") + "Z"
    if kind == LOOKUP and not value:
        return EMPTY_ID
    if kind == CURRENCY and value:
        return f"{Decimal(value):.2f}"
    return value


def event_id(task_id: str) -> str:
    """The Event's Id: the Task's counter under the Event key prefix."""
    number = 0
    for ch in task_id[5:15]:
        number = number * 62 + _BASE62.index(ch)
    return salesforce_id(EVENT_PREFIX, number, pod=task_id[3:5])


def event_of(task: dict[str, str], seed: int) -> dict[str, str]:
    """A completed meeting task as the Event it is in the org (times from CompletedDateTime)."""
    start = minute_of(task["CompletedDateTime"])
    u = unit_draw(seed, "meeting", task["Id"])
    duration = MEETING_MINUTES[int(u * len(MEETING_MINUTES))]
    return {
        "Id": event_id(task["Id"]),
        "IsDeleted": task["IsDeleted"],
        "WhoId": task["WhoId"],
        "WhatId": task["WhatId"],
        "Subject": task["Subject"],
        "Location": "",
        "IsAllDayEvent": "false",
        "ActivityDateTime": task["CompletedDateTime"],
        "ActivityDate": clock.fmt_sf_date(start),
        "DurationInMinutes": str(duration),
        "StartDateTime": task["CompletedDateTime"],
        "EndDateTime": clock.fmt_sf(start + duration),
        "Description": task["Description"],
        "AccountId": task["AccountId"],
        "OwnerId": task["OwnerId"],
        "Type": "Meeting",
        "EventSubtype": "Event",
        "ShowAs": "Busy",
        "IsPrivate": "false",
        "CreatedDate": task["CreatedDate"],
        "CreatedById": task["CreatedById"],
        "LastModifiedDate": task["LastModifiedDate"],
        "LastModifiedById": task["LastModifiedById"],
        "SystemModstamp": task["SystemModstamp"],
    }


# --- files ----------------------------------------------------------------------------------


def _with_currency(api_names: list[str], sobject: str) -> list[str]:
    if sobject not in CURRENCY_OBJECTS:
        return list(api_names)
    at = api_names.index("CreatedDate")
    return [*api_names[:at], "CurrencyIsoCode", *api_names[at:]]


def _line_encoding(sobject: str) -> Callable[[dict[str, str]], str]:
    if sobject in LATIN1_FILES:
        return lambda row: "cp1252"
    if sobject == MIXED_FILE:
        before = clock.from_date(LATIN1_BEFORE)
        return lambda row: "cp1252" if minute_of(row["CreatedDate"]) < before else "utf-8"
    return lambda row: "utf-8"


def _currency(sobject: str, row: dict[str, str], seed: int) -> str:
    if sobject == "Opportunity":
        return currency_of(seed, row["Id"])
    if sobject == "OpportunityHistory":
        return currency_of(seed, row["OpportunityId"])
    return CORPORATE


def rewrite_object(path: Path, seed: int) -> dict[str, int]:
    """One Data Loader file as Data Export writes it (Task.csv also gives Event.csv)."""
    sobject = path.stem
    api_names, rows = read_data_loader(path)
    columns = _with_currency(api_names, sobject)
    target = ExportFile(path.with_name(f".{path.name}.export"), columns)
    events = ExportFile(path.with_name("Event.csv"), EVENT_COLUMNS) if sobject == "Task" else None
    encoding_of = _line_encoding(sobject)
    for row in rows:
        if events is not None and row["Type"] == "Meeting":
            event = event_of(row, seed)
            events.write([export_value(n, event[n]) for n in EVENT_COLUMNS])
            continue
        values = dict(row)
        if sobject in CURRENCY_OBJECTS:
            currency = values["CurrencyIsoCode"] = _currency(sobject, row, seed)
            for name in api_names:
                if field_type(name) == CURRENCY and values[name]:
                    values[name] = convert(values[name], currency)
        target.write([export_value(n, values[n]) for n in columns], encoding_of(row))
    target.close()
    target.path.replace(path)
    counts = {f"inbox/salesforce/{path.name}": target.rows}
    if events is not None:
        events.close()
        counts["inbox/salesforce/Event.csv"] = events.rows
    return counts


def write_currencies(ctx: Context) -> dict[str, int]:
    """CurrencyType.csv and DatedConversionRate.csv: one rate per currency over all time."""
    admin = ctx.staff.users[ctx.staff.revops].id
    set_up = clock.fmt_sf(clock.from_date(ctx.window.first_day, 9, 30) - 60 * clock.DAY)
    audit = {
        "CreatedDate": set_up,
        "CreatedById": admin,
        "LastModifiedDate": set_up,
        "LastModifiedById": admin,
        "SystemModstamp": set_up,
    }
    folder = ctx.inbox / "salesforce"
    types = ExportFile(folder / "CurrencyType.csv", CURRENCY_TYPE_COLUMNS)
    dated = ExportFile(folder / "DatedConversionRate.csv", DATED_RATE_COLUMNS)
    for n, (code, rate) in enumerate(RATES.items(), start=1):
        common = {"IsoCode": code, "ConversionRate": f"{rate:.6f}", **audit}
        type_row = {
            **common,
            "Id": salesforce_id(CURRENCY_TYPE_PREFIX, n),
            "DecimalPlaces": "2",
            "IsActive": "true",
            "IsCorporate": "true" if code == CORPORATE else "false",
        }
        types.write([export_value(c, type_row[c]) for c in CURRENCY_TYPE_COLUMNS])
        dated_row = {
            **common,
            "Id": salesforce_id(DATED_RATE_PREFIX, n),
            "StartDate": "0001-01-01",
            "NextStartDate": "9999-12-31",
        }
        dated.write([export_value(c, dated_row[c]) for c in DATED_RATE_COLUMNS])
    types.close()
    dated.close()
    return {
        "inbox/salesforce/CurrencyType.csv": types.rows,
        "inbox/salesforce/DatedConversionRate.csv": dated.rows,
    }


def deliver_data_export(ctx: Context) -> dict[str, int]:
    """Every Salesforce file of the inbox as the weekly Data Export writes it."""
    counts: dict[str, int] = {}
    for path in sorted((ctx.inbox / "salesforce").glob("*.csv")):
        counts.update(rewrite_object(path, ctx.seed))
    counts.update(write_currencies(ctx))
    return counts
