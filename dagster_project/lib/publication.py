"""The publication's Dagster side: the run's check evaluations read from Dagster for the
verdict (``smarketing.publish.checks``), and the hook that records a hold-back when a step
fails. The publication asset (``defs/publish``) and the job (``defs/automation``) use them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from dagster_project.lib.catalog import AFTER_PUBLICATION
from smarketing import duckdb_limits
from smarketing.publish import hold_back
from smarketing.publish.checks import CheckEvaluation, RunChecks, summarise
from smarketing.quality import reasons as reason_lines
from smarketing.quality.checks import refresh_data_docs
from smarketing.quality.parameters import PARAMETER_NAMES
from smarketing.quality.suites import CHECK_PREFIX, load_suites

# metadata of the publication's own Failure: the hold-back is recorded already
HELD_BACK = "held_back"


def evaluations(instance: dg.DagsterInstance, run_id: str) -> list[CheckEvaluation]:
    """Every asset check evaluation of run RUN_ID."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    found = [
        r.event_log_entry.dagster_event.asset_check_evaluation_data
        for r in records
        if r.event_log_entry.dagster_event is not None
    ]
    return [
        CheckEvaluation(
            check=e.check_name,
            asset=e.asset_key.to_user_string(),
            passed=e.passed,
            blocking=e.severity == dg.AssetCheckSeverity.ERROR,
        )
        for e in found
    ]


def summarise_checks(instance: dg.DagsterInstance, run_id: str, warehouse: Path) -> RunChecks:
    stats = instance.get_run_stats(run_id)
    started = datetime.fromtimestamp(stats.start_time, UTC) if stats.start_time else None
    with duckdb_limits.connect(warehouse, warehouse=Path(warehouse)) as con:
        return summarise(evaluations(instance, run_id), con, run_id, started)


# steps that run once the serving copy is published: their failure holds nothing back
AFTER_PUBLICATION_STEPS = frozenset(key.to_python_identifier() for key in AFTER_PUBLICATION)


@dg.failure_hook(required_resource_keys={"warehouse", "publication"})
def hold_back_publication(context: dg.HookContext) -> None:
    """A failed step (a blocking check, a check engine error, a build step, the publication
    itself) means this run is not published: record why, and leave the serving copy alone.
    After a step other than checks, the Data Docs show the run's validations until then."""
    error = context.op_exception
    if isinstance(error, dg.Failure) and HELD_BACK in error.metadata:
        return
    if context.step_key in AFTER_PUBLICATION_STEPS:  # the run was published before it failed
        return
    try:
        settings = context.resources.publication.settings(context.resources.warehouse)
        checks = summarise_checks(context.instance, context.run_id, settings.warehouse)
        reasons: Sequence[str] = checks.blocking
        if not context.step_key.startswith(CHECK_PREFIX) or not reasons:
            message = str(error).strip().splitlines()[0] if error and str(error).strip() else ""
            reasons = [*reasons, reason_lines.step(context.step_key, message)]
        record = hold_back(
            settings, context.run_id, reasons, checks.started_at, checks.counts, checks.problems
        )
        context.log.warning(f"Publication held back:\n{record.reason}")
        if not context.step_key.startswith(CHECK_PREFIX):  # a check step built them already
            refresh_data_docs(
                settings.warehouse,
                context.run_id,
                settings.data_docs,
                load_suites(parameters=set(PARAMETER_NAMES)),
                log=context.log.info,
            )
    except Exception as exc:  # a hook must not hide the failure it reports
        context.log.error(f"Could not record the hold-back of run {context.run_id}: {exc}")
