"""dbt staging models built on a small warehouse: hand-written raw rows plus real export samples.

The real samples in ``shared/fixtures`` and two files written here in the shapes of a Salesforce
report export and of the weekly Data Export go through the loader (``smarketing.ingest.loading``),
so staging is tested on what the loader really writes. The hand-written rows, which pin down every
date, number, boolean and empty-value spelling staging must read, are inserted directly into the
raw tables the loader created (every export column VARCHAR, then the lineage columns; a custom
or association column is added as the loader adds it). dbt gets the project's vars
(``dbt_vars()``: custom fields and the field bindings of ``smarketing.yml``), as the pipeline.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from dagster_project.lib.dbt_project import dbt_vars, project_args
from smarketing.config import load_config
from smarketing.config.tables import write_tables
from smarketing.ingest.loading import LOADED_STATUSES, load_inbox
from smarketing.ingest.registry import ExportKind, export_kinds, kind_named
from smarketing.ingest.schema import add_missing_columns, ensure_schema
from tests import dbt_in_process

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"
FIXTURES = Path(os.environ.get("SMARKETING_FIXTURES", REPO.parent / "shared" / "fixtures"))

LOADED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)

# Hand-written deliveries: (kind, source file, loaded at, rows keyed by stable column name).
HAND_WRITTEN: list[tuple[str, str, datetime, list[dict[str, str]]]] = [
    (
        "salesforce__user",
        "salesforce/user.csv",
        LOADED_AT,
        [
            {
                "id": "005H00000000001AAA",
                "username": "claire@acme.example",
                "name": "Claire Martin",
                "is_active": "true",
                "time_zone_sid_key": "Europe/Paris",
                "team__c": "SDR",
                "created_date": "2025-01-06T08:00:00.000+0000",
            },
            {
                "id": "005H00000000002AAA",
                "username": "paul@acme.example",
                "name": "Paul Durand",
                "is_active": "false",
                "manager_id": "005H00000000001AAA",
            },
        ],
    ),
    (
        "salesforce__account",
        "salesforce/account.csv",
        LOADED_AT,
        [
            {
                "id": "001H00000000001AAA",
                "name": " Acme SAS ",
                "annual_revenue": "1 250 000,50",
                "number_of_employees": "120",
                "segment__c": "Mid-Market",
                "is_deleted": "false",
            },
        ],
    ),
    (
        "salesforce__contact",
        "salesforce/contact.csv",
        LOADED_AT,
        [
            {
                "id": "003H00000000001AAA",
                "account_id": "001H00000000001AAA",
                "last_name": "Bernard",
                "first_name": "Luc",
                "email": "luc@acme.example",
                "has_opted_out_of_email": "",
                "created_date": "2026-02-10T09:00:00.000+0000",
            },
        ],
    ),
    (
        "salesforce__lead",
        "salesforce/lead_2026-03.csv",
        LOADED_AT,
        [
            # Data Loader: UTC with an offset, ISO date, true/false.
            {
                "id": "00QH00000000001AAA",
                "last_name": "Bernard",
                "company": "Acme SAS",
                "status": "Closed - Converted",
                "is_converted": "true",
                "converted_date": "2026-02-11",
                "converted_contact_id": "003H00000000001AAA",
                "converted_account_id": "001H00000000001AAA",
                "owner_id": "005H00000000001AAA",
                "created_date": "2026-02-10T08:15:00.000+0000",
                "lead_score__c": "42,5",
            },
            # US-locale org: mm/dd/yy, 12-hour clock, naive (Paris winter time).
            {
                "id": "00QH00000000002AAA",
                "last_name": "Petit",
                "company": "Globex",
                "status": "Working - Contacted",
                "is_converted": "FALSE",
                "created_date": "02/24/26 02:18 AM",
                "last_activity_date": "02/25/26",
                "owner_id": "00GH0000000001AAA",
            },
            # French-locale org: dd/mm/yyyy.
            {
                "id": "00QH00000000003AAA",
                "last_name": "Moreau",
                "company": "Initech",
                "status": "Open - Not Contacted",
                "is_converted": "",
                "created_date": "05/03/2026 14:22",
                "converted_date": "05/03/2026",
            },
        ],
    ),
    (
        "salesforce__lead",
        "salesforce/lead_2026-04.csv",
        LATER,
        [
            # A later delivery of lead 2: it replaces the first one.
            {
                "id": "00QH00000000002AAA",
                "last_name": "Petit",
                "company": "Globex",
                "status": "Closed - Not Converted",
                "is_converted": "0",
                "created_date": "02/24/26 02:18 AM",
                "rejection_reason__c": "No budget",
            },
        ],
    ),
    (
        "salesforce__lead_history",
        "salesforce/lead_history.csv",
        LOADED_AT,
        [
            {
                "id": "017H00000000001AAA",
                "lead_id": "00QH00000000001AAA",
                "field": "Status",
                "old_value": "Open - Not Contacted",
                "new_value": "Working - Contacted",
                "created_date": "2026-02-10T10:00:00.000+0000",
            },
            {
                "id": "017H00000000002AAA",
                "lead_id": "00QH00000000001AAA",
                "field": "leadConverted",
                "created_date": "2026-02-11T16:30:00.000+0000",
            },
        ],
    ),
    (
        "salesforce__opportunity",
        "salesforce/opportunity.csv",
        LOADED_AT,
        [
            {
                "id": "006H00000000001AAA",
                "account_id": "001H00000000001AAA",
                "name": "Acme - Pilot",
                "stage_name": "Closed Won",
                "close_date": "03/31/26",
                "amount": "48,000.00",
                "probability": "100",
                "is_closed": "TRUE",
                "is_won": "TRUE",
                "created_date": "2026-02-11T16:30:00.000+0000",
                "owner_id": "005H00000000001AAA",
            },
        ],
    ),
    (
        "salesforce__opportunity_history",
        "salesforce/opportunity_history.csv",
        LOADED_AT,
        [
            {
                "id": "008H00000000001AAA",
                "opportunity_id": "006H00000000001AAA",
                "stage_name": "Closed Won",
                "amount": "48000",
                "created_date": "03/31/26 05:00 PM",
            },
        ],
    ),
    (
        "salesforce__task",
        "salesforce/task.csv",
        LOADED_AT,
        [
            {
                "id": "00TH00000000001AAA",
                "who_id": "00QH00000000001AAA",
                "subject": "Call",
                "task_subtype": "Call",
                "status": "Completed",
                "priority": "Normal",
                "is_closed": "true",
                "call_duration_in_seconds": "300",
                "activity_date": "2026-02-10",
                "created_date": "2026-02-10T09:30:00.000+0000",
            },
        ],
    ),
    (
        "salesforce__campaign",
        "salesforce/campaign.csv",
        LOADED_AT,
        [
            {
                "id": "701H00000000001AAA",
                "name": "Webinar RevOps",
                "type": "Webinar",
                "status": "Completed",
                "start_date": "2026-02-01",
                "budgeted_cost": "5000",
                "is_active": "1",
                "channel__c": "Events",
            },
        ],
    ),
    (
        "salesforce__campaign_member",
        "salesforce/campaign_member.csv",
        LOADED_AT,
        [
            {
                "id": "00vH00000000001AAA",
                "campaign_id": "701H00000000001AAA",
                "lead_id": "00QH00000000001AAA",
                "status": "Responded",
                "has_responded": "true",
                "type": "Lead",
                "first_responded_date": "2026-02-01",
            },
        ],
    ),
    (
        "hubspot__contact",
        "hubspot/contacts_en.csv",
        LOADED_AT,
        [
            # English UI export: naive Paris time, summer (UTC+2) and winter (UTC+1).
            {
                "record_id": "1001",
                "first_name": "Alice",
                "email": "alice@globex.example",
                "lifecycle_stage": "Marketing Qualified Lead",
                "lead_status": "New",
                "original_source": "Paid Search",
                "hubspot_score": "12.5",
                "unsubscribed_from_all_email": "No",
                "create_date": "2025-07-15 09:30",
                "became_a_marketing_qualified_lead_date": "2026-01-20 18:05",
                "last_modified_date": "null",
                "associated_company_ids": "5001;5002",
            },
            {
                "record_id": "1003",
                "first_name": "Chloé",
                "lifecycle_stage": "Lead",
                "create_date": "2025-12-01 10:00",
            },
        ],
    ),
    (
        "hubspot__contact",
        "hubspot/contacts_fr.csv",
        LOADED_AT,
        [
            # French UI export: dd/mm/yyyy, winter (UTC+1), French labels, decimal comma.
            {
                "record_id": "1002",
                "first_name": "Benoît",
                "email": "benoit@initech.example",
                "lifecycle_stage": "Lead qualifié commercial",
                "lead_status": "Tentative de contact",
                "original_source": "Réseaux sociaux payants",
                "hubspot_score": "1 234,5",
                "unsubscribed_from_all_email": "Oui",
                "create_date": "15/01/2026 09:30",
                "number_of_employees": "25-50",
            },
            # 1003 again (a later file), twice in this file: its last row wins.
            {
                "record_id": "1003",
                "first_name": "Chloé",
                "lifecycle_stage": "Lead",
                "create_date": "01/12/2025 10:00",
            },
            {
                "record_id": "1003",
                "first_name": "Chloé",
                "lifecycle_stage": "Opportunité",
                "create_date": "01/12/2025 10:00",
            },
        ],
    ),
    (
        "hubspot__marketing_event",
        "hubspot/events.csv",
        LOADED_AT,
        [
            {
                "event_id": "ev-1",
                "contact_record_id": "1001",
                "event_type": "Form submission",
                "occurred_at": "2025-07-15 09:29",
                "campaign_name": "Webinar RevOps",
            },
            {
                "event_id": "ev-2",
                "contact_record_id": "1002",
                "event_type": "Ouverture d'e-mail",
                "occurred_at": "14/01/2026 08:00",
            },
        ],
    ),
    (
        "salesforce__lead",
        "salesforce/leads_report.csv",
        LATER,
        [
            # A US report export with the Data Export's empty ids: AM/PM means month first, N/A.
            {
                "id": "00QH00000000004AAA",
                "last_name": "Roux",
                "company": "N/A",
                "status": "n.a.",
                "owner_id": "000000000000000AAA",
                "converted_contact_id": "000000000000000",
                "is_converted": "N/A",
                "annual_revenue": "1\u00a0234,56\u00a0€",
                "created_date": "3/5/2026 2:18 PM",
                "converted_date": "N/A",
                "last_activity_date": "24.03.2026",
                "email_bounced_date": "12/31/2025 11:59:59 PM",
            },
            # A French report: dd/mm/yyyy (day first; month first only when the day is above 12).
            {
                "id": "00QH00000000005AAA",
                "last_name": "Faure",
                "company": " - ",
                "status": "--",
                "owner_id": " 005H00000000001AAA ",
                "is_converted": "",
                "annual_revenue": "-",
                "created_date": "02/24/2026 14:22",
                "converted_date": "05.03.2026 09:00",
                "last_activity_date": "05-03-2026",
                # this org's lead score, under its own French label (bound in the test's
                # smarketing.yml, see ORG_FIELDS)
                "score_de_la_piste": "87,5",
            },
        ],
    ),
    (
        "salesforce__opportunity",
        "salesforce/Opportunity.csv",
        LOADED_AT,
        [
            # Weekly Data Export: several currencies, empty lookups as 000000000000000AAA.
            {
                "id": "006H00000000002AAA",
                "account_id": "000000000000000AAA",
                "owner_id": "005H00000000001AAA",
                "stage_name": "Prospecting",
                "amount": "$1,77,000.00",
                "currency_iso_code": "INR",
                "close_date": "3/31/2026",
                "probability": "N/A",
                "is_closed": "0",
                "is_won": "0",
            },
            {
                "id": "006H00000000003AAA",
                "account_id": "001H00000000001AAA",
                "stage_name": "Closed Lost",
                "amount": "(1,234.00)",
                "currency_iso_code": "USD",
                "close_date": "31.03.2026",
            },
            {
                "id": "006H00000000004AAA",
                "stage_name": "Qualification",
                "amount": "CHF 1'234.50",
                "currency_iso_code": "CHF",
            },
            {
                "id": "006H00000000005AAA",
                "stage_name": "Qualification",
                "amount": "1\u202f234,56 €",
                "expected_revenue": "EUR 1.234,50",
                "currency_iso_code": "EUR",
            },
            {
                "id": "006H00000000006AAA",
                "stage_name": "Qualification",
                "amount": "-1 234,56",
                "expected_revenue": "USD 1,234.50",
                "currency_iso_code": "N/A",
            },
        ],
    ),
    (
        "salesforce__event",
        "salesforce/Event.csv",
        LOADED_AT,
        [
            # Weekly Data Export: 0/1 booleans, the empty lookup 000000000000000AAA.
            {
                "id": "00UH00000000001AAA",
                "who_id": "00QH00000000001AAA",
                "what_id": "000000000000000AAA",
                "account_id": "000000000000000",
                "owner_id": "005H00000000001AAA",
                "subject": "Discovery meeting",
                "type": "Meeting",
                "event_subtype": "Event",
                "show_as": "Busy",
                "duration_in_minutes": "45",
                "is_all_day_event": "0",
                "is_private": "1",
                "activity_date": "2026-02-12",
                "activity_date_time": "2026-02-12T09:00:00.000+0000",
                "start_date_time": "2026-02-12T09:00:00.000+0000",
                "end_date_time": "2026-02-12T09:45:00.000+0000",
                "created_date": "2026-02-10T10:00:00.000+0000",
            },
            # A US activity report: m/d/yyyy h:mm AM/PM in Paris time, N/A, `-`.
            {
                "id": "00UH00000000002AAA",
                "who_id": "00QH00000000003AAA",
                "subject": "Demo",
                "type": "N/A",
                "location": "-",
                "duration_in_minutes": "30",
                "is_all_day_event": "",
                "activity_date": "3/24/2026",
                "activity_date_time": "3/24/2026 2:30 PM",
                "start_date_time": "3/24/2026 2:30 PM",
                "end_date_time": "3/24/2026 3:00:00 PM",
                "created_date": "3/20/2026 9:15 AM",
            },
        ],
    ),
    (
        "salesforce__currency_type",
        "salesforce/CurrencyType.csv",
        LOADED_AT,
        [
            {
                "id": "02bH00000000001AAA",
                "iso_code": "EUR",
                "conversion_rate": "1.000000",
                "decimal_places": "2",
                "is_active": "1",
                "is_corporate": "1",
                "created_date": "2024-01-02T08:00:00.000+0000",
            },
            {
                "id": "02bH00000000002AAA",
                "iso_code": "USD",
                "conversion_rate": "1,085",
                "decimal_places": "2",
                "is_active": "true",
                "is_corporate": "0",
            },
        ],
    ),
    (
        "salesforce__dated_conversion_rate",
        "salesforce/DatedConversionRate.csv",
        LOADED_AT,
        [
            {
                "id": "04wH00000000001AAA",
                "iso_code": "USD",
                "conversion_rate": "1.08",
                "start_date": "2026-01-01",
                "next_start_date": "2026-04-01",
            },
            {
                "id": "04wH00000000002AAA",
                "iso_code": "USD",
                "conversion_rate": "1,12",
                "start_date": "01/04/2026",
                "next_start_date": "9999-12-31",
            },
        ],
    ),
    (
        "hubspot__contact",
        "hubspot/contacts_with_companies.csv",
        LOADED_AT,
        [
            # An export with associations: the company's id under `Record ID - Company`.
            {
                "record_id": "1004",
                "first_name": "Diane",
                "lifecycle_stage": "Lead",
                "create_date": "2026-02-02 10:00",
                "company__record_id": "5002",
                "company__create_date": "2026-02-01 10:00",
            },
        ],
    ),
    (
        "hubspot__company",
        "hubspot/companies.csv",
        LOADED_AT,
        [
            {
                "record_id": "5001",
                "name": " Globex ",
                "company_domain_name": "globex.example",
                "annual_revenue": "1\u00a0250\u00a0000 €",
                "number_of_employees": "25-50",
                "lifecycle_stage": "Client",
                "country": "N/A",
                "create_date": "15/01/2026 09:30",
                "associated_contact_ids": "1001;1003",
            },
            {
                "record_id": "5002",
                "name": "Initech",
                "annual_revenue": "N/A",
                "lifecycle_stage": "Opportunity",
                "create_date": "2026-02-01 10:00",
            },
        ],
    ),
    (
        "hubspot__deal",
        "hubspot/deals.csv",
        LOADED_AT,
        [
            {
                "record_id": "9001",
                "deal_name": "Globex - Annual",
                "deal_stage": "Closed Won",
                "pipeline": "Sales Pipeline",
                "amount": "$12,500.00 ",
                "currency": "USD",
                "amount_in_company_currency": "11\u00a0520,75",
                "close_date": "2026-03-31 18:00",
                "create_date": "2026-02-01 10:00",
                "deal_type": "New Business",
                "associated_contact_ids": "1001",
                "associated_company_ids": "5001;5002",
            },
            {
                "record_id": "9002",
                "deal_name": "Initech - Pilot",
                "deal_stage": "closedlost",
                "amount": "EUR 8.400,50",
                "currency": "EUR",
                "close_date": "15/04/2026 09:00",
                "create_date": "01/02/2026 10:00",
                "closed_lost_reason": "Budget",
                "closed_won_reason": "-",
            },
        ],
    ),
]


def _insert(
    con: duckdb.DuckDBPyConnection,
    kind: ExportKind,
    source_file: str,
    loaded_at: datetime,
    rows: list[dict[str, str]],
) -> None:
    sha256 = hashlib.sha256(source_file.encode()).hexdigest()
    # custom fields and associated records' columns: added to the raw table as the loader does
    add_missing_columns(con, kind, tuple(dict.fromkeys(name for row in rows for name in row)))
    for number, row in enumerate(rows, start=1):
        names = [*row, "_source_file", "_file_sha256", "_row_number", "_loaded_at"]
        values = [*row.values(), source_file, sha256, number, loaded_at]
        columns = ", ".join(f'"{name}"' for name in names)
        placeholders = ", ".join("?" for _ in names)
        con.execute(f'insert into raw."{kind.name}" ({columns}) values ({placeholders})', values)


# Files in the shapes real teams deliver, loaded by the loader (inbox-relative path -> content).
EXPORT_FILES: dict[str, str] = {
    # A Salesforce opportunity report (field labels, US dates and amounts, Indian grouping, a
    # trailing space), ending with a blank line and a totals line, CRLF.
    "reports/opportunities_report.csv": (
        '"Account ID","Opportunity ID","Stage","Close Date","Created Date","Amount",'
        '"Opportunity Currency"\r\n'
        '"001H00000000001AAA","006H00000000010AAA","Closed Won","3/31/2026","3/1/2026 9:30 AM",'
        '"$923.00 ","USD"\r\n'
        '"001H00000000001AAA","006H00000000011AAA","Prospecting","4/15/2026","3/2/2026 10:00 AM",'
        '"$1,77,000.00","INR"\r\n'
        # an ambiguous date: the file's other dates say month first, so 4 May
        '"001H00000000001AAA","006H00000000012AAA","Prospecting","5/4/2026","3/3/2026 10:00 AM",'
        '"$1,000","USD"\r\n'
        "\r\n"
        '"Total","","","","","$177,923.00",""\r\n'
    ),
    # Event.csv of the weekly Data Export: every field quoted, 0/1 booleans, empty lookups.
    "data_export/Event.csv": (
        '"Id","WhoId","WhatId","AccountId","OwnerId","Subject","Type","EventSubtype",'
        '"ActivityDateTime","ActivityDate","DurationInMinutes","StartDateTime","EndDateTime",'
        '"IsAllDayEvent","IsPrivate","IsDeleted","CreatedDate","ShowAs"\r\n'
        '"00UH00000000003AAA","00QH00000000002AAA","000000000000000AAA","000000000000000AAA",'
        '"005H00000000001AAA","Meeting","Meeting","Event","2026-02-12T09:00:00.000Z","2026-02-12",'
        '"45","2026-02-12T09:00:00.000Z","2026-02-12T09:45:00.000Z","0","0","0",'
        '"2026-02-10T10:00:00.000Z","Busy"\r\n'
    ),
}


def _samples() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.csv"))


def _build_raw(database: Path, inbox: Path, config: Path) -> None:
    for path in _samples():
        target = inbox / "fixtures" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for name, content in EXPORT_FILES.items():
        target = inbox / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))
    con = duckdb.connect(str(database))
    try:
        ensure_schema(con)
        for kind_name, source_file, loaded_at, rows in HAND_WRITTEN:
            _insert(con, kind_named(kind_name), source_file, loaded_at, rows)
        loads = load_inbox(con, inbox)
        write_tables(con, load_config(config), config)  # what a run writes before dbt
    finally:
        con.close()
    not_loaded = [
        (load.source_file, load.error) for load in loads if load.status not in LOADED_STATUSES
    ]
    assert not not_loaded, not_loaded


# An org that names its lead score its own way: the shipped bindings plus its French label.
ORG_FIELDS = {
    "salesforce_lead": {"lead_score": ["Lead_Score__c", "Lead Score", "Score de la piste"]}
}


def _org_config(workdir: Path) -> Path:
    config = yaml.safe_load((REPO / "smarketing.yml").read_text(encoding="utf-8"))
    config["fields"]["salesforce_lead"].update(ORG_FIELDS["salesforce_lead"])
    path = workdir / "smarketing.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from dbt.cli.main import dbtRunner

    workdir = tmp_path_factory.mktemp("dbt_staging")
    database = workdir / "warehouse.duckdb"
    config = _org_config(workdir)
    _build_raw(database, workdir / "inbox", config)

    patch = pytest.MonkeyPatch()
    patch.setenv("SMARKETING_WAREHOUSE", str(database))
    dbt_in_process.set_limits(patch, database)
    patch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    patch.setenv("SMARKETING_CONFIG", str(config))
    try:
        # The seed and its checks, then every staging model with its unit and data tests, with
        # the vars the pipeline passes (custom fields, field bindings from smarketing.yml).
        result = dbtRunner().invoke(
            [
                "build",
                "--select",
                "+staging",
                "--vars",
                json.dumps(dbt_vars()),
                *project_args(workdir / "target", workdir / "logs"),
            ]
        )
    finally:
        patch.undo()
    assert result.exception is None, result.exception
    failed = [
        f"{r.node.name}: {r.status} {r.message}"
        for r in result.result
        if str(r.status) not in {"success", "pass", "warn"}
    ]
    assert result.success, failed
    yield database


def _query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = dbt_in_process.connect(database)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _one(database: Path, sql: str, params: list | None = None) -> tuple:
    rows = _query(database, sql, params)
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize("kind", export_kinds(), ids=lambda kind: kind.name)
def test_one_staging_row_per_distinct_key(warehouse: Path, kind: ExportKind) -> None:
    (keys,) = _one(warehouse, f'select count(distinct trim("{kind.key}")) from raw."{kind.name}"')
    (rows,) = _one(warehouse, f'select count(*) from staging."stg_{kind.name}"')
    assert rows == keys
    assert keys > 0


def test_salesforce_timestamps_and_dates(warehouse: Path) -> None:
    rows = {
        lead_id: rest
        for lead_id, *rest in _query(
            warehouse,
            "select lead_id, created_date, converted_date, last_activity_date, status, "
            "is_converted, lead_score, rejection_reason from staging.stg_salesforce__lead "
            "where lead_id like '00QH%'",
        )
    }
    # +0000 offset: taken as written.
    assert rows["00QH00000000001AAA"][:2] == [
        datetime(2026, 2, 10, 8, 15, tzinfo=UTC),
        date(2026, 2, 11),
    ]
    # US format, naive: 02:18 AM in Paris in February (UTC+1); the latest delivery wins.
    created, _, last_activity, status, is_converted, _, reason = rows["00QH00000000002AAA"]
    assert created == datetime(2026, 2, 24, 1, 18, tzinfo=UTC)
    assert last_activity is None  # only in the earlier delivery
    assert (status, is_converted, reason) == ("Closed - Not Converted", False, "No budget")
    # French date, naive: 5 March 2026 14:22 in Paris (UTC+1).
    assert rows["00QH00000000003AAA"][:2] == [
        datetime(2026, 3, 5, 13, 22, tzinfo=UTC),
        date(2026, 3, 5),
    ]
    assert rows["00QH00000000003AAA"][3:5] == ["Open - Not Contacted", False]
    assert rows["00QH00000000001AAA"][4:6] == [True, 42.5]


def test_salesforce_numbers_and_booleans(warehouse: Path) -> None:
    assert _one(
        warehouse,
        "select account_name, annual_revenue, number_of_employees, is_deleted "
        "from staging.stg_salesforce__account where account_id = '001H00000000001AAA'",
    ) == ("Acme SAS", Decimal("1250000.50"), 120, False)
    assert _one(
        warehouse,
        "select amount, probability, close_date, is_closed, is_won "
        "from staging.stg_salesforce__opportunity where opportunity_id = '006H00000000001AAA'",
    ) == (Decimal("48000.00"), 100.0, date(2026, 3, 31), True, True)
    assert _one(
        warehouse,
        "select created_date from staging.stg_salesforce__opportunity_history "
        "where opportunity_history_id = '008H00000000001AAA'",
    ) == (datetime(2026, 3, 31, 15, 0, tzinfo=UTC),)  # 5 PM Paris summer time (UTC+2)
    assert _one(
        warehouse,
        "select has_opted_out_of_email from staging.stg_salesforce__contact "
        "where contact_id = '003H00000000001AAA'",
    ) == (False,)
    assert _one(
        warehouse,
        "select is_active, budgeted_cost from staging.stg_salesforce__campaign "
        "where campaign_id = '701H00000000001AAA'",
    ) == (True, Decimal("5000.00"))


def test_hubspot_contacts_english_and_french(warehouse: Path) -> None:
    rows = {
        contact_id: rest
        for contact_id, *rest in _query(
            warehouse,
            "select contact_id, create_date, became_a_marketing_qualified_lead_date, "
            "lifecycle_stage, lifecycle_stage_label, lead_status, original_source, hubspot_score, "
            "unsubscribed_from_all_email, last_modified_date, number_of_employees "
            "from staging.stg_hubspot__contact",
        )
    }
    assert rows["1001"] == [
        datetime(2025, 7, 15, 7, 30, tzinfo=UTC),  # 09:30 Paris summer time
        datetime(2026, 1, 20, 17, 5, tzinfo=UTC),  # 18:05 Paris winter time
        "marketingqualifiedlead",
        "Marketing Qualified Lead",
        "NEW",
        "PAID_SEARCH",
        12.5,
        False,
        None,  # `null`
        None,
    ]
    assert rows["1002"] == [
        datetime(2026, 1, 15, 8, 30, tzinfo=UTC),  # 15/01/2026 09:30 Paris winter time
        None,
        "salesqualifiedlead",
        "Lead qualifié commercial",
        "ATTEMPTED_TO_CONTACT",
        "PAID_SOCIAL",
        1234.5,
        True,
        None,
        "25-50",
    ]
    # Delivered three times: the later file wins, and in it the later row.
    assert rows["1003"][:4] == [
        datetime(2025, 12, 1, 9, 0, tzinfo=UTC),
        None,
        "opportunity",
        "Opportunité",
    ]


def test_hubspot_marketing_events(warehouse: Path) -> None:
    rows = {
        event_id: rest
        for event_id, *rest in _query(
            warehouse,
            "select event_id, event_type, event_type_label, occurred_at, contact_id "
            "from staging.stg_hubspot__marketing_event",
        )
    }
    assert rows["ev-1"] == [
        "form_submission",
        "Form submission",
        datetime(2025, 7, 15, 7, 29, tzinfo=UTC),
        "1001",
    ]
    assert rows["ev-2"] == [
        "email_open",
        "Ouverture d'e-mail",
        datetime(2026, 1, 14, 7, 0, tzinfo=UTC),
        "1002",
    ]


def test_salesforce_report_and_data_export_spellings(warehouse: Path) -> None:
    rows = {
        lead_id: rest
        for lead_id, *rest in _query(
            warehouse,
            "select lead_id, owner_id, converted_contact_id, company, status, is_converted, "
            "annual_revenue, created_date, converted_date, last_activity_date, email_bounced_date "
            "from staging.stg_salesforce__lead "
            "where lead_id in ('00QH00000000004AAA', '00QH00000000005AAA')",
        )
    }
    # US report with the Data Export's empty ids: N/A and n.a. are NULL (false for a checkbox),
    # an AM/PM marker means month first, dd.mm.yyyy is day first.
    assert rows["00QH00000000004AAA"] == [
        None,  # 000000000000000AAA
        None,  # 000000000000000
        None,  # N/A
        None,  # n.a.
        False,  # N/A in a checkbox
        Decimal("1234.56"),  # 1 234,56 € with no-break spaces
        datetime(2026, 3, 5, 13, 18, tzinfo=UTC),  # 3/5/2026 2:18 PM, Paris winter time
        None,  # N/A
        date(2026, 3, 24),  # 24.03.2026
        datetime(2025, 12, 31, 22, 59, 59, tzinfo=UTC),  # 12/31/2025 11:59:59 PM
    ]
    # French report: `-` and `--` are NULL; a 4-digit-year slash date is day first unless the
    # second number is above 12.
    assert rows["00QH00000000005AAA"] == [
        "005H00000000001AAA",
        None,
        None,  # ` - `
        None,  # --
        False,
        None,  # -
        datetime(2026, 2, 24, 13, 22, tzinfo=UTC),  # 02/24/2026 14:22: month first
        date(2026, 3, 5),  # 05.03.2026 09:00
        date(2026, 3, 5),  # 05-03-2026
        None,
    ]


def test_salesforce_amounts_and_currencies(warehouse: Path) -> None:
    rows = {
        opportunity_id: rest
        for opportunity_id, *rest in _query(
            warehouse,
            "select opportunity_id, amount, expected_revenue, currency_iso_code, account_id, "
            "close_date, probability from staging.stg_salesforce__opportunity",
        )
    }
    assert rows["006H00000000002AAA"] == [  # Indian grouping, Data Export's empty lookup
        Decimal("177000.00"),
        None,
        "INR",
        None,
        date(2026, 3, 31),  # 3/31/2026: day first impossible
        None,  # N/A
    ]
    assert rows["006H00000000003AAA"] == [  # accounting parentheses
        Decimal("-1234.00"),
        None,
        "USD",
        "001H00000000001AAA",
        date(2026, 3, 31),  # 31.03.2026
        None,
    ]
    assert rows["006H00000000004AAA"][:3] == [Decimal("1234.50"), None, "CHF"]  # CHF 1'234.50
    # 1 234,56 € with a narrow no-break space; EUR 1.234,50
    assert rows["006H00000000005AAA"][:3] == [Decimal("1234.56"), Decimal("1234.50"), "EUR"]
    # -1 234,56; USD 1,234.50; a currency of N/A
    assert rows["006H00000000006AAA"][:3] == [Decimal("-1234.56"), Decimal("1234.50"), None]
    # The opportunity report, through the loader: labels, `$923.00 `, `$1,77,000.00`, US dates.
    assert rows["006H00000000010AAA"][:5] == [
        Decimal("923.00"),
        None,
        "USD",
        "001H00000000001AAA",
        date(2026, 3, 31),
    ]
    assert rows["006H00000000011AAA"][:5] == [
        Decimal("177000.00"),
        None,
        "INR",
        "001H00000000001AAA",
        date(2026, 4, 15),
    ]
    assert _one(
        warehouse,
        "select created_date from staging.stg_salesforce__opportunity "
        "where opportunity_id = '006H00000000010AAA'",
    ) == (datetime(2026, 3, 1, 8, 30, tzinfo=UTC),)  # 3/1/2026 9:30 AM, Paris winter time
    # the loader found the report month first (3/31/2026, AM/PM): 5/4/2026 is 4 May; a dollar
    # amount's lone comma groups thousands
    assert rows["006H00000000012AAA"][:5] == [
        Decimal("1000.00"),
        None,
        "USD",
        "001H00000000001AAA",
        date(2026, 5, 4),
    ]

    currencies = {
        iso_code: rest
        for iso_code, *rest in _query(
            warehouse,
            "select iso_code, conversion_rate, decimal_places, is_active, is_corporate "
            "from staging.stg_salesforce__currency_type",
        )
    }
    assert currencies == {"EUR": [1.0, 2, True, True], "USD": [1.085, 2, True, False]}
    assert _query(
        warehouse,
        "select iso_code, conversion_rate, start_date, next_start_date "
        "from staging.stg_salesforce__dated_conversion_rate order by start_date",
    ) == [
        ("USD", 1.08, date(2026, 1, 1), date(2026, 4, 1)),
        ("USD", 1.12, date(2026, 4, 1), date(9999, 12, 31)),  # 01/04/2026: day first
    ]


def test_salesforce_events(warehouse: Path) -> None:
    rows = {
        event_id: rest
        for event_id, *rest in _query(
            warehouse,
            "select event_id, who_id, what_id, account_id, event_type, location, "
            "duration_in_minutes, is_all_day_event, is_private, activity_date, "
            "activity_date_time, end_date_time, created_date from staging.stg_salesforce__event",
        )
    }
    assert rows["00UH00000000001AAA"] == [  # hand-written Data Export row
        "00QH00000000001AAA",
        None,  # 000000000000000AAA
        None,  # 000000000000000
        "Meeting",
        None,
        45,
        False,
        True,
        date(2026, 2, 12),
        datetime(2026, 2, 12, 9, 0, tzinfo=UTC),
        datetime(2026, 2, 12, 9, 45, tzinfo=UTC),
        datetime(2026, 2, 10, 10, 0, tzinfo=UTC),
    ]
    assert rows["00UH00000000002AAA"] == [  # US activity report, Paris winter time
        "00QH00000000003AAA",
        None,
        None,
        None,  # N/A
        None,  # -
        30,
        False,  # an empty checkbox
        None,  # not exported
        date(2026, 3, 24),  # 3/24/2026: day first impossible
        datetime(2026, 3, 24, 13, 30, tzinfo=UTC),  # 3/24/2026 2:30 PM
        datetime(2026, 3, 24, 14, 0, tzinfo=UTC),  # 3/24/2026 3:00:00 PM
        datetime(2026, 3, 20, 8, 15, tzinfo=UTC),  # 3/20/2026 9:15 AM
    ]
    # Event.csv of the Data Export, through the loader.
    assert rows["00UH00000000003AAA"][:4] == ["00QH00000000002AAA", None, None, "Meeting"]
    assert rows["00UH00000000003AAA"][6:10] == [
        False,
        False,
        date(2026, 2, 12),
        datetime(2026, 2, 12, 9, 0, tzinfo=UTC),
    ]


def test_hubspot_companies_deals_and_associations(warehouse: Path) -> None:
    companies = {
        company_id: rest
        for company_id, *rest in _query(
            warehouse,
            "select company_id, name, annual_revenue, number_of_employees, lifecycle_stage, "
            "country, create_date, associated_contact_ids from staging.stg_hubspot__company",
        )
    }
    assert companies == {
        "5001": [
            "Globex",
            Decimal("1250000.00"),  # 1 250 000 € with no-break spaces
            "25-50",
            "Client",
            None,  # N/A
            datetime(2026, 1, 15, 8, 30, tzinfo=UTC),
            "1001;1003",
        ],
        "5002": [
            "Initech",
            None,
            None,
            "Opportunity",
            None,
            datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
            None,
        ],
    }
    deals = {
        deal_id: rest
        for deal_id, *rest in _query(
            warehouse,
            "select deal_id, deal_stage, amount, currency, amount_in_company_currency, close_date, "
            "create_date, closed_lost_reason, closed_won_reason, associated_company_ids "
            "from staging.stg_hubspot__deal",
        )
    }
    assert deals == {
        "9001": [
            "Closed Won",
            Decimal("12500.00"),  # `$12,500.00 `
            "USD",
            Decimal("11520.75"),
            datetime(2026, 3, 31, 16, 0, tzinfo=UTC),  # Paris summer time
            datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
            None,
            None,
            "5001;5002",
        ],
        "9002": [
            "closedlost",
            Decimal("8400.50"),  # EUR 8.400,50
            "EUR",
            None,
            datetime(2026, 4, 15, 7, 0, tzinfo=UTC),
            datetime(2026, 2, 1, 9, 0, tzinfo=UTC),  # 01/02/2026: day first
            "Budget",
            None,  # -
            None,
        ],
    }
    # The first of the Associated Company IDs, else the Record ID - Company of an export with
    # associations.
    assert dict(
        _query(
            warehouse,
            "select contact_id, associated_company_id from staging.stg_hubspot__contact "
            "where contact_id in ('1001', '1002', '1004')",
        )
    ) == {"1001": "5001", "1002": None, "1004": "5002"}


# Typed columns of the real samples: every non-empty raw value must parse.
SAMPLE_TYPED_COLUMNS = [
    (
        "salesforce__lead",
        "lead_id",
        [
            "created_date",
            "last_modified_date",
            "converted_date",
            "annual_revenue",
            "is_converted",
            "is_deleted",
        ],
    ),
    ("salesforce__contact", "contact_id", ["created_date", "last_activity_date", "is_deleted"]),
    (
        "salesforce__account",
        "account_id",
        ["created_date", "annual_revenue", "number_of_employees"],
    ),
    (
        "salesforce__opportunity",
        "opportunity_id",
        [
            "created_date",
            "last_modified_date",
            "close_date",
            "amount",
            "probability",
            "expected_revenue",
            "is_closed",
            "is_won",
            "fiscal_year",
            "fiscal_quarter",
        ],
    ),
    (
        "salesforce__opportunity_history",
        "opportunity_history_id",
        ["created_date", "system_modstamp", "close_date", "amount", "probability"],
    ),
    ("salesforce__task", "task_id", ["created_date", "activity_date", "system_modstamp"]),
    (
        "salesforce__campaign",
        "campaign_id",
        ["created_date", "start_date", "end_date", "expected_response", "number_of_leads"],
    ),
    ("salesforce__campaign_member", "campaign_member_id", ["created_date"]),
]


@pytest.mark.parametrize(
    ("kind_name", "key", "columns"), SAMPLE_TYPED_COLUMNS, ids=[c[0] for c in SAMPLE_TYPED_COLUMNS]
)
def test_real_samples_parse(warehouse: Path, kind_name: str, key: str, columns: list[str]) -> None:
    raw_key = kind_named(kind_name).key
    for column in columns:
        unparsed = _query(
            warehouse,
            f'select raw."{column}" from raw."{kind_name}" as raw '
            f'join staging."stg_{kind_name}" as stg on stg."{key}" = trim(raw."{raw_key}") '
            f"where raw._source_file like 'fixtures/%' and trim(raw.\"{column}\") <> '' "
            f'and stg."{column}" is null limit 5',
        )
        assert unparsed == [], f"{kind_name}.{column} values not parsed: {unparsed}"
    (parsed,) = _one(
        warehouse,
        f'select count(*) from staging."stg_{kind_name}" '
        f"where _source_file like 'fixtures/%' and created_date is not null",
    )
    assert parsed > 0


def test_an_orgs_own_field_is_read_through_its_binding(warehouse: Path) -> None:
    """The French report's `Score de la piste` column (raw `score_de_la_piste`) is the lead
    score because the org's smarketing.yml binds it; the Data Loader lead keeps its own
    (`Lead_Score__c`), and a lead whose file has neither has none."""
    scores = dict(
        _query(
            warehouse,
            "select lead_id, lead_score from staging.stg_salesforce__lead "
            "where lead_id in ('00QH00000000004AAA', '00QH00000000005AAA')",
        )
    )
    assert scores == {"00QH00000000004AAA": None, "00QH00000000005AAA": 87.5}
    assert _one(
        warehouse,
        "select lead_score from staging.stg_salesforce__lead "
        "where _source_file = 'salesforce/lead_2026-03.csv' and lead_score is not null",
    ) == (42.5,)


def test_no_staging_model_names_an_orgs_custom_field() -> None:
    """Org-specific fields (`…__c`) come from the bindings, never from SQL."""
    named = {
        path.name: sorted(set(re.findall(r"\b[a-z0-9_]+__c\b", path.read_text(encoding="utf-8"))))
        for path in sorted((DBT_DIR / "models" / "staging").rglob("*.sql"))
    }
    assert {name: fields for name, fields in named.items() if fields} == {}
