"""The same records delivered as real teams export them give the same marts.

The demo generator writes the small scale (seed 7) in other shapes (``--delivery``): Salesforce
report exports in French and English (labels, report trailers, `N/A`, dd/mm/yyyy and
m/d/yyyy h:mm AM, cp1252), the weekly Data Export (quoted, Latin-1 and mixed-encoding files,
0/1, `000000000000000AAA`, opportunities in three currencies with the org's rates, meetings as
Events) and HubSpot exports with associations plus a companies export. One run mixes them all;
every mart equals the one the same records give as Data Loader and HubSpot UI exports (the
``small`` fixture's inbox, on which the truth tests run), so every truth test holds for these
shapes too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from smarketing_tools.generator import generate
from tests.conftest import run_cli

# Columns that say when a build ran, not what it found.
BUILD_COLUMNS = {"built_at", "frozen_at", "closed_by", "latest_record_at"}
# Which delivery each Salesforce object comes from in the one mixed run (the rest: Data Export)
REPORT_EN_OBJECTS = ("Lead", "Contact", "User")
REPORT_FR_OBJECTS = ("LeadHistory", "Campaign", "CampaignMember")


def _generate(root: Path, delivery: str) -> Path:
    generate(root, scale="small", seed=7, delivery=delivery)
    return root / "inbox"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run on every shape at once: the weekly Data Export (currencies, Events, a file
    mixing encodings) for accounts, opportunities and activities, English reports for leads,
    contacts and users, French reports for the lead history and the campaigns, HubSpot
    contacts with their associated companies and a companies export."""
    parts = tmp_path_factory.mktemp("deliveries")
    inboxes = {
        mode: _generate(parts / mode, mode)
        for mode in ("report-en", "report-fr", "data-export", "hubspot-associations")
    }
    root = tmp_path_factory.mktemp("mixed_deliveries")
    inbox = root / "inbox"
    (inbox / "salesforce").mkdir(parents=True)
    for path in sorted((inboxes["data-export"] / "salesforce").iterdir()):
        mode = (
            "report-en"
            if path.stem in REPORT_EN_OBJECTS
            else "report-fr"
            if path.stem in REPORT_FR_OBJECTS
            else "data-export"
        )
        shutil.copyfile(inboxes[mode] / "salesforce" / path.name, inbox / "salesforce" / path.name)
    shutil.copytree(inboxes["hubspot-associations"] / "hubspot", inbox / "hubspot")
    shutil.copytree(parts / "data-export" / "truth", root / "truth")
    result = run_cli(root)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def _marts(path: Path, skip: dict[str, set[str]]) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "order by table_name"
            ).fetchall()
        ]
        marts = {}
        for table in tables:
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if name not in BUILD_COLUMNS and name not in skip.get(table, set())
            ]
            select = ", ".join(f'"{name}"' for name in columns)
            marts[table] = con.execute(
                f'select {select} from marts."{table}" order by all'
            ).fetchall()
        return marts
    finally:
        con.close()


def test_every_shape_gives_the_same_marts(small: dict, mixed: Path) -> None:
    # amounts are in their own currencies here: the corporate amounts must be the same;
    # meetings are Events, so a meeting (a first touch too) has the Event's id and type
    skip = {
        "fct_opportunities": {"amount", "currency_iso_code", "amount_conversion"},
        "fct_sla_lead_response": {"first_touch_task_id"},
        "fct_activities": {"activity_id", "tool_type"},
    }
    want = _marts(small["root"] / "warehouse.duckdb", skip)
    have = _marts(mixed / "warehouse.duckdb", skip)
    assert sorted(have) == sorted(want)
    different = [table for table in want if want[table] != have[table]]
    assert not different, {table: (len(want[table]), len(have[table])) for table in different}
    assert sum(len(rows) for rows in want.values()) > 10_000


def test_each_shape_was_read_as_such(mixed: Path) -> None:
    con = duckdb.connect(str(mixed / "warehouse.duckdb"), read_only=True)
    try:
        languages = dict(
            con.execute(
                "select raw_table, any_value(header_language) from audit.load_audit "
                "where raw_table like 'salesforce__%' group by raw_table"
            ).fetchall()
        )
        trailers = con.execute(
            "select count(*) from audit.rejected_rows where reason like 'not a record:%'"
        ).fetchone()[0]
        companies = con.execute(
            "select count(*) from staging.stg_hubspot__contact "
            "where associated_company_id is not null"
        ).fetchone()[0]
        currencies = dict(
            con.execute(
                "select currency_iso_code, count(*) from marts.fct_opportunities group by all"
            ).fetchall()
        )
        conversions = {
            row[0]
            for row in con.execute(
                "select distinct amount_conversion from marts.fct_opportunities"
            ).fetchall()
        }
        meetings = con.execute(
            "select count(*) from marts.fct_sla_lead_response "
            "where first_touch_type = 'meeting' and first_touch_task_id like '00U%'"
        ).fetchone()[0]
        mixed_files = con.execute(
            "select count(*) from audit.load_audit where encoding = 'utf-8+cp1252' "
            "and lines_read_as_cp1252 > 0 and status = 'loaded'"
        ).fetchone()[0]
        month_first = con.execute(
            "select count(*) from audit.load_audit where date_order = 'month_first'"
        ).fetchone()[0]
    finally:
        con.close()
    assert {languages[f"salesforce__{kind}"] for kind in ("lead", "contact", "user")} == {"en"}
    assert {
        languages[f"salesforce__{kind}"] for kind in ("lead_history", "campaign", "campaign_member")
    } == {"fr"}
    assert languages["salesforce__opportunity"] == "api"
    assert trailers >= 6  # each report's trailer, set aside with its reason
    assert companies > 100
    assert set(currencies) == {"EUR", "USD", "CHF"}
    assert conversions == {"corporate", "converted"}  # no amount without a rate
    assert meetings > 0
    assert mixed_files == 1
    assert month_first >= 2  # the English reports' m/d/yyyy dates, read month first
