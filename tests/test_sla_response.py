"""The SLA's first-touch facts (``marts.fct_sla_lead_response``) of a small-scale run (the
``small`` fixture, built as of the truth's cutoff) against the generator's ground truth: every
hand-off of ``truth/sla_outcomes.csv`` with the same owner, team, first touch, business and
calendar hours and outcome. Also the business calendar the SQL counts with: the seed generated
from ``smarketing.yml`` and the macro ``business_hours_between`` against the generator's
Python implementation (``smarketing_tools.generator.business_hours``) on random spans."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.dbt_project import dbt_vars
from smarketing.config import load_config
from smarketing.config.calendar import (
    business_days_csv,
    sla_first_touch_limits_csv,
    working_days,
)
from smarketing.config.sla import BusinessHours, FirstTouch, PublicHolidays
from smarketing_tools.generator.business_hours import (
    DEFAULT_CALENDAR,
    PARIS,
    business_hours_between,
)
from tests.truth import truth_connection

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"

OUTCOMES = ("met", "breached", "pending", "breached_open")


@pytest.fixture
def con(small: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = truth_connection(small["root"], {"truth_sla": "sla_outcomes.csv"})
    yield connection
    connection.close()


# --- the mart against the truth ------------------------------------------------------------


def truth_rows(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(
        con.execute(
            """
            select person_id, cast(cycle as integer), cast(handoff_at as timestamptz),
                owner_id, owner_team, cast(nullif(first_touch_at, '') as timestamptz),
                cast(nullif(business_hours_to_first_touch, '') as decimal(10, 2)),
                cast(nullif(calendar_hours_to_first_touch, '') as decimal(10, 2)),
                outcome
            from truth_sla
            """
        ).fetchall()
    )


def mart_rows(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(
        con.execute(
            """
            select person_leads.person_id, sla.cycle, sla.handoff_at, sla.owner_id, sla.team,
                sla.first_touch_at,
                cast(sla.business_hours_to_first_touch as decimal(10, 2)),
                cast(sla.calendar_hours_to_first_touch as decimal(10, 2)),
                sla.outcome
            from marts.fct_sla_lead_response as sla
            join person_leads using (unified_lead_id)
            """
        ).fetchall()
    )


def test_every_handoff_equals_the_truth(con: duckdb.DuckDBPyConnection) -> None:
    truth, mart = truth_rows(con), mart_rows(con)
    assert len(truth) > 300
    assert mart - truth == set(), sorted(mart - truth)[:5]
    assert truth - mart == set(), sorted(truth - mart)[:5]


def test_every_handoff_is_a_persons_own(con: duckdb.DuckDBPyConnection) -> None:
    """A unified lead identity resolution split off its person never reaches Sales, so every
    hand-off belongs to the unified lead that opened a person's history."""
    orphans = con.execute(
        """
        select unified_lead_id, cycle from marts.fct_sla_lead_response
        where unified_lead_id not in (select unified_lead_id from person_leads)
        """
    ).fetchall()
    assert orphans == []


def test_every_outcome_occurs_as_in_the_truth(con: duckdb.DuckDBPyConnection) -> None:
    truth = dict(con.execute("select outcome, count(*) from truth_sla group by all").fetchall())
    mart = dict(
        con.execute(
            "select outcome, count(*) from marts.fct_sla_lead_response group by all"
        ).fetchall()
    )
    assert mart == truth
    assert set(truth) == set(OUTCOMES)


def test_untouched_handoffs_show_the_business_hours_elapsed(
    con: duckdb.DuckDBPyConnection, small: dict
) -> None:
    """Not touched: business hours from hand-off to the as-of instant (the truth's cutoff)."""
    cutoff = datetime.fromisoformat(
        json.loads((small["root"] / "truth" / "manifest.json").read_text())["cutoff"]
    )
    rows = con.execute(
        """
        select handoff_at, business_hours_elapsed, limit_business_hours, outcome_as_of
        from marts.fct_sla_lead_response
        where first_touch_at is null
        """
    ).fetchall()
    assert rows
    for handoff_at, elapsed, limit, as_of in rows:
        assert as_of == cutoff
        assert elapsed == round(business_hours_between(handoff_at, cutoff), 2)
        assert limit == 48


# --- the SQL business hours against the generator's ----------------------------------------


def compile_business_hours_sql(warehouse: Path, scratch: Path) -> str:
    """The SQL of ``{{ business_hours_between('pairs', ['pair_id'], 'start_at', 'end_at') }}``
    as dbt compiles it for WAREHOUSE. dbt compiles against an empty database in SCRATCH with
    the warehouse's file name, so the SQL names the seed in the warehouse's catalog without
    dbt opening the warehouse itself."""
    env = {
        **os.environ,
        "SMARKETING_WAREHOUSE": str(scratch / warehouse.name),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    inline = "{{ business_hours_between('pairs', ['pair_id'], 'start_at', 'end_at') }}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dbt.cli.main",
            "compile",
            "--quiet",
            "--output",
            "json",
            "--inline",
            inline,
            "--vars",
            json.dumps(dbt_vars()),
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(scratch / "target"),
            "--log-path",
            str(scratch / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    compiled = json.loads(result.stdout)["compiled"]
    assert f'"{warehouse.stem}"."config"."business_days"' in compiled, compiled
    return compiled


def _paris(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=PARIS)


def random_spans(rnd: random.Random) -> list[tuple[datetime, datetime]]:
    """Spans (start <= end) over 2025-2026: random instants to the second, short and long
    spans, and instants at or next to opening and closing times, midnight, on weekends, public
    holidays and the daylight-saving weekends."""
    first = datetime(2025, 1, 1, tzinfo=UTC)
    period = int((datetime(2026, 12, 31, tzinfo=UTC) - first).total_seconds())

    def instant() -> datetime:
        return first + timedelta(seconds=rnd.randrange(period))

    special_days = [
        date(2025, 3, 28),  # Friday before the change to summer time
        date(2025, 10, 24),  # Friday before the change to winter time
        date(2026, 3, 27),
        date(2026, 10, 23),
        date(2025, 12, 24),  # Christmas Eve, then Christmas
        date(2026, 5, 7),  # Thursday before 8 May (Victoire 1945), a Friday
        date(2026, 5, 13),  # Wednesday before Ascension
        date(2026, 7, 13),  # Monday before 14 July
    ]
    wall_clock = [(0, 0, 0), (8, 59, 59), (9, 0, 0), (9, 0, 1), (12, 30, 0), (17, 59, 59)]
    wall_clock += [(18, 0, 0), (18, 0, 1), (23, 59, 59)]

    spans = []
    for _ in range(120):
        a, b = instant(), instant()
        spans.append((min(a, b), max(a, b)))
    for _ in range(120):
        start = instant()
        spans.append((start, start + timedelta(seconds=rnd.randrange(4 * 24 * 3600))))
    for _ in range(120):
        day = rnd.choice(special_days) if rnd.random() < 0.5 else instant().date()
        start = _paris(day, *rnd.choice(wall_clock))
        end_day = day + timedelta(days=rnd.randrange(6))
        end = _paris(end_day, *rnd.choice(wall_clock))
        spans.append((min(start, end), max(start, end)))
    for _ in range(20):
        start = instant()
        spans.append((start, start))
    return spans


def test_sql_business_hours_equal_the_generators(small: dict, tmp_path: Path) -> None:
    warehouse = small["root"] / "warehouse.duckdb"
    compiled = compile_business_hours_sql(warehouse, tmp_path)
    spans = random_spans(random.Random(20261120))
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        connection.execute(
            "create temp table pairs (pair_id integer, start_at timestamptz, end_at timestamptz)"
        ).fetchall()
        connection.executemany(
            "insert into pairs values (?, ?, ?)",
            [(i, start, end) for i, (start, end) in enumerate(spans)],
        )
        got = dict(connection.execute(compiled).fetchall())
        # a span that ends before it starts has no business hours (not negative ones)
        connection.execute("update pairs set start_at = end_at, end_at = start_at").fetchall()
        reversed_spans = dict(connection.execute(compiled).fetchall())
    finally:
        connection.close()

    assert sorted(got) == list(range(len(spans)))
    wrong = [
        (start.isoformat(), end.isoformat(), got[i], business_hours_between(start, end))
        for i, (start, end) in enumerate(spans)
        if abs(got[i] - business_hours_between(start, end)) > 1e-9
    ]
    assert wrong == [], wrong[:5]
    assert sum(1 for hours in got.values() if hours > 0) > 300
    assert set(reversed_spans.values()) == {0}


# --- the definition tables written from smarketing.yml ----------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_business_days_are_the_generators_working_days() -> None:
    config = load_config(None)
    days = working_days(config)
    hours = config.sla.business_hours
    first, last = date(hours.first_year, 1, 1), date(hours.last_year, 12, 31)
    every_day = (first + timedelta(days=n) for n in range((last - first).days + 1))
    assert days == [day for day in every_day if DEFAULT_CALENDAR.is_working_day(day)]


def test_business_days_open_and_close_at_local_time_with_the_days_offset() -> None:
    rows = {row["day"]: row for row in _rows(business_days_csv(load_config(None)))}
    assert rows["2026-03-27"]["opens_at"] == "2026-03-27T09:00:00+01:00"
    assert rows["2026-03-30"]["opens_at"] == "2026-03-30T09:00:00+02:00"
    assert rows["2026-10-23"]["closes_at"] == "2026-10-23T18:00:00+02:00"
    assert rows["2026-10-26"]["closes_at"] == "2026-10-26T18:00:00+01:00"
    for day in ("2026-05-08", "2026-05-09", "2026-05-10", "2026-12-25", "2026-11-11"):
        assert day not in rows  # a public holiday, a weekend
    for row in rows.values():
        opens, closes = (datetime.fromisoformat(row[c]) for c in ("opens_at", "closes_at"))
        assert opens.astimezone(PARIS).time() == time(9, 0)
        assert closes - opens == timedelta(hours=9)


def test_business_days_follow_the_contract() -> None:
    """Another working week, other opening hours and a region's own holidays (Moselle: Good
    Friday, 26 December)."""
    config = load_config(None)
    contract = config.sla.model_copy(
        update={
            "business_hours": BusinessHours(
                working_days=["tuesday", "wednesday", "thursday", "friday", "saturday"],
                opens_at=time(8, 30),
                closes_at=time(17, 0),
                public_holidays=PublicHolidays(country="FR", subdivision="57"),
                first_year=2026,
                last_year=2026,
            )
        }
    )
    rows = _rows(business_days_csv(config.model_copy(update={"sla": contract})))
    days = {row["day"] for row in rows}
    assert rows[0] == {
        "day": "2026-01-02",
        "opens_at": "2026-01-02T08:30:00+01:00",
        "closes_at": "2026-01-02T17:00:00+01:00",
    }
    assert max(days) == "2026-12-31"
    assert all(1 <= date.fromisoformat(day).weekday() <= 5 for day in days)
    assert "2026-01-03" in days  # a Saturday
    assert "2026-04-03" not in days  # Good Friday
    assert "2026-12-26" not in days  # Saint Stephen's Day, a Saturday
    default_days = {row["day"] for row in _rows(business_days_csv(config))}
    assert "2026-04-03" in default_days


def test_first_touch_limits_by_segment_else_the_default() -> None:
    config = load_config(None)
    assert sla_first_touch_limits_csv(config) == (
        "segment,limit_business_hours\nsmb,48\nmid_market,48\nenterprise,48\n,48\n"
    )
    first_touch = FirstTouch(limit_business_hours=40, by_segment={"enterprise": 24.5})
    contract = config.sla.model_copy(update={"first_touch": first_touch})
    assert sla_first_touch_limits_csv(config.model_copy(update={"sla": contract})) == (
        "segment,limit_business_hours\nsmb,40\nmid_market,40\nenterprise,24.5\n,40\n"
    )
