"""Routing and feedback facts of the SLA (``marts.fct_sla_lead_response``'s expected team and
``marts.fct_sla_feedback``) of a small-scale run (the ``small`` fixture, built as of the
truth's cutoff) against the generator's ground truth: every hand-off of
``truth/sla_outcomes.csv`` with the same expected team, owner's team, routing verdict,
decision and decision time; the feedback status against the deadline, measured in Python
with the generator's business calendar. Also the definition tables written from ``sla.routing`` and
``sla.feedback``."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import duckdb
import pytest

from smarketing.config import load_config
from smarketing.config.routing import (
    routing_rules_csv,
    sales_regions_csv,
    sla_feedback_deadlines_csv,
)
from smarketing.config.sla import Feedback, Routing, RoutingRule
from smarketing_tools.generator import rules
from smarketing_tools.generator.business_hours import business_hours_between
from tests.truth import truth_connection

DECISIONS = ("accepted", "rejected", "recycled", "none")
FEEDBACK_STATUSES = ("on_time", "late", "missing", "pending")


@pytest.fixture
def con(small: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = truth_connection(
        small["root"], {"truth_sla": "sla_outcomes.csv", "truth_cycles": "lead_cycles.csv"}
    )
    yield connection
    connection.close()


@pytest.fixture
def cutoff(small: dict) -> datetime:
    manifest = json.loads((small["root"] / "truth" / "manifest.json").read_text())
    return datetime.fromisoformat(manifest["cutoff"])


# --- the marts against the truth -----------------------------------------------------------


def truth_rows(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(
        con.execute(
            """
            select person_id, cast(cycle as integer), cast(handoff_at as timestamptz),
                expected_team, owner_team, routed_correctly = 'true', decision,
                cast(nullif(decision_at, '') as timestamptz)
            from truth_sla
            """
        ).fetchall()
    )


def mart_rows(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(
        con.execute(
            """
            select person_leads.person_id, response.cycle, response.handoff_at,
                response.expected_team, response.team, response.is_routed_correctly,
                feedback.decision, feedback.decision_at
            from marts.fct_sla_lead_response as response
            join marts.fct_sla_feedback as feedback using (unified_lead_id, cycle)
            join person_leads using (unified_lead_id)
            """
        ).fetchall()
    )


def test_every_handoff_is_routed_and_decided_as_in_the_truth(
    con: duckdb.DuckDBPyConnection,
) -> None:
    truth, mart = truth_rows(con), mart_rows(con)
    assert len(truth) > 300
    assert mart - truth == set(), sorted(mart - truth, key=str)[:5]
    assert truth - mart == set(), sorted(truth - mart, key=str)[:5]


def test_feedback_has_a_row_per_handoff(con: duckdb.DuckDBPyConnection) -> None:
    """The same hand-offs, owners, teams and segments as the response facts."""
    columns = "unified_lead_id, cycle, handoff_at, owner_id, owner_name, team, segment"
    response = con.execute(f"select {columns} from marts.fct_sla_lead_response").fetchall()
    feedback = con.execute(f"select {columns} from marts.fct_sla_feedback").fetchall()
    assert sorted(feedback, key=str) == sorted(response, key=str)


def test_routing_has_both_verdicts_and_every_team(con: duckdb.DuckDBPyConnection) -> None:
    """The truth misroutes a few hand-offs: the mart sees them; every team a hand-off can be
    routed to is expected somewhere."""
    verdicts = dict(
        con.execute(
            "select is_routed_correctly, count(*) from marts.fct_sla_lead_response group by all"
        ).fetchall()
    )
    truth = Counter(
        row[0] for row in con.execute("select routed_correctly from truth_sla").fetchall()
    )
    assert verdicts == {True: truth["true"], False: truth["false"]}
    assert 0 < verdicts[False] < verdicts[True]
    teams = {
        row[0]
        for row in con.execute(
            "select distinct expected_team from marts.fct_sla_lead_response"
        ).fetchall()
    }
    assert teams == set(rules.ROUTING_TEAMS)


def test_every_decision_occurs_as_in_the_truth(con: duckdb.DuckDBPyConnection) -> None:
    truth = dict(con.execute("select decision, count(*) from truth_sla group by all").fetchall())
    mart = dict(
        con.execute("select decision, count(*) from marts.fct_sla_feedback group by all").fetchall()
    )
    assert mart == truth
    assert set(mart) == set(DECISIONS)


def expected_status(
    handoff_at: datetime, decision_at: datetime | None, deadline: float, cutoff: datetime
) -> tuple[str, float]:
    """Feedback status and business hours (to the decision, else to the cutoff), in Python."""
    hours = business_hours_between(handoff_at, decision_at or cutoff)
    if decision_at is not None:
        return ("on_time" if hours <= deadline else "late"), hours
    return ("missing" if hours > deadline else "pending"), hours


def test_feedback_status_follows_the_deadline(
    con: duckdb.DuckDBPyConnection, cutoff: datetime
) -> None:
    """Each hand-off's status from the truth's hand-off and decision times against the
    deadline of smarketing.yml, in business hours of the generator's calendar."""
    deadline = load_config(None).sla.feedback.deadline_business_hours
    truth = con.execute(
        """
        select person_id, cast(cycle as integer), cast(handoff_at as timestamptz),
            cast(nullif(decision_at, '') as timestamptz)
        from truth_sla
        """
    ).fetchall()
    expected = {}
    for person_id, cycle, handoff_at, decision_at in truth:
        expected[(person_id, cycle)] = expected_status(handoff_at, decision_at, deadline, cutoff)

    mart = con.execute(
        """
        select person_leads.person_id, feedback.cycle, feedback.feedback_status,
            feedback.decision_business_hours, feedback.business_hours_elapsed,
            feedback.deadline_business_hours, feedback.is_decided_within_deadline,
            feedback.feedback_as_of
        from marts.fct_sla_feedback as feedback
        join person_leads using (unified_lead_id)
        """
    ).fetchall()
    assert len(mart) == len(expected)
    for person_id, cycle, status, decided, elapsed, limit, within, as_of in mart:
        want_status, want_hours = expected[(person_id, cycle)]
        assert status == want_status, (person_id, cycle, status, want_status)
        # 2 decimals: an undecided hand-off shows the business hours elapsed instead
        assert (decided is None) == (status in ("missing", "pending"))
        hours = decided if decided is not None else elapsed
        assert abs(hours - want_hours) <= 0.005 + 1e-9, (person_id, cycle, hours, want_hours)
        assert limit == deadline
        assert as_of == cutoff
        assert within == {"on_time": True, "late": False, "missing": False}.get(status)

    counts = Counter(status for status, _ in expected.values())
    assert set(counts) == set(FEEDBACK_STATUSES), counts
    assert counts["on_time"] + counts["late"] == sum(1 for row in truth if row[3] is not None)


def test_rejections_carry_their_reason_and_category(con: duckdb.DuckDBPyConnection) -> None:
    """A rejection or a recycling is the cycle's disqualification: its reason category is the
    truth's; accepted and undecided hand-offs owe no reason."""
    truth = set(
        con.execute(
            """
            select person_id, cast(cycle as integer), cast(disqualified_at as timestamptz),
                disqualification_reason
            from truth_cycles
            """
        ).fetchall()
    )
    rows = con.execute(
        """
        select person_leads.person_id, feedback.cycle, feedback.decision, feedback.decision_at,
            feedback.disqualification_reason, feedback.has_reason, feedback.rejection_reason,
            feedback.is_feedback_complete, feedback.feedback_status
        from marts.fct_sla_feedback as feedback
        join person_leads using (unified_lead_id)
        """
    ).fetchall()
    rejections = [row for row in rows if row[2] in ("rejected", "recycled")]
    assert len(rejections) > 50
    for person_id, cycle, _, decision_at, category, has_reason, reason, *_ in rejections:
        assert (person_id, cycle, decision_at, category) in truth
        assert has_reason is (reason is not None)
        assert (rules.REJECTION_REASONS[reason][1] if reason else None) == category
    for _, _, decision, _, category, has_reason, reason, complete, status in rows:
        if decision in ("accepted", "none"):
            assert (category, has_reason, reason) == (None, None, None)
        if status == "pending":
            assert complete is None
        elif decision in ("accepted", "none") or has_reason:
            assert complete is (status == "on_time")
    # the generator's recycled decisions are its "not now" reasons, its rejections the others
    decisions = {(row[2], rules.REJECTION_REASONS[row[6]][0]) for row in rejections if row[6]}
    assert decisions == {("rejected", "rejected"), ("recycled", "recycled")}


# --- the definition tables written from smarketing.yml ----------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def route(
    config_csvs: tuple[str, str],
    country: str | None,
    employees: int | None,
    state: str | None,
    score: float | None,
) -> str | None:
    """The routing rules of the definition as int_handoff_routing applies them, in Python."""
    regions_csv, rules_csv = config_csvs
    region = {row["state"]: row["sales_region"] for row in _rows(regions_csv)}.get(state or "")
    segment = load_config(None).segment_of(employees) if employees is not None else None
    for rule in _rows(rules_csv):
        countries = rule["countries"].split("|") if rule["countries"] else None
        not_countries = rule["not_countries"].split("|") if rule["not_countries"] else None
        segments = rule["segments"].split("|") if rule["segments"] else None
        if countries is not None and country not in countries:
            continue
        if not_countries is not None and country is not None and country in not_countries:
            continue
        if segments is not None and segment not in segments:
            continue
        if rule["min_score"] and (score is None or score < float(rule["min_score"])):
            continue
        if rule["max_score"] and (score is None or score > float(rule["max_score"])):
            continue
        if "{sales_region}" in rule["team"]:
            return rule["team"].replace("{sales_region}", region) if region else None
        return rule["team"]
    return None


def test_the_shipped_routing_rules_are_the_generators() -> None:
    """Every country, company size (none included) and state the generator uses routes to the
    team its rule names."""
    config = load_config(None)
    seeds = (sales_regions_csv(config), routing_rules_csv(config))
    states = [*rules.REGION_OF_STATE, ""]
    for country in rules.COUNTRY_SPELLINGS:
        for employees in (None, 1, 10, 99, 100, 500, 999, 1000, 25_000):
            for state in states if country == "FR" else [""]:
                if country == "FR" and not state:
                    continue
                expected = rules.expected_team(country, employees, state)
                assert route(seeds, country, employees, state, 70) == expected, (
                    country,
                    employees,
                    state,
                )


def test_routing_seeds_of_the_shipped_definition() -> None:
    config = load_config(None)
    assert routing_rules_csv(config) == (
        "rule_order,team,countries,not_countries,segments,min_score,max_score\n"
        "1,International,,FR,,,\n"
        "2,Grands Comptes,,,enterprise,,\n"
        "3,Mid-Market {sales_region},,,mid_market,,\n"
        "4,Inside Sales,,,,,\n"
    )
    regions = _rows(sales_regions_csv(config))
    assert {row["state"]: row["sales_region"] for row in regions} == rules.REGION_OF_STATE
    assert sla_feedback_deadlines_csv(config) == "deadline_business_hours\n45\n"


def test_routing_seeds_follow_the_contract() -> None:
    """Other rules: lists joined by `|`, score bands, a fractional deadline."""
    config = load_config(None)
    contract = config.sla.model_copy(
        update=dict(
            feedback=Feedback(deadline_business_hours=22.5),
            routing=Routing(
                sales_regions={"Nord": ["Hauts-de-France"], "Sud": ["Occitanie", "Corse"]},
                rules=[
                    RoutingRule(
                        team="Benelux", countries=["BE", "LU"], min_score=40, max_score=100
                    ),
                    RoutingRule(
                        team="Corporate",
                        not_countries=["BE", "LU"],
                        segments=["enterprise", "mid_market"],
                    ),
                    RoutingRule(team="Inside {sales_region}"),
                ],
            ),
        )
    )
    custom = config.model_copy(update={"sla": contract})
    assert routing_rules_csv(custom) == (
        "rule_order,team,countries,not_countries,segments,min_score,max_score\n"
        "1,Benelux,BE|LU,,,40,100\n"
        "2,Corporate,,BE|LU,enterprise|mid_market,,\n"
        "3,Inside {sales_region},,,,,\n"
    )
    assert sales_regions_csv(custom) == (
        "state,sales_region\nHauts-de-France,Nord\nOccitanie,Sud\nCorse,Sud\n"
    )
    assert sla_feedback_deadlines_csv(custom) == "deadline_business_hours\n22.5\n"
    seeds = (sales_regions_csv(custom), routing_rules_csv(custom))
    assert route(seeds, "BE", 5, None, 39) is None  # below the band, no rule for it
    assert route(seeds, "LU", 5, None, 40) == "Benelux"
    assert route(seeds, None, 5000, None, None) == "Corporate"  # unknown country: in no list
    assert route(seeds, "FR", None, "Corse", 90) == "Inside Sud"
    assert route(seeds, "FR", 10, "Bretagne", 90) is None  # no sales region for Bretagne
