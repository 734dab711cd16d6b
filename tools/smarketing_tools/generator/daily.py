"""Daily deliveries after a generated dataset: ``smarketing generate --days-after N``.

Day d (1..N) is the export taken on the morning of as_of + d: a Salesforce "modified since"
Data Loader export and a HubSpot "recently modified" export of what happened the day before.
Each day mutates the state the previous day left (never re-simulates: a later cutoff would
reshuffle every random stream), draws from its own generator seeded with the seed and d, and
writes full rows in the day-0 files' shapes to ``inbox/salesforce/<date>/`` and
``inbox/hubspot/<date>/``; the loader sorts files by folder, so these load after day 0.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from smarketing_tools.generator import rules
from smarketing_tools.generator.campaigns import build_campaigns
from smarketing_tools.generator.clock import Window
from smarketing_tools.generator.csvio import HUBSPOT_EN, HUBSPOT_FR, DictRows, salesforce_csv
from smarketing_tools.generator.daily_base import LABEL, Base, State, read_base
from smarketing_tools.generator.daily_changes import Day
from smarketing_tools.generator.daily_events import write_event_files
from smarketing_tools.generator.hubspot import file_names
from smarketing_tools.generator.ids import IdSequence
from smarketing_tools.generator.salesforce import LEAD_HISTORY_COLUMNS, TASK_COLUMNS
from smarketing_tools.generator.scales import SCALES
from smarketing_tools.generator.users import build_staff

MAX_DAYS = 366
DATED = re.compile(r"\d{4}-\d\d-\d\d")


@dataclass(frozen=True)
class Delivery:
    day: int
    date: date
    files: dict[str, int]
    """data rows per file, by path relative to out_dir"""

    def manifest_entry(self) -> dict[str, object]:
        return {"day": self.day, "date": self.date.isoformat(), "files": self.files}


@dataclass
class DailySummary:
    out_dir: Path
    scale: str
    seed: int
    as_of: date
    deliveries: list[Delivery] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    def rows_by_kind(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for delivery in self.deliveries:
            for path, rows in delivery.files.items():
                kinds[_kind(path)] = kinds.get(_kind(path), 0) + rows
        return dict(sorted(kinds.items()))

    def __str__(self) -> str:
        files = sum(len(delivery.files) for delivery in self.deliveries)
        kinds = ", ".join(f"{kind} {rows:,}" for kind, rows in self.rows_by_kind().items())
        first, last = self.deliveries[0].date, self.deliveries[-1].date
        dates = f"({first})" if first == last else f"({first} to {last})"
        plural = "y" if first == last else "ies"
        return (
            f"{len(self.deliveries)} daily deliver{plural} {dates} after the {self.scale} "
            f"dataset (seed {self.seed}, as of {self.as_of}): {files} files; rows: {kinds}; "
            f"in {self.elapsed_seconds:.1f} s"
        )


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name.startswith("marketing-events-"):
        return "marketing events"
    if name.startswith("hubspot-crm-exports-"):
        return "HubSpot contacts"
    return name.removesuffix(".csv")


def generate_days(
    out_dir: Path, days: int, progress: Callable[[str, int, int], None] | None = None
) -> DailySummary:
    """Write DAYS daily deliveries after the dataset in OUT_DIR, whose day-0 files stay as
    they are; earlier daily deliveries are replaced. Records them in truth/manifest.json."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"--days-after takes 1 to {MAX_DAYS} days, not {days}")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    report = progress or (lambda stage, done, total: None)
    report("day-0 files read", 0, 1)
    base = read_base(out_dir)  # refuses a missing dataset or another delivery mode first
    report("day-0 files read", 1, 1)
    window = Window.ending(base.as_of, rules.HISTORY_DAYS)
    staff = build_staff(SCALES[base.scale], base.seed, window)
    book = build_campaigns(window, base.seed, IdSequence("Campaign"))
    state = State(base, staff, book)
    inbox = out_dir / "inbox"
    _remove_daily_folders(inbox)
    delivered: list[Delivery] = []
    for d in range(1, days + 1):
        day = Day(state, d)
        day.run()
        delivered.append(Delivery(d, day.date, _write(day, inbox)))
        report("daily deliveries", d, days)
    _record(base, delivered)
    return DailySummary(
        out_dir,
        base.scale,
        base.seed,
        base.as_of,
        delivered,
        round(time.perf_counter() - started, 2),
    )


def _remove_daily_folders(inbox: Path) -> None:
    """A rerun replaces the deliveries of the previous one (day-0 files are never dated)."""
    for tool in ("salesforce", "hubspot"):
        folder = inbox / tool
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.is_dir() and DATED.fullmatch(path.name):
                shutil.rmtree(path)


def _write(day: Day, inbox: Path) -> dict[str, int]:
    stamp = day.date.isoformat()
    sf, hs = inbox / "salesforce" / stamp, inbox / "hubspot" / stamp
    counts: dict[str, int] = {}

    def salesforce(name: str, columns: list[str], rows: list[dict[str, str]]) -> None:
        if rows:
            out = DictRows(salesforce_csv(sf / f"{name}.csv", columns))
            for row in rows:
                out.write(row)
            out.close()
            counts[f"inbox/salesforce/{stamp}/{name}.csv"] = out.rows

    base = day.state.base
    leads = sorted(day.leads.values(), key=lambda row: row["Id"])
    salesforce("Lead", base.leads.header, leads)
    salesforce("LeadHistory", LEAD_HISTORY_COLUMNS, day.history)
    salesforce("Task", TASK_COLUMNS, day.tasks)
    en_name, _, fr_name = file_names(day.date)
    for lang, name, shape in (("en", en_name, HUBSPOT_EN), ("fr", fr_name, HUBSPOT_FR)):
        rows = day.contacts[lang]
        if not rows:
            continue
        header = base.contacts[lang].header
        out = shape.writer(hs / name, header)
        key = header.index(LABEL[lang]["record_id"])
        for row in sorted(rows.values(), key=lambda cells: int(cells[key])):
            out.write(row)
        out.close()
        counts[f"inbox/hubspot/{stamp}/{name}"] = out.rows
    for name, rows_written in write_event_files(hs, day.events, day.state.book).items():
        counts[f"inbox/hubspot/{stamp}/{name}"] = rows_written
    return dict(sorted(counts.items()))


def _record(base: Base, delivered: list[Delivery]) -> None:
    """The deliveries go in the manifest (``daily_deliveries``); the truth stays day 0's."""
    manifest = {k: v for k, v in base.manifest.items() if k != "daily_deliveries"}
    manifest["daily_deliveries"] = [delivery.manifest_entry() for delivery in delivered]
    base.manifest_path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
