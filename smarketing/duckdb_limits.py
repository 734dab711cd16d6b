"""DuckDB's memory and thread limits for every connection a run opens, set from the machine.

DuckDB's own default memory limit is 80 % of the RAM. Beside it, a run's Python (the loader,
Splink, the frames Great Expectations validates) needs memory too, and a large delivery could
exhaust the machine. A run gives DuckDB a share instead, and a spill folder beside the warehouse:
past its limit DuckDB writes to disk rather than dies. dbt gets the same limits through the
environment, read when its connection opens (``smarketing.dbt_runtime``).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import psutil

MEMORY_ENV = "SMARKETING_DUCKDB_MEMORY"
THREADS_ENV = "SMARKETING_DUCKDB_THREADS"
SPILL_ENV = "SMARKETING_DUCKDB_SPILL"
# DuckDB's setting → the environment variable that carries it to dbt (smarketing.dbt_runtime)
ENV = {"memory_limit": MEMORY_ENV, "threads": THREADS_ENV, "temp_directory": SPILL_ENV}
# A quarter of the RAM, at most 2.75 GiB: with the run's Python (PYTHON_ALLOWANCE_MIB and a
# dbt process's own), a run stays under 4 GB.
MEMORY_SHARE = 0.25
MEMORY_CAP_MIB = 2816
SPILL_DIR = ".duckdb_spill"
# The run's own Python (Dagster, the loader's batches, the frames Great Expectations checks,
# Splink) beside DuckDB: what a process holds beyond this comes out of the next DuckDB's memory.
PYTHON_ALLOWANCE_MIB = 400
MEMORY_FLOOR_MIB = 1024
MEMORY_STEP_MIB = 512
# the units of a memory setting, the longer suffixes first
UNITS = {
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "b": 1,
}


def default_memory() -> str:
    total_mib = psutil.virtual_memory().total / 2**20
    return f"{int(min(MEMORY_CAP_MIB, total_mib * MEMORY_SHARE))}MiB"


def default_threads() -> int:
    """The cores this process may use (a container's CPU set, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def limits(warehouse: Path) -> dict[str, str]:
    """DuckDB settings for connections of the run on WAREHOUSE: the environment's values
    (SMARKETING_DUCKDB_MEMORY, e.g. ``8GB``; SMARKETING_DUCKDB_THREADS; SMARKETING_DUCKDB_SPILL,
    a folder), else the machine's."""
    machine = {
        "threads": str(default_threads()),
        "temp_directory": str(warehouse.parent / SPILL_DIR),
    }
    chosen = {name: os.environ.get(ENV[name]) or value for name, value in machine.items()}
    return {"memory_limit": configured_memory(), **chosen}


def configured_memory() -> str:
    """DuckDB's memory limit for the run: SMARKETING_DUCKDB_MEMORY, else the machine's share."""
    return os.environ.get(MEMORY_ENV) or default_memory()


def configured_threads() -> int:
    """The threads of the run: SMARKETING_DUCKDB_THREADS, else the machine's cores."""
    setting = os.environ.get(THREADS_ENV)
    return int(setting) if setting and setting.isdigit() else default_threads()


def as_env(settings: dict[str, str]) -> dict[str, str]:
    """SETTINGS (DuckDB's names) as the environment variables dbt reads them from."""
    return {ENV[name]: value for name, value in settings.items()}


def export_env(warehouse: Path) -> None:
    """The limits as environment variables, for dbt and every child process."""
    os.environ.update(as_env(limits(warehouse)))


def connect(
    database: Path | str, *, warehouse: Path, read_only: bool = False, memory: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection to DATABASE (a file, or ``:memory:``) with the run's limits (MEMORY instead
    of its memory limit). Every connection of a process to the same file must share its
    configuration (DuckDB refuses a second one with other settings): open them all here."""
    config = limits(warehouse)
    if memory is not None:
        config["memory_limit"] = memory
    return duckdb.connect(str(database), read_only=read_only, config=config)


def memory_left(held_bytes: int | None = None) -> str:
    """DuckDB's memory limit for work started now (a dbt process, the identity resolution): the
    run's limit (``limits()``) less what this process holds (HELD_BYTES, by default its
    resident memory) beyond its allowance, so that the run stays within its limit and the
    allowance; never below 1 GiB (DuckDB spills to disk beyond it)."""
    configured = configured_memory()
    held = psutil.Process().memory_info().rss if held_bytes is None else held_bytes
    try:
        configured_mib = _mib(configured)
    except ValueError:  # a setting DuckDB reads but this does not: left as it is
        return configured
    excess_mib = max(0, held // 2**20 - PYTHON_ALLOWANCE_MIB)
    # in whole steps: a limit that moves by a few MiB from run to run says nothing
    taken_mib = -(-excess_mib // MEMORY_STEP_MIB) * MEMORY_STEP_MIB
    return f"{max(MEMORY_FLOOR_MIB, configured_mib - taken_mib)}MiB"


def memory_share(parts: int) -> str | None:
    """The run's memory limit split between PARTS connections working at the same time (never
    below 512 MiB each); None for one part (the limit as it is)."""
    if parts <= 1:
        return None
    try:
        total_mib = _mib(configured_memory())
    except ValueError:
        return None
    return f"{max(MEMORY_FLOOR_MIB // 2, total_mib // parts)}MiB"


def _mib(setting: str) -> int:
    """A DuckDB memory setting (``3072MiB``, ``8GB``, ``2.5GiB``) in MiB."""
    text = setting.strip().lower().replace(" ", "")
    for unit, size in UNITS.items():
        if text.endswith(unit):
            return int(float(text.removesuffix(unit)) * size // 2**20)
    raise ValueError(f"not a memory size: {setting!r} (e.g. 3072MiB, 8GB)")
