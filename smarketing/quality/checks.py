"""One pass of checks: validate suite units against the warehouse, keep the results in the
quality history, and refresh the Data Docs of the run."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from smarketing import duckdb_limits
from smarketing.quality import history
from smarketing.quality.engine import build_data_docs, validate_unit
from smarketing.quality.parameters import suite_parameters
from smarketing.quality.results import UnitResult
from smarketing.quality.suites import Suite, SuiteUnit

LOG = logging.getLogger(__name__)


class QualityEngineError(Exception):
    """The checks could not say whether the data is good (GX raised, a suite did not load, a
    dataset could not be read). Never a pass, never bad data: the publication is held back."""


def run_checks(
    warehouse: Path,
    units: Sequence[SuiteUnit],
    run_id: str,
    *,
    data_docs: Path | None = None,
    suites: Sequence[Suite] = (),
    parameters: Mapping[str, Any] | None = None,
    log: Callable[[str], None] = LOG.info,
) -> list[UnitResult]:
    """Validate UNITS, record them under RUN_ID and, with DATA_DOCS, rebuild the run's Data Docs
    (every suite of SUITES, every validation of the run so far: ``refresh_data_docs``)."""
    parameters = parameters if parameters is not None else suite_parameters()
    con = duckdb_limits.connect(warehouse, warehouse=warehouse)
    try:
        results = [validate_unit(con, unit, parameters) for unit in units]
        history.record(con, run_id, results)
    finally:
        con.close()
    if data_docs is not None:
        refresh_data_docs(warehouse, run_id, data_docs, suites or [u.suite for u in units], log)
    return results


def refresh_data_docs(
    warehouse: Path,
    run_id: str,
    data_docs: Path,
    suites: Sequence[Suite],
    log: Callable[[str], None] = LOG.info,
) -> None:
    """Rebuild DATA_DOCS from every validation of RUN_ID recorded so far (of SUITES)."""
    try:
        with duckdb_limits.connect(warehouse, warehouse=warehouse) as con:
            stored = history.stored_validations(con, run_id)
        index = build_data_docs(data_docs, run_id, suites, stored)
        log(f"Data Docs: {index}")
    except Exception as exc:  # the docs only show the results; the history keeps them
        log(f"Data Docs could not be built ({exc}); the results are in {history.HISTORY}")


def stops_the_run(results: Sequence[UnitResult]) -> bool:
    """Whether RESULTS hold a blocking failure or an engine error: nothing downstream runs."""
    return any(o.status == "error" or o.is_blocking_failure for r in results for o in r.outcomes)


def engine_errors(results: Sequence[UnitResult]) -> list[str]:
    return [o.headline() for r in results for o in r.errors]
