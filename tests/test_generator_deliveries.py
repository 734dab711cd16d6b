"""The generator's delivery modes: each shape checked by hand, loaded by the loader, and read
back (plain Python, no dbt) to the very records of the default Data Loader / UI delivery.

Assertion messages name record ids and columns only, never a value (e-mails, phones)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from click.testing import CliRunner

from smarketing.cli import DELIVERIES as CLI_DELIVERIES
from smarketing.cli import main as cli
from smarketing.config.mappings import load_mappings
from smarketing.ingest.loading import FileLoad, load_inbox
from smarketing_tools.generator import DELIVERIES, generate
from tests.conftest import REPO

PARIS = ZoneInfo("Europe/Paris")
AS_OF = "2026-11-20"
MODES = ("report-en", "report-fr", "data-export", "hubspot-associations")
REPORTS = ("report-en", "report-fr")
EN_CONTACTS = f"hubspot/hubspot-crm-exports-contacts-{AS_OF}.csv"
EN_COPY = f"hubspot/hubspot-crm-exports-contacts-{AS_OF} (1).csv"
FR_CONTACTS = f"hubspot/hubspot-crm-exports-tous-les-contacts-{AS_OF}.csv"
COMPANIES = f"hubspot/hubspot-crm-exports-all-companies-{AS_OF}.csv"
SF_OBJECTS = (
    "Account",
    "Campaign",
    "CampaignMember",
    "Contact",
    "Lead",
    "LeadHistory",
    "Opportunity",
    "OpportunityHistory",
    "Task",
    "User",
)
RAW_TABLE = {
    "Account": "salesforce__account",
    "Campaign": "salesforce__campaign",
    "CampaignMember": "salesforce__campaign_member",
    "Contact": "salesforce__contact",
    "Lead": "salesforce__lead",
    "LeadHistory": "salesforce__lead_history",
    "Opportunity": "salesforce__opportunity",
    "OpportunityHistory": "salesforce__opportunity_history",
    "Task": "salesforce__task",
    "User": "salesforce__user",
    "Event": "salesforce__event",
    "CurrencyType": "salesforce__currency_type",
    "DatedConversionRate": "salesforce__dated_conversion_rate",
}
# custom fields in report exports: kept under their label's name
REPORT_CUSTOM_COLUMNS = {
    "lead_score",
    "rejection_reason",
    "offer",
    "hubspot_record_id",
    "loss_reason",
    "team",
    "region",
    "channel",
    "segment",
}
EMPTY_ID = "000000000000000AAA"
NBSP = "\u00a0"
DL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000\+0000")
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
INTEGER = re.compile(r"\d+")
EN_TIME = re.compile(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d [AP]M")
FR_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")
DASHED_TIME = re.compile(r"\d\d-\d\d-\d{4} \d\d:\d\d")
QUOTED_LINE = re.compile(r'"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*')


# --- generating and loading once per mode ----------------------------------------------------


@dataclass
class Delivered:
    out: Path
    counts: dict[str, int]
    loads: dict[str, FileLoad]
    rejects: dict[str, list[str]]
    columns: dict[str, list[str]]
    """raw table -> its columns"""

    @property
    def inbox(self) -> Path:
        return self.out / "inbox"


def load(out: Path, work: Path) -> tuple[dict[str, FileLoad], dict[str, list[str]], dict]:
    """Load the delivered inbox into a fresh DuckDB (the monthly marketing-event files, the
    same in every mode, are left out to keep this fast)."""
    inbox = work / "inbox"
    for path in (out / "inbox").rglob("*.csv"):
        if not path.name.startswith("marketing-events-"):
            target = inbox / path.relative_to(out / "inbox")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    con = duckdb.connect(str(work / "warehouse.duckdb"))
    try:
        # the pipedrive delivery's files are known through the shipped mapping files
        mapped = tuple(mapping.kind() for mapping in load_mappings(REPO / "mappings"))
        loads = {r.source_file: r for r in load_inbox(con, inbox, mapped=mapped)}
        rejects: dict[str, list[str]] = {}
        for source_file, reason in con.execute(
            "select source_file, reason from audit.rejected_rows order by source_file, row_number"
        ).fetchall():
            rejects.setdefault(source_file, []).append(reason)
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'raw' order by table_name, ordinal_position"
        ).fetchall():
            columns.setdefault(table, []).append(column)
    finally:
        con.close()
    return loads, rejects, columns


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Delivered]:
    cache: dict[str, Delivered] = {}

    def get(mode: str) -> Delivered:
        if mode not in cache:
            out = tmp_path_factory.mktemp(mode)
            summary = generate(out, "small", 42, **({} if mode == "api" else {"delivery": mode}))
            assert summary.delivery == mode
            loads, rejects, columns = load(out, tmp_path_factory.mktemp(f"{mode}-load"))
            cache[mode] = Delivered(out, summary.counts, loads, rejects, columns)
        return cache[mode]

    return get


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- reading files back --------------------------------------------------------------------


def read_api(d: Delivered, sobject: str) -> tuple[list[str], list[list[str]]]:
    text = (d.inbox / "salesforce" / f"{sobject}.csv").read_text(encoding="utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    return header, rows


def read_report(path: Path, mode: str) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Header, records and trailer lines (after the blank line) of a report export."""
    text = path.read_bytes().decode("cp1252" if mode == "report-fr" else "utf-8")
    header, *lines = csv.reader(io.StringIO(text, newline=""))
    blank = lines.index([])
    return header, lines[:blank], lines[blank + 1 :]


def decoded_lines(path: Path) -> Iterator[tuple[str, str]]:
    """Each line of a Data Export file with the encoding it was written in."""
    for raw in path.read_bytes().splitlines(keepends=True):
        try:
            yield raw.decode("utf-8"), "ascii" if raw.isascii() else "utf-8"
        except UnicodeDecodeError:
            yield raw.decode("cp1252"), "cp1252"


def read_export(path: Path) -> tuple[list[str], list[list[str]]]:
    text = "".join(line for line, _ in decoded_lines(path))
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    return header, rows


def api_instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.000+0000").replace(tzinfo=UTC)


def report_instant(text: str, english: bool) -> datetime:
    if DASHED_TIME.fullmatch(text):
        fmt = "%d-%m-%Y %H:%M"
    elif english:
        assert EN_TIME.fullmatch(text), "an English report time is m/d/yyyy h:mm AM"
        fmt = "%m/%d/%Y %I:%M %p"
    else:
        assert FR_TIME.fullmatch(text), "a French report time is dd/mm/yyyy hh:mm"
        fmt = "%d/%m/%Y %H:%M"
    return datetime.strptime(text, fmt).replace(tzinfo=PARIS).astimezone(UTC)


def report_date(text: str, english: bool) -> date:
    if "-" in text:
        return datetime.strptime(text, "%d-%m-%Y").date()
    return datetime.strptime(text, "%m/%d/%Y" if english else "%d/%m/%Y").date()


def report_number(text: str, english: bool) -> Decimal:
    digits = re.sub(rf"EUR|€|%|\s|{NBSP}", "", text)
    digits = digits.replace(",", "") if english else digits.replace(",", ".")
    return Decimal(digits)


def same_in_report(api: str, got: str, english: bool) -> bool:
    """Whether a report cell holds the Data Loader value API."""
    if api == got:
        return True
    if api == "":
        return got in ("N/A", "-")
    if api in ("true", "false"):
        return got == {"true": "1", "false": "0"}[api]
    if DL_TIME.fullmatch(api):
        return report_instant(got, english) == api_instant(api)
    if ISO_DATE.fullmatch(api):
        return report_date(got, english) == date.fromisoformat(api)
    if INTEGER.fullmatch(api):
        return report_number(got, english) == Decimal(api)
    return False


def mismatches(
    ids: list[str],
    columns: list[str],
    expected: list[list[str]],
    got: list[list[str]],
    same: Callable[[str, str], bool],
) -> list[tuple[str, str]]:
    """(record id, column) of every cell that differs; values are never shown."""
    # counts, not rows, in the messages: rows hold e-mails and phones
    if len(expected) != len(got):
        pytest.fail(f"{len(got)} records instead of {len(expected)}")
    found = []
    for key, want, have in zip(ids, expected, got, strict=True):
        if len(want) != len(have):
            pytest.fail(f"{key}: {len(have)} fields instead of {len(want)}")
        found += [(key, c) for c, a, b in zip(columns, want, have, strict=True) if not same(a, b)]
    return found


# --- every mode: loaded as the records it holds ----------------------------------------------


PIPEDRIVE_TABLE = {
    "people-export.csv": "mapped__pipedrive_persons",
    "deals-export.csv": "mapped__pipedrive_deals",
    "activities-export.csv": "mapped__pipedrive_activities",
    "lead-status-changelog.csv": "mapped__pipedrive_lead_status_changes",
}


def expected_table(source_file: str) -> str:
    folder, name = source_file.split("/")
    if folder == "salesforce":
        return RAW_TABLE[name.removesuffix(".csv")]
    if folder == "pipedrive":
        return PIPEDRIVE_TABLE[name]
    return "hubspot__company" if "all-companies" in name else "hubspot__contact"


@pytest.mark.parametrize("mode", DELIVERIES)
def test_every_file_is_loaded_as_its_records(
    delivered: Callable[[str], Delivered], mode: str
) -> None:
    d = delivered(mode)
    written = {
        name.removeprefix("inbox/")
        for name in d.counts
        if name.startswith("inbox/") and "marketing-events-" not in name
    }
    assert set(d.loads) == written
    for source_file, result in d.loads.items():
        if source_file == EN_COPY:
            assert result.status == "duplicate", source_file
            continue
        assert result.status == "loaded", (source_file, result.status, result.error)
        assert result.raw_table == expected_table(source_file), source_file
        assert result.rows_loaded == d.counts[f"inbox/{source_file}"], source_file
        assert result.rows_read == result.rows_loaded + result.rows_rejected, source_file
        reasons = d.rejects.get(source_file, [])
        assert len(reasons) == result.rows_rejected, source_file
        if mode in REPORTS and source_file.startswith("salesforce/"):
            # the blank line and one to three trailer lines, none of them a record
            assert 2 <= len(reasons) <= 4, source_file
            assert all(r.startswith("not a record") for r in reasons), (source_file, reasons)
            assert reasons[0] == "not a record: blank line", source_file
            assert result.header_language == mode.removeprefix("report-") or source_file in (
                # the registry has few labels for these two: mostly English ones in French
                "salesforce/OpportunityHistory.csv",
                "salesforce/CampaignMember.csv",
            ), source_file
            assert set(result.unknown_columns) <= REPORT_CUSTOM_COLUMNS, source_file
        else:
            assert result.rows_rejected == 0, (source_file, reasons)


def test_truth_is_the_same_for_every_mode(delivered: Callable[[str], Delivered]) -> None:
    api = delivered("api")
    truth = {k: v for k, v in digests(api.out / "truth").items() if k != "manifest.json"}
    manifest = json.loads((api.out / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert "delivery" not in manifest  # the default files and manifest are as before
    for mode in MODES:
        d = delivered(mode)
        mode_truth = digests(d.out / "truth")
        assert {k: v for k, v in mode_truth.items() if k != "manifest.json"} == truth, mode
        mode_manifest = json.loads((d.out / "truth" / "manifest.json").read_text("utf-8"))
        assert mode_manifest["delivery"] == mode
        assert mode_manifest["counts"] == d.counts
        assert {k: v for k, v in mode_manifest.items() if k not in ("delivery", "counts")} == {
            k: v for k, v in manifest.items() if k != "counts"
        }


def test_the_pipedrive_truth_names_its_persons(delivered: Callable[[str], Delivered]) -> None:
    """Pipedrive keeps one person for a lead and the contact it became: the truth's records are
    those persons, every other truth file is the same as for the default files."""
    api, pipedrive = delivered("api"), delivered("pipedrive")
    changed = {
        k
        for k, v in digests(pipedrive.out / "truth").items()
        if digests(api.out / "truth").get(k) != v
    }
    assert changed == {"manifest.json", "source_records.csv"}

    def records(d: Delivered) -> list[dict[str, str]]:
        path = d.out / "truth" / "source_records.csv"
        return list(csv.DictReader(path.open(encoding="utf-8", newline="")))

    before, after = records(api), records(pipedrive)
    leads = [
        r for r in before if (r["source_system"], r["source_entity"]) == ("salesforce", "lead")
    ]
    persons = [r for r in after if r["source_system"] == "pipedrive"]
    assert len(persons) == len(leads) == pipedrive.counts["inbox/pipedrive/people-export.csv"]
    assert {r["person_id"] for r in persons} == {r["person_id"] for r in leads}
    assert not [r for r in after if r["source_system"] == "salesforce"]
    assert [r for r in after if r["source_system"] == "hubspot"] == [
        r for r in before if r["source_system"] == "hubspot"
    ]


def test_files_a_mode_does_not_touch_keep_their_bytes(
    delivered: Callable[[str], Delivered],
) -> None:
    api = digests(delivered("api").inbox)
    for mode in MODES:
        mode_files = digests(delivered(mode).inbox)
        kept = "hubspot/" if mode != "hubspot-associations" else "salesforce/"
        unchanged = {k: v for k, v in api.items() if k.startswith(kept) or "marketing-" in k}
        assert {k: mode_files.get(k) for k in unchanged} == unchanged, mode


def test_same_seed_same_bytes(delivered: Callable[[str], Delivered], tmp_path: Path) -> None:
    """Also: `api` given explicitly writes what a call without `delivery` writes."""
    for mode in DELIVERIES:
        generate(tmp_path / mode, "small", 42, delivery=mode)
        assert digests(tmp_path / mode) == digests(delivered(mode).out), mode


def test_api_is_the_default_and_unknown_modes_are_refused(tmp_path: Path) -> None:
    assert ("api", *MODES, "pipedrive") == DELIVERIES == CLI_DELIVERIES
    with pytest.raises(ValueError, match="unknown delivery"):
        generate(tmp_path / "out", "small", 42, delivery="report-de")
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(cli, ["generate", "--delivery", "report-de"])
    assert result.exit_code == 2 and "report-de" in result.output
    help_text = CliRunner().invoke(cli, ["generate", "--help"]).output
    assert all(mode in help_text for mode in DELIVERIES)


# --- report exports -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", REPORTS)
def test_report_shape(delivered: Callable[[str], Delivered], mode: str) -> None:
    d, english = delivered(mode), mode == "report-en"
    trailers, dashed, placeholders = [], 0, set()
    for sobject in SF_OBJECTS:
        path = d.inbox / "salesforce" / f"{sobject}.csv"
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), sobject
        if english:
            raw.decode("utf-8")
            assert b"\r\n" not in raw, sobject
        else:
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")  # Windows-1252 accents
            assert raw.count(b"\r\n") == raw.count(b"\n"), sobject
        # every cell quoted: records, header and trailer alike
        lines = raw.decode("utf-8" if english else "cp1252").splitlines()
        assert all(QUOTED_LINE.fullmatch(line) for line in lines if line), sobject

        api_header, api_rows = read_api(delivered("api"), sobject)
        header, rows, trailer = read_report(path, mode)
        assert len(header) == len(api_header) == len(set(header)), sobject
        api_like = [
            h for h in header if "__c" in h or (" " not in h and re.search("[a-z][A-Z]", h))
        ]
        assert api_like == [], (sobject, api_like)
        n_rows, n_api_rows = len(rows), len(api_rows)
        assert n_rows == n_api_rows, sobject
        for position, name in enumerate(api_header):
            values = {row[position] for row in rows}
            api_values = {row[position] for row in api_rows} - {""}
            if name == "Id":
                assert "" not in values and not values & {"N/A", "-"}, sobject
            placeholders |= values & {"N/A", "-"}
            values -= {"", "N/A", "-"}
            if api_values and all(DL_TIME.fullmatch(v) for v in api_values):
                shape = {EN_TIME if english else FR_TIME, DASHED_TIME}
                assert all(any(s.fullmatch(v) for s in shape) for v in values), (sobject, name)
                dashed += any(DASHED_TIME.fullmatch(v) for v in values)
            if api_values and api_values <= {"true", "false"}:
                assert values <= {"0", "1"}, (sobject, name)
            if name in ("Amount", "AmountAllOpportunities") and values:
                amount = (
                    rf"\d{{1,3}}(?:{NBSP}\d{{3}})*,\d\d{NBSP}€"
                    if not english
                    else r"€\d{1,3}(?:,\d{3})*\.\d\d "
                    if sobject.startswith("Opportunity")
                    else r"EUR \d{1,3}(?:,\d{3})*\.\d\d"
                )
                assert all(re.fullmatch(amount, v) for v in values), (sobject, name)
            if name in ("CloseDate", "ActivityDate", "StartDate") and values:
                day = r"\d\d-\d\d-\d{4}|" + (
                    r"\d{1,2}/\d{1,2}/\d{4}" if english else r"\d\d/\d\d/\d{4}"
                )
                assert all(re.fullmatch(day, v) for v in values), (sobject, name)
        trailers.append((sobject, len(rows), trailer))
    assert dashed >= 2  # some files are in dd-mm-yyyy hh:mm
    assert placeholders == {"N/A", "-"}
    texts = [line[0] for _, _, trailer in trailers for line in trailer if len(line) == 1]
    word = "Grand Totals" if english else "Total général"
    counted = [(n, line[0]) for _, n, t in trailers for line in t if line[0].startswith(word)]
    assert counted and all(text.startswith(f"{word} ({n} ") for n, text in counted)
    assert any(len(line) > 1 for _, _, trailer in trailers for line in trailer)  # column totals
    assert any("Confidential" in t or "confidentielles" in t for t in texts)
    assert any(t.startswith("Copyright (c) 2000-2026 salesforce.com, inc.") for t in texts)
    assert len({tuple(len(line) for line in t) for _, _, t in trailers}) >= 3  # trailers vary


@pytest.mark.parametrize("mode", REPORTS)
def test_report_records_are_the_api_records(
    delivered: Callable[[str], Delivered], mode: str
) -> None:
    d, english = delivered(mode), mode == "report-en"
    for sobject in SF_OBJECTS:
        api_header, api_rows = read_api(delivered("api"), sobject)
        _, rows, _ = read_report(d.inbox / "salesforce" / f"{sobject}.csv", mode)
        ids = [row[0] for row in api_rows]
        assert [row[0] for row in rows] == ids, sobject
        found = mismatches(
            ids, api_header, api_rows, rows, lambda a, b: same_in_report(a, b, english)
        )
        assert found == [], (sobject, found[:10])


# --- Data Export ----------------------------------------------------------------------------


def test_data_export_shape(delivered: Callable[[str], Delivered]) -> None:
    d = delivered("data-export")
    folder = d.inbox / "salesforce"
    encodings: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.csv")):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw, path.name
        lines = list(decoded_lines(path))
        assert all(QUOTED_LINE.fullmatch(line.rstrip("\n")) for line, _ in lines), path.name
        encodings[path.stem] = {encoding for _, encoding in lines} - {"ascii"}
    assert encodings.pop("Lead") == encodings.pop("Contact") == {"cp1252"}
    assert encodings.pop("Account") == {"cp1252", "utf-8"}
    assert all(found <= {"utf-8"} for found in encodings.values()), encodings
    account = d.loads["salesforce/Account.csv"]
    assert account.encoding == "utf-8+cp1252" and account.lines_read_as_cp1252 > 0
    assert d.loads["salesforce/Lead.csv"].encoding == "cp1252"

    header, rows = read_export(folder / "Lead.csv")
    lead = [dict(zip(header, row, strict=True)) for row in rows]
    assert {r["IsDeleted"] for r in lead} == {"0"} and {r["IsConverted"] for r in lead} == {
        "0",
        "1",
    }
    assert any(r["ConvertedContactId"] == EMPTY_ID for r in lead)
    assert all(r["CreatedDate"].endswith(".000Z") for r in lead)
    assert {r["CurrencyIsoCode"] for r in lead} == {"EUR"}

    header, rows = read_export(folder / "Opportunity.csv")
    currencies = [dict(zip(header, row, strict=True))["CurrencyIsoCode"] for row in rows]
    assert set(currencies) == {"EUR", "USD", "CHF"}
    assert 0.05 <= currencies.count("USD") / len(currencies) <= 0.15
    header, rows = read_export(folder / "CurrencyType.csv")
    assert [r[header.index("IsoCode")] for r in rows if r[header.index("IsCorporate")] == "1"] == [
        "EUR"
    ]
    assert "Meeting" not in {r[-1] for r in read_export(folder / "Task.csv")[1]}
    events = d.loads["salesforce/Event.csv"]
    assert events.raw_table == "salesforce__event" and events.rows_loaded > 0
    assert {"activity_date_time", "duration_in_minutes", "who_id"} <= set(
        d.columns["salesforce__event"]
    )


def rates(folder: Path) -> dict[str, Decimal]:
    header, rows = read_export(folder / "DatedConversionRate.csv")
    found = {r[header.index("IsoCode")]: Decimal(r[header.index("ConversionRate")]) for r in rows}
    header, rows = read_export(folder / "CurrencyType.csv")
    assert found == {
        r[header.index("IsoCode")]: Decimal(r[header.index("ConversionRate")]) for r in rows
    }
    return found


def same_in_export(api: str, got: str) -> bool:
    if api == got:
        return True
    if api in ("true", "false"):
        return got == {"true": "1", "false": "0"}[api]
    if api == "":
        return got == EMPTY_ID
    if DL_TIME.fullmatch(api):
        return got == api.replace("+0000", "Z")
    return INTEGER.fullmatch(api) is not None and Decimal(got) == Decimal(api)


def test_data_export_records_are_the_api_records(delivered: Callable[[str], Delivered]) -> None:
    d, api = delivered("data-export"), delivered("api")
    folder = d.inbox / "salesforce"
    rate = rates(folder)
    truth_amounts = {
        row["opportunity_id"]: Decimal(row["amount"])
        for row in csv.DictReader((api.out / "truth" / "opportunities.csv").open(encoding="utf-8"))
    }
    for sobject in SF_OBJECTS:
        api_header, api_rows = read_api(api, sobject)
        header, rows = read_export(folder / f"{sobject}.csv")
        records = [dict(zip(header, row, strict=True)) for row in rows]
        for record in records:  # amounts back in EUR, as the warehouse will compute them
            currency = record.pop("CurrencyIsoCode", "EUR")
            for name in ("Amount", "ExpectedRevenue"):
                if currency != "EUR" and record.get(name):
                    eur = round(float(record[name]) / float(rate[currency]), 2)
                    record[name] = str(Decimal(str(eur)).quantize(Decimal("0.01")))
        if sobject == "Task":
            api_rows = [r for r in api_rows if r[api_header.index("Type")] != "Meeting"]
        assert list(records[0]) == api_header, sobject
        ids = [r[0] for r in api_rows]
        assert [r["Id"] for r in records] == ids, sobject
        found = mismatches(
            ids, api_header, api_rows, [list(r.values()) for r in records], same_in_export
        )
        assert found == [], (sobject, found[:10])
    # every converted opportunity gives back its truth amount to the cent
    header, rows = read_export(folder / "Opportunity.csv")
    for row in rows:
        record = dict(zip(header, row, strict=True))
        back = round(float(record["Amount"]) / float(rate[record["CurrencyIsoCode"]]), 2)
        assert back == float(truth_amounts[record["Id"]]), record["Id"]


def test_meetings_are_events_at_the_tasks_completion(
    delivered: Callable[[str], Delivered],
) -> None:
    header, rows = read_api(delivered("api"), "Task")
    tasks = [dict(zip(header, r, strict=True)) for r in rows]
    meetings = [t for t in tasks if t["Type"] == "Meeting"]
    header, rows = read_export(delivered("data-export").inbox / "salesforce" / "Event.csv")
    events = [dict(zip(header, r, strict=True)) for r in rows]
    n_events, n_meetings, n_ids = len(events), len(meetings), len({e["Id"] for e in events})
    assert n_events == n_meetings == n_ids > 0
    for task, event in zip(meetings, events, strict=True):
        assert event["Id"].startswith("00U") and len(event["Id"]) == 18, task["Id"]
        assert event["Id"][5:15] == task["Id"][5:15], task["Id"]  # the task's counter
        start = api_instant(task["CompletedDateTime"])
        assert event["ActivityDateTime"] == event["StartDateTime"], task["Id"]
        assert api_instant(event["ActivityDateTime"].replace("Z", "+0000")) == start, task["Id"]
        end = api_instant(event["EndDateTime"].replace("Z", "+0000"))
        assert (end - start).total_seconds() == 60 * int(event["DurationInMinutes"]), task["Id"]
        assert event["ActivityDate"] == start.astimezone(PARIS).date().isoformat(), task["Id"]
        for name in ("WhoId", "WhatId", "OwnerId", "Subject", "AccountId", "CreatedById"):
            assert event[name] == (task[name] or EMPTY_ID), (task["Id"], name)
        assert event["CreatedDate"] == task["CreatedDate"].replace("+0000", "Z"), task["Id"]
        assert (event["Type"], event["EventSubtype"]) == ("Meeting", "Event"), task["Id"]


# --- HubSpot exports with associations ---------------------------------------------------------


def read_hubspot(path: Path, french: bool) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="cp1252" if french else "utf-8", newline="") as handle:
        header, *rows = csv.reader(handle, delimiter=";" if french else ",")
    return header, rows


def test_hubspot_associations(delivered: Callable[[str], Delivered]) -> None:
    d, api = delivered("hubspot-associations"), delivered("api")
    _, company_rows = read_hubspot(d.inbox / COMPANIES, french=False)
    companies = {row[0]: row for row in company_rows}
    n_companies, n_rows = len(companies), len(company_rows)
    assert n_companies == n_rows > 0
    members = {c: set(row[-1].split(";")) for c, row in companies.items()}
    assert (d.inbox / EN_CONTACTS).read_bytes() == (d.inbox / EN_COPY).read_bytes()
    for name, french in ((EN_CONTACTS, False), (FR_CONTACTS, True)):
        api_header, api_rows = read_hubspot(api.inbox / name, french)
        header, rows = read_hubspot(d.inbox / name, french)
        own = len(api_header)
        assert header[0] == (
            "ID de fiche d'informations - Contact" if french else "Record ID - Contact"
        )
        assert header[1:own] == api_header[1:]
        assert header[own:] == (
            [
                "ID de fiche d'informations - Entreprise",
                "Nom de l'entreprise",
                "Nom de domaine de l'entreprise",
                "Date de création",
                "Pays/région",
                "Numéro de téléphone",
            ]
            if french
            else [
                "Record ID - Company",
                "Company name",
                "Company Domain Name",
                "Create Date",
                "Country/Region",
                "Phone Number",
            ]
        )
        ids = [row[0] for row in api_rows]
        found = mismatches(
            ids, api_header, api_rows, [row[:own] for row in rows], lambda a, b: a == b
        )
        assert found == [], (name, found[:10])
        associated = [row for row in rows if row[own]]
        n_associated, n_rows = len(associated), len(rows)
        assert 0 < n_associated < n_rows, name
        assert all(not any(row[own:]) for row in rows if not row[own]), name
        for row in associated:
            company = companies[row[own]]
            assert row[0] in members[row[own]], row[0]
            assert row[own + 1] == company[1] and row[own + 2] == company[2], row[0]
        if not french:
            assert any(cell == "null" for row in associated for cell in row[own + 1 :])
        else:
            assert not any(cell == "null" for row in rows for cell in row[own:])
    columns = set(d.columns["hubspot__contact"])
    assert {
        "company__record_id",
        "company__name",
        "company__create_date",
        "company__country",
        "company__phone_number",
    } <= columns
    assert d.loads[COMPANIES].rows_loaded == n_companies
    assert {"name", "company_domain_name", "associated_contact_ids"} <= set(
        d.columns["hubspot__company"]
    )
