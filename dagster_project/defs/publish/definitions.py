"""Publication (write-audit-publish): once every check has run, the working warehouse is copied
to the read-only serving copy the dashboard and analysts read; a run that fails a blocking
check (dbt error test or GX ``blocking`` expectation), whose checks could not run, or that
fails anywhere is held back, and why is recorded. Logic in ``smarketing.publish``.

Every GX check is a Dagster *blocking* check, so the publication (downstream of every asset)
waits for all of them, and does not run after one fails with ERROR severity. The failure hook
attached to the pipeline job (``dagster_project/lib/publication.py``) records the hold-back in
that case; the verdict is ``smarketing.publish.checks``.
"""

import dagster as dg

from dagster_project.lib.catalog import SERVING_KEY, built_asset_keys
from dagster_project.lib.publication import HELD_BACK, summarise_checks
from dagster_project.lib.resources import PublicationResource
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.publish import hold_back, publish
from smarketing.publish.checks import expected_validations


def publish_serving_copy(
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


def serving_copy_asset() -> dg.AssetsDefinition:
    """The serving copy, downstream of every asset the pipeline builds (the prepared dbt
    manifest names the dbt ones)."""
    return dg.asset(
        key=SERVING_KEY,
        deps=built_asset_keys(),
        group_name="publish",
        kinds={"duckdb"},
        pool="warehouse",
        description="The read-only copy of the warehouse the dashboard and analysts read "
        "(SMARKETING_SERVING), replaced atomically once every check of the run passed; status "
        "in publication.json beside it.",
    )(publish_serving_copy)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[serving_copy_asset()])
