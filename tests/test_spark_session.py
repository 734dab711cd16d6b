"""The Spark settings of this process's session and the suites' queries on Spark, checked
without Spark: the settings are the dbt profile's, rendered as dbt renders them."""

from __future__ import annotations

import pytest

from smarketing.quality.suites import load_suites
from smarketing.spark.quality import spark_sql
from smarketing.spark.session import profile_conf


def test_the_session_settings_are_the_profiles_rendered_with_the_environment() -> None:
    conf = profile_conf({"SMARKETING_SPARK_HOME": "/lake/home", "SMARKETING_SPARK_CORES": "3"})
    assert conf["spark.master"] == "local[3]"
    assert conf["spark.sql.shuffle.partitions"] == "3"
    assert conf["spark.sql.warehouse.dir"] == "/lake/home/tables"
    assert conf["spark.hadoop.javax.jdo.option.ConnectionURL"] == (
        "jdbc:derby:;databaseName=/lake/home/metastore;create=true"
    )
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.driver.memory"] == "4g"  # the profile's default
    assert not [value for value in conf.values() if "{" in value]


def test_every_suite_query_translates_to_one_spark_statement() -> None:
    queries = [unit for suite in load_suites() for unit in suite.units() if unit.sql]
    assert len(queries) > 10
    for unit in queries:
        assert spark_sql(unit.sql).upper().lstrip().startswith(("SELECT", "WITH", "/*")), unit.label
    # DuckDB's spellings become Spark's
    assert spark_sql("select count(*) filter (where x) from t") == (
        "SELECT COUNT(*) FILTER(WHERE x) FROM t"
    )
    assert spark_sql("select trim(x, ' ' || chr(160)) from t") == (
        "SELECT TRIM(' ' || CHR(160) FROM x) FROM t"
    )
    with pytest.raises(ValueError, match="one statement"):
        spark_sql("select 1; select 2")


def test_splink_on_spark_refuses_sqlglots_compiled_build_which_the_lock_leaves_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import duckdb
    from sqlglot import tokens

    from smarketing.identity.backend import SparkSplink

    # installed as locked: plain Python, whose dialects Splink's Spark backend subclasses
    assert not tokens.SQLGLOTC_INSTALLED
    monkeypatch.setattr(tokens, "SQLGLOTC_INSTALLED", True)  # an environment synced by hand
    with pytest.raises(RuntimeError, match=r"sqlglotc.*uv sync --extra spark"):
        SparkSplink(duckdb.connect(), spark=None)  # type: ignore[arg-type]
