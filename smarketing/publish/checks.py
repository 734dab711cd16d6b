"""Whether a run may be published: what its checks found, decided without Dagster.

The orchestrator hands over each check's evaluation (dbt tests and Great Expectations, as
asset checks); the warehouse tells the quality history of the run (GX's own verdicts, engine
errors) and the deliveries that could not be read. A run is held back for any blocking failure,
any engine error, any unread delivery and any suite unit it did not check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from smarketing.publish.records import CheckCounts
from smarketing.quality import history, reasons
from smarketing.quality.parameters import PARAMETER_NAMES
from smarketing.quality.suites import CHECK_PREFIX, load_suites


@dataclass(frozen=True)
class CheckEvaluation:
    """One check's outcome in a run."""

    check: str
    asset: str
    passed: bool
    blocking: bool
    """Whether its failure holds the publication back (ERROR severity)."""


@dataclass(frozen=True)
class RunChecks:
    """What the checks of one run found: dbt tests and GX, from the orchestrator and the history."""

    counts: CheckCounts
    blocking: list[str]
    """Why the run may not be published, one cause per line (empty: it may)."""
    problems: list[str]
    checked: set[str]
    """The GX suite units that ran."""
    started_at: datetime | None


def expected_validations() -> set[str]:
    """The suite units every run must check before it may publish."""
    suites = load_suites(parameters=set(PARAMETER_NAMES))
    return {unit.label for suite in suites for unit in suite.units()}


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
    return [reasons.delivery(error or source_file) for source_file, error in rows]


def summarise(
    evaluations: Sequence[CheckEvaluation],
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: datetime | None,
) -> RunChecks:
    """The verdict on run RUN_ID from its check EVALUATIONS and the warehouse CON."""
    failed = [e for e in evaluations if not e.passed]
    blocking_failed = [e for e in failed if e.blocking]
    quality = history.run_quality(con, run_id)
    # GX's blocking failures come from its history, with the file and row they name
    blocking = [
        reasons.dbt_test(e.check, e.asset)
        for e in blocking_failed
        if not e.check.startswith(CHECK_PREFIX)
    ]
    blocking += quality.blocking + unreadable_deliveries(con, run_id)
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
        started_at=started_at,
    )
