"""Daily deliveries after a generated dataset (``smarketing generate --days-after N``): what
each day holds, its ids and instants, and that the loader takes every file.

Assertion messages name record ids, counts and file names only, never a value (e-mails,
phones)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from click.testing import CliRunner

from smarketing.cli import main as cli
from smarketing.ingest.loading import load_inbox
from smarketing_tools.generator import generate
from smarketing_tools.generator.daily import generate_days

PARIS = ZoneInfo("Europe/Paris")
SEED = 7
AS_OF = date(2026, 11, 20)
DAYS = 3
PEOPLE = 2_000  # small scale
PROGRESSION = ("Open - Not Contacted", "Working - Contacted", "Accepted", "Qualified")
EN_CONTACTS = "hubspot-crm-exports-contacts-{}.csv"
FR_CONTACTS = "hubspot-crm-exports-tous-les-contacts-{}.csv"
FR_ID = "ID de fiche d'informations"


# --- reading files back ---------------------------------------------------------------------


def read(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def digests(root: Path, dated: bool) -> dict[str, str]:
    """SHA-256 of the day-0 files under ROOT, or of those of the dated folders."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.parent.name.startswith("20") == dated
    }


@dataclass
class Files:
    """One folder's Salesforce leads, history and tasks, HubSpot contacts and events."""

    leads: list[dict[str, str]]
    history: list[dict[str, str]]
    tasks: list[dict[str, str]]
    contacts_en: list[dict[str, str]]
    contacts_fr: list[dict[str, str]]
    events: dict[str, list[dict[str, str]]]
    """by file name"""

    @classmethod
    def read(cls, inbox: Path, day: date | None, stamp: date) -> Files:
        sub = day.isoformat() if day else ""
        sf, hs = inbox / "salesforce" / sub, inbox / "hubspot" / sub
        return cls(
            read(sf / "Lead.csv", "utf-8-sig"),
            read(sf / "LeadHistory.csv", "utf-8-sig"),
            read(sf / "Task.csv", "utf-8-sig"),
            read(hs / EN_CONTACTS.format(stamp)),
            read(hs / FR_CONTACTS.format(stamp), "cp1252", ";"),
            {p.name: read(p) for p in sorted(hs.glob("marketing-events-*.csv"))},
        )

    def contact_ids(self) -> set[str]:
        return {r["Record ID"] for r in self.contacts_en} | {r[FR_ID] for r in self.contacts_fr}

    def event_rows(self) -> list[dict[str, str]]:
        return [row for rows in self.events.values() for row in rows]


@dataclass
class Daily:
    out: Path
    dates: list[date]
    day0: dict[str, str]
    """digests of the day-0 files before the deliveries"""
    base: Files
    days: list[Files]

    @property
    def inbox(self) -> Path:
        return self.out / "inbox"

    def new_leads(self, i: int) -> list[dict[str, str]]:
        created = {h["LeadId"] for h in self.days[i].history if h["Field"] == "created"}
        return [row for row in self.days[i].leads if row["Id"] in created]

    def new_contacts(self, i: int) -> list[dict[str, str]]:
        known = self.base.contact_ids()
        return [row for row in self.days[i].contacts_en if row["Record ID"] not in known]


def copy_of(base: Path, target: Path) -> Path:
    shutil.copytree(base, target)
    return target


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base")
    generate(out, "small", SEED)
    return out


@pytest.fixture(scope="module")
def daily(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Daily:
    out = copy_of(base, tmp_path_factory.mktemp("daily") / "out")
    day0 = {k: v for k, v in digests(out, dated=False).items() if k != "truth/manifest.json"}
    summary = generate_days(out, DAYS)
    dates = [d.date for d in summary.deliveries]
    inbox = out / "inbox"
    days = [Files.read(inbox, day, day) for day in dates]
    return Daily(out, dates, day0, Files.read(inbox, None, AS_OF), days)


def sf_instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.000+0000").replace(tzinfo=UTC)


def hs_instant(text: str) -> datetime:
    """A HubSpot time: naive Paris time, ``2026-03-05 14:22`` or ``05/03/2026 14:22``."""
    fmt = "%d/%m/%Y %H:%M" if "/" in text else "%Y-%m-%d %H:%M"
    return datetime.strptime(text, fmt).replace(tzinfo=PARIS)


def covered(day: date) -> tuple[datetime, datetime]:
    """The instants a delivery dated DAY covers: the day before it, Paris time."""
    midnight = datetime.min.time()
    return (
        datetime.combine(day - timedelta(days=1), midnight, PARIS),
        datetime.combine(day, midnight, PARIS),
    )


def in_business_hours(moment: datetime, day: date) -> bool:
    local = moment.astimezone(PARIS)
    return local.date() == day - timedelta(days=1) and 9 <= local.hour < 18


# --- files ----------------------------------------------------------------------------------


def test_day0_files_stay_and_days_go_in_dated_folders(daily: Daily) -> None:
    after = {k: v for k, v in digests(daily.out, dated=False).items() if k != "truth/manifest.json"}
    assert after == daily.day0, "day-0 files changed"
    assert daily.dates == [AS_OF + timedelta(days=d) for d in range(1, DAYS + 1)]
    for day in daily.dates:
        names = {p.name for p in (daily.inbox / "salesforce" / str(day)).iterdir()}
        assert names == {"Lead.csv", "LeadHistory.csv", "Task.csv"}, day
        names = {p.name for p in (daily.inbox / "hubspot" / str(day)).iterdir()}
        assert EN_CONTACTS.format(day) in names and "marketing-events-2026-11.csv" in names, day


def test_same_dataset_same_days_same_bytes(daily: Daily, base: Path, tmp_path: Path) -> None:
    delivered = digests(daily.out, dated=True)
    assert len(delivered) >= 5 * DAYS
    again = copy_of(base, tmp_path / "again")
    generate_days(again, DAYS)
    assert digests(again, dated=True) == delivered
    # a day depends on the days before it only: day 1 alone is day 1 of three
    day1 = {k: v for k, v in delivered.items() if f"/{daily.dates[0]}/" in k}
    one = copy_of(base, tmp_path / "one")
    generate_days(one, 1)
    assert digests(one, dated=True) == day1
    # a rerun replaces the earlier deliveries
    generate_days(again, 1)
    assert digests(again, dated=True) == day1


def test_files_have_the_day0_shapes(daily: Daily) -> None:
    def first_line(path: Path) -> bytes:
        return path.read_bytes().split(b"\n", 1)[0]

    inbox = daily.inbox
    for day in daily.dates:
        for sobject in ("Lead", "LeadHistory", "Task"):
            path = inbox / "salesforce" / str(day) / f"{sobject}.csv"
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw, path.name
            assert first_line(path) == first_line(inbox / "salesforce" / f"{sobject}.csv")
        folder = inbox / "hubspot" / str(day)
        english = folder / EN_CONTACTS.format(day)
        assert first_line(english) == first_line(inbox / "hubspot" / EN_CONTACTS.format(AS_OF))
        french = folder / FR_CONTACTS.format(day)
        if french.exists():
            assert first_line(french) == first_line(inbox / "hubspot" / FR_CONTACTS.format(AS_OF))
            assert french.read_bytes().count(b"\n") == french.read_bytes().count(b"\r\n")
        for path in folder.glob("marketing-events-*.csv"):
            header, *lines = path.read_text(encoding="utf-8").splitlines()
            assert header == (
                "Event ID,Contact ID,Email,Event Type,Event Date,Campaign ID,Campaign,Asset,URL"
            )
            assert all(line.split(",", 2)[0].isdigit() for line in lines), path.name
            assert all('"' in line for line in lines), "text quoted, as day 0's"


def test_manifest_records_the_deliveries(daily: Daily) -> None:
    manifest = json.loads((daily.out / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["scale"], manifest["seed"], manifest["as_of"]) == ("small", SEED, str(AS_OF))
    entries = manifest["daily_deliveries"]
    assert [(e["day"], e["date"]) for e in entries] == [
        (d, str(AS_OF + timedelta(days=d))) for d in range(1, DAYS + 1)
    ]
    on_disk = {
        p.relative_to(daily.out).as_posix()
        for p in daily.inbox.rglob("*.csv")
        if p.parent.name.startswith("20")
    }
    assert {path for e in entries for path in e["files"]} == on_disk
    for e in entries:
        for path, rows in e["files"].items():
            french = "tous-les-contacts" in path
            text = (daily.out / path).read_text(encoding="cp1252" if french else "utf-8-sig")
            records = list(
                csv.reader(io.StringIO(text, newline=""), delimiter=";" if french else ",")
            )
            assert len(records) - 1 == rows, path


# --- what each day holds --------------------------------------------------------------------


def test_rates_within_bounds(daily: Daily) -> None:
    """About 0.5 % of the people new, 0.5 % moved, half the new with a HubSpot contact; late
    events about 0.1 % of day 0's (each count is drawn within ± 20 %)."""
    n_events = sum(len(rows) for rows in daily.base.events.values())
    new_total = with_contact = 0
    for i, day in enumerate(daily.dates):
        new = daily.new_leads(i)
        assert 0.0025 * PEOPLE <= len(new) <= 0.0075 * PEOPLE, (day, len(new))
        moves = [h for h in daily.days[i].history if h["Field"] == "Status"]
        assert 0.0025 * PEOPLE <= len(moves) <= 0.0075 * PEOPLE, (day, len(moves))
        contacts = daily.new_contacts(i)
        assert {c["Salesforce Lead ID"] for c in contacts} <= {r["Id"] for r in new}
        new_total, with_contact = new_total + len(new), with_contact + len(contacts)
        known = daily.base.contact_ids()
        late = [e for e in daily.days[i].event_rows() if e["Contact ID"] in known]
        assert len(late) >= 3 and 0.0008 * n_events <= len(late) <= 0.0012 * n_events, day
        advanced = [c for c in daily.days[i].contacts_en if c not in contacts]
        assert len(advanced) + len(daily.days[i].contacts_fr) >= 1, day
    assert 0.25 <= with_contact / new_total <= 0.75, (with_contact, new_total)


def test_new_ids_do_not_collide_with_day0(daily: Daily) -> None:
    base = daily.base
    for i, files in enumerate(daily.days):
        new_ids = {r["Id"] for r in daily.new_leads(i)}
        assert not new_ids & {r["Id"] for r in base.leads}
        assert {r["Id"] for r in files.history}.isdisjoint(r["Id"] for r in base.history)
        assert {r["Id"] for r in files.tasks}.isdisjoint(r["Id"] for r in base.tasks)
        contact_ids = {r["Record ID"] for r in daily.new_contacts(i)}
        assert contact_ids and contact_ids.isdisjoint(base.contact_ids())
        base_event_ids = {int(e["Event ID"]) for e in base.event_rows()}
        day_event_ids = [int(e["Event ID"]) for e in files.event_rows()]
        assert len(set(day_event_ids)) == len(day_event_ids)
        assert min(day_event_ids) > max(base_event_ids)
    every_day = [r["Id"] for f in daily.days for r in f.history + f.tasks]
    assert len(every_day) == len(set(every_day)), "ids are unique across days"
    new_emails = {r["Email"].strip().lower() for i in range(DAYS) for r in daily.new_leads(i)}
    base_emails = {r["Email"].strip().lower() for r in base.leads + base.contacts_en}
    collisions = len((new_emails - {""}) & base_emails)
    assert collisions == 0, f"{collisions} new e-mails are day-0 e-mails"


def test_new_leads_are_open_in_business_hours(daily: Daily) -> None:
    users = {u["Id"]: u for u in read(daily.inbox / "salesforce" / "User.csv", "utf-8-sig")}
    for i, day in enumerate(daily.dates):
        history = {h["LeadId"]: h for h in daily.days[i].history if h["Field"] == "created"}
        for lead in daily.new_leads(i):
            assert lead["Status"] == PROGRESSION[0], lead["Id"]
            assert lead["IsDeleted"] == lead["IsConverted"] == "false", lead["Id"]
            owner = users[lead["OwnerId"]]
            assert owner["Department"] == "Ventes" and owner["IsActive"] == "true", lead["Id"]
            for column in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
                assert in_business_hours(sf_instant(lead[column]), day), (lead["Id"], column)
            created = history[lead["Id"]]
            assert (created["CreatedDate"], created["CreatedById"]) == (
                lead["CreatedDate"],
                lead["CreatedById"],
            )
        for contact in daily.new_contacts(i):
            assert contact["Lifecycle Stage"] == "Marketing Qualified Lead", contact["Record ID"]
            assert in_business_hours(hs_instant(contact["Create Date"]), day)
            forms = [
                e for e in daily.days[i].event_rows() if e["Contact ID"] == contact["Record ID"]
            ]
            assert len(forms) == 1 and forms[0]["Event Type"] == "Form submission"
            assert forms[0]["Event Date"] == contact["Create Date"], contact["Record ID"]


def test_changed_leads_move_one_step_with_a_task(daily: Daily) -> None:
    status = {r["Id"]: r["Status"] for r in daily.base.leads}
    for i, day in enumerate(daily.dates):
        start, end = covered(day)
        leads = {r["Id"]: r for r in daily.days[i].leads}
        tasks = {t["WhoId"]: t for t in daily.days[i].tasks}
        for move in (h for h in daily.days[i].history if h["Field"] == "Status"):
            lead_id = move["LeadId"]
            # the state after the day before: a lead moved again goes on from there
            assert move["OldValue"] == status[lead_id], lead_id
            step = PROGRESSION.index(move["OldValue"])
            assert move["NewValue"] == PROGRESSION[step + 1], lead_id
            assert move["DataType"] == "Picklist", lead_id
            lead = leads[lead_id]
            assert lead["Status"] == move["NewValue"], lead_id
            assert start <= sf_instant(lead["LastModifiedDate"]) < end, lead_id
            assert lead["SystemModstamp"] == lead["LastModifiedDate"] == move["CreatedDate"]
            task = tasks[lead_id]
            assert task["Status"] == "Completed" and task["OwnerId"] == lead["OwnerId"], lead_id
            assert task["TaskSubtype"] in ("Call", "Email") and task["IsClosed"] == "true"
            assert task["CompletedDateTime"] <= move["CreatedDate"], lead_id
            status[lead_id] = move["NewValue"]
        for lead in daily.new_leads(i):
            status[lead["Id"]] = lead["Status"]
    assert len(daily.days[0].tasks) >= 0.0025 * PEOPLE


def test_one_lead_deleted_and_one_merged_per_day(daily: Daily) -> None:
    person_of = {
        r["source_record_id"]: r["person_id"]
        for r in read(daily.out / "truth" / "source_records.csv")
        if r["source_entity"] == "lead"
    }
    email_of = {r["Id"]: r["Email"].strip().lower() for r in daily.base.leads}
    gone: set[str] = set()
    for i, day in enumerate(daily.dates):
        start, end = covered(day)
        deleted = [r for r in daily.days[i].leads if r["IsDeleted"] == "true"]
        merged = [r for r in deleted if r["MasterRecordId"]]
        removed = [r for r in deleted if not r["MasterRecordId"]]
        assert len(merged) == 1 and len(removed) == 1, day
        loser = merged[0]
        survivor = next(r for r in daily.days[i].leads if r["Id"] == loser["MasterRecordId"])
        assert survivor["IsDeleted"] == "false", survivor["Id"]
        same_person = person_of[loser["Id"]] == person_of[survivor["Id"]]
        assert same_person or email_of[loser["Id"]] == email_of[survivor["Id"]], loser["Id"]
        assert survivor["CreatedDate"] <= loser["CreatedDate"], "the older lead survives"
        for lead in (loser, survivor, removed[0]):
            assert start <= sf_instant(lead["LastModifiedDate"]) < end, lead["Id"]
        assert loser["Id"] not in gone and removed[0]["Id"] not in gone
        assert survivor["Id"] not in gone
        gone |= {loser["Id"], removed[0]["Id"]}


def test_late_events_happened_in_the_three_days_before(daily: Daily) -> None:
    contacts = daily.base.contact_ids()
    for i, day in enumerate(daily.dates):
        start, _ = covered(day)
        for name, rows in daily.days[i].events.items():
            for event in rows:
                if event["Contact ID"] not in contacts:
                    continue  # a new contact's form
                moment = hs_instant(event["Event Date"])
                assert start - timedelta(days=3) <= moment < start, event["Event ID"]
                assert name == f"marketing-events-{event['Event Date'][:7]}.csv"


def test_late_events_early_in_a_month_go_to_the_previous_month(tmp_path: Path) -> None:
    out = tmp_path / "december"
    generate(out, "small", SEED, as_of=date(2026, 12, 1))
    summary = generate_days(out, 1)  # covers 1 December: late events from 28 to 30 November
    names = {path.rsplit("/", 1)[-1] for path in summary.deliveries[0].files}
    assert {"marketing-events-2026-11.csv", "marketing-events-2026-12.csv"} <= names
    november = read(out / "inbox" / "hubspot" / "2026-12-02" / "marketing-events-2026-11.csv")
    assert len(november) >= 3
    assert all("2026-11-28" <= e["Event Date"] < "2026-12-01" for e in november)


# --- the loader -----------------------------------------------------------------------------


def test_every_delivered_file_loads_without_rejects(daily: Daily, tmp_path: Path) -> None:
    """Day 0 (its marketing events aside, to stay fast) then the days, through the loader."""
    inbox = tmp_path / "inbox"
    for path in daily.inbox.rglob("*.csv"):
        if path.parent.name.startswith("20") or not path.name.startswith("marketing-events-"):
            target = inbox / path.relative_to(daily.inbox)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    manifest = json.loads((daily.out / "truth" / "manifest.json").read_text(encoding="utf-8"))
    delivered = {
        path.removeprefix("inbox/"): rows
        for e in manifest["daily_deliveries"]
        for path, rows in e["files"].items()
    }
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    try:
        loads = {r.source_file: r for r in load_inbox(con, inbox)}
        assert con.execute("select count(*) from audit.rejected_rows").fetchone() == (0,)
        order = list(loads)
        for source_file, rows in delivered.items():
            result = loads[source_file]
            assert result.status == "loaded" and result.rows_rejected == 0, source_file
            assert result.rows_loaded == rows, source_file
            (raw,) = con.execute(
                f"select count(*) from raw.{result.raw_table} where _source_file = ?",
                [source_file],
            ).fetchone()
            assert raw == rows, source_file
            day0 = source_file.split("/", 1)[0] + "/Lead.csv"
            if day0 in loads:  # a day loads after the day-0 files
                assert order.index(source_file) > order.index(day0)
    finally:
        con.close()


# --- the command line -----------------------------------------------------------------------


def test_cli_summary_names_kinds_not_people(base: Path, tmp_path: Path) -> None:
    out = copy_of(base, tmp_path / "cli")
    result = CliRunner().invoke(cli, ["generate", "--days-after", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("2 daily deliveries (2026-11-21 to 2026-11-22)")
    for kind in ("Lead ", "LeadHistory ", "Task ", "HubSpot contacts ", "marketing events "):
        assert kind in summary
    assert "@" not in result.output
    refused = CliRunner().invoke(
        cli, ["generate", "--days-after", "1", "--seed", "3", "--out", str(out)]
    )
    assert refused.exit_code == 2 and "--seed" in refused.output


def test_missing_dataset_and_other_modes_are_refused(base: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nothing"
    result = CliRunner().invoke(cli, ["generate", "--days-after", "1", "--out", str(missing)])
    assert result.exit_code == 1 and str(missing / "truth" / "manifest.json") in result.output
    out = copy_of(base, tmp_path / "report")
    path = out / "truth" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "delivery": "report-fr"}), encoding="utf-8")
    with pytest.raises(ValueError, match="report-fr"):
        generate_days(out, 1)
    result = CliRunner().invoke(cli, ["generate", "--days-after", "1", "--out", str(out)])
    assert result.exit_code == 1 and "report-fr" in result.output
    assert not any(p.name.startswith("20") for p in (out / "inbox" / "salesforce").iterdir())


def test_lifecycle_moves_only_for_people_sales_does_not_know(base: Path) -> None:
    """The HubSpot contacts a day may move a marketing stage: only those whose person has no
    Salesforce record at all (truth), sync id on the contact or not: otherwise Salesforce's
    stages lead."""
    from smarketing_tools.generator import rules
    from smarketing_tools.generator.campaigns import build_campaigns
    from smarketing_tools.generator.clock import Window
    from smarketing_tools.generator.daily_base import LABEL, State, read_base
    from smarketing_tools.generator.ids import IdSequence
    from smarketing_tools.generator.scales import SCALES
    from smarketing_tools.generator.users import build_staff

    day0 = read_base(base)
    window = Window.ending(day0.as_of, rules.HISTORY_DAYS)
    state = State(
        day0,
        build_staff(SCALES[day0.scale], day0.seed, window),
        build_campaigns(window, day0.seed, IdSequence("Campaign")),
    )
    records = read(base / "truth" / "source_records.csv")
    sales_people = {r["person_id"] for r in records if r["source_system"] == "salesforce"}
    person_of = {
        r["source_record_id"]: r["person_id"] for r in records if r["source_system"] == "hubspot"
    }
    movable = {day0.contacts[lang].column(LABEL[lang]["record_id"])[i] for lang, i in state.stage}
    assert movable
    assert not {record for record in movable if person_of.get(record) in sales_people}
