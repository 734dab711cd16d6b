"""Salesforce *report* exports ("Details only" CSV of a tabular report), English or French.

Each Data Loader file becomes the report a user of that language would export: field labels
as headers, times in the user's time zone (Europe/Paris) without offset, checkboxes ``1``/``0``,
amounts as the report shows them, empty cells written ``N/A`` or ``-`` in some columns, every
cell quoted, and the report's trailer after a blank line. HubSpot files are left as they are.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from smarketing.ingest.registry import ExportKind, kind_named, snake_case
from smarketing_tools.generator import clock
from smarketing_tools.generator.delivery_fields import (
    BOOLEAN,
    CURRENCY,
    DATE,
    DATETIME,
    NUMBER,
    PERCENT,
    SOBJECT_KIND,
    draws,
    field_type,
    minute_of,
    paris_wall_clock,
    read_data_loader,
)

NBSP = "\u00a0"
# Custom field labels are the admin's: the same in every user language.
CUSTOM_LABELS = {
    "Lead_Score__c": "Lead Score",
    "Rejection_Reason__c": "Rejection Reason",
    "Offer__c": "Offer",
    "HubSpot_Record_ID__c": "HubSpot Record ID",
    "Loss_Reason__c": "Loss Reason",
    "Team__c": "Team",
    "Region__c": "Region",
    "Channel__c": "Channel",
    "Segment__c": "Segment",
}
# Files exported by a user whose locale writes dd-mm-yyyy hh:mm (Salesforce keeps the display
# language and the locale apart: an English-language user with a Dutch locale does that).
DASHED = {"en": ("CampaignMember", "OpportunityHistory"), "fr": ("LeadHistory", "Task")}
# English amounts: the ISO code before the number, or the symbol with a trailing space
SYMBOL_AMOUNTS = ("Opportunity", "OpportunityHistory")
# Which trailer lines each file ends with (after a blank line), by file in name order
TRAILERS: tuple[tuple[str, ...], ...] = (
    ("count", "confidential", "copyright"),
    ("totals", "confidential", "copyright"),
    ("count", "copyright"),
    ("totals",),
    ("confidential", "copyright"),
    ("count",),
)
# Empty cells of these types may be written N/A or - (never ids, lookups or text)
PLACEHOLDER_TYPES = (DATETIME, DATE, CURRENCY, PERCENT, NUMBER)


@dataclass(frozen=True)
class ReportStyle:
    language: str
    dashed: bool
    symbol_amounts: bool
    placeholder: str
    placeholder_columns: frozenset[str]
    trailer: tuple[str, ...]
    year: int

    @property
    def encoding(self) -> str:
        # the user's export encoding setting: ISO-8859-1 / Windows-1252 for the French user
        return "cp1252" if self.language == "fr" else "utf-8"

    @property
    def newline(self) -> str:
        return "\r\n" if self.language == "fr" else "\n"


# --- headers --------------------------------------------------------------------------------


def humanise(api_name: str) -> str:
    """A label for a field the registry lists no label for: ``SystemModstamp`` ->
    ``System Modstamp`` (it folds to the same column name, so the loader still knows it)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", api_name.removesuffix("__c").replace("_", " "))
    return re.sub(r"\bId\b", "ID", words)


def report_label(kind: ExportKind, api_name: str, language: str) -> str:
    if api_name.endswith("__c"):
        return CUSTOM_LABELS.get(api_name) or humanise(api_name)
    column = snake_case(api_name)
    if not any(column in labels for labels in kind.ui_labels.values()):
        return humanise(api_name)  # the registry knows no label for it
    return kind.label_for(column, language)


def report_header(sobject: str, api_names: list[str], language: str) -> list[str]:
    kind = kind_named(SOBJECT_KIND[sobject])
    header = [report_label(kind, name, language) for name in api_names]
    if len(set(header)) != len(header):
        raise ValueError(f"{sobject}: two columns share a report label: {header}")
    return header


# --- values ---------------------------------------------------------------------------------


@cache
def _day(day: int) -> date:
    return date(1970, 1, 1) + timedelta(days=day)


def format_date(d: date, style: ReportStyle) -> str:
    if style.dashed:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style.language == "fr":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.month}/{d.day}/{d.year}"


def format_datetime(text: str, style: ReportStyle) -> str:
    lm = paris_wall_clock(minute_of(text))
    d, hour, minute = _day(lm // clock.DAY), lm % clock.DAY // 60, lm % 60
    if style.dashed or style.language == "fr":
        return f"{format_date(d, style)} {hour:02d}:{minute:02d}"
    half = "AM" if hour < 12 else "PM"
    return f"{format_date(d, style)} {hour % 12 or 12}:{minute:02d} {half}"


def format_amount(value: Decimal, style: ReportStyle) -> str:
    if style.language == "fr":
        digits = f"{value:,.2f}".replace(",", NBSP).replace(".", ",")
        return f"{digits}{NBSP}€"
    return f"€{value:,.2f} " if style.symbol_amounts else f"EUR {value:,.2f}"


def format_value(api_name: str, value: str, style: ReportStyle) -> str:
    kind = field_type(api_name)
    if value == "":
        return style.placeholder if api_name in style.placeholder_columns else ""
    if kind == DATETIME:
        return format_datetime(value, style)
    if kind == DATE:
        return format_date(date.fromisoformat(value), style)
    if kind == BOOLEAN:
        return {"true": "1", "false": "0"}[value]
    if kind == CURRENCY:
        return format_amount(Decimal(value), style)
    if kind == PERCENT:
        return f"{value}{NBSP}%" if style.language == "fr" else f"{value}%"
    return value


# --- trailer --------------------------------------------------------------------------------


class Totals:
    """Column totals of a report (sums of numbers and amounts, shares of checked boxes)."""

    def __init__(self, api_names: list[str]) -> None:
        self.api_names = api_names
        self.records = 0
        self.sums: dict[str, Decimal] = {}
        self.checked: dict[str, int] = {}

    def add(self, row: dict[str, str]) -> None:
        self.records += 1
        for name in self.api_names:
            kind, value = field_type(name), row[name]
            if kind in (CURRENCY, NUMBER) and value:
                self.sums[name] = self.sums.get(name, Decimal(0)) + Decimal(value)
            elif kind == BOOLEAN:
                self.checked[name] = self.checked.get(name, 0) + (value == "true")

    def row(self, style: ReportStyle) -> list[str]:
        """Plain numbers (no currency sign): the line reads as statistics, not as a record."""
        point = "," if style.language == "fr" else "."
        cells = []
        for name in self.api_names:
            if name in self.sums:
                places = ".2f" if field_type(name) == CURRENCY else ".0f"
                cells.append(format(self.sums[name], places).replace(".", point))
            elif name in self.checked and self.records:
                cells.append(f"{self.checked[name] / self.records:.4f}".replace(".", point))
            else:
                cells.append("")
        return cells


def trailer_lines(style: ReportStyle, totals: Totals) -> list[list[str]]:
    n, french = totals.records, style.language == "fr"
    texts = {
        "count": (
            f"Total général ({n} enregistrement{'s' if n != 1 else ''})"
            if french
            else f"Grand Totals ({n} record{'s' if n != 1 else ''})"
        ),
        "confidential": (
            "Informations confidentielles - Ne pas diffuser"
            if french
            else "Confidential Information - Do Not Distribute"
        ),
        "copyright": (
            f"Copyright (c) 2000-{style.year} salesforce.com, inc. "
            + ("Tous droits réservés." if french else "All rights reserved.")
        ),
    }
    return [totals.row(style) if line == "totals" else [texts[line]] for line in style.trailer]


# --- files ----------------------------------------------------------------------------------


def style_for(
    sobject: str, api_names: list[str], language: str, position: int, seed: int, year: int
) -> ReportStyle:
    r = draws(seed, f"report-{language}", sobject)
    eligible = [n for n in api_names if field_type(n) in PLACEHOLDER_TYPES]
    return ReportStyle(
        language=language,
        dashed=sobject in DASHED[language],
        symbol_amounts=sobject in SYMBOL_AMOUNTS,
        placeholder=("N/A", "-")[position % 2],
        placeholder_columns=frozenset(n for n in eligible if r.random() < 0.6),
        trailer=TRAILERS[position % len(TRAILERS)],
        year=year,
    )


def write_report(path: Path, language: str, position: int, seed: int, year: int) -> int:
    """Rewrite one Data Loader file as a report export; returns its record count."""
    sobject = path.stem
    api_names, rows = read_data_loader(path)
    style = style_for(sobject, api_names, language, position, seed, year)
    totals = Totals(api_names)
    target = path.with_name(f".{path.name}.report")
    with target.open("w", encoding=style.encoding, newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator=style.newline)
        out.writerow(report_header(sobject, api_names, language))
        for row in rows:
            out.writerow([format_value(n, row[n], style) for n in api_names])
            totals.add(row)
        handle.write(style.newline)  # the blank line before the trailer
        out.writerows(trailer_lines(style, totals))
    target.replace(path)
    return totals.records


def deliver_reports(inbox: Path, language: str, seed: int, year: int) -> dict[str, int]:
    """Every Salesforce file of INBOX as a LANGUAGE report export; records per file."""
    counts: dict[str, int] = {}
    files = sorted((inbox / "salesforce").glob("*.csv"))
    for position, path in enumerate(files):
        counts[f"inbox/salesforce/{path.name}"] = write_report(path, language, position, seed, year)
    return counts
