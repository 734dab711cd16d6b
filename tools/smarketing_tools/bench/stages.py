"""The stages of the benchmark, each run in its own subprocess and measured.

A stage is a name and a function ``(BenchContext, name) -> StageResult``; ``STAGES`` lists
them in the order they run. Adding one is one line, usually with a factory, for instance::

    Stage("marts", dbt_stage("marts")),
    Stage("identity", command_stage(module_argv("smarketing.identity"), schema_rows("marts"))),

(``schema_rows`` is in ``smarketing_tools.bench.rows``.)

A stage that fails stops the benchmark; the report then shows the stages done so far.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import duckdb

from smarketing import duckdb_limits
from smarketing.identity import DBT_AFTER_IDENTITY
from smarketing.ingest.inbox import SETTLE_ENV
from smarketing.settings import INBOX_ENV, PUBLICATION_STATUS_FILE, WAREHOUSE_ENV
from smarketing_tools.bench.measure import MIB, LineFilter, StageResult, SubRow, run_measured
from smarketing_tools.bench.output import dagster_lines, dbt_lines, progress_lines
from smarketing_tools.bench.rows import (
    built_relation_rows,
    dbt_elapsed,
    dbt_nodes,
    raw_table_rows,
    schema_rows,
)

QUIET_ENV = {
    "GX_ANALYTICS_ENABLED": "false",
    "DAGSTER_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}
MANIFEST = Path("truth") / "manifest.json"
TRUTH_FILE = Path("truth") / "source_records.csv"


@dataclass
class BenchContext:
    """Where the stages read and write, and what the earlier stages found."""

    out: Path
    inbox: Path
    data: Path | None
    """Folder the generator writes to (exports in ``inbox/``); None when ``--inbox`` is given."""
    scale: str
    seed: int
    results: dict[str, StageResult] = field(default_factory=dict)

    @property
    def warehouse(self) -> Path:
        """The warehouse the load and dbt stages build (the dagster stage has its own)."""
        return self.out / "warehouse.duckdb"

    @property
    def dagster_dir(self) -> Path:
        return self.out / "dagster"

    @property
    def dbt_target(self) -> Path:
        return self.out / "dbt" / "target"

    def log_path(self, stage: str) -> Path:
        return self.out / "logs" / f"{stage}.log"

    def env(self, warehouse: Path | None = None, **extra: str) -> dict[str, str]:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        for key, value in QUIET_ENV.items():
            env.setdefault(key, value)
        env[INBOX_ENV] = str(self.inbox)
        env[WAREHOUSE_ENV] = str(warehouse or self.warehouse)
        # the exports were written before the stage starts (a daily delivery just generated):
        # no writer is at work, so a run does not watch the newest files first
        env.setdefault(SETTLE_ENV, "0")
        # DuckDB's limits as a run sets them (dbt reads them from the environment)
        for key, value in duckdb_limits.as_env(
            duckdb_limits.limits(warehouse or self.warehouse)
        ).items():
            env.setdefault(key, value)
        env.update(extra)
        return env


StageRunner = Callable[[BenchContext, str], StageResult]
"""Runs the stage of the given name and measures it."""


@dataclass(frozen=True)
class Stage:
    name: str
    run: StageRunner


def say(message: str) -> None:
    click.echo(f"[bench] {message}", err=True)


def python_module(module: str) -> list[str]:
    return [sys.executable, "-m", module]


def module_argv(module: str, *args: str) -> Callable[[BenchContext], list[str]]:
    """``python -m module args… WAREHOUSE`` (the warehouse of the load and dbt stages)."""
    return lambda ctx: [*python_module(module), *args, str(ctx.warehouse)]


def fresh_database(path: Path) -> Path:
    """Remove a DuckDB file (and its WAL) left by an earlier benchmark run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    return path


def measure(
    ctx: BenchContext,
    name: str,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    echo: LineFilter | None = None,
) -> StageResult:
    """Run one stage's command; a non-zero exit makes a failed result with the output's tail."""

    def heartbeat(elapsed: float, rss: int) -> None:
        say(f"{name}: still running, {elapsed:.0f} s, {rss / MIB:,.0f} MiB")

    log_path = ctx.log_path(name)
    measurement = run_measured(
        argv, env=env or ctx.env(), cwd=cwd, log_path=log_path, echo=echo, heartbeat=heartbeat
    )
    result = StageResult(
        name=name, wall_s=measurement.wall_s, peak_rss_bytes=measurement.peak_rss_bytes
    )
    if not measurement.ok:
        tail = "\n".join(measurement.output_tail[-25:])
        result.status = "failed"
        result.error = (
            f"`{' '.join(argv)}` exited with code {measurement.returncode} "
            f"(full output: {log_path})\n{tail}"
        )
    return result


# ---------------------------------------------------------------------------------- the stages


def command_stage(
    argv: Callable[[BenchContext], list[str]],
    rows: Callable[[Path], list[SubRow]] | None = None,
) -> StageRunner:
    """Any command on the warehouse; ``rows`` counts what it built once it is done."""

    def run(ctx: BenchContext, name: str) -> StageResult:
        result = measure(ctx, name, argv(ctx), echo=progress_lines)
        if result.ok and rows is not None:
            result.sub_rows = rows(ctx.warehouse)
            result.rows = sum(row.rows or 0 for row in result.sub_rows)
        return result

    return run


def read_manifest(data: Path) -> dict[str, Any] | None:
    path = data / MANIFEST
    if not path.exists():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def exported_rows(manifest: Mapping[str, Any]) -> int | None:
    """Data rows the generator wrote to the inbox, from its manifest."""
    counts = manifest.get("counts") or {}
    rows = [n for name, n in counts.items() if str(name).startswith("inbox/")]
    return sum(rows) if rows else None


def run_generate(ctx: BenchContext, name: str) -> StageResult:
    if ctx.data is None:
        return StageResult(name, status="skipped", notes=[f"inbox given: {ctx.inbox}"])
    manifest = read_manifest(ctx.data)
    notes = []
    if manifest is not None:
        from smarketing_tools.generator.rules import DATA_VERSION

        made = (manifest.get("scale"), manifest.get("seed"), manifest.get("data_version"))
        if made == (ctx.scale, ctx.seed, DATA_VERSION):
            return StageResult(
                name,
                status="reused",
                rows=exported_rows(manifest),
                notes=[f"{ctx.data / MANIFEST} exists: exports reused"],
            )
        notes.append(
            f"{ctx.data} held scale {made[0]}, seed {made[1]}, data version {made[2]}: "
            "generated again"
        )
    argv = [
        *python_module("smarketing.cli"),
        "generate",
        "--scale",
        ctx.scale,
        "--seed",
        str(ctx.seed),
        "--out",
        str(ctx.data),
    ]
    result = measure(ctx, name, argv, echo=progress_lines)
    result.notes += notes
    manifest = read_manifest(ctx.data) if result.ok else None
    if manifest is not None:
        result.rows = exported_rows(manifest)
    elif result.ok:
        result.status, result.error = "failed", f"the generator wrote no {ctx.data / MANIFEST}"
    return result


def _worker(
    ctx: BenchContext, name: str, worker: str, database: Path
) -> tuple[StageResult, dict[str, Any]]:
    result_path = ctx.out / "logs" / f"{name}.json"
    result_path.unlink(missing_ok=True)
    argv = [
        *python_module("smarketing_tools.bench.workers"),
        worker,
        str(ctx.inbox),
        str(database),
        str(result_path),
    ]
    result = measure(ctx, name, argv, echo=progress_lines)
    if not result.ok:
        return result, {}
    data = json.loads(result_path.read_text(encoding="utf-8"))
    result.work_s = data["work_s"]
    return result, data


def run_load(ctx: BenchContext, name: str) -> StageResult:
    result, data = _worker(ctx, name, "load", fresh_database(ctx.warehouse))
    if not result.ok:
        return result
    result.files = [
        SubRow(
            name=f["source_file"],
            status=f["status"],
            seconds=f["seconds"],
            rows=f["rows_loaded"],
            note=f["raw_table"] or "",
        )
        for f in data["files"]
    ]
    result.sub_rows = raw_table_rows(ctx.warehouse)
    result.rows = sum(row.rows or 0 for row in result.sub_rows)
    for f in data["files"]:
        if f["status"] not in ("loaded", "loaded_with_rejects"):
            result.notes.append(f"{f['source_file']}: {f['status']}: {f['error']}")
    return result


def run_floor(ctx: BenchContext, name: str) -> StageResult:
    database = fresh_database(ctx.out / "floor" / "floor.duckdb")
    result, data = _worker(ctx, name, "floor", database)
    database.unlink(missing_ok=True)  # as large as the warehouse, and of no further use
    if not result.ok:
        return result
    for f in data["files"]:
        note = f"{f['encoding']}, delimiter {f['delimiter']!r}"
        if f["transcode_s"]:
            note += f", transcoded to UTF-8 in {f['transcode_s']:.2f} s"
        if f["note"]:
            note += f", {f['note']}"
        result.files.append(
            SubRow(
                name=f["source_file"],
                status="read",
                seconds=f["seconds"],
                rows=f["rows"],
                note=note,
            )
        )
    result.rows = sum(row.rows or 0 for row in result.files)
    return result


def write_definition_tables(warehouse: Path) -> None:
    """The shared lead definition's tables in WAREHOUSE (not measured: 1 s at any scale)."""
    from dagster_project.lib.dbt_project import prepare_manifest
    from smarketing.definition import write_definition

    semantic_manifest = prepare_manifest().with_name("semantic_manifest.json")
    with duckdb_limits.connect(warehouse, warehouse=warehouse) as con:
        write_definition(con, semantic_manifest)


def dbt_stage(select: str | None = None, exclude: str | None = None) -> StageRunner:
    """``dbt build`` (optionally ``--select select``, ``--exclude exclude``) on the warehouse
    of the load stage."""

    def run(ctx: BenchContext, name: str) -> StageResult:
        from dagster_project.lib.dbt_project import (
            DBT_DIR,
            dbt_build_args,
            dbt_executable,
            dbt_threads,
            dbt_vars,
            delivered_bytes,
            project_args,
        )

        if select is None:  # the first part reads the definition, as a run's first step writes it
            write_definition_tables(ctx.warehouse)

        with duckdb.connect(str(ctx.warehouse), read_only=True) as con:
            threads = dbt_threads(delivered_bytes(con))
        argv = [
            dbt_executable(),
            # what the pipeline runs: its vars and threads, no unit tests
            *dbt_build_args(dbt_vars(), threads=threads),
            *project_args(ctx.dbt_target, ctx.out / "dbt" / "logs"),
        ]
        if select:
            argv += ["--select", select]
        if exclude:
            argv += ["--exclude", exclude]
        run_results = ctx.dbt_target / "run_results.json"
        run_results.unlink(missing_ok=True)
        env = ctx.env(DBT_USE_COLORS="false")
        result = measure(ctx, name, argv, env=env, cwd=DBT_DIR, echo=dbt_lines)
        if run_results.exists():
            result.sub_rows = dbt_nodes(run_results, built_relation_rows(ctx.warehouse))
            elapsed = dbt_elapsed(run_results)
            if elapsed is not None and result.wall_s:
                result.notes.append(
                    f"dbt's own run: {elapsed:.1f} s of {result.wall_s:.1f} s "
                    "(the rest is start-up and parsing)"
                )
        elif result.ok:
            result.status, result.error = "failed", f"dbt wrote no {run_results}"
        models = [row for row in result.sub_rows if row.note == "model"]
        result.rows = sum(row.rows or 0 for row in models) if models else None
        return result

    return run


def smarketing_run(inbox: Path, warehouse: Path) -> list[str]:
    """The real job end to end, as a user runs it."""
    cli = [*python_module("smarketing.cli"), "run"]
    return [*cli, "--inbox", str(inbox), "--warehouse", str(warehouse)]


def run_dagster(ctx: BenchContext, name: str) -> StageResult:
    """The real job end to end (``smarketing run``), on a warehouse of its own, as a new user's
    first run: without the dbt parse an earlier benchmark left beside it."""
    from dagster_project.lib.dbt_project import TARGET_DIR

    warehouse = fresh_database(ctx.dagster_dir / "warehouse.duckdb")
    shutil.rmtree(ctx.dagster_dir / TARGET_DIR, ignore_errors=True)
    home = ctx.dagster_dir / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    argv = smarketing_run(ctx.inbox, warehouse)
    env = ctx.env(warehouse, DAGSTER_HOME=str(home))
    result = held_back_as_done(measure(ctx, name, argv, env=env, echo=dagster_lines()), warehouse)
    if result.ok:
        result.sub_rows = raw_table_rows(warehouse)
        result.rows = sum(row.rows or 0 for row in result.sub_rows)
    load = ctx.results.get("load")
    parts = [ctx.results.get(name) for name in PIPELINE_STAGES]
    if all(part and part.wall_s for part in parts) and result.wall_s:
        alone = sum(part.wall_s or 0.0 for part in parts if part)
        result.notes.append(
            f"{' + '.join(PIPELINE_STAGES)} alone: {alone:.1f} s; through Dagster: "
            f"{result.wall_s:.1f} s (orchestration overhead {result.wall_s - alone:+.1f} s)"
        )
    if load and load.rows is not None and result.rows is not None and load.rows != result.rows:
        result.notes.append(
            f"raw rows differ from the load stage: {result.rows:,} vs {load.rows:,}"
        )
    return result


def held_back_as_done(result: StageResult, warehouse: Path) -> StageResult:
    """A job that ran to its end but whose publication a blocking check held back exits with
    1: its time is a full run's all the same. Marked ``held back``, the reason in the notes."""
    status = warehouse.parent / PUBLICATION_STATUS_FILE
    if result.ok or not status.is_file():
        return result
    publication = json.loads(status.read_text(encoding="utf-8"))
    if publication.get("status") == "held_back":
        result.status, result.error = "held back", None
        result.notes.append(f"publication held back: {publication.get('reason')}")
    return result


def run_daily(ctx: BenchContext, name: str) -> StageResult:
    """The day after: the generator's next daily delivery (about 1 % of the people new or
    changed, late events, a deletion and a merge) merged by ``smarketing run`` into the
    warehouse the dagster stage built. Its time against the full job's is the figure."""
    warehouse = ctx.dagster_dir / "warehouse.duckdb"
    full = ctx.results.get("dagster")
    if ctx.data is None or full is None or not full.ok or not warehouse.is_file():
        return StageResult(
            name, status="skipped", notes=["needs the generator's data and the dagster stage"]
        )
    data = ctx.out / "daily"
    shutil.rmtree(data, ignore_errors=True)
    # the day-0 files hard-linked, not copied (gigabytes at large scale): the generator only
    # adds files; the manifest it rewrites is a copy of its own
    shutil.copytree(ctx.data, data, copy_function=os.link)
    (data / MANIFEST).unlink()
    shutil.copyfile(ctx.data / MANIFEST, data / MANIFEST)
    generated = measure(
        ctx,
        f"{name}-generate",
        [*python_module("smarketing.cli"), "generate", "--days-after", "1", "--out", str(data)],
    )
    if not generated.ok:
        generated.name = name
        return generated
    delivered = read_manifest(data) or {}
    days = delivered.get("daily_deliveries") or [{}]
    rows = sum((days[-1].get("files") or {}).values())
    argv = smarketing_run(data / "inbox", warehouse)
    env = ctx.env(warehouse, DAGSTER_HOME=str(ctx.dagster_dir / "home"))
    result = held_back_as_done(measure(ctx, name, argv, env=env, echo=dagster_lines()), warehouse)
    result.rows = rows or None
    if result.ok and result.wall_s and full.wall_s:
        result.notes.append(
            f"{result.wall_s / full.wall_s:.0%} of the full job ({full.wall_s:.1f} s) for a "
            f"delivery of {rows:,} rows (target: 15 %); the day's files generated in "
            f"{generated.wall_s or 0:.1f} s"
        )
    return result


def run_dashboard(ctx: BenchContext, name: str) -> StageResult:
    """Each dashboard page's render time (AppTest, cold and warm cache) on the warehouse the
    dagster stage built, the only one with every mart."""
    warehouse = ctx.dagster_dir / "warehouse.duckdb"
    if not warehouse.is_file():
        return StageResult(name, status="skipped", notes=[f"no {warehouse}: dagster stage failed"])
    result_path = ctx.out / "logs" / f"{name}.json"
    result_path.unlink(missing_ok=True)
    argv = [
        *python_module("smarketing_tools.bench.dashboard"),
        str(warehouse),
        "--json",
        str(result_path),
    ]
    result = measure(ctx, name, argv, env=ctx.env(warehouse))
    if result_path.exists():
        pages = json.loads(result_path.read_text(encoding="utf-8"))
        result.sub_rows = [
            SubRow(
                name=page["page"],
                status="error" if page["error"] else "ok",
                seconds=page["cold_s"],
                note=f"warm cache {page['warm_s']:.2f} s"
                + (f"; {page['error']}" if page["error"] else ""),
            )
            for page in pages
        ]
        result.notes.append(
            f"page render seconds at {ctx.scale} scale, cold cache (warm in the notes); aim <= 1 s"
        )
    return result


def with_identity_accuracy(runner: StageRunner) -> StageRunner:
    """RUNNER, then the identity resolution's pairwise precision and recall against the
    generator's truth (when the data come with it), read from the marts it built."""

    def run(ctx: BenchContext, name: str) -> StageResult:
        result = runner(ctx, name)
        truth = ctx.data / TRUTH_FILE if ctx.data is not None else None
        if result.ok and truth is not None and truth.is_file():
            from smarketing.identity.accuracy import measure as identity_scores

            resolution = identity_scores(ctx.warehouse, truth)[0]
            result.notes.append(
                f"identity against the truth: precision {resolution.precision:.4f}, recall "
                f"{resolution.recall:.4f} ({resolution.records:,} records)"
            )
        return result

    return run


def run_spark(ctx: BenchContext, name: str) -> StageResult:
    """``smarketing spark build`` (export, dbt, identity, marts and checks on a local Spark) of
    the warehouse the dbt, identity and marts stages built; the JVMs' memory counts too."""
    home = ctx.out / "spark"
    shutil.rmtree(home, ignore_errors=True)
    argv = [
        *python_module("smarketing.cli"),
        *("spark", "build", "--warehouse", str(ctx.warehouse), "--home", str(home)),
    ]
    result = measure(ctx, name, argv, env=ctx.env(DBT_USE_COLORS="false"), echo=spark_lines)
    timings = home / "timings.json"
    if result.ok and not timings.exists():
        result.status, result.error = "failed", f"the build wrote no {timings}"
    return result


def spark_lines(line: str) -> str | None:
    """dbt's lines, the identity resolution's and the checks' summary."""
    if line.startswith(("Identity resolution", "Quality checks", "Stages: ")):
        return line
    return dbt_lines(line)


def spark_part(part: str, duckdb_stage: str | None = None) -> StageRunner:
    """One part of the ``spark`` stage's build, from the seconds it recorded, beside the
    DuckDB stage that does the same work."""

    def run(ctx: BenchContext, name: str) -> StageResult:
        timings = json.loads((ctx.out / "spark" / "timings.json").read_text(encoding="utf-8"))
        if part not in timings:
            return StageResult(name, status="skipped", notes=[f"no {part} in the build"])
        result = StageResult(name, wall_s=float(timings[part]))
        same = ctx.results.get(duckdb_stage) if duckdb_stage else None
        if same is not None and same.ok and same.wall_s and result.wall_s:
            result.notes.append(
                f"DuckDB's {duckdb_stage} stage: {same.wall_s:.1f} s "
                f"(Spark {result.wall_s / same.wall_s:.1f}x)"
            )
        return result

    return run


STAGES: tuple[Stage, ...] = (
    Stage("generate", run_generate),
    Stage("load", run_load),
    Stage("floor", run_floor),
    # dbt up to what the identity resolution reads, the resolution, then the marts on it
    Stage("dbt", dbt_stage(exclude=f"{DBT_AFTER_IDENTITY} tag:engine")),
    Stage("identity", command_stage(module_argv("smarketing.identity"), schema_rows("identity"))),
    Stage("marts", with_identity_accuracy(dbt_stage(DBT_AFTER_IDENTITY))),
    Stage("dagster", run_dagster),
    Stage("dashboard", run_dashboard),
    Stage("daily", run_daily),
)
PIPELINE_STAGES = ("load", "dbt", "identity", "marts")
"""The stages ``smarketing run`` does in one Dagster job (the dagster stage compares)."""

# `--engine spark`: the DuckDB stages the Spark build reads (and is compared with), then the
# same work on a local Spark, part by part
SPARK_STAGES: tuple[Stage, ...] = (
    *(stage for stage in STAGES if stage.name in ("generate", "load", "floor")),
    *(stage for stage in STAGES if stage.name in PIPELINE_STAGES[1:]),
    Stage("spark", run_spark),
    Stage("spark_dbt", spark_part("dbt", "dbt")),
    Stage("spark_identity", spark_part("identity", "identity")),
    Stage("spark_marts", spark_part("marts", "marts")),
    Stage("spark_checks", spark_part("checks")),
)
