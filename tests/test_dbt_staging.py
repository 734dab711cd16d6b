"""dbt staging models built on a small warehouse: hand-written raw rows plus real export samples.

The real samples in ``shared/fixtures`` go through the loader (``smarketing.ingest.loading``), so
staging is tested on what the loader really writes. The hand-written rows, which pin down every
date, number and boolean spelling staging must read, are inserted directly into the raw tables
the loader created (every export column VARCHAR, then the lineage columns).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from smarketing.ingest.loading import LOADED_STATUSES, load_inbox
from smarketing.ingest.registry import ExportKind, export_kinds, kind_named
from smarketing.ingest.schema import ensure_schema

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
]


def _insert(
    con: duckdb.DuckDBPyConnection,
    kind: ExportKind,
    source_file: str,
    loaded_at: datetime,
    rows: list[dict[str, str]],
) -> None:
    sha256 = hashlib.sha256(source_file.encode()).hexdigest()
    for number, row in enumerate(rows, start=1):
        names = [*row, "_source_file", "_file_sha256", "_row_number", "_loaded_at"]
        values = [*row.values(), source_file, sha256, number, loaded_at]
        columns = ", ".join(f'"{name}"' for name in names)
        placeholders = ", ".join("?" for _ in names)
        con.execute(f'insert into raw."{kind.name}" ({columns}) values ({placeholders})', values)


def _samples() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.csv"))


def _build_raw(database: Path, inbox: Path) -> None:
    for path in _samples():
        target = inbox / "fixtures" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    con = duckdb.connect(str(database))
    try:
        ensure_schema(con)
        for kind_name, source_file, loaded_at, rows in HAND_WRITTEN:
            _insert(con, kind_named(kind_name), source_file, loaded_at, rows)
        loads = load_inbox(con, inbox)
    finally:
        con.close()
    not_loaded = [
        (load.source_file, load.error) for load in loads if load.status not in LOADED_STATUSES
    ]
    assert not not_loaded, not_loaded


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from dbt.cli.main import dbtRunner

    workdir = tmp_path_factory.mktemp("dbt_staging")
    database = workdir / "warehouse.duckdb"
    _build_raw(database, workdir / "inbox")

    patch = pytest.MonkeyPatch()
    patch.setenv("SMARKETING_WAREHOUSE", str(database))
    patch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    try:
        # The seed and its checks, then every staging model with its unit and data tests.
        result = dbtRunner().invoke(
            [
                "build",
                "--select",
                "+staging",
                "--project-dir",
                str(DBT_DIR),
                "--profiles-dir",
                str(DBT_DIR),
                "--target-path",
                str(workdir / "target"),
                "--log-path",
                str(workdir / "logs"),
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
    # Same configuration as dbt-duckdb's connection, which stays open in this process after the
    # build: DuckDB refuses a second in-process connection with another one (e.g. read_only).
    con = duckdb.connect(str(database))
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
