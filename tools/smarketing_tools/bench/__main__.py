"""``python -m smarketing_tools.bench``: time the pipeline stage by stage, with peak memory.

Generates the exports at the requested scale (once: they are reused when their ground truth
manifest exists), loads them into a fresh warehouse with the project's loader, builds it with
dbt, runs the whole Dagster job on another fresh warehouse, and compares the loader with
DuckDB's own CSV reader on the same files. Writes ``report.md`` and ``report.json``.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from smarketing.cli import SCALES
from smarketing_tools.bench.history import (
    append_history,
    change_lines,
    current_commit,
    figures,
    previous_run,
    read_history,
)
from smarketing_tools.bench.measure import StageResult
from smarketing_tools.bench.report import BenchReport, machine_facts, render_markdown, write_report
from smarketing_tools.bench.stages import SPARK_STAGES, STAGES, BenchContext, Stage, say

REPO = Path(__file__).resolve().parents[3]


def inbox_size(inbox: Path) -> tuple[int, int]:
    files = [p for p in inbox.rglob("*") if p.is_file()] if inbox.is_dir() else []
    return len(files), sum(p.stat().st_size for p in files)


def describe(result: StageResult) -> str:
    if result.status in ("reused", "skipped"):
        return f"{result.name}: {result.status}"
    parts = [f"{result.name}: {result.status}", f"{result.wall_s or 0:.1f} s"]
    if result.peak_mib is not None:
        parts.append(f"peak {result.peak_mib:,.0f} MiB")
    if result.rows is not None:
        parts.append(f"{result.rows:,} rows")
    return ", ".join(parts)


def run_stage(stage: Stage, ctx: BenchContext) -> StageResult:
    """The stage's result; an exception of the benchmark itself fails the stage too."""
    try:
        return stage.run(ctx, stage.name)
    except Exception as exc:
        detail = "".join(traceback.format_exception(exc)[-6:])
        return StageResult(
            stage.name, status="failed", error=f"{type(exc).__name__}: {exc}\n{detail}"
        )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("bench/out"),
    show_default=True,
    help="Where the warehouses, logs and the report go.",
)
@click.option(
    "--history",
    type=click.Path(dir_okay=False, path_type=Path),
    default=REPO / "bench" / "history.csv",
    show_default=True,
    help="The history every run's figures are added to (commit, date, scale, stage…).",
)
@click.option("--scale", type=click.Choice(SCALES), default="large", show_default=True)
@click.option(
    "--engine",
    type=click.Choice(("duckdb", "spark")),
    default="duckdb",
    show_default=True,
    help="spark: the DuckDB stages a Spark build reads, then `smarketing spark build` part by "
    "part (dbt, identity, marts, checks on a local Spark; the spark extra and Java 17).",
)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the exports are generated (default: bench/data/SCALE); reused when "
    "DATA/truth/manifest.json exists.",
)
@click.option(
    "--inbox",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    hidden=True,
    help="Benchmark this inbox as is (no generation).",
)
def main(
    out: Path,
    history: Path,
    scale: str,
    engine: str,
    seed: int,
    data: Path | None,
    inbox: Path | None,
) -> None:
    """Benchmark the pipeline stage by stage: wall seconds, rows/s and peak memory."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if inbox is not None:
        data_dir, inbox_dir = None, inbox.resolve()
    else:
        data_dir = (data or Path("bench/data") / scale).resolve()
        inbox_dir = data_dir / "inbox"
    ctx = BenchContext(out=out, inbox=inbox_dir, data=data_dir, scale=scale, seed=seed)
    settings: dict[str, object] = {
        "scale": scale if inbox is None else None,
        "engine": engine,
        "seed": seed if inbox is None else None,
        "data": str(data_dir) if data_dir else None,
        "inbox": str(inbox_dir),
        "out": str(out),
    }
    report = BenchReport(settings=settings, machine=machine_facts())
    failed: StageResult | None = None
    for stage in STAGES if engine == "duckdb" else SPARK_STAGES:
        say(f"{stage.name}: started")
        result = run_stage(stage, ctx)
        ctx.results[stage.name] = result
        report.stages.append(result)
        say(describe(result))
        if stage.name == "generate":
            files, size = inbox_size(inbox_dir)
            settings.update(inbox_files=files, inbox_bytes=size)
            if not files and result.ok:
                result.status, result.error = "failed", f"no exports in {inbox_dir}"
        if not result.ok:
            failed = result
            break
    markdown, data_file = write_report(report, out)
    click.echo(render_markdown(report))
    say(f"report: {markdown} and {data_file}")
    new = figures(report, current_commit(REPO))
    before = previous_run(read_history(history), new[0].scale if new else scale)
    append_history(history, new)
    say(f"history: {history}; against the previous run of this scale:")
    for line in change_lines(new, before):
        click.echo(f"  {line}")
    if failed is not None:
        click.echo(f"\nStage {failed.name!r} failed: {failed.error}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
