"""Running the whole Dagster job in this process, with a short summary at the end: the load,
the data-governance checks, and whether the run was published or held back (and why)."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import click
import duckdb

from smarketing.settings import Settings

DAGSTER_YAML_HEADER = "# Written by `smarketing run`"
DAGSTER_YAML = """\
{header} (rewritten when it differs; remove this line to keep your own).
# The warehouse is one DuckDB file with a single writer: every asset that writes it is in pool
# "warehouse", and a pool runs one step at a time. The storages are Dagster's SQLite ones in
# their usual folders; the event log keeps one engine per database
# (dagster_project/lib/event_log.py).
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
run_storage:
  module: dagster._core.storage.runs
  class: SqliteRunStorage
  config:
    base_dir: {runs}
event_log_storage:
  module: dagster_project.lib.event_log
  class: EngineCachingSqliteEventLogStorage
  config:
    base_dir: {event_logs}
schedule_storage:
  module: dagster._core.storage.schedules
  class: SqliteScheduleStorage
  config:
    base_dir: {schedules}
"""


def dagster_home(settings: Settings) -> Path:
    """DAGSTER_HOME, by default beside the warehouse, so `dagster dev` shows these runs. Its
    dagster.yaml is this project's unless someone wrote their own there."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.warehouse.parent / "dagster_home")
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    # JSON strings are YAML strings: a folder name with a colon or a hash stays one value
    wanted = DAGSTER_YAML.format(
        header=DAGSTER_YAML_HEADER,
        runs=json.dumps(str(home / "history")),
        event_logs=json.dumps(str(home / "history" / "runs")),
        schedules=json.dumps(str(home / "schedules")),
    )
    current = config.read_text(encoding="utf-8") if config.exists() else None
    if current is None or (current.startswith(DAGSTER_YAML_HEADER) and current != wanted):
        config.write_text(wanted, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def run_pipeline(settings: Settings) -> bool:
    """Run the job; True when it succeeded (built, checked and published)."""
    dagster_home(settings)
    from smarketing.publish import begin_run, finish_if_running

    release_interrupted_run(settings)
    # the run id is chosen here so the status file says "running" before anything can fail
    run_id = str(uuid.uuid4())
    begin_run(settings, run_id)
    started = time.monotonic()
    log_file = settings.warehouse.parent / "logs" / f"run-{run_id}.log"
    click.echo(f"Loading {settings.inbox} into {settings.warehouse} …", err=True)
    click.echo(f"Full log (every dbt line): {log_file}", err=True)
    try:
        from dagster import DagsterInstance

        from dagster_project.lib.dbt_project import prepare_manifest

        prepare_manifest()  # dbt parse when the project changed, before the definitions load
        from dagster_project.definitions import defs
        from dagster_project.defs.automation.definitions import PIPELINE_JOB
        from smarketing.run_display import step_lines_logger

        job = defs.resolve_job_def(PIPELINE_JOB)
        # the assets and checks each step builds, for its bar (the dbt steps build hundreds)
        totals = {
            assets.node_def.name: len(assets.keys) + len(list(assets.check_keys))
            for assets in job.asset_layer.asset_graph.assets_defs
            if assets.is_executable
        }
        config = {"log_file": str(log_file), "totals": totals}
        log_file.parent.mkdir(parents=True, exist_ok=True)
        os.environ["SMARKETING_RUN_LOG"] = str(log_file)
        with DagsterInstance.get() as instance:
            result = job.with_logger_defs({"steps": step_lines_logger}).execute_in_process(
                instance=instance,
                run_id=run_id,
                raise_on_error=False,
                run_config={"loggers": {"steps": {"config": config}}},
            )
    except Exception as exc:  # definitions that do not load (a broken suite file…)
        finish_if_running(settings, run_id, [f"the pipeline could not run: {exc}"])
        raise
    failures = [
        f"step {event.step_key} failed: {event.message}"
        for event in result.all_events
        if event.is_failure and event.step_key
    ]
    finish_if_running(settings, run_id, failures or ["the run ended without publishing"])
    elapsed = time.monotonic() - started
    print_summary(settings)
    print_run_files(settings, run_id)
    print_quality(settings, run_id)
    print_publication(settings)
    status = "succeeded" if result.success else "FAILED"
    click.echo(f"Full log: {log_file}")
    click.echo(f"Pipeline {status} in {elapsed:.0f} s (run {result.run_id}).")
    if not result.success:
        for failure in failures:
            click.echo(f"  failed: {failure}", err=True)
    return result.success


def release_interrupted_run(settings: Settings) -> None:
    """The last run never finished: refuse to start while its process still runs; otherwise it
    was killed, so mark it failed in Dagster and free the pool slot it held (else every later
    run waits for that slot forever). ``begin_run`` then records it as interrupted."""
    from dagster import DagsterInstance

    from smarketing.publish import read_status

    previous = read_status(settings.publication_status)
    if previous is None or previous.status != "running":
        return
    if previous.process_alive():
        raise click.ClickException(
            f"run {previous.run_id} (process {previous.pid}, started {previous.started_at}) "
            "is still running: wait for it to finish"
        )
    with DagsterInstance.get() as instance:
        run = instance.get_run_by_id(previous.run_id)
        if run is not None and not run.is_finished:
            instance.report_run_failed(
                run, "interrupted: its process stopped before the run finished (killed or crashed)"
            )
        instance.event_log_storage.free_concurrency_slots_for_run(previous.run_id)


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


def _read_only(settings: Settings) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to the warehouse the run built, or None when there is none (the
    summary then has nothing to say)."""
    if not settings.warehouse.exists():
        return None
    try:
        return duckdb.connect(str(settings.warehouse), read_only=True)
    except duckdb.Error:
        return None


def print_run_files(settings: Settings, run_id: str) -> None:
    """This run's deliveries: how many files loaded, each file that did not and what to do, and
    the org's fields bound to columns no delivered file has."""
    from smarketing.config import ConfigError, load_config
    from smarketing.config.mappings import default_mappings_dir
    from smarketing.ingest.report import NOT_LOADED, run_file_counts, run_file_issues
    from smarketing.ingest.unbound import unbound_fields

    con = _read_only(settings)
    if con is None:
        return
    try:
        counts = run_file_counts(con, run_id)
        issues = run_file_issues(con, run_id, settings.inbox, default_mappings_dir())
        try:
            unbound = unbound_fields(con, load_config())
        except ConfigError:
            unbound = []
    except duckdb.Error:
        return
    finally:
        con.close()
    files = sum(counts.values())
    recognised = sum(n for status, n in counts.items() if status not in NOT_LOADED)
    if files:
        click.echo(f"This run: {recognised} of {files} new file(s) recognised.")
    elif not settings.inbox.exists() or not any(settings.inbox.iterdir()):
        click.echo(f"This run: the inbox {settings.inbox} is empty.")
    else:
        click.echo("This run: no new file in the inbox.")
    for issue in issues:
        for line in issue.lines():
            click.echo(f"  {line}")
    for warning in unbound:
        click.echo(f"  warning: {warning}")


def print_quality(settings: Settings, run_id: str) -> None:
    """The run's Great Expectations results: counts, then every expectation not passed."""
    from smarketing.quality.history import run_quality

    con = _read_only(settings)
    if con is None:
        return
    try:
        quality = run_quality(con, run_id)
    finally:
        con.close()
    if not quality.validations:
        return
    for line in quality.lines():
        click.echo(line)


def print_publication(settings: Settings) -> None:
    """Published or held back, from the status file the dashboard reads too."""
    from smarketing.publish import read_status

    status = read_status(settings.publication_status)
    if status is None:
        return
    if status.status == "published":
        click.echo(f"Published: {settings.serving} (run {status.run_id}, {status.finished_at})")
    else:
        click.echo(f"Publication HELD BACK (run {status.run_id}, {status.status}):")
        for line in (status.reason or "").splitlines():
            click.echo(f"  {line}")
        if status.last_published_at:
            click.echo(
                f"Readers keep {settings.serving}, published {status.last_published_at} "
                f"(run {status.last_published_run_id})."
            )
        else:
            click.echo(f"Nothing published yet: {settings.serving} does not exist.")
    click.echo(f"Status: {settings.publication_status}; Data Docs: {status.data_docs}")
