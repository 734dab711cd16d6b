"""A daily delivery merged into the warehouse gives the tables a full rebuild of the same inbox
gives, row for row.

The small warehouse as published (the ``small`` fixture) receives the generator's next day
(new and changed people, late marketing events, a deleted and a merged lead), with a campaign
membership Salesforce reports deleted, and a second `smarketing run` merges it; another
warehouse is built once from the same inbox, with the match model the first one kept (a daily
run scores the changed records' pairs with it: ``smarketing/identity/match_state.py``). Both
are then compared table by table.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from smarketing.identity.tables import MATCH_MODEL, MATCH_TERM_FREQUENCIES
from smarketing_tools.generator.daily import generate_days
from tests.conftest import run_cli

# It reads the small run: with the redelivery scenario, whose worker makes one too (the worker of
# the small group has the longest queue).
pytestmark = pytest.mark.xdist_group("redelivery")

# the instants of the runs themselves: when each file was loaded, when the marts were built,
# when a committee month was frozen (the figures frozen are compared)
RUN_TIME_COLUMNS = {"_loaded_at", "built_at", "frozen_at"}
COMPARED_SCHEMAS = ("staging", "intermediate", "identity", "marts")
# the registry of stable ids: when each record was first and last seen, by run
RUN_TABLES = {("identity", "unified_lead_ids")}


@pytest.fixture(scope="module")
def daily(small: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    merged = tmp_path_factory.mktemp("daily_merged")
    for name in ("warehouse.duckdb", "serving.duckdb", "publication.json"):
        shutil.copyfile(small["root"] / name, merged / name)
    shutil.copytree(small["root"] / "inbox", merged / "inbox")
    shutil.copytree(small["root"] / "truth", merged / "truth")
    summary = generate_days(merged, 1)
    delivery = summary.deliveries[0]
    removed_member = _delete_a_campaign_membership(merged / "inbox", delivery.date.isoformat())
    # the day after: decided as of the morning the delivery was exported
    as_of = f"{delivery.date.isoformat()}T00:00:00+01:00"
    model_before = _kept_model(merged / "warehouse.duckdb")
    merged_run = run_cli(merged, as_of=as_of)

    rebuilt = tmp_path_factory.mktemp("daily_rebuilt")
    shutil.copytree(merged / "inbox", rebuilt / "inbox")
    _keep_model_of(merged / "warehouse.duckdb", rebuilt / "warehouse.duckdb")
    rebuilt_run = run_cli(rebuilt, as_of=as_of)
    yield {
        "delivery": delivery,
        "removed_member": removed_member,
        "model_before": model_before,
        "merged": merged,
        "merged_run": merged_run,
        "rebuilt": rebuilt,
        "rebuilt_run": rebuilt_run,
    }


def _kept_model(warehouse: Path) -> tuple:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f"select trained_at, parameters from {MATCH_MODEL}").fetchall()[0]
    finally:
        con.close()


def _keep_model_of(source: Path, target: Path) -> None:
    """A new warehouse TARGET holding only the match model SOURCE keeps."""
    con = duckdb.connect(str(target))
    con.execute(f"attach '{source}' as source (read_only)")
    con.execute("create schema identity")
    for table in (MATCH_MODEL, MATCH_TERM_FREQUENCIES):
        con.execute(f"create table {table} as select * from source.{table}")
    con.close()


def _delete_a_campaign_membership(inbox: Path, day: str) -> str:
    """The day's CampaignMember export: one membership of day 0 again, now IsDeleted (as a
    Salesforce export with deleted rows gives it). Its id."""
    day0 = inbox / "salesforce" / "CampaignMember.csv"
    with day0.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        row = next(r for r in reader if r["IsDeleted"] == "false")
    row |= {"IsDeleted": "true", "LastModifiedDate": f"{day}T07:00:00.000+0000"}
    with (inbox / "salesforce" / day / "CampaignMember.csv").open(
        "w", encoding="utf-8", newline=""
    ) as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    return row["Id"]


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?",
        [catalog],
    ).fetchall()
    return {(schema, table) for schema, table in rows if schema in COMPARED_SCHEMAS}


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [catalog, schema, table],
    ).fetchall()
    return [name for (name,) in rows]


def _differences(merged: Path, rebuilt: Path) -> dict[str, str]:
    """Per table of either warehouse, what differs (counts only: no personal data shown)."""
    con = duckdb.connect()
    con.execute(f"attach '{merged / 'warehouse.duckdb'}' as merged (read_only)")
    con.execute(f"attach '{rebuilt / 'warehouse.duckdb'}' as rebuilt (read_only)")
    left, right = _tables(con, "merged") - RUN_TABLES, _tables(con, "rebuilt") - RUN_TABLES
    found = {f"{s}.{t}": "only in the merged warehouse" for s, t in left - right}
    found |= {f"{s}.{t}": "only in the rebuilt warehouse" for s, t in right - left}
    for schema, table in sorted(left & right):
        columns = _columns(con, "merged", schema, table)
        if columns != _columns(con, "rebuilt", schema, table):
            found[f"{schema}.{table}"] = "other columns"
            continue
        listed = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIME_COLUMNS)
        only_merged, only_rebuilt = (
            con.execute(
                f"select count(*) from (select {listed} from {a}.{schema}.{table} "
                f"except all select {listed} from {b}.{schema}.{table})"
            ).fetchone()[0]
            for a, b in (("merged", "rebuilt"), ("rebuilt", "merged"))
        )
        if only_merged or only_rebuilt:
            found[f"{schema}.{table}"] = (
                f"{only_merged} row(s) only in the merged warehouse, "
                f"{only_rebuilt} only in the rebuilt one"
            )
    con.close()
    return found


def test_both_runs_publish(daily: dict) -> None:
    for run in (daily["merged_run"], daily["rebuilt_run"]):
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_the_daily_run_merged_the_new_files_only(daily: dict) -> None:
    con = duckdb.connect(str(daily["merged"] / "warehouse.duckdb"), read_only=True)
    builds = con.execute(
        "select part, full_refresh from audit.dbt_builds order by built_at"
    ).fetchall()
    statuses = dict(
        con.execute(
            "select source_file, status from audit.load_audit "
            "where run_id = (select run_id from audit.load_audit order by started_at desc limit 1)"
        ).fetchall()
    )
    # the deleted lead of the day is flagged, the merged one points to its survivor
    membership_events = con.execute(
        "select count(*) from intermediate.int_marketing_events where event_key = ?",
        [f"salesforce:{daily['removed_member']}"],
    ).fetchone()[0]
    deleted = con.execute(
        "select count(*) filter (where is_deleted), "
        "count(*) filter (where is_deleted and master_record_id is not null) "
        "from staging.stg_salesforce__lead where _source_file like ?",
        [f"salesforce/{daily['delivery'].date.isoformat()}/%"],
    ).fetchone()
    con.close()
    # the first run built from raw; the second merged (the definition did not change)
    assert builds[:2] == [("dbt_before_identity", True), ("dbt_after_identity", True)]
    assert builds[-2:] == [("dbt_before_identity", False), ("dbt_after_identity", False)]
    # the second run loaded the day's files only
    day_files = {path.removeprefix("inbox/") for path in daily["delivery"].files}
    day_files.add(f"salesforce/{daily['delivery'].date.isoformat()}/CampaignMember.csv")
    assert set(statuses) == day_files
    assert set(statuses.values()) == {"loaded"}
    assert deleted == (2, 1)
    # the membership deleted that day left the merged marketing events
    assert membership_events == 0
    # the day's records were matched with the model the first run trained
    assert _kept_model(daily["merged"] / "warehouse.duckdb") == daily["model_before"]


def test_every_table_equals_a_full_rebuild_of_the_same_inbox(daily: dict) -> None:
    assert _differences(daily["merged"], daily["rebuilt"]) == {}
