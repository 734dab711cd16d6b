"""Demo data generator: CRM and marketing-automation exports of a fictional French B2B
software company, with the ground truth the warehouse must rebuild from them.

``generate()`` writes the exports to ``out_dir/inbox/`` and the truth to ``out_dir/truth/``.
The same scale and seed always give byte-identical files. The rules are in README.md beside
this file.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from smarketing_tools.generator import rules
from smarketing_tools.generator.campaigns import build_campaigns
from smarketing_tools.generator.clock import Window
from smarketing_tools.generator.contacts_plan import plan_contacts
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.deliveries import DELIVERIES, check_delivery, deliver
from smarketing_tools.generator.events import write_events
from smarketing_tools.generator.hubspot import write_contacts
from smarketing_tools.generator.ids import IdSequence
from smarketing_tools.generator.journey import Journey
from smarketing_tools.generator.population import build_orgs, build_people
from smarketing_tools.generator.salesforce import (
    write_accounts,
    write_campaigns,
    write_users,
)
from smarketing_tools.generator.salesforce import (
    write_contacts as write_sf_contacts,
)
from smarketing_tools.generator.scales import SCALES, STREAM_SALESFORCE
from smarketing_tools.generator.truth import write_truth
from smarketing_tools.generator.users import build_staff

__all__ = ["DELIVERIES", "SCALES", "GenerationSummary", "generate"]


@dataclass
class GenerationSummary:
    out_dir: Path
    scale: str
    seed: int
    as_of: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    """data rows per written file, by path relative to out_dir"""
    elapsed_seconds: float = 0.0
    delivery: str = "api"

    @property
    def people(self) -> int:
        return self.counts.get("truth/people.csv", 0)

    @property
    def marketing_events(self) -> int:
        return sum(n for name, n in self.counts.items() if "marketing-events-" in name)

    def __str__(self) -> str:
        files = sum(1 for name in self.counts if name.startswith("inbox/"))
        rows = sum(n for name, n in self.counts.items() if name.startswith("inbox/"))
        return (
            f"{self.scale} scale (seed {self.seed}, as of {self.as_of}): {self.people:,} people, "
            f"{files} export files, {rows:,} rows, {self.marketing_events:,} marketing events, "
            f"in {self.elapsed_seconds:.0f} s"
            + (f", delivered as {self.delivery}" if self.delivery != "api" else "")
        )


def _silent(stage: str, done: int, total: int) -> None:
    return None


def generate(
    out_dir: Path,
    scale: str = "small",
    seed: int = 42,
    as_of: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    delivery: str = "api",
) -> GenerationSummary:
    """Write the demo exports (``out_dir/inbox``) and their ground truth (``out_dir/truth``).

    ``progress(stage, done, total)`` is called regularly during the long stages.
    ``delivery`` picks the shape of the exports (``DELIVERIES``, see deliveries.py); the
    records, and so the truth, are the same in every shape.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    check_delivery(delivery)
    started = time.perf_counter()
    report = progress or _silent
    out_dir = Path(out_dir)
    as_of = as_of or rules.DEFAULT_AS_OF
    inbox, truth = out_dir / "inbox", out_dir / "truth"
    previous_run = (truth / "manifest.json").exists()
    if not previous_run and inbox.exists() and any(inbox.iterdir()):
        raise FileExistsError(f"{inbox} holds files that this generator did not write")
    for folder in (inbox, truth):  # a rerun must not leave files of another run behind
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    window = Window.ending(as_of, rules.HISTORY_DAYS)
    spec = SCALES[scale]

    book = build_campaigns(window, seed, IdSequence("Campaign"))
    orgs = build_orgs(spec, seed, window, report)
    people = build_people(spec, seed, window, orgs, book, report)
    staff = build_staff(spec, seed, window)
    report("people", spec.people, spec.people)
    ctx = Context(spec, seed, window, orgs, people, staff, book, inbox, truth, report)

    plan = plan_contacts(ctx)
    journey = Journey(ctx, plan)
    journey.run()
    counts: dict[str, int] = {f"inbox/salesforce/{k}.csv": v for k, v in journey.counts.items()}
    r = random.Random(seed * 1_000 + STREAM_SALESFORCE)
    counts["inbox/salesforce/User.csv"] = write_users(ctx)
    accounts = sorted(journey.accounts.values(), key=lambda a: a.id)
    counts["inbox/salesforce/Account.csv"] = write_accounts(ctx, accounts, r)
    counts["inbox/salesforce/Contact.csv"] = write_sf_contacts(ctx, journey.contacts, r)
    counts["inbox/salesforce/Campaign.csv"] = write_campaigns(ctx, journey.campaign_stats)
    counts.update(write_contacts(ctx, plan, journey))
    counts.update(write_events(ctx, plan, journey))
    counts.update(write_truth(ctx, plan, journey, counts))
    counts = deliver(ctx, plan, delivery, counts)
    return GenerationSummary(
        out_dir,
        scale,
        seed,
        as_of,
        dict(sorted(counts.items())),
        round(time.perf_counter() - started, 2),
        delivery,
    )
