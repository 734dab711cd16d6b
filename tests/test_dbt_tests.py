"""dbt's own tests, on a copy of the small run's warehouse (its tables give dbt the column types
of the models), with the pipeline's vars.

The unit tests (the ``unit_tests:`` of the models' YAML) check the models' code on hand-written
rows: the pipeline's runs leave them out (they say nothing about the data), so they run here.
The project's own generic data tests must catch what they exist for."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.dbt_project import dbt_vars
from tests import dbt_process


@pytest.fixture
def warehouse(small: dict, tmp_path: Path) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small["root"] / "warehouse.duckdb", copy)
    return copy


def dbt_test(warehouse: Path, select: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    """``dbt test --select SELECT`` on WAREHOUSE: the process and its run_results.json."""
    env = {"SMARKETING_WAREHOUSE": str(warehouse)}
    return dbt_process.dbt_test(warehouse.parent, select, dbt_vars(), env)


def test_every_dbt_unit_test_passes(warehouse: Path) -> None:
    run, results = dbt_test(warehouse, "test_type:unit")
    ran = {r["unique_id"] for r in results["results"]}
    manifest = json.loads((warehouse.parent / "target" / "manifest.json").read_text())
    assert ran == set(manifest["unit_tests"])
    assert len(ran) >= 30
    failed = [
        f"{r['unique_id']}: {r['status']} {r['message']}"
        for r in results["results"]
        if r["status"] != "pass"
    ]
    assert not failed, "\n".join(failed)
    assert run.returncode == 0, run.stdout[-3000:]


def test_not_null_columns_names_each_column_holding_a_null(warehouse: Path) -> None:
    # one test per model checks its required columns in one scan: it passes on the run's data,
    # then fails once two of them hold a null, with one failing row per column
    run, results = dbt_test(warehouse, "fct_crm_completeness,test_name:not_null_columns")
    assert [r["status"] for r in results["results"]] == ["pass"], run.stdout[-3000:]
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(
            "update marts.fct_crm_completeness set team = null, accepted_count = null "
            "where owner_id = (select min(owner_id) from marts.fct_crm_completeness)"
        )
    finally:
        con.close()
    run, results = dbt_test(warehouse, "fct_crm_completeness,test_name:not_null_columns")
    [result] = results["results"]
    assert result["status"] == "fail" and result["failures"] == 2, run.stdout[-3000:]
    assert run.returncode == 1
    # its failing rows (what `dbt test --store-failures` keeps) name the columns
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(result["compiled_code"]).fetchall()
    finally:
        con.close()
    assert sorted(column for column, _ in rows) == ["accepted_count", "team"]
    assert len({nulls for _, nulls in rows}) == 1 and rows[0][1] >= 1
