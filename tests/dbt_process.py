"""``dbt test`` in a process of its own, as a user runs it, and what it reported."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from dagster_project.lib.dbt_project import DBT_DIR, dbt_executable, project_args


def dbt_test(
    folder: Path,
    select: str,
    variables: Mapping[str, Any],
    env: Mapping[str, str],
    options: Sequence[str] = (),
    executable: str | None = None,
) -> tuple[subprocess.CompletedProcess[str], dict]:
    """``dbt test --select SELECT`` (and OPTIONS) with VARIABLES and ENV, its artifacts and log
    in FOLDER: the process and its run_results.json (a dbt that did not run fails the test)."""
    target = folder / "target"
    run = subprocess.run(
        [
            executable or dbt_executable(),
            "test",
            "--select",
            select,
            *options,
            "--vars",
            json.dumps(variables),
            *project_args(target, folder / "logs"),
        ],
        env={**os.environ, **env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        cwd=DBT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    results_file = target / "run_results.json"
    if not results_file.is_file():
        pytest.fail(f"dbt did not run:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run, json.loads(results_file.read_text(encoding="utf-8"))
