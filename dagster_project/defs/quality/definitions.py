"""Data governance: the Great Expectations suites of ``expectations/`` as asset checks, beside
the dbt tests. Logic in ``smarketing.quality``.

One check per expectation, on the asset its suite names; one op per schema (raw, audit,
staging, marts) runs them, after the assets it reads. Severity: ``blocking`` expectations fail
with ERROR severity and stop the publication, ``warning`` ones fail with WARN and are only
recorded. Every check is a Dagster *blocking* check so that what comes downstream (the
publication) waits for it; only ERROR failures stop anything. A check whose engine broke (GX
raised, the suite does not load, the table is missing) yields no result and fails its step:
an error, never a pass nor bad data.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

import dagster as dg

from dagster_project.lib.resources import PublicationResource
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.quality.checks import (
    QualityEngineError,
    refresh_data_docs,
    run_checks,
    stops_the_run,
)
from smarketing.quality.parameters import PARAMETER_NAMES
from smarketing.quality.results import Outcome
from smarketing.quality.suites import ExpectationDef, Suite, SuiteUnit, load_suites

SEVERITY = {"blocking": dg.AssetCheckSeverity.ERROR, "warning": dg.AssetCheckSeverity.WARN}
# the schema whose checks run last, after the last dbt step
LAST_CHECKED = "marts"
POLICY = {
    "blocking": "Blocking: a failure holds the publication back.",
    "warning": "Warning: a failure is recorded; it never holds the publication back.",
}


def asset_key(name: str) -> dg.AssetKey:
    return dg.AssetKey(name.split("."))


def check_spec(unit: SuiteUnit, expectation: ExpectationDef) -> dg.AssetCheckSpec:
    what = expectation.description or f"{expectation.type} {', '.join(expectation.columns)}"
    return dg.AssetCheckSpec(
        name=expectation.check_name,
        asset=asset_key(unit.asset),
        description=f"{what} {POLICY[expectation.severity]} (suite {unit.label})",
        blocking=True,
        additional_deps=[asset_key(r) for r in unit.reads if r != unit.asset],
        metadata={
            "severity": expectation.severity,
            "suite": unit.suite.name,
            "suite_file": unit.suite.path.name,
            "expectation": expectation.type,
        },
    )


def check_result(outcome: Outcome) -> dg.AssetCheckResult:
    expectation = outcome.expectation
    metadata: dict[str, dg.RawMetadataValue] = {
        "severity": expectation.severity,
        "suite": outcome.unit.label,
        "expectation": expectation.type,
        "details": outcome.details(),
    }
    if outcome.column:
        metadata["column"] = outcome.column
    for name in ("element_count", "unexpected_count", "unexpected_percent"):
        value = getattr(outcome, name)
        if value is not None:
            metadata[name] = value
    if outcome.observed_value is not None:
        metadata["observed_value"] = outcome.observed_json()
    if "mostly" in outcome.kwargs:
        metadata["mostly"] = outcome.kwargs["mostly"]
    return dg.AssetCheckResult(
        asset_key=asset_key(outcome.unit.asset),
        check_name=expectation.check_name,
        passed=outcome.status == "passed",
        severity=SEVERITY[expectation.severity],
        metadata=metadata,
        description=outcome.details(),
    )


def build_checks(
    schema: str, units: Sequence[SuiteUnit], suites: Sequence[Suite]
) -> dg.AssetChecksDefinition:
    """The checks of UNITS (of SUITES) on the SCHEMA tables, run in one op."""

    @dg.multi_asset_check(
        name=f"gx_{schema}",
        specs=[check_spec(unit, e) for unit in units for e in unit.suite.expectations],
        pool="warehouse",
        description=f"Great Expectations suites on the {schema} tables (expectations/).",
    )
    def gx_checks(
        context: dg.AssetCheckExecutionContext,
        warehouse: WarehouseResource,
        publication: PublicationResource,
    ) -> Iterator[dg.AssetCheckResult]:
        results = run_checks(Path(warehouse.warehouse), units, context.run.run_id)
        # the Data Docs show the run's validations once they are all in: after the last checks,
        # or where the run stops (a failed step's hook rebuilds them too: lib/publication.py)
        if schema == LAST_CHECKED or stops_the_run(results):
            refresh_data_docs(
                Path(warehouse.warehouse),
                context.run.run_id,
                Path(publication.data_docs),
                suites,
                log=context.log.info,
            )
        errors: list[str] = []
        for outcome in (o for result in results for o in result.outcomes):
            if outcome.status == "error":
                errors.append(outcome.headline())
                context.log.error(f"check engine error: {outcome.headline()}")
                continue
            if outcome.status == "failed":
                context.log.warning(f"{outcome.expectation.severity}: {outcome.headline()}")
            yield check_result(outcome)
        if errors:
            raise QualityEngineError(
                f"{len(errors)} check(s) could not run (neither passed nor failed):\n"
                + "\n".join(errors)
            )

    return gx_checks


def _by_schema(units: Sequence[SuiteUnit]) -> dict[str, list[SuiteUnit]]:
    grouped: dict[str, list[SuiteUnit]] = defaultdict(list)
    for unit in units:
        grouped[unit.asset_path[0]].append(unit)
    return dict(sorted(grouped.items()))


@dg.definitions
def defs() -> dg.Definitions:
    """One op of checks per schema, from the suites as they are when the definitions load."""
    suites = load_suites(parameters=set(PARAMETER_NAMES))
    units = [unit for suite in suites for unit in suite.units()]
    # the "warehouse" and "publication" resources are registered by defs/resources
    return dg.Definitions(
        asset_checks=[
            build_checks(schema, schema_units, suites)
            for schema, schema_units in _by_schema(units).items()
        ]
    )
