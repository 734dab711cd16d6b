"""What a finished stage built: rows per table, and dbt's per-node results."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from smarketing_tools.bench.measure import SubRow

SYSTEM_SCHEMAS = ("raw", "audit", "information_schema", "pg_catalog")
PASSED = ("pass", "success")


def _relations(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    found = con.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "order by table_name",
        [schema],
    ).fetchall()
    return [name for (name,) in found]


def _count(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> int:
    found = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
    return int(found[0]) if found else 0


def raw_table_rows(database: Path) -> list[SubRow]:
    """Rows per raw table, with the files and rejected rows of the load audit."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        audit = {
            table: (files, rejected, seconds)
            for table, files, rejected, seconds in con.execute(
                "select raw_table, count(*), sum(rows_rejected), "
                "sum(epoch(finished_at) - epoch(started_at)) "
                "from audit.load_audit where raw_table is not null group by raw_table"
            ).fetchall()
        }
        rows = []
        for table in _relations(con, "raw"):
            n = _count(con, "raw", table)
            files, rejected, seconds = audit.get(table, (0, 0, None))
            if n or files:
                rows.append(
                    SubRow(
                        name=f"raw.{table}",
                        status="loaded",
                        seconds=seconds,
                        rows=n,
                        note=f"{files} file(s), {int(rejected or 0):,} rejected",
                    )
                )
        return rows
    finally:
        con.close()


def schema_rows(schema: str) -> Callable[[Path], list[SubRow]]:
    """Rows of every table and view of a schema (views are counted by running them)."""

    def count(database: Path) -> list[SubRow]:
        con = duckdb.connect(str(database), read_only=True)
        try:
            return [
                SubRow(name=f"{schema}.{name}", rows=_count(con, schema, name))
                for name in _relations(con, schema)
            ]
        finally:
            con.close()

    return count


def built_relation_rows(database: Path) -> dict[str, int]:
    """``schema.name`` → rows, for every relation outside the raw and audit schemas."""
    if not database.exists():
        return {}
    con = duckdb.connect(str(database), read_only=True)
    try:
        placeholders = ", ".join("?" for _ in SYSTEM_SCHEMAS)
        schemas = con.execute(
            "select distinct table_schema from information_schema.tables "
            f"where table_schema not in ({placeholders}) order by 1",
            list(SYSTEM_SCHEMAS),
        ).fetchall()
        return {
            f"{schema}.{name}": _count(con, schema, name)
            for (schema,) in schemas
            for name in _relations(con, schema)
        }
    finally:
        con.close()


def _relation(node: Mapping[str, Any], rows_by_relation: Mapping[str, int]) -> str:
    relation = (node.get("relation_name") or "").replace('"', "")
    if relation:
        return ".".join(relation.split(".")[-2:])
    name = node["unique_id"].rsplit(".", 1)[-1]
    return next((key for key in rows_by_relation if key.endswith(f".{name}")), name)


def dbt_nodes(run_results: Path, rows_by_relation: Mapping[str, int]) -> list[SubRow]:
    """A row per model, seed and snapshot of ``run_results.json``, then the tests summed up
    in one row, then every test that did not pass."""
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    rows: list[SubRow] = []
    tests = [node for node in results if node["unique_id"].startswith(("test.", "unit_test."))]
    for node in results:
        kind = node["unique_id"].split(".", 1)[0]
        if kind in ("test", "unit_test"):
            continue
        relation = _relation(node, rows_by_relation)
        rows.append(
            SubRow(
                name=relation,
                status=node["status"],
                seconds=node.get("execution_time"),
                rows=rows_by_relation.get(relation),
                note=kind,
            )
        )
    if tests:
        statuses: dict[str, int] = {}
        for node in tests:
            statuses[node["status"]] = statuses.get(node["status"], 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        rows.append(
            SubRow(
                name=f"{len(tests)} data and unit tests",
                status=summary,
                seconds=sum(node.get("execution_time") or 0 for node in tests),
                note="test",
            )
        )
        rows += [
            SubRow(
                name=node["unique_id"].split(".")[2],
                status=node["status"],
                seconds=node.get("execution_time"),
                rows=node.get("failures"),
                note=node.get("message") or "",
            )
            for node in tests
            if node["status"] not in PASSED
        ]
    return rows


def dbt_elapsed(run_results: Path) -> float | None:
    """dbt's own run time (after start-up and parsing)."""
    value = json.loads(run_results.read_text(encoding="utf-8")).get("elapsed_time")
    return float(value) if value is not None else None
