"""dbt opens the run's warehouse with the run's DuckDB limits, and reuses its last parse for
another warehouse of the same name or another memory limit (smarketing/dbt_runtime.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from dagster_project.lib.dbt_project import DBT_DIR, dbt_executable, dbt_vars
from smarketing import duckdb_limits

SETTINGS = (
    "select current_setting('memory_limit') as memory, current_setting('threads') as threads, "
    "current_setting('temp_directory') as spill, current_database() as db"
)
FULL_PARSE = "Unable to do partial parsing"


def show(warehouse: Path, target: Path, memory: str, spill: Path) -> str:
    """``dbt show`` of DuckDB's settings, started from the dbt folder as a run starts it."""
    env = {
        **os.environ,
        "SMARKETING_WAREHOUSE": str(warehouse),
        duckdb_limits.MEMORY_ENV: memory,
        duckdb_limits.THREADS_ENV: "1",
        duckdb_limits.SPILL_ENV: str(spill),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
    }
    run = subprocess.run(
        [
            dbt_executable(),
            "show",
            "--inline",
            SETTINGS,
            "--vars",
            json.dumps(dbt_vars()),
            "--target-path",
            str(target),
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout


def test_dbt_opens_the_warehouse_with_the_runs_limits_and_reuses_its_parse(
    tmp_path: Path,
) -> None:
    assert Path(dbt_executable()).name == "smarketing-dbt"
    first, second = tmp_path / "a" / "warehouse.duckdb", tmp_path / "b" / "warehouse.duckdb"
    out = show(first, tmp_path / "target_a", "512MiB", tmp_path / "spill_a")
    assert re.search(r"\| 512\.0 MiB \|\s+1 \| \S+ \| warehouse \|", out), out[-2000:]
    assert first.is_file() and not (DBT_DIR / "warehouse.duckdb").exists()

    # a run's first dbt step starts from the parse of an earlier one (dagster-dbt copies it)
    (tmp_path / "target_b").mkdir()
    shutil.copyfile(
        tmp_path / "target_a" / "partial_parse.msgpack",
        tmp_path / "target_b" / "partial_parse.msgpack",
    )
    out = show(second, tmp_path / "target_b", "768MiB", tmp_path / "spill_b")
    assert re.search(r"\| 768\.0 MiB \|\s+1 \| \S+ \| warehouse \|", out), out[-2000:]
    assert second.is_file()
    assert FULL_PARSE not in out, "another warehouse or memory limit made dbt parse it all again"
