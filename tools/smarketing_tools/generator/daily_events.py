"""Marketing events of a daily delivery: the form submissions of the day's new contacts and
events that reach HubSpot's export late, written like day 0's files (events.py): one
``marketing-events-YYYY-MM.csv`` per month of the event's Paris time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.campaigns import SITE, CampaignBook
from smarketing_tools.generator.daily_base import LABEL, Table
from smarketing_tools.generator.events import HEADER
from smarketing_tools.generator.reference import SITE_PAGES

# the mix of day 0's everyday engagement (events.py)
LATE_TYPES = ("email_open", "email_click", "page_view", "form_submission")
LATE_WEIGHTS = (0.52, 0.12, 0.30, 0.06)
LATE_DAYS = 3


@dataclass(frozen=True)
class EventRow:
    id: int
    contact: int
    email: str
    type: str
    """code of rules.HUBSPOT_LABELS["event_type"]"""
    at: int
    campaign: int
    """index in the campaign book, -1 for none"""
    asset: str
    url: str


def month_file(at: int) -> str:
    day = clock.local_date(at)
    return f"marketing-events-{day.year}-{day.month:02d}.csv"


def write_event_files(folder: Path, rows: list[EventRow], book: CampaignBook) -> dict[str, int]:
    """One file per month; returns the rows written by file name."""
    by_file: dict[str, list[EventRow]] = {}
    for row in sorted(rows, key=lambda e: (e.at, e.contact, e.id)):
        by_file.setdefault(month_file(row.at), []).append(row)
    camps = book.campaigns
    labels = rules.HUBSPOT_LABELS["event_type"]
    counts: dict[str, int] = {}
    for name, part in sorted(by_file.items()):
        # the same arrow types as events.py, so that the CSV writer quotes the same way
        table = pa.table(
            {
                "Event ID": pa.array([e.id for e in part], pa.int64()),
                "Contact ID": pa.array([e.contact for e in part], pa.int64()),
                "Email": pa.array([e.email or None for e in part], pa.string()),
                "Event Type": pa.array([labels[e.type][0] for e in part], pa.string()),
                "Event Date": pa.array([clock.fmt_hs_en(e.at) for e in part], pa.string()),
                "Campaign ID": pa.array(
                    [camps[e.campaign].guid if e.campaign >= 0 else None for e in part],
                    pa.string(),
                ),
                "Campaign": pa.array(
                    [camps[e.campaign].name if e.campaign >= 0 else None for e in part],
                    pa.string(),
                ),
                "Asset": pa.array([e.asset for e in part], pa.string()),
                "URL": pa.array([e.url or None for e in part], pa.string()),
            }
        )
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / name).open("wb") as handle:
            handle.write(HEADER.encode())
            pa_csv.write_csv(table, handle, pa_csv.WriteOptions(include_header=False))
        counts[name] = len(part)
    return counts


def parse_hubspot_time(text: str, lang: str) -> int:
    """A HubSpot UI date (naive Paris time) as a UTC minute."""
    if lang == "fr":  # 05/03/2026 14:22
        day = date(int(text[6:10]), int(text[3:5]), int(text[0:2]))
    else:  # 2026-03-05 14:22
        day = date.fromisoformat(text[:10])
    return clock.from_date(day, int(text[11:13]), int(text[14:16]))


class LateEvents:
    """Everyday engagement of existing contacts, exported a few days after it happened."""

    def __init__(self, contacts: dict[str, Table], book: CampaignBook) -> None:
        self.contacts = contacts
        self.book = book
        self.sizes = [(lang, table.n) for lang, table in contacts.items()]
        self.total = sum(n for _, n in self.sizes)

    def _contact(self, i: int) -> tuple[int, str, int]:
        """Record ID, e-mail and Create Date of the i-th contact of both deliveries."""
        for lang, n in self.sizes:
            if i < n:
                table, labels = self.contacts[lang], LABEL[lang]
                cells = {
                    name: table.data.column(table.header.index(labels[name]))[i].as_py()
                    for name in ("record_id", "email", "create_date")
                }
                email = "" if cells["email"] == "null" else cells["email"]  # HubSpot's empty
                return (
                    int(cells["record_id"]),
                    email,
                    parse_hubspot_time(cells["create_date"], lang),
                )
            i -= n
        raise IndexError(i)

    def draw(self, r: random.Random, count: int, covered: date, next_id: int) -> list[EventRow]:
        """COUNT events at instants of the LATE_DAYS days before the covered day."""
        out: list[EventRow] = []
        if not self.total:
            return out
        first_day = (covered - date(1970, 1, 1)).days - LATE_DAYS
        while len(out) < count:
            day = first_day + r.randrange(LATE_DAYS)
            at = clock.utc_from_local(day * clock.DAY + r.randint(7 * 60, 22 * 60 - 1))
            record_id, email, created = self._contact(r.randrange(self.total))
            if created >= at:
                continue  # the contact did not exist yet
            kind = r.choices(LATE_TYPES, LATE_WEIGHTS)[0]
            if not email and kind in ("email_open", "email_click"):
                kind = "page_view"
            out.append(self._event(r, next_id + len(out), record_id, email, kind, at))
        return out

    def _event(
        self, r: random.Random, event_id: int, contact: int, email: str, kind: str, at: int
    ) -> EventRow:
        book = self.book
        offer = r.choice(rules.OFFERS)
        title, path = r.choice(SITE_PAGES)
        if kind in ("email_open", "email_click"):
            day = clock.local_date(at)
            newsletter = book.newsletters.get((day.year, day.month))
            campaign = (
                newsletter if newsletter is not None and r.random() < 0.6 else book.nurturing[offer]
            )
            url = "" if kind == "email_open" else SITE + path
            return EventRow(
                event_id, contact, email, kind, at, campaign, book.campaigns[campaign].name, url
            )
        if kind == "form_submission":
            campaign = book.period_campaign("content_download", offer, clock.local_date(at))
            c = book.campaigns[campaign]
            return EventRow(event_id, contact, email, kind, at, campaign, c.form or c.name, c.url)
        return EventRow(event_id, contact, email, kind, at, -1, title, SITE + path)
