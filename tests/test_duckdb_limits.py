"""DuckDB's memory and thread limits for a run's connections: from the machine unless set."""

from __future__ import annotations

import os
from pathlib import Path

import psutil
import pytest

from smarketing import duckdb_limits
from smarketing.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def test_the_defaults_come_from_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (duckdb_limits.MEMORY_ENV, duckdb_limits.THREADS_ENV, duckdb_limits.SPILL_ENV):
        monkeypatch.delenv(name, raising=False)
    limits = duckdb_limits.limits(tmp_path / "warehouse.duckdb")
    memory_mib = int(limits["memory_limit"].removesuffix("MiB"))
    ram_mib = psutil.virtual_memory().total / 2**20
    assert 0 < memory_mib <= min(3 * 1024, ram_mib / 4)
    assert limits["threads"] == str(len(os.sched_getaffinity(0)))
    assert limits["temp_directory"] == str(tmp_path / ".duckdb_spill")


def test_a_connection_has_the_limits_and_the_environment_overrides_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(duckdb_limits.MEMORY_ENV, "512MiB")
    monkeypatch.setenv(duckdb_limits.THREADS_ENV, "1")
    monkeypatch.setenv(duckdb_limits.SPILL_ENV, str(tmp_path / "spill"))
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb_limits.connect(warehouse, warehouse=warehouse)
    try:
        memory, threads, spill = con.execute(
            "select current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory')"
        ).fetchone()
    finally:
        con.close()
    assert memory == "512.0 MiB"
    assert threads == 1
    assert spill == str(tmp_path / "spill")


def test_a_run_exports_the_limits_for_its_child_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (duckdb_limits.MEMORY_ENV, duckdb_limits.THREADS_ENV, duckdb_limits.SPILL_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SMARKETING_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("SMARKETING_INBOX", str(tmp_path / "inbox"))
    Settings.from_env().export_env()
    exported = {
        "memory_limit": os.environ[duckdb_limits.MEMORY_ENV],
        "threads": os.environ[duckdb_limits.THREADS_ENV],
        "temp_directory": os.environ[duckdb_limits.SPILL_ENV],
    }
    assert exported == duckdb_limits.limits(tmp_path / "warehouse.duckdb")


def test_duckdb_gets_the_runs_memory_less_what_the_process_holds_beyond_its_allowance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    allowance = duckdb_limits.PYTHON_ALLOWANCE_MIB * 2**20

    def left(configured: str, held: int) -> str:
        monkeypatch.setenv(duckdb_limits.MEMORY_ENV, configured)
        return duckdb_limits.memory_left(held)

    # the process within its allowance: the whole limit
    assert left("3072MiB", allowance) == "3072MiB"
    # 900 MiB beyond it: 1 GiB (whole steps of 512 MiB) taken from DuckDB's share, in any
    # unit DuckDB reads; a few MiB more or less leave the limit as it was
    assert left("3GiB", allowance + 900 * 2**20) == "2048MiB"
    assert left("3GiB", allowance + 1000 * 2**20) == "2048MiB"
    assert left("3GiB", allowance + 1 * 2**20) == "2560MiB"
    assert left("8GB", allowance + 900 * 2**20) == f"{8 * 10**9 // 2**20 - 1024}MiB"
    # never below 1 GiB: DuckDB spills rather than fails
    assert left("2GiB", allowance + 5 * 2**30) == "1024MiB"
    # a setting this does not read is left to DuckDB
    assert left("80%", allowance + 2**30) == "80%"
    # by default, what this very process holds
    monkeypatch.setenv(duckdb_limits.MEMORY_ENV, "64GiB")
    held_mib = psutil.Process().memory_info().rss // 2**20
    excess_mib = max(0, held_mib - duckdb_limits.PYTHON_ALLOWANCE_MIB)
    assert int(duckdb_limits.memory_left().removesuffix("MiB")) == pytest.approx(
        64 * 1024 - excess_mib, abs=duckdb_limits.MEMORY_STEP_MIB + 64
    )
