"""The marts' column names follow one convention (dbt/models/marts/README.md), checked on the
tables the small run built."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

MARTS = REPO / "dbt" / "models" / "marts"
INTEGER = {"BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "TINYINT"}
# the number of a person's funnel cycle (fct_lead_funnel.cycle, the first touch's)
CYCLE = re.compile(r"(^|_)cycle$")
RETIRED = re.compile(r"(_per_|_leads$|(completeness|compliance|coverage|accuracy|attainment)$)")


@pytest.fixture(scope="module")
def columns(small: dict) -> list[tuple[str, str, str]]:
    con = duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()


def test_counts_months_and_days_are_named_by_the_convention(columns) -> None:
    wrong = []
    for table, column, kind in columns:
        if kind in INTEGER and not (
            column.endswith(("_count", "_order", "_rank")) or CYCLE.search(column)
        ):
            wrong.append(f"{table}.{column} ({kind}): a count is …_count")
        if column.endswith("_month") and kind != "DATE":
            wrong.append(f"{table}.{column} ({kind}): a …_month column is a date")
        if kind == "DATE" and not (column.endswith(("_month", "_date")) or column == "day"):
            wrong.append(f"{table}.{column}: a date column is …_month or …_date")
        if RETIRED.search(column):
            wrong.append(f"{table}.{column}: shares end in _rate or _share, counts in _count")
    assert not wrong, wrong


def test_months_are_first_days(small: dict, columns) -> None:
    con = duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True)
    try:
        for table, column, _ in columns:
            if column.endswith("_month"):
                off = con.execute(
                    f"select count(*) from marts.{table} where day({column}) <> 1"
                ).fetchone()
                assert off == (0,), f"{table}.{column}"
    finally:
        con.close()


def test_every_table_with_shares_tests_them(columns) -> None:
    tables = {t for t, c, _ in columns if c.endswith(("_rate", "_share"))}
    assert tables
    for table in sorted(tables):
        (yml,) = MARTS.rglob(f"{table}.yml")
        assert "shares_between_0_and_1" in yml.read_text(encoding="utf-8"), yml
    decimals = {(t, c, k) for t, c, k in columns if c.endswith(("_rate", "_share", "_ratio"))}
    assert all(k == "DOUBLE" or k.startswith("DECIMAL") for _, _, k in decimals), decimals


def test_the_convention_is_documented_once() -> None:
    readme = (MARTS / "README.md").read_text(encoding="utf-8")
    for suffix in ("_month", "_count", "_rate", "_share", "_ratio"):
        assert f"`…{suffix}`" in readme
    assert "dbt/models/marts/README.md" in (REPO / "README.md").read_text(encoding="utf-8")
