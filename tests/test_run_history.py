"""Dagster's run history as `smarketing run` configures it: the event log in Dagster's own SQLite
files and folders (the UI, or Dagster's stock storage, reads them), written through one pooled
engine per database; a dagster.yaml someone wrote themselves is left as it is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import (
    AssetCheckResult,
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    Definitions,
    asset,
    asset_check,
    define_asset_job,
)
from dagster._core.storage.event_log import SqliteEventLogStorage

from dagster_project.lib.event_log import EngineCachingSqliteEventLogStorage
from smarketing.pipeline import DAGSTER_YAML_HEADER, dagster_home
from smarketing.settings import Settings


@asset
def leads() -> int:
    return 3


@asset_check(asset=leads)
def leads_are_counted() -> AssetCheckResult:
    return AssetCheckResult(passed=True)


JOB = Definitions(
    assets=[leads], asset_checks=[leads_are_counted], jobs=[define_asset_job("leads_job")]
).resolve_job_def("leads_job")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster home: #1"))
    monkeypatch.setenv("SMARKETING_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    yield dagster_home(Settings.from_env())


def _run(instance: DagsterInstance) -> str:
    result = JOB.execute_in_process(instance=instance)
    assert result.success
    return result.run_id


def test_runs_are_stored_where_dagster_looks_for_them(home: Path) -> None:
    with DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, EngineCachingSqliteEventLogStorage)
        run_id = _run(instance)
        _run(instance)
        stored = instance.all_logs(run_id)
        assert len(instance.get_runs()) == 2
    # Dagster's own storage, on the same folder, reads the same events (the files are its own)
    stock = SqliteEventLogStorage(str(home / "history" / "runs"))
    try:
        assert [entry.message for entry in stock.get_logs_for_run(run_id)] == [
            entry.message for entry in stored
        ]
        kinds = {entry.dagster_event_type for entry in stored}
        assert DagsterEventType.ASSET_MATERIALIZATION in kinds
        assert DagsterEventType.ASSET_CHECK_EVALUATION in kinds
        materialized = stock.get_latest_materialization_events([AssetKey("leads")])
        assert materialized[AssetKey("leads")] is not None
    finally:
        stock.dispose()


def test_another_instance_reads_while_a_run_holds_its_engines(home: Path) -> None:
    with DagsterInstance.get() as writer, DagsterInstance.get() as reader:
        first = _run(writer)
        assert len(reader.all_logs(first)) == len(writer.all_logs(first))
        second = _run(writer)
        assert {run.run_id for run in reader.get_runs()} == {first, second}


def test_the_configuration_follows_the_project_but_not_over_a_users_own(
    home: Path, tmp_path: Path
) -> None:
    config = home / "dagster.yaml"
    assert config.read_text(encoding="utf-8").startswith(DAGSTER_YAML_HEADER)
    outdated = config.read_text(encoding="utf-8").replace("EngineCaching", "")
    config.write_text(outdated, encoding="utf-8")
    dagster_home(Settings.from_env())
    assert "EngineCachingSqliteEventLogStorage" in config.read_text(encoding="utf-8")

    own = "telemetry:\n  enabled: true\n"
    config.write_text(own, encoding="utf-8")
    dagster_home(Settings.from_env())
    assert config.read_text(encoding="utf-8") == own
    assert os.environ["DAGSTER_HOME"] == str(home)
