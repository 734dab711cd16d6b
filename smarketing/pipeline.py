"""Running the whole Dagster job in this process, with a short summary at the end."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
import duckdb

from smarketing.settings import Settings

DAGSTER_YAML = """\
# Written by `smarketing run`. The warehouse is one DuckDB file with a single writer: every
# asset that writes it is in pool "warehouse", and a pool runs one step at a time.
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
"""


def dagster_home(settings: Settings) -> Path:
    """DAGSTER_HOME, by default beside the warehouse, so `dagster dev` shows these runs."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.warehouse.parent / "dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def run_pipeline(settings: Settings) -> bool:
    dagster_home(settings)
    from dagster import DagsterInstance

    from dagster_project.definitions import defs
    from dagster_project.defs.automation.definitions import PIPELINE_JOB

    started = time.monotonic()
    click.echo(f"Loading {settings.inbox} into {settings.warehouse} …", err=True)
    job = defs.resolve_job_def(PIPELINE_JOB)
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    elapsed = time.monotonic() - started
    print_summary(settings)
    status = "succeeded" if result.success else "FAILED"
    click.echo(f"Pipeline {status} in {elapsed:.0f} s (run {result.run_id}).")
    if not result.success:
        for event in result.all_events:
            if event.is_failure:
                click.echo(f"  failed: {event.step_key}: {event.message}", err=True)
    return result.success


def print_summary(settings: Settings) -> None:
    if not settings.warehouse.exists():
        return
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        rows = con.execute(
            "select status, count(*), sum(rows_loaded), sum(rows_rejected) "
            "from audit.load_audit group by status order by status"
        ).fetchall()
    except duckdb.Error:
        rows = []
    finally:
        con.close()
    click.echo(f"Warehouse: {settings.warehouse}")
    for status, files, loaded, rejected in rows:
        click.echo(
            f"  {status:<20} {files:>4} file(s), {loaded:>10,} rows loaded, {rejected:>6,} rejected"
        )
