"""Running the suites with Great Expectations 1.x, on pandas frames read from DuckDB (on
Spark dataframes: ``smarketing.spark.quality``).

GX's SQL data source fails every expectation on DuckDB (``MetricResolutionError``), so each
dataset is queried with DuckDB and validated as a dataframe. GX reports a metric it could not
compute as an unsuccessful result with ``exception_info``: that is read here as an engine
error, never as bad data. GX is imported on first use (it costs seconds).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from smarketing.privacy.classification import personal_column_names
from smarketing.quality.results import Outcome, Status, UnitResult
from smarketing.quality.suites import ExpectationDef, Suite, SuiteUnit

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext
    from great_expectations.expectations.expectation import Expectation

# enough to show what went wrong, small enough to keep every run's results in the warehouse
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 10}
# where a staged row came from (file, row of the file): a failing value is shown with them
ROW_COLUMNS = ("_source_file", "_row_number")
DOCS_SITE = "smarketing"
# what a check on a personal-data column shows instead of a failing value: the file and row
# say where to look, and only those who may see the value open it there
MASKED = "[personal data]"


def _gx_context() -> AbstractDataContext:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def build_expectation(expectation: ExpectationDef) -> Expectation:
    """GX's object for one expectation of a suite; raises when GX does not know its type or
    refuses its arguments."""
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    document = {k: v for k, v in expectation.document.items() if k != "id"}
    return ExpectationConfiguration(**document).to_domain_obj()


def validate_unit(
    con: duckdb.DuckDBPyConnection, unit: SuiteUnit, parameters: Mapping[str, Any]
) -> UnitResult:
    """Read UNIT's dataset from the warehouse and validate it; a dataset that cannot be read
    (missing table, broken query) makes every expectation an error."""
    checked_at = datetime.now(UTC)
    try:
        frame = read_dataset(con, unit)
    except Exception as exc:  # missing table or column, broken query, unreadable types
        message = f"cannot read the dataset ({_first_line(exc)})"
        return UnitResult(unit, _errors(unit, unit.suite.expectations, message), checked_at)
    return validate_frame(frame, unit, parameters, checked_at)


def read_dataset(con: duckdb.DuckDBPyConnection, unit: SuiteUnit) -> pd.DataFrame:
    """UNIT's query, or the columns of its table the expectations read (marts are wide and
    long: ``dataset_columns``)."""
    if unit.sql is not None:
        return con.execute(unit.sql).df()
    assert unit.table is not None
    present = [d[0] for d in con.execute(f"select * from {unit.table} limit 0").description]
    quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in dataset_columns(unit, present))
    return con.execute(f"select {quoted} from {unit.table}").df()


def dataset_columns(unit: SuiteUnit, present: Sequence[str]) -> list[str]:
    """The columns of UNIT's table (which has PRESENT) its expectations read, all of them for
    a table-level one, and the file and row of each row. A column the table lacks is left to
    GX, which reports that expectation alone."""
    wanted = unit.suite.columns
    columns = list(present) if wanted is None else [c for c in wanted if c in present]
    columns = columns or list(present[:1])
    return columns + [c for c in ROW_COLUMNS if c in present and c not in columns]


def validate_frame(
    frame: pd.DataFrame,
    unit: SuiteUnit,
    parameters: Mapping[str, Any],
    checked_at: datetime | None = None,
) -> UnitResult:
    """Validate FRAME against UNIT's suite; each expectation passed, failed or error."""

    def batch(context: AbstractDataContext) -> Any:
        return context.data_sources.pandas_default.read_dataframe(frame, asset_name=unit.label)

    def name_rows(validation: Any) -> None:
        if all(column in frame.columns for column in ROW_COLUMNS):
            _name_rows(validation, frame, unit)

    return validate_batch(batch, unit, parameters, checked_at, after=name_rows)


def validate_batch(
    batch: Callable[[AbstractDataContext], Any],
    unit: SuiteUnit,
    parameters: Mapping[str, Any],
    checked_at: datetime | None = None,
    *,
    result_format: Mapping[str, Any] = RESULT_FORMAT,
    after: Callable[[Any], None] | None = None,
) -> UnitResult:
    """Validate the GX batch BATCH makes (a pandas or a Spark dataframe) against UNIT's suite,
    with RESULT_FORMAT; AFTER sees GX's validation first. Each expectation passed, failed or
    error."""
    checked_at = checked_at or datetime.now(UTC)
    built: list[tuple[ExpectationDef, Expectation]] = []
    outcomes: dict[str, Outcome] = {}
    for expectation in unit.suite.expectations:
        try:
            built.append((expectation, build_expectation(expectation)))
        except Exception as exc:  # GX raises many types for a bad configuration
            outcomes[expectation.name] = _error(unit, expectation, f"suite does not load: {exc}")
    validation: dict[str, Any] | None = None
    if built:
        try:
            result = _validate(batch, unit, [gx for _, gx in built], parameters, result_format)
            if after is not None:
                after(result)
        except Exception as exc:  # a failure of GX itself is an engine error
            message = f"Great Expectations failed: {_first_line(exc)}"
            outcomes.update(
                {e.name: _error(unit, e, message) for e, _ in built if e.name not in outcomes}
            )
        else:
            validation = _rows_shown(_masked(result.to_json_dict(), [e for e, _ in built]))
            by_name = {r.expectation_config.meta.get("name"): r for r in result.results}
            for expectation, _ in built:
                found = by_name.get(expectation.name)
                outcomes[expectation.name] = (
                    _outcome(unit, expectation, found)
                    if found is not None
                    else _error(unit, expectation, "Great Expectations returned no result")
                )
    ordered = [outcomes[e.name] for e in unit.suite.expectations]
    return UnitResult(unit, ordered, checked_at, validation)


def _validate(
    batch: Callable[[AbstractDataContext], Any],
    unit: SuiteUnit,
    expectations: list[Expectation],
    parameters: Mapping[str, Any],
    result_format: Mapping[str, Any],
) -> Any:
    from great_expectations.core import ExpectationSuite

    suite = ExpectationSuite(
        name=unit.suite.name, expectations=expectations, notes=unit.suite.document.get("notes")
    )
    if len(suite.expectations) != len(expectations):  # GX drops what it cannot build, silently
        raise RuntimeError(f"GX kept {len(suite.expectations)} of {len(expectations)} expectations")
    return batch(_gx_context()).validate(
        suite, result_format=dict(result_format), expectation_parameters=dict(parameters)
    )


def _name_rows(validation: Any, frame: pd.DataFrame, unit: SuiteUnit) -> None:
    """Each sampled unexpected row given as GX gives it with ``unexpected_index_column_names``
    (the expectation's columns, the file and the row of the file), from the sample's positions
    in FRAME. GX's own option looks up every unexpected row, one by one, for a sample of ten:
    3 of the 6 s of a 1-million-row suite."""
    by_name = {e.name: e for e in unit.suite.expectations}
    for found in validation.results:
        result = found.result or {}
        positions = result.get("partial_unexpected_index_list")
        if not positions or not all(isinstance(p, int) for p in positions):
            continue
        expectation = by_name.get(found.expectation_config.meta.get("name"))
        columns = [c for c in (expectation.columns if expectation else ()) if c in frame.columns]
        rows = frame.loc[positions, list(dict.fromkeys([*columns, *ROW_COLUMNS]))]
        result["unexpected_index_column_names"] = list(ROW_COLUMNS)
        result["partial_unexpected_index_list"] = [
            {column: row[column] for column in rows.columns} for _, row in rows.iterrows()
        ]


def _hidden(expectation: ExpectationDef) -> set[str]:
    """The personal-data columns EXPECTATION reads: their values are never shown."""
    return personal_column_names() & set(expectation.columns)


def _masked(validation: dict[str, Any], expectations: list[ExpectationDef]) -> dict[str, Any]:
    """The validation with every value of a personal-data column replaced by MASKED, so the
    Data Docs, the quality history and the logs never show an e-mail, a phone or a name."""
    by_name = {e.name: _hidden(e) for e in expectations}
    for item in validation.get("results") or []:
        meta = (item.get("expectation_config") or {}).get("meta") or {}
        hidden = by_name.get(meta.get("name"), set())
        if not hidden:
            continue
        result = item.get("result") or {}
        for key in ("partial_unexpected_list", "unexpected_list"):
            if isinstance(result.get(key), list):
                result[key] = [MASKED if v is not None else None for v in result[key]]
        for key in ("partial_unexpected_index_list", "unexpected_index_list"):
            for row in result.get(key) or []:
                if isinstance(row, dict):
                    row.update({c: MASKED for c in hidden if row.get(c) is not None})
        if isinstance(result.get("partial_unexpected_counts"), list):
            result["partial_unexpected_counts"] = [
                {**entry, "value": MASKED} for entry in result["partial_unexpected_counts"]
            ]
    return validation


def _rows_shown(validation: dict[str, Any]) -> dict[str, Any]:
    """The validation with the file and row of each sampled unexpected value where the Data
    Docs show them: GX draws its table of values by row only from a full list (the COMPLETE
    format, every failing row of a table), so the sample's rows are given as that list."""
    for item in validation.get("results") or []:
        result = item.get("result") or {}
        rows = result.get("partial_unexpected_index_list")
        if rows and not result.get("unexpected_index_list"):
            result["unexpected_index_list"] = rows
            result.setdefault("unexpected_list", result.get("partial_unexpected_list") or [])
    return validation


def _outcome(unit: SuiteUnit, expectation: ExpectationDef, found: Any) -> Outcome:
    kwargs = {k: v for k, v in found.expectation_config.kwargs.items() if k != "batch_id"}
    raised = _raised(found.exception_info)
    if raised is not None:
        return _error(unit, expectation, raised, kwargs)
    result: dict[str, Any] = found.result or {}
    status: Status = "passed" if found.success else "failed"
    hidden = bool(_hidden(expectation))
    return Outcome(
        unit=unit,
        expectation=expectation,
        status=status,
        kwargs=kwargs,
        observed_value=_plain(result.get("observed_value")),
        element_count=result.get("element_count"),
        unexpected_count=result.get("unexpected_count"),
        unexpected_percent=result.get("unexpected_percent"),
        partial_unexpected=[
            MASKED if hidden and v is not None else _plain(v)
            for v in result.get("partial_unexpected_list") or []
        ],
        unexpected_rows=[
            (str(row["_source_file"]), int(row["_row_number"]))
            for row in result.get("partial_unexpected_index_list") or []
            if isinstance(row, dict) and row.get("_source_file") is not None
        ],
    )


def _raised(exception_info: Any) -> str | None:
    """The message of an exception GX caught, in either of its two shapes (one dict, or one
    dict per metric)."""
    if not isinstance(exception_info, dict):
        return None
    infos = [exception_info] if "raised_exception" in exception_info else exception_info.values()
    for info in infos:
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message") or "an exception without a message")
    return None


def _plain(value: Any) -> Any:
    """JSON-ready (timestamps, numpy numbers and decimals become text or numbers; pandas'
    missing values, None)."""
    import pandas as pd

    if not isinstance(value, list | tuple | dict) and pd.isna(value):
        return None
    return json.loads(json.dumps(value, default=str))


def _error(
    unit: SuiteUnit, expectation: ExpectationDef, message: str, kwargs: dict | None = None
) -> Outcome:
    text = " ".join(message.split())  # one line, whatever GX's message looked like
    return Outcome(
        unit=unit, expectation=expectation, status="error", kwargs=kwargs or {}, error=text[:500]
    )


def _errors(unit: SuiteUnit, expectations: Iterable[ExpectationDef], message: str) -> list[Outcome]:
    return [_error(unit, e, message) for e in expectations]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


@dataclass(frozen=True)
class StoredValidation:
    """GX's result of one suite unit, as kept in ``audit.quality_validations``."""

    suite: str
    label: str
    checked_at: datetime
    result: dict[str, Any]


def build_data_docs(
    target: Path, run_id: str, suites: Sequence[Suite], validations: Sequence[StoredValidation]
) -> Path:
    """Render the Data Docs of RUN_ID's validations into TARGET (replaced as a whole: built
    beside it, then swapped in). Returns the index page."""
    from great_expectations.core import ExpectationSuite
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResultSchema,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    context = _gx_context()
    context.add_data_docs_site(
        DOCS_SITE,
        {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(building),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    for suite in suites:
        expectations = []
        for expectation in suite.expectations:
            try:
                expectations.append(build_expectation(expectation))
            except Exception:  # reported as an engine error by the check itself
                continue
        context.suites.add(
            ExpectationSuite(
                name=suite.name, expectations=expectations, notes=suite.document.get("notes")
            )
        )
    schema = ExpectationSuiteValidationResultSchema()
    for stored in validations:
        run = RunIdentifier(run_name=run_id, run_time=stored.checked_at)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=stored.suite),
            run_id=run,
            batch_identifier=stored.label,
        )
        result = schema.load(stored.result)
        result.meta["run_id"] = run  # the pages show the Dagster run and the time of the check
        context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=[DOCS_SITE])
    _replace_dir(building, target)
    return target / "index.html"


def _replace_dir(new: Path, target: Path) -> None:
    """Put folder NEW in TARGET's place; readers see the old or the new site, briefly none."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
