"""The committee scorecard of a small-scale run (the ``small`` fixture, as of the truth's
cutoff, 2026-11-20): KPI values against the truth and the marts that define them, status
rules, and figures that do not drift once a month is closed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from smarketing.config import load_config
from tests.truth import truth_connection

LATE_MONTH = date(2026, 10, 1)


def kpis(warehouse: Path, table: str = "fct_committee_kpis") -> dict[tuple[date, str], tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            (month, kpi): rest
            for month, kpi, *rest in con.execute(
                f"select period_month, kpi, kpi_value, status from marts.{table}"
            ).fetchall()
        }
    finally:
        con.close()


@pytest.fixture
def con(small: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = truth_connection(
        small["root"], {"truth_sla": "sla_outcomes.csv", "truth_cycles": "lead_cycles.csv"}
    )
    yield connection
    connection.close()


def test_every_followed_kpi_every_month(con) -> None:
    followed = set(load_config(None).committee.kpis)
    rows = con.execute(
        "select period_month, list(kpi order by kpi) from marts.fct_committee_kpis group by 1"
    ).fetchall()
    assert len(rows) > 20
    assert all(set(kpis_of_month) == followed for _, kpis_of_month in rows)
    last = max(month for month, _ in rows)
    assert last == date(2026, 11, 1)


def test_sla_compliance_and_conversion_equal_the_truth(con) -> None:
    expected = dict(
        con.execute(
            """
            select cast(date_trunc('month', timezone('Europe/Paris',
                    cast(handoff_at as timestamptz))) as date),
                round(count(case when outcome = 'met' then 1 end)
                    / count(case when outcome <> 'pending' then 1 end), 4)
            from truth_sla group by 1
            """
        ).fetchall()
    )
    got = dict(
        con.execute(
            "select period_month, kpi_value from marts.fct_committee_kpis "
            "where kpi = 'sla_compliance' and kpi_value is not null"
        ).fetchall()
    )
    assert got == expected

    def month_counts(stage: str) -> dict[date, int]:
        return dict(
            con.execute(
                f"select cast(date_trunc('month', timezone('Europe/Paris', "
                f"cast({stage}_at as timestamptz))) as date), count(*) from truth_cycles "
                f"where {stage}_at <> '' group by 1"
            ).fetchall()
        )

    mqls, sqls = month_counts("mql"), month_counts("sql")
    rates = dict(
        con.execute(
            "select period_month, kpi_value from marts.fct_committee_kpis "
            "where kpi = 'mql_to_sql_rate' and kpi_value is not null"
        ).fetchall()
    )
    assert rates == {month: round(sqls.get(month, 0) / count, 4) for month, count in mqls.items()}


def test_status_follows_the_target_rules(con) -> None:
    config = load_config(None).committee.kpis
    rows = con.execute(
        "select kpi, kpi_value, status, previous_value, change from marts.fct_committee_kpis"
    ).fetchall()
    statuses = set()
    for kpi, value, status, previous, change in rows:
        if value is None:
            assert status is None
            continue
        rule = config[kpi]
        miss = rule.target - value if rule.better == "higher" else value - rule.target
        expected = (
            "on_track" if miss <= 0 else "at_risk" if miss <= rule.at_risk_margin else "off_track"
        )
        assert status == expected, (kpi, value)
        statuses.add(status)
        if previous is not None:
            assert change == pytest.approx(value - previous, abs=1e-4)
    assert statuses == {"on_track", "at_risk", "off_track"}


def test_closed_months_are_frozen_as_the_committee_saw_them(small: dict) -> None:
    warehouse = small["root"] / "warehouse.duckdb"
    live, frozen = kpis(warehouse), kpis(warehouse, "fct_committee_kpi_snapshots")
    # as of 2026-11-20, October closed on its 5th working day (6 November), November is open
    months = {month for month, _ in frozen}
    assert max(months) == date(2026, 10, 1)
    assert len(months) > 20
    assert {key: live[key] for key in frozen} == frozen


@pytest.fixture(scope="module")
def late(redelivery: dict) -> Path:
    """The small warehouse after a late delivery (``tests/redelivery.py``): HubSpot contacts
    who became MQLs in October, a closed month, arrive after it was frozen."""
    corrected = redelivery["corrected"]
    assert corrected["returncode"] == 0, corrected["stdout"][-3000:] + corrected["stderr"][-3000:]
    return redelivery["root"] / "warehouse.duckdb"


def test_late_data_moves_live_figures_not_frozen_ones(small: dict, late: Path) -> None:
    before_live = kpis(small["root"] / "warehouse.duckdb")
    frozen_before = kpis(small["root"] / "warehouse.duckdb", "fct_committee_kpi_snapshots")
    live, frozen = kpis(late), kpis(late, "fct_committee_kpi_snapshots")
    key = (LATE_MONTH, "mql_volume_attainment")
    assert live[key] != before_live[key]
    assert frozen == frozen_before  # nothing frozen was rewritten
    con = duckdb.connect(str(late), read_only=True)
    try:
        revisions = con.execute(
            "select kpi, frozen_value, live_value, difference from "
            "marts.fct_committee_kpi_revisions where is_revised and period_month = ?",
            [LATE_MONTH],
        ).fetchall()
        unrevised_elsewhere = con.execute(
            "select count(*) from marts.fct_committee_kpi_revisions "
            "where is_revised and period_month < ?",
            [LATE_MONTH],
        ).fetchone()[0]
    finally:
        con.close()
    revised = {
        kpi: (frozen_value, live_value, diff) for kpi, frozen_value, live_value, diff in revisions
    }
    assert "mql_volume_attainment" in revised
    frozen_value, live_value, diff = revised["mql_volume_attainment"]
    assert live_value > frozen_value and diff == pytest.approx(live_value - frozen_value)
    assert unrevised_elsewhere == 0


def test_a_month_closed_by_command_is_frozen(late: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "smarketing.cli", "committee", "close", "2026-11"],
        env={**os.environ, "SMARKETING_WAREHOUSE": str(late)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(late), read_only=True)
    try:
        closed_by = con.execute(
            "select distinct closed_by from marts.fct_committee_kpi_snapshots "
            "where period_month = date '2026-11-01'"
        ).fetchall()
    finally:
        con.close()
    assert closed_by == [("command",)]
    bad = subprocess.run(
        [sys.executable, "-m", "smarketing.cli", "committee", "close", "2026-13"],
        env={**os.environ, "SMARKETING_WAREHOUSE": str(late)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode != 0 and "not a month" in bad.stderr
