"""Transformation: the dbt project; dbt tests are checks.

The project runs in two parts around the identity resolution (a Python asset, see
``defs/identity``): everything it reads (seeds, the tests of the definition's tables, staging,
intermediate), then everything built on its tables (selected as ``source:identity+``: the marts
and what follows them).

Both parts get the custom fields of the shared lead definition (``smarketing.yml``, key
``custom_fields``) as the dbt var ``custom_fields``, read when they run, so an edited file
applies at the next run.

dbt's unit tests check the models' code, not the data: they run in the test suite
(``tests/test_dbt_tests.py``), not in every run.

dbt runs in the run's own process (``dagster_project.lib.dbt_runner``: no process start, the
prepared parse reused). Staging is incremental: a run merges the files loaded since the last
build. Each part records the fingerprint of the models and the definition it was built with;
when it changed, or when ``smarketing run --full-refresh`` asks, the part rebuilds from raw
(``smarketing.build_state``).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import dbt_assets

from dagster_project.lib import dbt_runner
from dagster_project.lib.dbt_project import (
    TARGET_DIR,
    SmarketingTranslator,
    dbt_build_args,
    dbt_project,
    dbt_threads,
    dbt_vars,
    definition_fingerprint,
    delivered_bytes,
    prepare_if_dev,
    prepared_manifest,
)
from smarketing import build_state, duckdb_limits
from smarketing.identity import DBT_AFTER_IDENTITY
from smarketing.settings import Settings

# Set by `smarketing run`: the file dbt's own log lines go to (a thousand lines per run); unset
# (`dagster dev`), they go to the step's output.
RUN_LOG_ENV = "SMARKETING_RUN_LOG"

IDENTITY_SOURCES = DBT_AFTER_IDENTITY
# The engine macros' own tests (dbt/tests/engine/) read no table: the test suite runs them on
# each engine, a run has nothing to check with them
ENGINE_TESTS = "tag:engine"
# The tests of the definition's tables (source `config`) run in the first part; a failure fails
# the step (dagster-dbt makes checks of a source's tests only in a part building one of its
# children, which for most of these tables runs after the tests)
TRANSLATOR = SmarketingTranslator()


def dbt_parts() -> list[dg.AssetsDefinition]:
    """The project's two parts, from the prepared manifest."""
    manifest = prepared_manifest()

    @dbt_assets(
        manifest=manifest,
        project=dbt_project,
        dagster_dbt_translator=TRANSLATOR,
        select="fqn:*",
        exclude=f"{IDENTITY_SOURCES} {ENGINE_TESTS}",
        name="dbt_before_identity",
        pool="warehouse",
    )
    def dbt_before_identity(context: dg.AssetExecutionContext) -> Iterator[Any]:
        """Seeds, staging and the intermediate models the identity resolution reads."""
        yield from _build(context, "dbt_before_identity")

    @dbt_assets(
        manifest=manifest,
        project=dbt_project,
        dagster_dbt_translator=TRANSLATOR,
        select=IDENTITY_SOURCES,
        name="dbt_after_identity",
        pool="warehouse",
    )
    def dbt_after_identity(context: dg.AssetExecutionContext) -> Iterator[Any]:
        """The models built on the unified leads (marts), once the identity resolution ran."""
        yield from _build(context, "dbt_after_identity")

    return [dbt_before_identity, dbt_after_identity]


def _build(context: dg.AssetExecutionContext, part: str) -> Iterator[Any]:
    """``dbt build`` of PART, in this process (``dagster_project.lib.dbt_runner``): merging the
    new deliveries, or from raw when the fingerprint of the models and the definition changed
    since the last build (or a full refresh is asked)."""
    settings = Settings.from_env()
    variables = dbt_vars()
    current = definition_fingerprint(variables)
    with duckdb_limits.connect(settings.warehouse, warehouse=settings.warehouse) as con:
        reason = build_state.full_refresh_reason(con, part, current, settings.full_refresh)
        threads = dbt_threads(delivered_bytes(con))
    if reason:
        context.log.info(f"{part}: incremental models rebuilt from raw: {reason}")
    log = os.environ.get(RUN_LOG_ENV)
    # dbt's DuckDB gets the run's memory less what this process still holds (the loader's,
    # Splink's and the checks' memory is not all given back): the run stays within its limit
    with dbt_runner.environment({duckdb_limits.MEMORY_ENV: duckdb_limits.memory_left()}):
        yield from dbt_runner.build(
            context,
            dbt_build_args(
                variables,
                full_refresh=reason is not None,
                threads=threads,
            ),
            selected=dbt_runner.selection(context),
            variables=variables,
            warehouse=settings.warehouse,
            target=settings.warehouse.parent / TARGET_DIR / part,
            log_file=Path(log) if log else None,
        )
    with duckdb_limits.connect(settings.warehouse, warehouse=settings.warehouse) as con:
        build_state.record_build(con, part, current, reason)


@dg.definitions
def defs() -> dg.Definitions:
    # `dagster dev` parses an edited project; elsewhere the manifest was prepared before the
    # definitions load (smarketing run, a deployment's build step)
    prepare_if_dev()
    # dbt reads the warehouse path from the environment (profiles.yml)
    Settings.from_env().export_env()
    return dg.Definitions(assets=dbt_parts())
