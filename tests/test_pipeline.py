"""A full small-scale run, as a user runs it: generate, then `smarketing run`, twice (the
``small`` fixture in conftest.py, shared with the identity tests)."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterEventType, DagsterInstance

from smarketing.config import load_config
from smarketing.config.tables import definition_version, written_definition
from smarketing.ingest.registry import export_kinds
from smarketing.ingest.sniffing import sniff
from tests.conftest import DEMO_WARNINGS, REPO, run_cli


@pytest.fixture
def con(small: dict):
    connection = duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


def data_rows(path: Path) -> int:
    fmt = sniff(path)
    with path.open(encoding=fmt.encoding, newline="") as handle:
        rows = [r for r in csv.reader(handle, delimiter=fmt.delimiter) if r]
    return len(rows) - 1


def test_the_run_succeeds(small: dict) -> None:
    run = small["first"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Pipeline succeeded" in run.stdout
    assert str(small["root"] / "warehouse.duckdb") in run.stdout


def test_a_run_rewrites_no_file_of_the_project(small: dict) -> None:
    before, after = small["tracked_files"]
    assert before, "git listed no file"
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    assert not changed, f"the run rewrote project files: {changed}"


def test_the_definition_the_build_used_is_in_every_copy(small: dict) -> None:
    version = definition_version(REPO / "smarketing.yml")
    for name in ("warehouse.duckdb", "serving.duckdb", "serving_restricted.duckdb"):
        con = duckdb.connect(str(small["root"] / name), read_only=True)
        try:
            assert written_definition(con).version == version, name
            # the tables the models read are the definition's
            assert con.execute("select count(*) from config.committee_kpis").fetchone()[0] == len(
                load_config(REPO / "smarketing.yml").committee.kpis
            )
        finally:
            con.close()


def test_every_file_is_audited_and_every_row_accounted_for(small: dict, con) -> None:
    inbox = small["root"] / "inbox"
    files = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file())
    audit = con.execute(
        "select source_file, status, rows_read, rows_loaded, rows_rejected "
        "from audit.load_audit order by source_file"
    ).fetchall()
    assert sorted(row[0] for row in audit) == files  # once each
    assert Counter(row[1] for row in audit) == {"loaded": len(files) - 1, "duplicate": 1}
    for source_file, status, read, loaded, rejected in audit:
        assert read == loaded + rejected
        if status == "loaded":
            assert loaded == data_rows(inbox / source_file), source_file


def test_later_runs_load_only_the_new_files(small: dict, redelivery: dict) -> None:
    """After the small run: a killed run, a held-back one and a published one. The files of
    the first run are never loaded again; raw grows by the new files alone."""
    con = duckdb.connect(str(redelivery["root"] / "warehouse.duckdb"), read_only=True)
    try:
        audit = con.execute("select source_file, status from audit.load_audit").fetchall()
        raw = {
            kind.table: con.execute(f"select count(*) from raw.{kind.table}").fetchone()[0]
            for kind in export_kinds()
        }
        new_rows = dict(
            con.execute(
                "select raw_table, sum(rows_loaded) from audit.load_audit "
                "where source_file not in (select unnest(?)) group by raw_table",
                [[name for name, _ in small["audit_after_first"]]],
            ).fetchall()
        )
        # the person erased meanwhile (tests/test_privacy.py), counted file by file
        removed = dict(
            con.execute(
                "select raw_table, sum(rows_removed) from audit.removed_rows group by all"
            ).fetchall()
        )
    finally:
        con.close()
    first = Counter(name for name, _ in small["audit_after_first"])
    assert {name: n for name, n in Counter(name for name, _ in audit).items() if name in first} == (
        first
    )
    new = sorted(name for name, _ in audit if name not in first)
    assert new == [
        "hubspot/contacts-truncated.csv",  # unreadable: loaded nothing
        "hubspot/late-contacts.csv",
        "salesforce/Lead-corrected.csv",
        "salesforce/Lead-defect.csv",
    ]
    for table, count in raw.items():
        expected = small["raw_after_first"][table] + new_rows.get(table, 0)
        assert count == expected - removed.get(table, 0), table
    assert removed and set(removed) <= set(raw)
    assert set(new_rows) == {"salesforce__lead", "hubspot__contact"}


# Exports the default (Data Loader) delivery of the demo does not hold: the weekly Data Export
# and HubSpot's companies export bring them (tests/test_delivery_modes.py).
NOT_IN_THE_API_DELIVERY = {
    "salesforce__event",
    "salesforce__currency_type",
    "salesforce__dated_conversion_rate",
    "hubspot__company",
    "hubspot__deal",
}


def test_staging_reconciles_with_raw(con) -> None:
    for kind in export_kinds():
        distinct_keys = con.execute(
            f"select count(distinct {kind.key}) from raw.{kind.table}"
        ).fetchone()[0]
        staged = con.execute(f"select count(*) from staging.stg_{kind.table}").fetchone()[0]
        assert staged == distinct_keys, kind.table
        if kind.table in NOT_IN_THE_API_DELIVERY:
            assert staged == 0, kind.table
        else:
            assert staged > 0, f"the demo exports have no {kind.name}"


def test_every_person_record_of_the_truth_is_staged_once(small: dict, con) -> None:
    with (small["root"] / "truth" / "source_records.csv").open(encoding="utf-8") as handle:
        truth = Counter(
            (row["source_system"], row["source_entity"], row["source_record_id"])
            for row in csv.DictReader(handle)
        )
    staged = Counter(
        con.execute(
            "select 'salesforce', 'lead', lead_id from staging.stg_salesforce__lead "
            "union all select 'salesforce', 'contact', contact_id "
            "from staging.stg_salesforce__contact "
            "union all select 'hubspot', 'contact', contact_id from staging.stg_hubspot__contact"
        ).fetchall()
    )
    assert staged == truth


def test_dbt_tests_ran_as_passing_asset_checks(small: dict) -> None:
    os.environ["DAGSTER_HOME"] = str(small["root"] / "dagster_home")
    with DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert len(runs) == 1
        evaluations = [
            event.asset_check_evaluation_data
            for event in (
                record.event_log_entry.dagster_event
                for record in instance.get_records_for_run(
                    runs[0].run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
                ).records
            )
        ]
    assert len(evaluations) > 20
    # the demo exports are messy in the ways real ones are, yet well-formed: no check fails
    # but the phones' warning
    failed = [(e.check_name, e.severity.value) for e in evaluations if not e.passed]
    assert failed == [(check, "WARN") for check in sorted(DEMO_WARNINGS)]


def test_the_run_says_what_it_recognised_and_what_to_do(small: dict, redelivery: dict) -> None:
    first = small["first"].stdout
    files = sum(1 for p in (small["root"] / "inbox").rglob("*") if p.is_file())
    assert f"This run: {files} of {files} new file(s) recognised." in first
    # the defect run could read one of its two files
    assert "This run: 1 of 2 new file(s) recognised." in redelivery["defect"]["stdout"]
    assert "contacts-truncated.csv [error]" in redelivery["defect"]["stdout"]
    assert "This run: 2 of 2 new file(s) recognised." in redelivery["corrected"]["stdout"]


def test_the_exports_taken_time_is_the_latest_record_change(small: dict, con) -> None:
    """Without --as-of, the warehouse describes the time the exports were taken: the latest
    record change in the deliveries, which the generator keeps before its cutoff (the exports
    are taken that morning). The small fixture passes the cutoff with --as-of."""
    as_of, source, latest = con.execute(
        "select as_of, as_of_source, latest_record_at from marts.fct_data_as_of"
    ).fetchone()
    manifest = json.loads((small["root"] / "truth" / "manifest.json").read_text(encoding="utf-8"))
    cutoff = con.execute("select cast(? as timestamptz)", [manifest["cutoff"]]).fetchone()[0]
    assert (as_of, source) == (cutoff, "as_of_option")
    assert cutoff - timedelta(days=2) < latest < cutoff


def test_a_run_that_recognises_no_file_says_so(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "budget.csv").write_text("Month,Team,Budget\n2026-01,Nord,1000\n", encoding="utf-8")
    (inbox / "leads.csv").write_text(
        "LastName,Company,Status,IsConverted,LeadSource\nRiou,Riou SAS,Open,false,Web\n",
        encoding="utf-8",
    )
    run = run_cli(tmp_path, inbox=inbox)
    out = run.stdout + run.stderr
    assert run.returncode == 1
    assert "No export recognised: the warehouse holds no record" in out
    assert "This run: 0 of 2 new file(s) recognised." in out
    assert "budget.csv [unknown]: header matches no known export" in out
    assert (
        "leads.csv [refused]: recognised as salesforce__lead but the required column(s) Id" in out
    )
    assert run.stdout.count("what to do:") == 2
    # an unknown file: the command that drafts its mapping file
    assert (
        f"`smarketing map {inbox / 'budget.csv'} --out {REPO / 'mappings' / 'budget'}.yml`" in out
    )
    # no model or test failed on the empty warehouse before the run said why
    assert "not_null_" not in out
    assert not (tmp_path / "serving.duckdb").exists()


def test_an_anonymised_delivery_loads_builds_and_publishes(handmade: dict) -> None:
    """Reports without names, e-mails or companies (only the record ids are certain,
    ``tests/handmade.py``): every file loads, no test fails on the columns they lack, and the
    run is published."""
    run = handmade["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    files = sum(1 for p in (handmade["root"] / "inbox").rglob("*") if p.is_file())
    # tests/handmade.py's hostile folder: a workbook, a folder and a named pipe are not read
    assert f"This run: {files - 1} of {files + 2} new file(s) recognised." in run.stdout
    assert "Published:" in run.stdout
    con = duckdb.connect(str(handmade["root"] / "serving.duckdb"), read_only=True)
    # which records came in the anonymised files: the staging of the working warehouse
    con.execute(f"attach '{handmade['root'] / 'warehouse.duckdb'}' as working (read_only)")
    try:
        leads = con.execute(
            """
            select count(distinct bridge.unified_lead_id)
            from marts.bridge_lead_source_records as bridge
            where bridge.record_key in (
                select 'salesforce:lead:' || lead_id from working.staging.stg_salesforce__lead
                where _source_file like 'anonymised/%'
                union all
                select 'hubspot:contact:' || contact_id from working.staging.stg_hubspot__contact
                where _source_file like 'anonymised/%'
            )
            """
        ).fetchone()[0]
        opportunities = con.execute(
            """
            select amount, amount_corporate, amount_conversion, is_won
            from marts.fct_opportunities
            where opportunity_id in (
                select opportunity_id from working.staging.stg_salesforce__opportunity
                where _source_file like 'anonymised/%'
            )
            order by opportunity_id
            """
        ).fetchall()
        # every total is in euros (in cents, exactly): the yen (no rate) are in none
        totals = con.execute(
            """
            select
                (select sum(won_revenue::decimal(18, 2)) from marts.fct_segment_ranking
                 where period_window = 'all_time' and ranking_level = 'segment'),
                (select sum(amount_corporate::decimal(18, 2)) from marts.fct_opportunities
                 where is_won)
            """
        ).fetchone()
        statuses = con.execute(
            "select status from working.staging.stg_salesforce__lead "
            "where _source_file like 'anonymised/%' order by lead_id"
        ).fetchall()
    finally:
        con.close()
    assert leads == 5  # three leads and two contacts, nothing to match them on
    # the report has no Won column: its stage, won by the shared definition, says it
    assert [
        (float(a), None if b is None else float(b), c, won) for a, b, c, won in opportunities
    ] == [(12500.0, 12500.0, "corporate", True), (1_000_000.0, None, "no_rate", True)]
    assert totals[0] == totals[1] and totals[0] >= 12500
    assert [status for (status,) in statuses] == [
        "Open - Not Contacted",
        "Qualified",
        "Closed - Converted",
    ]
