"""The Great Expectations suites on Spark dataframes: the checks of a Spark build.

Each suite unit's dataset is read by Spark (a table's columns the expectations read, or the
suite's query, written in DuckDB's dialect and translated to Spark's by sqlglot) and validated
with GX's Spark data source: GX computes its metrics in Spark, nothing is collected but the
results. The outcomes are the DuckDB checks' (``smarketing.quality.engine``): passed, failed
with the file and row of each sampled failing value, or an engine error.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlglot

from smarketing.quality.engine import (
    RESULT_FORMAT,
    ROW_COLUMNS,
    _errors,
    _first_line,
    dataset_columns,
    validate_batch,
)
from smarketing.quality.history import results_quality
from smarketing.quality.results import UnitResult
from smarketing.quality.suites import SuiteUnit

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext
    from pyspark.sql import DataFrame, SparkSession

SOURCE = "spark"
_assets = itertools.count()


def spark_sql(query: str) -> str:
    """QUERY (a suite's query, DuckDB's dialect) in Spark's dialect."""
    statements = sqlglot.transpile(query, read="duckdb", write="spark")
    if len(statements) != 1:
        raise ValueError(f"a suite's query is one statement, not {len(statements)}")
    return statements[0]


def read_dataset(spark: SparkSession, unit: SuiteUnit) -> DataFrame:
    """UNIT's query, or the columns of its table the expectations read (with the file and row
    of each row, to show where a failing value is)."""
    if unit.sql is not None:
        return spark.sql(spark_sql(unit.sql))
    assert unit.table is not None
    frame = spark.table(unit.table)
    return frame.select(*[f"`{c}`" for c in dataset_columns(unit, frame.columns)])


def validate_unit(
    spark: SparkSession, unit: SuiteUnit, parameters: Mapping[str, Any]
) -> UnitResult:
    """UNIT's suite validated on its dataset in SPARK; a dataset Spark cannot read (missing
    table, a query it cannot run) makes every expectation an error."""
    checked_at = datetime.now(UTC)
    try:
        frame = read_dataset(spark, unit)
        frame.schema  # noqa: B018 - analysed now: a missing table or column fails here
    except Exception as exc:  # Spark's analysis errors, sqlglot's parse errors
        message = f"cannot read the dataset ({_first_line(exc)})"
        return UnitResult(unit, _errors(unit, unit.suite.expectations, message), checked_at)

    def batch(context: AbstractDataContext) -> Any:
        source = context.data_sources.add_or_update_spark(SOURCE)
        asset = source.add_dataframe_asset(name=f"{unit.label}_{next(_assets)}")
        whole = asset.add_batch_definition_whole_dataframe("whole")
        return whole.get_batch(batch_parameters={"dataframe": frame})

    located = [c for c in ROW_COLUMNS if c in frame.columns]
    result_format = dict(RESULT_FORMAT)
    if len(located) == len(ROW_COLUMNS):
        result_format["unexpected_index_column_names"] = located
    return validate_batch(batch, unit, parameters, checked_at, result_format=result_format)


def run_checks(
    spark: SparkSession, units: Sequence[SuiteUnit], parameters: Mapping[str, Any]
) -> list[UnitResult]:
    """Every one of UNITS validated on SPARK's tables."""
    return [validate_unit(spark, unit, parameters) for unit in units]


def check_build(home: Path, echo: Callable[[str], None] | None = None) -> list[UnitResult]:
    """Every suite of ``expectations/`` validated on the tables of the Spark build in HOME."""
    from smarketing.quality.parameters import suite_parameters
    from smarketing.quality.suites import load_suites
    from smarketing.spark.session import local_session, register_tables

    units = [unit for suite in load_suites() for unit in suite.units()]
    if echo is not None:
        echo(f"Checking {len(units)} datasets on Spark …")
    spark = local_session(home)
    try:
        register_tables(spark, home)
        return run_checks(spark, units, suite_parameters())
    finally:
        spark.stop()


def summary(results: Sequence[UnitResult]) -> list[str]:
    """The checks' counts, then every expectation not passed (engine errors and blocking
    failures first), as ``smarketing run`` prints them."""
    return results_quality(results).lines("Quality checks on Spark (Great Expectations)")
