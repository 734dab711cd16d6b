"""The identity resolution of a Spark build, its Splink part on Spark.

The resolution reads the person records and their links that dbt built on Spark (Parquet
folders of Spark's warehouse), works in a DuckDB file of its own beside them
(``<home>/resolution.duckdb``) and writes the ``identity`` tables there, for the lake. Splink's
candidate pairs, training and scores run on Spark (``smarketing.identity.backend``). The ids
stay the warehouse's: its registry of ids and its lookup of parsed phones are copied in; its
kept match model is not, so the model is trained on Spark and every candidate pair scored.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from smarketing.identity.resolve import (
    PLACEHOLDERS,
    SOURCE_LINKS,
    SOURCE_RECORDS,
    WAREHOUSE,
    Progress,
    Resolution,
    resolve_identities,
)
from smarketing.identity.tables import PHONE_NUMBERS, REGISTRY, SCHEMA
from smarketing.spark.lake import LakeTable, export_inputs
from smarketing.spark.session import local_session

KEPT = (REGISTRY, PHONE_NUMBERS)
"""What a Spark build keeps of the warehouse's identity state: ids and parsed phones."""
READ = (SOURCE_RECORDS, SOURCE_LINKS, PLACEHOLDERS)


def resolve_on_spark(
    warehouse: Path, home: Path, now: datetime, progress: Progress
) -> tuple[Resolution, list[LakeTable]]:
    """Resolve the people of the tables built in HOME's Spark warehouse, with WAREHOUSE's
    registry of ids, as of NOW; the ``identity`` tables written to HOME's lake."""
    work = home / "resolution.duckdb"
    work.unlink(missing_ok=True)
    con = duckdb.connect(str(work))
    try:
        con.execute(f"attach '{_text(warehouse)}' as source (read_only)")
        con.execute(f"create schema {SCHEMA}")
        present = {
            f"{schema}.{table}"
            for schema, table in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'source'"
            ).fetchall()
        }
        for table in KEPT:
            if table in present:
                con.execute(f"create table {table} as select * from source.{table}")
        con.execute("detach source")
        for name in READ:
            schema, table = name.removeprefix(f"{WAREHOUSE}.").split(".")
            folder = home / "tables" / f"{schema}.db" / table
            con.execute(f"create schema if not exists {schema}")
            con.execute(
                f"create view {schema}.{table} as "
                f"select * from read_parquet('{_text(folder)}/*.parquet')"
            )
    finally:
        con.close()
    spark = local_session(home)
    result = resolve_identities(work, progress=progress, now=now, spark=spark)
    con = duckdb.connect(str(work), read_only=True)
    try:
        return result, export_inputs(con, home / "lake", (SCHEMA,))
    finally:
        con.close()


def _text(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
