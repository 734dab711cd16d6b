"""dbt in the run's process (dagster_project/lib/dbt_runner.py): a subset of the marts built
from the Dagster definitions, with its tests as checks; a model that fails fails the step with
dbt's error; either way dbt leaves the warehouse closed for the next step and other processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.transform.definitions import dbt_parts
from dagster_project.lib.dbt_project import (
    DBT_THREADS_ENV,
    SMALL_DELIVERIES_BYTES,
    dbt_build_args,
    dbt_threads,
    delivered_bytes,
)
from dagster_project.lib.dbt_runner import DbtBuildError
from smarketing import duckdb_limits
from tests.conftest import rows

MART = dg.AssetKey(["marts", "fct_match_rules"])
OPEN_READ_WRITE = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"


@pytest.fixture
def warehouse(small: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small run's warehouse, the one the definitions build."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small["root"] / "warehouse.duckdb", copy)
    monkeypatch.setenv("SMARKETING_WAREHOUSE", str(copy))
    monkeypatch.setenv("SMARKETING_INBOX", str(small["root"] / "inbox"))
    monkeypatch.delenv("SMARKETING_RUN_LOG", raising=False)
    return copy


def materialize_mart() -> dg.ExecuteInProcessResult:
    _, after_identity = dbt_parts()
    return dg.materialize([after_identity], selection=[MART], raise_on_error=False)


def opens_elsewhere(warehouse: Path) -> bool:
    """Whether another process can open WAREHOUSE to write (DuckDB locks it while open)."""
    opened = subprocess.run(
        [sys.executable, "-c", OPEN_READ_WRITE, str(warehouse)], capture_output=True, check=False
    )
    return opened.returncode == 0


def test_a_subset_of_the_marts_is_built_with_its_tests_as_checks(warehouse: Path) -> None:
    before = rows(warehouse, "select match_rule, source_record_count from marts.fct_match_rules")
    result = materialize_mart()
    assert result.success
    assert {e.asset_key for e in result.get_asset_materialization_events()} == {MART}
    checks = result.get_asset_check_evaluations()
    assert {c.asset_key for c in checks} == {MART}
    assert {c.check_name for c in checks} >= {
        "unique_fct_match_rules_match_rule",
        "not_null_fct_match_rules_match_rule",
    }
    assert all(c.passed for c in checks)
    after = rows(warehouse, "select match_rule, source_record_count from marts.fct_match_rules")
    assert sorted(after) == sorted(before) and after
    assert opens_elsewhere(warehouse)


def test_a_model_that_fails_fails_the_step_with_dbts_error(warehouse: Path) -> None:
    before = rows(warehouse, "select count(*) from marts.fct_match_rules")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; duckdb.connect(sys.argv[1]).execute("
            "'drop table marts.bridge_lead_source_records')",
            str(warehouse),
        ],
        check=True,
    )
    result = materialize_mart()
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    error = failure.step_failure_data.error
    assert error is not None
    assert error.cls_name == DbtBuildError.__name__
    assert "fct_match_rules" in error.message
    assert "bridge_lead_source_records" in error.message
    # dbt's own log, every statement, is where the failure says
    metadata = failure.step_failure_data.user_failure_data.metadata
    log = Path(metadata["dbt log"].path)
    assert "bridge_lead_source_records" in log.read_text(encoding="utf-8")
    assert not result.get_asset_materialization_events()
    # the table built before stays as it was, and dbt let go of the file
    assert rows(warehouse, "select count(*) from marts.fct_match_rules") == before
    assert opens_elsewhere(warehouse)


@pytest.mark.parametrize(
    ("cores", "size", "setting", "threads"),
    [
        ("1", 1000, None, 1),  # one core
        ("2", 1000, None, 2),  # a small warehouse: a second thread overlaps dbt's own work
        ("16", 1000, None, 2),
        ("2", SMALL_DELIVERIES_BYTES, None, 1),  # a large one: each query uses every core
        ("2", SMALL_DELIVERIES_BYTES, "3", 3),  # as the team sets it
    ],
)
def test_dbt_builds_two_nodes_at_once_on_small_deliveries_one_on_large_ones(
    cores: str,
    size: int,
    setting: str | None,
    threads: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(duckdb_limits.THREADS_ENV, cores)
    if setting is None:
        monkeypatch.delenv(DBT_THREADS_ENV, raising=False)
    else:
        monkeypatch.setenv(DBT_THREADS_ENV, setting)
    # the exports its loads read, as the load audit says
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        assert delivered_bytes(con) == 0  # before its first load
        con.execute("create schema audit")
        con.execute(
            "create table audit.load_audit as select * from (values "
            "(?::bigint, 'loaded'), (10 * ?::bigint, 'rejected')) as t(file_bytes, status)",
            [size, size],
        )
        delivered = delivered_bytes(con)
    assert delivered == size
    assert dbt_threads(delivered) == threads
    args = dbt_build_args({}, threads=dbt_threads(delivered))
    assert args[args.index("--threads") + 1] == str(threads)
