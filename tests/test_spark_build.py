"""The same project on Spark gives the same tables.

The small run's inputs (its raw deliveries, load audit, definition and identity links) are
written to Parquet, and the seeds and models are built on a local Spark
(``smarketing.spark.build``: dbt-spark's session method, as of the run's instant); every
staging, intermediate and mart table is compared with the DuckDB build's, column types and
rows. The generator's truth tests then run on the Spark tables. The hand-made deliveries of
the real export shapes (``tests/handmade.py``) are built and compared the same way."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import tests.test_funnel_metrics as funnel_metrics
from dagster_project.lib.dbt_project import dbt_vars
from smarketing.quality import engine as duckdb_engine
from smarketing.quality.parameters import suite_parameters
from smarketing.quality.results import UnitResult
from smarketing.quality.suites import load_suites
from smarketing.spark import quality as spark_quality
from smarketing.spark.build import PARTS, build
from smarketing.spark.session import local_session, register_tables
from tests.test_engine_macros import require_spark
from tests.truth import truth_funnel_connection

# on its own worker (the small run is shared between workers), with `make test-spark`
pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.spark]

BUILT = ("staging", "intermediate", "marts")
# what differs by nature: the engine's own row hash (it says a lead's records changed, on the
# engine that wrote it) and the instant of the build
ENGINE_COLUMNS = {"records_fingerprint", "built_at", "frozen_at"}
SAMPLED = duckdb_engine.RESULT_FORMAT["partial_unexpected_count"]
# what each engine estimates from its own random sample (the match model's u, from random
# pairs): compared within TOLERANCE, by the table's key
ESTIMATED = {("marts", "bridge_lead_source_records", "match_probability"): "record_key"}
TOLERANCE = 0.01


def spark_build_of(run_root: Path, root: Path, variables: dict) -> dict:
    """The seeds and models built on Spark from the inputs of the run in RUN_ROOT (its
    warehouse copied to ROOT), with VARIABLES: the data tests ran on DuckDB, whose tables
    these must equal."""
    require_spark()
    warehouse = root / "duckdb.duckdb"
    shutil.copyfile(run_root / "warehouse.duckdb", warehouse)
    with pytest.MonkeyPatch.context() as patch:
        # small tables: compiling the staging's wide projections costs more than it saves
        patch.setenv("SMARKETING_SPARK_CODEGEN", "false")
        built = build(warehouse, root / "spark", variables, resource_types=("seed", "model"))
    results = built.run_results()
    if not results:
        pytest.fail(f"dbt did not run on Spark:\n{built.log.read_text()[-3000:]}")
    manifest = built.target / PARTS[0] / "manifest.json"
    return {
        "root": root,
        "duckdb": warehouse,
        "tables": built.tables,
        "build": built,
        "results": results,
        "manifest": json.loads(manifest.read_text(encoding="utf-8")),
    }


@pytest.fixture(scope="module")
def spark_build(small: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return spark_build_of(small["root"], tmp_path_factory.mktemp("spark"), dbt_vars())


@pytest.fixture(scope="module")
def spark_handmade(handmade: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The hand-made deliveries (the real export samples: Salesforce reports and Data Export,
    HubSpot UI exports, a Pipedrive export read through its mapping, placeholders) on Spark,
    with their own definition and mappings."""
    variables = dbt_vars(handmade["root"] / "smarketing.yml")
    return spark_build_of(handmade["root"], tmp_path_factory.mktemp("spark_handmade"), variables)


def test_every_model_builds_on_spark(spark_build: dict) -> None:
    assert spark_build["build"].returncode == 0, spark_build["build"].log.read_text()[-3000:]
    results = spark_build["results"]
    failed = [
        f"{r['unique_id']}: {r['status']} {r['message']}"
        for r in results
        if r["status"] not in ("success", "pass")
    ]
    assert not failed, "\n".join(failed[:20])
    built = {r["unique_id"] for r in results if r["unique_id"].startswith("model.")}
    assert built == {k for k in spark_build["manifest"]["nodes"] if k.startswith("model.")}
    assert len(built) > 60


def family(data_type: str) -> str:
    """The kind of a column's DuckDB type, as both engines can give it (DuckDB sums integers
    into HUGEINT where Spark keeps BIGINT)."""
    name = data_type.upper()
    if name in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        return "integer"
    if name.startswith("DECIMAL"):
        return "decimal"
    return name


def columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"describe select * from {relation}").fetchall()}


def compare(con: duckdb.DuckDBPyConnection, schema: str, table: str, spark: Path) -> list[str]:
    """How SCHEMA.TABLE of the DuckDB build differs from Spark's (its Parquet folder in SPARK):
    missing or other columns, other types, rows only one of them holds."""
    folder = spark / f"{schema}.db" / table
    if not folder.is_dir():
        return [f"{schema}.{table}: not built on Spark"]
    spark_relation = f"read_parquet('{folder}/*.parquet')"
    ours, theirs = columns(con, f"{schema}.{table}"), columns(con, spark_relation)
    problems = []
    if set(ours) != set(theirs):
        problems.append(f"{schema}.{table}: columns {sorted(set(ours) ^ set(theirs))}")
    estimated = {c: key for (s, t, c), key in ESTIMATED.items() if (s, t) == (schema, table)}
    compared = [c for c in ours if c in theirs and c not in ENGINE_COLUMNS | set(estimated)]
    problems += [
        f"{schema}.{table}.{c}: {ours[c]} on DuckDB, {theirs[c]} on Spark"
        for c in compared
        if family(ours[c]) != family(theirs[c])
    ]
    select = ", ".join(f'cast("{c}" as varchar)' for c in compared)
    for first, second, side in [
        (f"{schema}.{table}", spark_relation, "DuckDB"),
        (spark_relation, f"{schema}.{table}", "Spark"),
    ]:
        extra = con.execute(
            f"select count(*) from (select {select} from {first}"
            f" except all select {select} from {second})"
        ).fetchone()[0]
        if extra:
            problems.append(f"{schema}.{table}: {extra} row(s) only on {side}")
    for column, key in estimated.items():
        apart = con.execute(
            f"select count(*) from {schema}.{table} as ours join {spark_relation} as theirs"
            f" using ({key}) where ours.{column} is distinct from theirs.{column}"
            f" and not abs(ours.{column} - theirs.{column}) <= {TOLERANCE}"
        ).fetchone()[0]
        if apart:
            problems.append(f"{schema}.{table}.{column}: {apart} value(s) {TOLERANCE} apart")
    return problems


def assert_same_tables(built: dict) -> None:
    """Every staging, intermediate and mart table of BUILT's DuckDB warehouse equals Spark's."""
    assert built["build"].returncode == 0, built["build"].log.read_text()[-3000:]
    con = duckdb.connect(str(built["duckdb"]), read_only=True)
    con.execute("set timezone = 'UTC'")
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_schema in (select unnest(?)) order by all",
        [list(BUILT)],
    ).fetchall()
    assert len(tables) > 60
    problems = [p for schema, table in tables for p in compare(con, schema, table, built["tables"])]
    con.close()
    assert not problems, "\n".join(problems)


def test_every_table_equals_the_duckdb_build_row_for_row(spark_build: dict) -> None:
    assert_same_tables(spark_build)


@pytest.mark.xdist_group("spark_handmade")  # beside the small run's build, on the other worker
def test_real_export_shapes_give_the_same_tables_on_spark(spark_handmade: dict) -> None:
    con = duckdb.connect(str(spark_handmade["duckdb"]), read_only=True)
    mapped = con.execute("select count(*) from staging.stg_mapped__persons").fetchone()[0]
    leads = con.execute("select count(*) from marts.dim_leads").fetchone()[0]
    con.close()
    assert mapped > 0 and leads > 0  # the mapped tool's people and the leads are there
    assert_same_tables(spark_handmade)


def test_the_identity_resolution_ran_on_spark_with_the_same_links(spark_build: dict) -> None:
    """Splink trained its model and scored every candidate pair on Spark (the warehouse's
    kept model is not taken): the same pairs linked by the same rules, the same ids, each
    probability within TOLERANCE of DuckDB's (u is estimated from each engine's own sample)."""
    resolution = spark_build["build"].resolution
    assert resolution is not None
    assert resolution.trained == "no model kept yet"
    assert resolution.candidate_pairs > 0 and resolution.probabilistic_links > 0
    lake = spark_build["build"].home / "lake" / "identity"
    con = duckdb.connect(str(spark_build["duckdb"]), read_only=True)
    try:
        matches = "select record_key_l, record_key_r, match_rule, match_probability from {}"
        ours = con.execute(matches.format("identity.person_matches")).fetchall()
        theirs = con.execute(
            matches.format(f"read_parquet('{lake}/person_matches/*.parquet')")
        ).fetchall()
        ids = "select record_key, unified_lead_id from {} order by all"
        same_ids = (
            con.execute(ids.format("identity.person_links")).fetchall()
            == con.execute(ids.format(f"read_parquet('{lake}/person_links/*.parquet')")).fetchall()
        )
    finally:
        con.close()
    assert {row[:3] for row in ours} == {row[:3] for row in theirs}
    assert sum(row[2] == "probabilistic" for row in theirs) == resolution.probabilistic_links
    probability = {row[:3]: row[3] for row in ours}
    assert all(abs(row[3] - probability[row[:3]]) <= TOLERANCE for row in theirs)
    assert same_ids


@pytest.fixture(scope="module")
def spark_truth(small: dict, spark_build: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    """The truth tests' connection, on a DuckDB file whose staging, intermediate and mart
    tables are views of Spark's tables, beside the small run's exports and truth."""
    root = spark_build["root"] / "spark_as_warehouse"
    root.mkdir()
    for folder in ("inbox", "truth"):
        (root / folder).symlink_to(small["root"] / folder)
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    for schema in BUILT:
        con.execute(f"create schema {schema}")
        for folder in sorted((spark_build["tables"] / f"{schema}.db").iterdir()):
            con.execute(
                f"create view {schema}.{folder.name} as"
                f" select * from read_parquet('{folder}/*.parquet')"
            )
    con.close()
    connection = truth_funnel_connection(root)
    yield connection
    connection.close()


@pytest.mark.parametrize(
    "truth_test",
    [
        funnel_metrics.test_cohort_conversion_equals_the_truth,
        funnel_metrics.test_period_conversion_equals_the_truth,
        funnel_metrics.test_sales_cycle_length_equals_the_truth,
        funnel_metrics.test_nurturing_share_equals_the_truth,
        funnel_metrics.test_segment_ranking_equals_the_truth,
    ],
    ids=lambda test: test.__name__,
)
def test_the_truth_tests_pass_on_spark(spark_truth: duckdb.DuckDBPyConnection, truth_test) -> None:
    truth_test(spark_truth)


def outcome_facts(result: UnitResult) -> dict[tuple[str, str], tuple]:
    """What each expectation of RESULT found, as both engines must find it: the failing rows
    shown when they are all shown (GX samples ten, each engine its own ten)."""
    return {
        (result.unit.label, o.expectation.name): (
            o.status,
            o.element_count,
            o.unexpected_count,
            o.error,
            sorted(o.unexpected_rows) if (o.unexpected_count or 0) <= SAMPLED else SAMPLED,
        )
        for o in result.outcomes
    }


def assert_same_checks(built: dict) -> dict[tuple[str, str], tuple]:
    """Every suite unit validated by GX on BUILT's Spark tables (Spark dataframes) passes,
    fails and counts as the same unit validated on its DuckDB build (pandas dataframes)."""
    units = [unit for suite in load_suites() for unit in suite.units()]
    parameters = suite_parameters()
    con = duckdb.connect(str(built["duckdb"]), read_only=True)
    try:
        on_duckdb = [duckdb_engine.validate_unit(con, unit, parameters) for unit in units]
    finally:
        con.close()
    spark = local_session(built["build"].home)
    try:
        register_tables(spark, built["build"].home)
        on_spark = spark_quality.run_checks(spark, units, parameters)
    finally:
        spark.stop()
    expected = {k: v for r in on_duckdb for k, v in outcome_facts(r).items()}
    found = {k: v for r in on_spark for k, v in outcome_facts(r).items()}
    assert len(expected) > 100
    assert not [k for k, v in expected.items() if v[0] == "error"]  # the DuckDB checks ran
    differences = [
        f"{k}: DuckDB {expected[k]}, Spark {found.get(k)}"
        for k in expected
        if found.get(k) != expected[k]
    ]
    assert not differences, "\n".join(differences)
    return expected


def test_the_checks_give_the_same_results_on_spark_dataframes(spark_build: dict) -> None:
    assert_same_checks(spark_build)


@pytest.mark.xdist_group("spark_handmade")
def test_the_checks_of_real_export_shapes_give_the_same_results_on_spark(
    spark_handmade: dict,
) -> None:
    facts = assert_same_checks(spark_handmade)
    # the messy samples fail checks, with the failing rows shown: those were compared too
    assert [k for k, v in facts.items() if v[0] == "failed" and isinstance(v[4], list) and v[4]]
