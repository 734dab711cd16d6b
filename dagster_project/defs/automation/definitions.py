"""When the pipeline runs: a daily schedule, and a sensor that reacts to new exports."""

import hashlib

import dagster as dg

from dagster_project.lib.publication import hold_back_publication
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.config import SmarketingConfig, load_config
from smarketing.ingest.loading import inbox_files

PIPELINE_JOB = "smarketing_pipeline"

# One process, one step at a time: DuckDB allows a single writer. A failed step holds the
# publication back (the hook records why; the serving copy is left as it was).
pipeline_job = dg.define_asset_job(
    PIPELINE_JOB,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    hooks={hold_back_publication},
    description="Load the inbox, build and test every dbt model, run the data-governance "
    "checks, then publish the serving copy (or hold it back).",
)

DAILY = "daily_pipeline"


def daily_schedule(config: SmarketingConfig) -> dg.ScheduleDefinition:
    """When, from the shared definition (smarketing.yml `schedule`, `calendar`)."""
    return dg.ScheduleDefinition(
        name=DAILY,
        job=pipeline_job,
        cron_schedule=config.schedule.cron(),
        execution_timezone=config.calendar.reporting_time_zone,
        description=f"Every morning at {config.schedule.daily_at:%H:%M} "
        f"({config.calendar.reporting_time_zone}), before the teams start.",
    )


def inbox_fingerprint(warehouse: WarehouseResource) -> str:
    """Changes whenever a file is added, removed, renamed or rewritten in the inbox."""
    inbox = warehouse.inbox_path
    digest = hashlib.sha256()
    if inbox.exists():
        for path in inbox_files(inbox):
            stat = path.stat()
            digest.update(f"{path.relative_to(inbox)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(
    job=pipeline_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING
)
def inbox_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.SensorResult:
    """Runs the pipeline when the inbox changes."""
    fingerprint = inbox_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return dg.SensorResult(skip_reason="inbox unchanged")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)


@dg.definitions
def defs() -> dg.Definitions:
    """The job, the sensor, and the schedule as smarketing.yml says when the definitions load."""
    return dg.Definitions(
        jobs=[pipeline_job], schedules=[daily_schedule(load_config(None))], sensors=[inbox_sensor]
    )
