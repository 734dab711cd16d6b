"""Publication (write-audit-publish): once every check has run, the working warehouse is copied
to the read-only serving copy the dashboard and analysts read; a run that fails a blocking
check (dbt error test or GX ``blocking`` expectation), whose checks could not run, or that
fails anywhere is held back, and why is recorded. Logic in ``smarketing.publish``.

Every GX check is a Dagster *blocking* check, so the publication (downstream of every asset)
waits for all of them, and does not run after one fails with ERROR severity. The failure hook
below, attached to the pipeline job, records the hold-back in that case.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.defs.identity import definitions as identity
from dagster_project.defs.ingest import definitions as ingest
from dagster_project.defs.transform import definitions as transform
from dagster_project.lib.warehouse import WarehouseResource
from smarketing import duckdb_limits
from smarketing.publish import CheckCounts, hold_back, publish
from smarketing.quality import history
from smarketing.quality.parameters import PARAMETER_NAMES
from smarketing.quality.suites import CHECK_PREFIX, load_suites
from smarketing.settings import Settings

SERVING_KEY = dg.AssetKey(["serving_copy"])
HELD_BACK = "held_back"


class PublicationResource(dg.ConfigurableResource):
    """Where the serving copy and the Data Docs go (SMARKETING_SERVING, SMARKETING_DATA_DOCS)."""

    serving: str
    data_docs: str

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "PublicationResource":
        settings = settings or Settings.from_env()
        return cls(serving=str(settings.serving), data_docs=str(settings.data_docs))

    def settings(self, warehouse: WarehouseResource) -> Settings:
        return Settings(
            inbox=Path(warehouse.inbox),
            warehouse=Path(warehouse.warehouse),
            serving=Path(self.serving),
            data_docs=Path(self.data_docs),
        )


def built_assets() -> list[dg.AssetKey]:
    """Every asset the pipeline builds (ingest, dbt, identity): the publication copies them all,
    so it comes after each of them and after each blocking check on them."""
    keys: set[dg.AssetKey] = set()
    for module in (ingest, transform, identity):
        for item in module.defs.assets or []:
            if isinstance(item, dg.AssetsDefinition):
                keys.update(item.keys)
            elif isinstance(item, dg.AssetSpec):
                keys.add(item.key)
    return sorted(keys, key=lambda k: k.to_user_string())


def expected_validations() -> set[str]:
    """The suite units every run must check before it may publish."""
    suites = load_suites(parameters=set(PARAMETER_NAMES))
    return {unit.label for suite in suites for unit in suite.units()}


@dataclass(frozen=True)
class RunChecks:
    """What the checks of one run found: dbt tests and GX, from Dagster and the history."""

    counts: CheckCounts
    blocking: list[str]
    """Why the run may not be published, one cause per line (empty: it may)."""
    problems: list[str]
    checked: set[str]
    """The GX suite units that ran."""
    started_at: datetime | None


def unreadable_deliveries(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Files of this run that could not be read at all (not text, a read error): their rows are
    in no table, so the run is not published until the file is fixed or removed."""
    try:
        rows = con.execute(
            "select source_file, error from audit.load_audit "
            "where run_id = ? and status = 'error' order by source_file",
            [run_id],
        ).fetchall()
    except duckdb.CatalogException:  # nothing was ever loaded
        return []
    return [f"delivery not loaded: {error or source_file}" for source_file, error in rows]


def summarise_checks(instance: dg.DagsterInstance, run_id: str, warehouse: Path) -> RunChecks:
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    evaluations = [
        r.event_log_entry.dagster_event.asset_check_evaluation_data
        for r in records
        if r.event_log_entry.dagster_event is not None
    ]
    failed = [e for e in evaluations if not e.passed]
    blocking_failed = [e for e in failed if e.severity == dg.AssetCheckSeverity.ERROR]
    con = duckdb_limits.connect(warehouse, warehouse=Path(warehouse))
    try:
        quality = history.run_quality(con, run_id)
        unreadable = unreadable_deliveries(con, run_id)
    finally:
        con.close()
    blocking = [
        f"blocking check failed: dbt test {e.check_name} on {e.asset_key.to_user_string()}"
        for e in blocking_failed
        if not e.check_name.startswith(CHECK_PREFIX)
    ]
    blocking += quality.blocking + unreadable
    stats = instance.get_run_stats(run_id)
    started = datetime.fromtimestamp(stats.start_time, UTC) if stats.start_time else None
    return RunChecks(
        counts=CheckCounts(
            passed=len(evaluations) - len(failed),
            failed=len(failed),
            blocking_failed=len(blocking_failed),
            warnings_failed=len(failed) - len(blocking_failed),
            errors=quality.errors,
        ),
        blocking=blocking,
        problems=quality.problems,
        checked=quality.validations,
        started_at=started,
    )


@dg.asset(
    key=SERVING_KEY,
    deps=built_assets(),
    group_name="publish",
    kinds={"duckdb"},
    pool="warehouse",
    description="The read-only copy of the warehouse the dashboard and analysts read "
    "(SMARKETING_SERVING), replaced atomically once every check of the run passed; status "
    "in publication.json beside it.",
)
def serving_copy(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    publication: PublicationResource,
) -> dg.MaterializeResult:
    """Publish the working warehouse, unless a check of this run says not to."""
    settings = publication.settings(warehouse)
    run_id = context.run.run_id
    checks = summarise_checks(context.instance, run_id, settings.warehouse)
    blocking = list(checks.blocking)
    missing = sorted(expected_validations() - checks.checked)
    if missing:  # a partial run (e.g. from the UI) did not check everything it would publish
        blocking.append(f"not checked in this run: {', '.join(missing)}")
    if blocking:
        hold_back(settings, run_id, blocking, checks.started_at, checks.counts, checks.problems)
        raise dg.Failure(
            description="Publication held back:\n" + "\n".join(blocking),
            metadata={HELD_BACK: True},  # recorded already: the hook leaves it
        )
    record = publish(settings, run_id, checks.started_at, checks.counts, checks.problems)
    context.log.info(f"Published {settings.serving} ({checks.counts})")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.serving)),
            "published_at": record.finished_at.isoformat(),
            "checks_passed": checks.counts.passed,
            "checks_failed": checks.counts.failed,
            "warnings_failed": checks.counts.warnings_failed,
            "status_file": dg.MetadataValue.path(str(settings.publication_status)),
            "data_docs": dg.MetadataValue.path(str(settings.data_docs / "index.html")),
        }
    )


@dg.failure_hook(required_resource_keys={"warehouse", "publication"})
def hold_back_publication(context: dg.HookContext) -> None:
    """A failed step (a blocking check, a check engine error, a build step, the publication
    itself) means this run is not published: record why, and leave the serving copy alone."""
    error = context.op_exception
    if isinstance(error, dg.Failure) and HELD_BACK in error.metadata:
        return
    try:
        settings = context.resources.publication.settings(context.resources.warehouse)
        checks = summarise_checks(context.instance, context.run_id, settings.warehouse)
        reasons: Sequence[str] = checks.blocking
        if not context.step_key.startswith(CHECK_PREFIX) or not reasons:
            message = str(error).strip().splitlines()[0] if error and str(error).strip() else ""
            reasons = [*reasons, f"step {context.step_key} failed: {message}".rstrip(": ")]
        record = hold_back(
            settings, context.run_id, reasons, checks.started_at, checks.counts, checks.problems
        )
        context.log.warning(f"Publication held back:\n{record.reason}")
    except Exception as exc:  # a hook must not hide the failure it reports
        context.log.error(f"Could not record the hold-back of run {context.run_id}: {exc}")


defs = dg.Definitions(
    assets=[serving_copy],
    resources={"publication": PublicationResource.from_settings()},
)
