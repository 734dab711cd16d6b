"""Where Splink computes: the candidate pairs, the model's training and the scores.

The identity resolution works in a DuckDB database (its records, links, clusters and ids).
Splink's part, which grows with the pairs and not with the records, runs on DuckDB in that
same database (``DuckDBSplink``) or on Spark (``SparkSplink``: the records handed to Spark,
the scored pairs and term frequencies read back).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
from splink import DuckDBAPI

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from splink.internals.database_api import DatabaseAPI
    from splink.internals.splink_dataframe import SplinkDataFrame


class SplinkBackend(Protocol):
    """Splink's database, and the moves of tables between it and the work database."""

    def api(self) -> DatabaseAPI: ...

    def register(self, table: str, *, as_name: str | None = None) -> SplinkDataFrame:
        """The work database's TABLE, as a table of Splink's database (named AS_NAME where
        that database keeps the work database's names)."""
        ...

    def fetch(self, frame: SplinkDataFrame, into: str, columns: Sequence[str] = ()) -> None:
        """Splink's FRAME (its COLUMNS, all by default) as the work database's INTO; ``drop``
        ends it."""
        ...

    def drop(self, into: str) -> None: ...


class DuckDBSplink:
    """Splink on the work database itself: tables are shared, nothing is moved."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._api = DuckDBAPI(con)

    def api(self) -> DuckDBAPI:
        return self._api

    def register(self, table: str, *, as_name: str | None = None) -> SplinkDataFrame:
        return self._api.register(table, table_name=as_name)

    def fetch(self, frame: SplinkDataFrame, into: str, columns: Sequence[str] = ()) -> None:
        selected = ", ".join(columns) or "*"
        self.con.execute(
            f"create or replace temp view {into} as select {selected} from {frame.physical_name}"
        )

    def drop(self, into: str) -> None:
        self.con.execute(f"drop view if exists {into}")


class SparkSplink:
    """Splink on Spark: the records go to Spark as Arrow, the scored pairs (and the term
    frequencies a trained model keeps) come back as Arrow."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spark: SparkSession) -> None:
        from sqlglot import tokens

        if tokens.SQLGLOTC_INSTALLED:  # Splink's Spark dialect would fail on its first query
            raise RuntimeError(
                "sqlglot's compiled build (sqlglotc) is installed, and Splink's Spark backend "
                "cannot run with it; the lock leaves it out: `uv sync --extra spark` (without "
                "--inexact) removes it"
            )
        from splink import SparkAPI

        self.con = con
        self.spark = spark
        # lineage broken by persisting: a local Spark has no checkpoint folder to write to
        self._api = SparkAPI(spark_session=spark, break_lineage_method="persist")

    def api(self) -> DatabaseAPI:
        return self._api

    def register(self, table: str, *, as_name: str | None = None) -> SplinkDataFrame:
        # a name of Splink's making: it may replace a view of an earlier resolution
        frame = self.spark.createDataFrame(self.con.table(table).to_arrow_table())
        return self._api.register(frame)

    def fetch(self, frame: SplinkDataFrame, into: str, columns: Sequence[str] = ()) -> None:
        spark_frame = frame.as_spark_dataframe()
        if columns:
            spark_frame = spark_frame.select(*columns)
        rows: Any = spark_frame.toArrow()
        self.con.register(f"{into}__arrow", rows)
        self.con.execute(f"create or replace temp table {into} as select * from {into}__arrow")
        self.con.unregister(f"{into}__arrow")

    def drop(self, into: str) -> None:
        self.con.execute(f"drop table if exists {into}")
