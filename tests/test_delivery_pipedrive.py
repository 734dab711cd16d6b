"""A sales team on Pipedrive instead of Salesforce: the generator's ``pipedrive`` delivery
(small scale, seed 7: persons, deals, activities and a lead-status changelog beside the HubSpot
exports) read through the shipped mapping files (``mappings/pipedrive_*.yml``) gives the marts
the generator's truth says: every funnel cycle, every SLA response time, every opportunity,
and the committee KPIs of the Salesforce delivery of the same records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from smarketing_tools.generator import generate
from tests.conftest import run_cli
from tests.truth import STAGES, truth_connection


@pytest.fixture(scope="module")
def pipedrive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pipedrive")
    generate(root, scale="small", seed=7, delivery="pipedrive")
    assert not (root / "inbox" / "salesforce").exists()
    result = run_cli(root)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Published:" in result.stdout
    return root


@pytest.fixture
def con(pipedrive: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = truth_connection(
        pipedrive,
        {
            "truth_cycles": "lead_cycles.csv",
            "truth_sla": "sla_outcomes.csv",
            "truth_opportunities": "opportunities.csv",
        },
    )
    yield connection
    connection.close()


def test_each_pipedrive_export_is_read_through_its_mapping(con) -> None:
    loads = dict(
        con.execute(
            "select raw_table, status from audit.load_audit where source_file like 'pipedrive/%'"
        ).fetchall()
    )
    assert loads == {
        "mapped__pipedrive_persons": "loaded",
        "mapped__pipedrive_deals": "loaded",
        "mapped__pipedrive_activities": "loaded",
        "mapped__pipedrive_lead_status_changes": "loaded",
    }
    tools = {
        row[0]
        for row in con.execute(
            "select source_system from marts.bridge_lead_source_records"
        ).fetchall()
    }
    assert tools == {"hubspot", "pipedrive"}


def test_every_cycle_equals_the_truth(con) -> None:
    columns = ", ".join(f"cast({stage}_at as timestamptz)" for stage in STAGES)
    truth = set(
        con.execute(
            f"select person_id, cast(cycle as integer), {columns}, "
            "nullif(disqualification_reason, '') from truth_cycles"
        ).fetchall()
    )
    columns = ", ".join(f"funnel.{stage}_at" for stage in STAGES)
    funnel = set(
        con.execute(
            f"select person_leads.person_id, funnel.cycle, {columns}, "
            "funnel.disqualification_reason "
            "from marts.fct_lead_funnel as funnel join person_leads using (unified_lead_id)"
        ).fetchall()
    )
    assert len(truth) > 1500
    assert funnel - truth == set(), sorted(funnel - truth)[:5]
    assert truth - funnel == set(), sorted(truth - funnel)[:5]


def test_every_first_sales_touch_equals_the_truth(con) -> None:
    truth = set(
        con.execute(
            "select person_id, cast(cycle as integer), cast(handoff_at as timestamptz), "
            "cast(nullif(first_touch_at, '') as timestamptz), "
            "cast(nullif(business_hours_to_first_touch, '') as decimal(10, 2)) from truth_sla"
        ).fetchall()
    )
    marts = set(
        con.execute(
            "select person_leads.person_id, response.cycle, response.handoff_at, "
            "response.first_touch_at, "
            "cast(round(response.business_hours_to_first_touch, 2) as decimal(10, 2)) "
            "from marts.fct_sla_lead_response as response join person_leads using (unified_lead_id)"
        ).fetchall()
    )
    assert len(truth) > 300
    assert marts == truth


def test_every_opportunity_equals_the_truth(con) -> None:
    truth = set(
        con.execute(
            "select person_id, cast(cycle as integer), cast(amount as double), offer, "
            "cast(created_at as timestamptz), cast(nullif(closed_at, '') as timestamptz), "
            "coalesce(won = 'true', false) from truth_opportunities"
        ).fetchall()
    )
    marts = set(
        con.execute(
            "select person_leads.person_id, opportunities.cycle, opportunities.amount_corporate, "
            "opportunities.offer, opportunities.created_at, opportunities.closed_at, "
            "opportunities.is_won "
            "from marts.fct_opportunities as opportunities "
            "join person_leads using (unified_lead_id)"
        ).fetchall()
    )
    assert len(truth) > 100
    assert marts == truth


def test_the_committee_kpis_are_those_of_the_salesforce_delivery(con, small: dict) -> None:
    query = "select kpi, period_month, kpi_value from marts.fct_committee_kpis order by all"
    with duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True) as salesforce:
        want = salesforce.execute(query).fetchall()
    assert len(want) > 100
    assert con.execute(query).fetchall() == want


def test_one_person_across_pipedrive_and_hubspot(con) -> None:
    # a person the truth knows is one unified lead; without Salesforce's HubSpot record id on
    # the lead, a few persons whose two records share nothing stay apart
    split, persons = con.execute(
        """
        select count(*) filter (where leads > 1), count(*) from (
            select person_id, count(distinct unified_lead_id) as leads
            from truth_records join marts.bridge_lead_source_records using (record_key)
            group by person_id
        )
        """
    ).fetchone()
    mixed = con.execute(
        """
        select count(*) from (
            select unified_lead_id from truth_records
            join marts.bridge_lead_source_records using (record_key)
            group by unified_lead_id having count(distinct person_id) > 1
        )
        """
    ).fetchone()[0]
    assert persons > 1800
    assert mixed == 0
    assert split <= persons * 0.005
