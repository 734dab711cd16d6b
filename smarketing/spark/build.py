"""The dbt project built on Spark from a warehouse's inputs.

The warehouse's loader tables, definition and identity links go to the lake
(``smarketing.spark.lake``, beside Spark's own files), dbt registers them
(``run-operation register_lake``), then ``dbt build`` runs on the profile's ``spark`` output
(a local Spark, dbt-spark's session method) as of the warehouse's own instant
(``marts.fct_data_as_of``): the DuckDB build's tables, in Spark's warehouse folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb

from smarketing.spark.lake import LakeTable, export_inputs

HOME_ENV = "SMARKETING_SPARK_HOME"
# the engine macros' own tests and dbt's unit tests check code, not data
EXCLUDED = ("tag:engine", "test_type:unit")
# dbt's own lines (a time first), not the JVM's log
DBT_LINE = re.compile(r"^(\x1b\[0m)?\d\d:\d\d:\d\d ")


@dataclass(frozen=True)
class SparkBuild:
    """Where a Spark build put its files, and how dbt ended."""

    home: Path
    returncode: int

    @property
    def tables(self) -> Path:
        """Spark's warehouse folder: ``<schema>.db/<table>/``, Parquet files."""
        return self.home / "tables"

    @property
    def log(self) -> Path:
        """Everything dbt and Spark wrote."""
        return self.home / "dbt.log"

    @property
    def target(self) -> Path:
        """dbt's artifacts (``run_results.json``, ``manifest.json``)."""
        return self.home / "target"


def export(warehouse: Path, lake: Path) -> tuple[list[LakeTable], str]:
    """WAREHOUSE's inputs written to LAKE, and the instant its marts describe (ISO 8601);
    the file is only read."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        con.execute("use warehouse")
        found = con.execute("select as_of from marts.fct_data_as_of").fetchone()
        if found is None or found[0] is None:
            raise ValueError(f"{warehouse} has no built marts: run `smarketing run` first")
        return export_inputs(con, lake), found[0].isoformat()
    finally:
        con.close()


def build(
    warehouse: Path,
    home: Path,
    variables: Mapping[str, Any],
    *,
    resource_types: Sequence[str] = (),
    echo: TextIO | None = None,
) -> SparkBuild:
    """``dbt build`` of the whole project (or of RESOURCE_TYPES: ``seed``, ``model``…) on a
    local Spark keeping its files in HOME, from WAREHOUSE's inputs, with the shared
    definition's VARIABLES. dbt's lines are written to ECHO as they come."""
    from dagster_project.lib.dbt_project import DBT_DIR, project_args

    home.mkdir(parents=True, exist_ok=True)
    lake, instant = export(warehouse, home / "lake")
    result = SparkBuild(home, 0)
    env = {**os.environ, HOME_ENV: str(home), "SMARKETING_AS_OF": instant}
    common = [
        "--target",
        "spark",
        "--vars",
        json.dumps({**variables, "spark_lake": [table.var() for table in lake]}),
        *project_args(result.target, home / "logs"),
    ]
    types = [arg for kind in resource_types for arg in ("--resource-type", kind)]
    steps = [
        ["run-operation", "register_lake", *common],
        ["build", "--exclude", *EXCLUDED, *types, *common],
    ]
    with result.log.open("w", encoding="utf-8") as log:
        for step in steps:
            returncode = _dbt(step, env, DBT_DIR, log, echo)
            if returncode != 0:
                return SparkBuild(home, returncode)
    return result


def _dbt(args: list[str], env: dict[str, str], cwd: Path, log: TextIO, echo: TextIO | None) -> int:
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("dbt")), *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        log.write(line)
        if echo is not None and DBT_LINE.match(line):
            echo.write(line)
    return process.wait()
