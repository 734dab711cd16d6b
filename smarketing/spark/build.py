"""The dbt project built on Spark from a warehouse's inputs.

The warehouse's loader tables and definition go to the lake (``smarketing.spark.lake``,
beside Spark's own files), dbt registers them (``run-operation register_lake``), then
``dbt build`` runs on the profile's ``spark`` output (a local Spark, dbt-spark's session
method) as of the warehouse's own instant (``marts.fct_data_as_of``), in two parts as the
pipeline runs: what the identity resolution reads, the resolution (Splink on Spark:
``smarketing.spark.identity``, its tables to the lake), then what is built on it. The DuckDB
build's tables, in Spark's warehouse folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import duckdb

from smarketing.identity import DBT_AFTER_IDENTITY
from smarketing.spark.lake import LakeTable, export_inputs

if TYPE_CHECKING:
    from smarketing.identity.resolve import Resolution

HOME_ENV = "SMARKETING_SPARK_HOME"
# the engine macros' own tests and dbt's unit tests check code, not data
EXCLUDED = ("tag:engine", "test_type:unit")
# the two dbt parts, around the identity resolution (the pipeline's dbt steps)
PARTS = ("dbt_before_identity", "dbt_after_identity")
# dbt's own lines (a time first), not the JVM's log
DBT_LINE = re.compile(r"^(\x1b\[0m)?\d\d:\d\d:\d\d ")


@dataclass(frozen=True)
class SparkBuild:
    """Where a Spark build put its files, and how dbt ended."""

    home: Path
    returncode: int
    resolution: Resolution | None = None
    """What the identity resolution found (None: the build stopped before it)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall seconds of each stage done: ``export`` (the lake), ``dbt`` (what the identity
    resolution reads), ``identity``, ``marts`` (what is built on it)."""

    @property
    def tables(self) -> Path:
        """Spark's warehouse folder: ``<schema>.db/<table>/``, Parquet files."""
        return self.home / "tables"

    @property
    def log(self) -> Path:
        """Everything dbt and Spark wrote."""
        return self.home / "dbt.log"

    @property
    def timings(self) -> Path:
        """The stages' wall seconds (``smarketing spark build``: the build's and the checks')."""
        return self.home / "timings.json"

    @property
    def target(self) -> Path:
        """dbt's artifacts, one folder per part (``PARTS``: ``run_results.json``,
        ``manifest.json``)."""
        return self.home / "target"

    def run_results(self) -> list[dict[str, Any]]:
        """What dbt did, node by node, in the parts it ran."""
        results: list[dict[str, Any]] = []
        for part in PARTS:
            found = self.target / part / "run_results.json"
            if found.is_file():
                results += json.loads(found.read_text(encoding="utf-8"))["results"]
        return results


def export(warehouse: Path, lake: Path) -> tuple[list[LakeTable], str]:
    """WAREHOUSE's inputs of a build written to LAKE, and the instant its marts describe
    (ISO 8601); the file is only read."""
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
    definition's VARIABLES, in two parts around the identity resolution (Splink on Spark:
    ``smarketing.spark.identity``), as the pipeline runs. dbt's lines and the resolution's
    steps are written to ECHO as they come."""
    from dagster_project.lib.dbt_project import DBT_DIR, project_args
    from smarketing.spark.identity import resolve_on_spark

    seconds: dict[str, float] = {}
    last = time.monotonic()

    def lap(stage: str) -> None:
        nonlocal last
        now = time.monotonic()
        seconds[stage], last = round(now - last, 2), now

    home.mkdir(parents=True, exist_ok=True)
    _remove_tree(home / "lake")
    lake, instant = export(warehouse, home / "lake")
    lap("export")
    result = SparkBuild(home, 0)
    env = {**os.environ, HOME_ENV: str(home), "SMARKETING_AS_OF": instant}
    types = [arg for kind in resource_types for arg in ("--resource-type", kind)]

    def common(tables: list[LakeTable], part: str) -> list[str]:
        return [
            "--target",
            "spark",
            "--vars",
            json.dumps({**variables, "spark_lake": [table.var() for table in tables]}),
            *project_args(result.target / part, home / "logs"),
        ]

    part_one = ["build", "--exclude", DBT_AFTER_IDENTITY, *EXCLUDED, *types]
    part_two = ["build", "--select", DBT_AFTER_IDENTITY, "--exclude", *EXCLUDED, *types]
    with result.log.open("w", encoding="utf-8") as log:

        def dbt(*steps: list[str]) -> int:
            for step in steps:
                returncode = _dbt(step, env, DBT_DIR, log, echo)
                if returncode != 0:
                    return returncode
            return 0

        def progress(line: str) -> None:
            log.write(f"identity: {line}\n")
            if echo is not None:
                echo.write(f"Identity resolution (Splink on Spark): {line}\n")

        before = common(lake, PARTS[0])
        returncode = dbt(["run-operation", "register_lake", *before], part_one + before)
        lap("dbt")
        if returncode != 0:
            return SparkBuild(home, returncode, seconds=seconds)
        try:
            resolution, links = resolve_on_spark(
                warehouse, home, datetime.fromisoformat(instant), progress
            )
        except Exception as exc:  # Splink, Spark or DuckDB: the build stops, said plainly
            log.write(traceback.format_exc())
            progress(f"FAILED: {type(exc).__name__}: {exc} (traceback in {result.log})")
            return SparkBuild(home, 1, seconds=seconds)
        lap("identity")
        tables = lake + links
        after = common(tables, PARTS[1])
        returncode = dbt(["run-operation", "register_lake", *after], part_two + after)
        lap("marts")
    return SparkBuild(home, returncode, resolution, seconds)


def _remove_tree(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)


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
