"""dbt's unit tests (the ``unit_tests:`` of the models' YAML files) check the models' code on
hand-written rows. The pipeline's runs leave them out (they say nothing about the data); here
they run with the pipeline's vars, on a copy of the small run's warehouse, whose tables give
dbt the column types of the models they read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dagster_project.lib.dbt_project import DBT_DIR, dbt_executable, dbt_vars


def _unit_tests_in_project(manifest: Path) -> set[str]:
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["unit_tests"]
    return set(nodes)


def test_every_dbt_unit_test_passes(small: dict, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small["root"] / "warehouse.duckdb", warehouse)
    target = tmp_path / "target"
    run = subprocess.run(
        [
            dbt_executable(),
            "test",
            "--select",
            "test_type:unit",
            "--vars",
            json.dumps(dbt_vars()),
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env={
            **os.environ,
            "SMARKETING_WAREHOUSE": str(warehouse),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        cwd=DBT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    results_file = target / "run_results.json"
    if not results_file.is_file():
        pytest.fail(f"dbt did not run the unit tests:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    ran = {r["unique_id"] for r in results}
    assert ran == _unit_tests_in_project(target / "manifest.json")
    assert len(ran) >= 30
    failed = [
        f"{r['unique_id']}: {r['status']} {r['message']}" for r in results if r["status"] != "pass"
    ]
    assert not failed, "\n".join(failed)
    assert run.returncode == 0, run.stdout[-3000:]
