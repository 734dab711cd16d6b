"""The opportunities mart of a small-scale run (the ``small`` fixture) against the generator's
ground truth: every opportunity of ``truth/opportunities.csv`` comes from the same person and
cycle, with the same amount, offer, creation, closing and outcome. Also the person's campaign
and offer in ``fct_lead_funnel`` against ``truth/people.csv``."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from tests.truth import truth_connection


@pytest.fixture
def con(small: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = truth_connection(
        small["root"],
        {"truth_opportunities": "opportunities.csv", "truth_people": "people.csv"},
    )
    yield connection
    connection.close()


def test_every_opportunity_equals_the_truth(con) -> None:
    truth = con.execute(
        """
        select opportunity_id, person_id, cast(cycle as integer),
            cast(amount as decimal(18, 2)), nullif(offer, ''),
            cast(created_at as timestamptz), cast(nullif(closed_at, '') as timestamptz),
            cast(nullif(won, '') as boolean)
        from truth_opportunities
        """
    ).fetchall()
    mart = con.execute(
        """
        select opportunities.opportunity_id, person_leads.person_id, opportunities.cycle,
            opportunities.amount, opportunities.offer, opportunities.created_at,
            opportunities.closed_at,
            case when opportunities.is_closed then opportunities.is_won end
        from marts.fct_opportunities as opportunities
        left join person_leads using (unified_lead_id)
        """
    ).fetchall()
    assert len(truth) > 100
    assert len(mart) == len(set(mart)) == len(truth)
    assert set(mart) - set(truth) == set(), sorted(set(mart) - set(truth))[:5]
    assert set(truth) - set(mart) == set(), sorted(set(truth) - set(mart))[:5]


def test_outcome_flags_and_durations_agree(con) -> None:
    rows = con.execute(
        """
        select count(*) from marts.fct_opportunities
        where is_closed <> (is_won or is_lost)
            or (is_won and is_lost)
            or (closed_at is null) = is_closed
            or cycle_days < 0
            or (is_won and lead_created_to_won_days < cycle_days)
            or (not is_won and lead_created_to_won_days is not null)
        """
    ).fetchone()[0]
    assert rows == 0


def test_funnel_campaign_and_offer_equal_the_truth(con) -> None:
    truth = set(
        con.execute(
            "select person_id, nullif(campaign, ''), nullif(offer, '') from truth_people "
            "where person_id in (select person_id from person_leads)"
        ).fetchall()
    )
    funnel = set(
        con.execute(
            "select person_leads.person_id, funnel.campaign_id, funnel.offer "
            "from marts.fct_lead_funnel as funnel join person_leads using (unified_lead_id)"
        ).fetchall()
    )
    assert len(truth) > 1500
    assert funnel - truth == set(), sorted(funnel - truth)[:5]
    assert truth - funnel == set(), sorted(truth - funnel)[:5]
