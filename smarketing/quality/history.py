"""The quality history: every check result of every run, in the working warehouse.

``audit.quality_history`` has one row per run, suite unit and expectation; a re-executed step
replaces its own rows. ``audit.quality_validations`` keeps GX's full result of each suite unit,
from which the Data Docs are rendered. Both are copied into the serving copy at publication,
and the history is also exported beside it as Parquet, so a held-back run can be read too.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from smarketing.quality import reasons
from smarketing.quality.engine import StoredValidation
from smarketing.quality.results import UnitResult

HISTORY = "audit.quality_history"
VALIDATIONS = "audit.quality_validations"
RUNS = "audit.quality_runs"

DDL = f"""
create schema if not exists audit;
create table if not exists {HISTORY} (
    run_id varchar not null,          -- the Dagster run
    suite varchar not null,           -- expectations/<…>.json "name"
    validation varchar not null,      -- the suite, or suite.<table> for one export kind
    asset varchar not null,           -- schema.table the check is attached to
    check_name varchar not null,      -- the Dagster asset check (gx_<meta.name>)
    expectation varchar not null,     -- Great Expectations type
    column_name varchar,              -- column(s) it reads, comma-separated
    severity varchar not null,        -- blocking | warning
    status varchar not null,          -- passed | failed | error (the engine broke)
    success boolean,                  -- null when status = 'error'
    observed_value varchar,           -- JSON, for aggregate expectations
    element_count bigint,
    unexpected_count bigint,
    unexpected_percent double,
    expectation_kwargs varchar,       -- JSON, parameters evaluated (mostly = the YAML target)
    details varchar,                  -- one line: what was found, or the engine error
    checked_at timestamptz not null
);
create table if not exists {VALIDATIONS} (
    run_id varchar not null,
    suite varchar not null,
    validation varchar not null,
    checked_at timestamptz not null,
    success boolean,
    result_json varchar not null      -- ExpectationSuiteValidationResult.to_json_dict()
);
-- one row per run: its checks by outcome, as the dashboard lists the runs
create or replace view {RUNS} as
select
    run_id,
    max(checked_at) as checked_at,
    count(*) as check_count,
    count(*) filter (where status = 'passed') as passed_count,
    count(*) filter (where status = 'failed' and severity = 'blocking') as blocking_failed_count,
    count(*) filter (where status = 'failed' and severity <> 'blocking') as warning_failed_count,
    count(*) filter (where status = 'error') as error_count
from {HISTORY}
group by run_id;
"""


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def record(con: duckdb.DuckDBPyConnection, run_id: str, results: Sequence[UnitResult]) -> None:
    """Write RESULTS of RUN_ID (replacing rows of the same run and suite units)."""
    ensure_tables(con)
    rows = [
        (
            run_id,
            o.unit.suite.name,
            o.unit.label,
            o.unit.asset,
            o.expectation.check_name,
            o.expectation.type,
            o.column,
            o.expectation.severity,
            o.status,
            None if o.status == "error" else o.status == "passed",
            o.observed_json(),
            o.element_count,
            o.unexpected_count,
            o.unexpected_percent,
            json.dumps(o.kwargs, default=str, ensure_ascii=False) if o.kwargs else None,
            o.details(),
            result.checked_at,
        )
        for result in results
        for o in result.outcomes
    ]
    units = [(run_id, r.unit.label) for r in results]
    con.execute("begin transaction")
    try:
        for table in (HISTORY, VALIDATIONS):
            if units:
                con.executemany(f"delete from {table} where run_id = ? and validation = ?", units)
        if rows:
            con.executemany(f"insert into {HISTORY} values ({', '.join('?' * len(rows[0]))})", rows)
        validations = [
            (
                run_id,
                r.unit.suite.name,
                r.unit.label,
                r.checked_at,
                bool(r.validation.get("success")),
                json.dumps(r.validation, default=str),
            )
            for r in results
            if r.validation is not None
        ]
        if validations:
            con.executemany(f"insert into {VALIDATIONS} values (?, ?, ?, ?, ?, ?)", validations)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _q(text: str) -> str:
    return text.replace("'", "''")


def stored_validations(con: duckdb.DuckDBPyConnection, run_id: str) -> list[StoredValidation]:
    rows = _select(
        con,
        f"select suite, validation, checked_at, result_json from {VALIDATIONS} "
        "where run_id = ? order by checked_at, validation",
        [run_id],
    )
    return [StoredValidation(s, label, at, json.loads(text)) for s, label, at, text in rows]


def _select(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    try:
        return con.execute(sql, params).fetchall()
    except duckdb.CatalogException:  # no check has run in this warehouse yet
        return []


LABELS = {
    ("error", "blocking"): reasons.CHECK_ERROR,
    ("error", "warning"): reasons.CHECK_ERROR,
    ("failed", "blocking"): reasons.CHECK_FAILED,
    ("failed", "warning"): "warning",
}


@dataclass(frozen=True)
class RunQuality:
    """Counts of one run's GX results, and the lines that explain them."""

    passed: int
    warnings_failed: int
    blocking_failed: int
    errors: int
    problems: list[str]
    """Every expectation not passed, engine errors and blocking failures first:
    ``blocking check failed: suite/check on asset (column): what was found``."""
    blocking: list[str]
    """The problems that hold a publication back (blocking failures and engine errors)."""
    validations: set[str]
    """The suite units (``validation``) that ran."""

    def lines(self, title: str = "Quality checks (Great Expectations)") -> list[str]:
        """The counts under TITLE, then every problem, as a run's summary prints them."""
        return [
            f"{title}: {self.passed} passed, {self.blocking_failed} blocking failed, "
            f"{self.warnings_failed} warning(s), {self.errors} engine error(s)",
            *(f"  {line}" for line in self.problems),
        ]


def run_quality(con: duckdb.DuckDBPyConnection, run_id: str) -> RunQuality:
    """RUN_ID's results (none when the history does not exist yet; CON may be read-only)."""
    rows = _select(
        con,
        f"""
        select status, severity, validation, check_name, asset, column_name, details
        from {HISTORY}
        where run_id = ?
        order by status = 'error' desc, severity = 'blocking' desc, validation, check_name
        """,
        [run_id],
    )
    return _quality(rows)


def results_quality(results: Sequence[UnitResult]) -> RunQuality:
    """RESULTS summed up as ``run_quality`` sums up a run's recorded ones."""
    rows = [
        (
            o.status,
            o.expectation.severity,
            r.unit.label,
            o.expectation.check_name,
            r.unit.asset,
            o.column,
            o.details(),
        )
        for r in results
        for o in r.outcomes
    ]
    rows.sort(key=lambda row: (row[0] != "error", row[1] != "blocking", row[2], row[3]))
    return _quality(rows)


def _quality(rows: Sequence[tuple]) -> RunQuality:
    """Rows of (status, severity, validation, check, asset, column, details), in order."""
    problems: list[str] = []
    blocking: list[str] = []
    for status, severity, label, check, asset, column, details in rows:
        if status == "passed":
            continue
        line = reasons.check(LABELS[(status, severity)], label, check, asset, column, details)
        problems.append(line)
        if status == "error" or severity == "blocking":
            blocking.append(line)
    count = Counter((status, severity) for status, severity, *_ in rows)
    return RunQuality(
        passed=count[("passed", "blocking")] + count[("passed", "warning")],
        warnings_failed=count[("failed", "warning")],
        blocking_failed=count[("failed", "blocking")],
        errors=count[("error", "blocking")] + count[("error", "warning")],
        problems=problems,
        blocking=blocking,
        validations={label for _, _, label, *_ in rows},
    )


def export_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The whole history as Parquet at PATH, replaced atomically (readers never see half)."""
    ensure_tables(con)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    con.execute(
        f"copy (select * from {HISTORY} order by checked_at, validation, check_name) "
        f"to '{_q(str(partial))}' (format parquet)"
    )
    os.replace(partial, path)
