"""A full small-scale run, as a user runs it: generate, then `smarketing run`, twice (the
``small`` fixture in conftest.py, shared with the identity tests)."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterEventType, DagsterInstance

from smarketing.ingest.registry import export_kinds
from smarketing.ingest.sniffing import sniff


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


def test_both_runs_succeed(small: dict) -> None:
    for run in (small["first"], small["second"]):
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert "Pipeline succeeded" in run.stdout
        assert str(small["root"] / "warehouse.duckdb") in run.stdout


def test_every_file_is_audited_and_every_row_accounted_for(small: dict, con) -> None:
    inbox = small["root"] / "inbox"
    files = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file())
    audit = con.execute(
        "select source_file, status, rows_read, rows_loaded, rows_rejected "
        "from audit.load_audit order by source_file"
    ).fetchall()
    assert sorted(row[0] for row in audit) == files  # once each, the second run added nothing
    assert Counter(row[1] for row in audit) == {"loaded": len(files) - 1, "duplicate": 1}
    for source_file, status, read, loaded, rejected in audit:
        assert read == loaded + rejected
        if status == "loaded":
            assert loaded == data_rows(inbox / source_file), source_file


def test_rerun_changes_nothing(small: dict, con) -> None:
    for kind in export_kinds():
        count = con.execute(f"select count(*) from raw.{kind.table}").fetchone()[0]
        assert count == small["raw_after_first"][kind.table], kind.table
    assert (
        con.execute("select count(*) from audit.load_audit").fetchone()[0]
        == small["audit_after_first"]
    )


def test_staging_reconciles_with_raw(con) -> None:
    for kind in export_kinds():
        distinct_keys = con.execute(
            f"select count(distinct {kind.key}) from raw.{kind.table}"
        ).fetchone()[0]
        staged = con.execute(f"select count(*) from staging.stg_{kind.table}").fetchone()[0]
        assert staged == distinct_keys, kind.table
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
        assert len(runs) == 2
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
    # the demo exports are messy in the ways real ones are, yet well-formed: no check fails,
    # not even a warning
    failed = [(e.check_name, e.severity.value) for e in evaluations if not e.passed]
    assert failed == []
