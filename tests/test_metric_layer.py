"""The metric layer: MetricFlow's `mf query`, as the README shows it, on the published shared
copy of the small run, gives the marts' figures (the dashboard reads those marts)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from dagster_project.lib.dbt_project import dbt_vars
from smarketing.config import load_config
from smarketing.config.tables import write_tables
from smarketing.metrics.queries import monthly_queries, write_queries
from tests.conftest import REPO, dbt_build, rows

# the marts round shares to 4 decimals
ROUNDING = 5e-5


def mf_query(small: dict, metrics: list[str], group_by: list[str], out: Path) -> list[dict]:
    """`mf query … --csv OUT` from dbt/ against the small run's shared copy, as an analyst
    runs it (README, "The metric layer")."""
    root = small["root"]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO / "dbt" / "metrics"),
        "SMARKETING_SERVING": str(root / "serving.duckdb"),
        "SMARKETING_WAREHOUSE": str(root / "warehouse.duckdb"),
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("mf")),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            ",".join(group_by),
            "--csv",
            str(out),
        ],
        cwd=REPO / "dbt",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0 and out.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mart(small: dict, sql: str) -> list[tuple]:
    """SQL's rows in the small run's shared copy."""
    return rows(small["root"] / "serving.duckdb", sql)


def month(value: str) -> date:
    return date.fromisoformat(value[:10])


def number(value: str) -> float | None:
    return None if value == "" else float(value)


def same_share(got: float | None, expected: float | None) -> bool:
    if expected is None:
        return got is None or got == 0  # nothing to divide: the mart says empty
    return got is not None and abs(got - expected) <= ROUNDING


@pytest.fixture(scope="module")
def by_segment(small: dict, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    return mf_query(
        small,
        ["mql_count", "sql_count", "mql_to_sql_rate"],
        ["metric_time__month", "lead__segment"],
        tmp_path_factory.mktemp("mf") / "by_segment.csv",
    )


def test_mql_to_sql_rate_by_month_and_segment_equals_the_funnel_mart(
    small: dict, by_segment: list[dict]
) -> None:
    expected = {
        (period, segment): (mqls, sqls, rate)
        for period, segment, mqls, sqls, rate in mart(
            small,
            "select period_month, segment, mql_count, sql_count, mql_to_sql_rate"
            " from marts.fct_funnel_periods where segment <> '(all)' and channel = '(all)'"
            " and campaign_name = '(all)' and offer = '(all)' and team = '(all)'",
        )
    }
    got = {
        (month(row["metric_time__month"]), row["lead__segment"] or "(unknown)"): row
        for row in by_segment
    }
    with_mqls = {key for key, (mqls, _, _) in expected.items() if mqls}
    assert with_mqls and with_mqls <= got.keys()
    for key, (mqls, sqls, rate) in expected.items():
        row = got.get(key)
        if row is None:  # a month where this segment entered no stage counted here
            assert mqls == 0 and sqls == 0, key
            continue
        assert (int(row["mql_count"]), int(row["sql_count"])) == (mqls, sqls), key
        assert same_share(number(row["mql_to_sql_rate"]), rate), (key, row, rate)


def test_every_committee_kpi_is_a_metric_giving_the_kpi_marts_values(
    small: dict, tmp_path: Path
) -> None:
    kpis = list(load_config(REPO / "smarketing.yml").committee.kpis)
    manifest = json.loads((REPO / "dbt" / "target" / "semantic_manifest.json").read_text())
    assert set(kpis) <= {metric["name"] for metric in manifest["metrics"]}
    rows = mf_query(small, kpis, ["metric_time__month"], tmp_path / "kpis.csv")
    metric = {
        (month(row["metric_time__month"]), kpi): number(row[kpi]) for row in rows for kpi in kpis
    }
    values = mart(small, "select period_month, kpi, kpi_value, unit from marts.fct_committee_kpis")
    assert {kpi for _, kpi, value, _ in values if value is not None} == set(kpis)
    for period, kpi, value, unit in values:
        got = metric.get((period, kpi))
        if unit == "days":  # a median of durations rounded to 2 decimals, of rounded values
            assert (value is None and got is None) or abs(got - value) <= 0.011, (period, kpi)
        else:
            assert same_share(got, value), (period, kpi, got, value)


def test_a_cycle_breakdown_and_the_win_rate(small: dict, tmp_path: Path) -> None:
    rows = mf_query(
        small,
        ["won_count", "lost_count", "win_rate"],
        ["metric_time__month", "lead_cycle__team"],
        tmp_path / "by_team.csv",
    )
    got = {
        (month(row["metric_time__month"]), row["lead_cycle__team"] or "(unknown)"): row
        for row in rows
    }
    expected = mart(
        small,
        "select period_month, team, won_count, lost_count, win_rate"
        " from marts.fct_funnel_periods where team <> '(all)' and segment = '(all)'"
        " and channel = '(all)' and campaign_name = '(all)' and offer = '(all)'"
        " and won_count + lost_count > 0",
    )
    assert expected
    for period, team, won, lost, rate in expected:
        row = got[(period, team)]
        assert (int(row["won_count"]), int(row["lost_count"])) == (won, lost), (period, team)
        assert same_share(number(row["win_rate"]), rate), (period, team, row, rate)


def test_the_kpi_values_wait_for_every_mart_the_metric_layer_reads(small: dict) -> None:
    # the small run parsed the project (dbt/target)
    semantic = json.loads((REPO / "dbt" / "target" / "semantic_manifest.json").read_text())
    read = {model["node_relation"]["alias"] for model in semantic["semantic_models"]}
    manifest = json.loads((REPO / "dbt" / "target" / "manifest.json").read_text())
    node = manifest["nodes"]["model.smarketing.int_committee_kpi_values"]
    parents = node["depends_on"]["nodes"]
    assert read | {"dim_days"} <= {parent.split(".")[-1] for parent in parents}


def test_a_kpi_added_to_the_registry_is_in_the_kpi_mart_with_no_model_change(
    small: dict, tmp_path: Path
) -> None:
    """One registry entry (routing accuracy, an existing metric), the definition written as a
    run writes it, the KPI mart rebuilt: the new KPI has its metric's values every month."""
    data = yaml.safe_load((REPO / "smarketing.yml").read_text(encoding="utf-8"))
    data["committee"]["kpis"]["routing_accuracy_kpi"] = {
        "label": {"fr": "Routage juste", "en": "Routing accuracy"},
        "description": "hand-offs routed to the team the rules expect",
        "unit": "share",
        "metric": "routing_accuracy",
        "target": 0.9,
        "better": "higher",
        "at_risk_margin": 0.05,
    }
    config_path = tmp_path / "smarketing.yml"
    config_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small["root"] / "warehouse.duckdb", warehouse)
    config = load_config(config_path)
    metrics = config.committee.metrics()
    queries = monthly_queries(REPO / "dbt" / "target" / "semantic_manifest.json", metrics)
    con = duckdb.connect(str(warehouse))
    try:
        write_tables(con, config, config_path)
        write_queries(con, metrics, queries, REPO / "dbt" / "target" / "semantic_manifest.json")
    finally:
        con.close()
    result = dbt_build(
        warehouse, ["int_committee_kpi_values", "fct_committee_kpis"], dbt_vars(), tmp_path
    )
    assert result.returncode == 0, result.stdout[-4000:]
    added = rows(
        warehouse,
        "select period_month, kpi_value, label_en, display_order from marts.fct_committee_kpis"
        " where kpi = 'routing_accuracy_kpi' and kpi_value is not null",
    )
    expected = dict(
        rows(
            warehouse,
            "select handoff_month, routing_accuracy_rate from marts.fct_sla_compliance"
            " where segment = '(all)' and channel = '(all)' and team = '(all)'"
            " and owner_id = '(all)'",
        )
    )
    assert added and {row[2:] for row in added} == {("Routing accuracy", len(metrics))}
    for period, value, _, _ in added:
        assert same_share(value, expected[period]), (period, value, expected[period])
