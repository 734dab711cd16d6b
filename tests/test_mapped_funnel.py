"""Mapped exports through every mart, in the shared hand-made run (``tests/handmade.py``): a
Pipedrive CRM (persons, deals, activities) beside a HubSpot contact, and the three non-CRM
shapes teams bring (a marketing-qualified-leads file with its closed deals, an
opportunity-only pipeline, a marketing-automation leads export with `Select` and trailing
commas), each read through its mapping file (``tests/exports/shapes/mappings``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def con(handmade: dict) -> duckdb.DuckDBPyConnection:
    run = handmade["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Published:" in run.stdout
    connection = duckdb.connect(str(Path(handmade["root"]) / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


def _paris(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def _funnel(con: duckdb.DuckDBPyConnection, tool: str) -> dict[str, dict[str, object]]:
    """The first cycle of each person of TOOL, by the tool's record key."""
    rows = con.execute(
        """
        select bridge.record_key, funnel.created_at, funnel.mql_at, funnel.handoff_at,
            funnel.opportunity_at, funnel.won_at, funnel.lost_at, funnel.current_stage,
            funnel.channel, funnel.owner_name
        from marts.fct_lead_funnel as funnel
        inner join marts.bridge_lead_source_records as bridge
            on funnel.unified_lead_id = bridge.unified_lead_id
        where bridge.source_system = ? and funnel.cycle = 1
        """,
        [tool],
    ).fetchall()
    names = ("created", "mql", "handoff", "opportunity", "won", "lost")
    return {
        key: {
            **{name: _paris(value) for name, value in zip(names, row[:6], strict=True)},
            "stage": row[6],
            "channel": row[7],
            "owner": row[8],
        }
        for key, *row in rows
    }


def test_a_mapped_crm_person_walks_the_funnel_and_its_sla(
    con: duckdb.DuckDBPyConnection,
) -> None:
    funnel = _funnel(con, "pipedrive")
    lea = funnel["pipedrive:contact:101"]
    # created by the HubSpot contact of the same person (10 Jan); handed over when the web
    # form created the Pipedrive person; the deal's creation and its win
    assert lea == {
        "created": "2026-01-10 08:00",
        "mql": None,
        "handoff": "2026-01-12 09:14",
        "opportunity": "2026-01-15 10:00",
        "won": "2026-02-20 17:00",
        "lost": None,
        "stage": "won",
        "channel": None,
        "owner": "Hugo Lambert",
    }
    # a person the rep prospected is no hand-off; a deal lost, a deal still open
    assert funnel["pipedrive:contact:102"]["handoff"] is None
    assert funnel["pipedrive:contact:102"]["lost"] == "2026-02-25 12:00"
    assert funnel["pipedrive:contact:103"]["stage"] == "opportunity"
    response = con.execute(
        """
        select response.handoff_at, response.first_touch_at, response.first_touch_type,
            response.first_touch_task_id
        from marts.fct_sla_lead_response as response
        inner join marts.bridge_lead_source_records as bridge
            on response.unified_lead_id = bridge.unified_lead_id
        where bridge.source_system = 'pipedrive'
        """
    ).fetchall()
    # the done call of the Pipedrive activities export is the first sales touch
    assert [(_paris(a), _paris(b), c, d) for a, b, c, d in response] == [
        ("2026-01-12 09:14", "2026-01-12 11:20", "call", "pipedrive:9001")
    ]


def test_an_mql_file_and_its_closed_deals_reach_the_funnel_and_the_committee(
    con: duckdb.DuckDBPyConnection,
) -> None:
    funnel = _funnel(con, "mql_file")
    assert len(funnel) == 5
    # no score, country or company size to check: the file's own MQL time stands
    assert all(person["mql"] == person["created"] for person in funnel.values())
    won = {key: person for key, person in funnel.items() if person["won"]}
    # a closed deal is a won date and nothing else: won, dated (and opened) at that date
    assert {key.split(":")[-1][:6]: (p["opportunity"], p["won"]) for key, p in won.items()} == {
        "5f3a9c": ("2026-02-10 14:00", "2026-02-10 14:00"),
        "c1d2e3": ("2026-02-27 09:30", "2026-02-27 09:30"),
    }
    # the origin's channel through `values`; an origin it does not list has none
    assert sorted(str(p["channel"]) for p in funnel.values()) == [
        "None", "None", "organic", "paid_search", "partner",
    ]  # fmt: skip
    january = con.execute(
        """
        select mql_count from marts.fct_funnel_periods
        where period_month = date '2026-01-01' and segment = '(all)' and channel = '(all)'
            and campaign_name = '(all)' and offer = '(all)' and team = '(all)'
        """
    ).fetchall()
    assert january == [(3,)]  # the file's three January MQLs (no other tool has one then)
    attainment = con.execute(
        "select kpi_value from marts.fct_committee_kpis "
        "where kpi = 'mql_volume_attainment' and period_month = date '2026-01-01'"
    ).fetchone()
    assert attainment is not None and attainment[0] > 0


def test_an_opportunity_only_pipeline_gives_opportunities_without_persons(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.execute(
        """
        select opportunity_id, unified_lead_id, current_stage, is_won, is_lost,
            amount_corporate, owner_id, cast(created_at at time zone 'Europe/Paris' as date)
        from marts.fct_opportunities
        where source_system = 'crm_pipeline'
        order by opportunity_id
        """
    ).fetchall()
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], str(r[7])) for r in rows] == [
        ("crm_pipeline:1C1I7A6R", None, "Won", True, False, 1054.0, "Moses Frase", "2026-01-20"),
        ("crm_pipeline:EC4QE1BX", None, "Lost", False, True, 0.0, "Darcel Schlecht", "2026-01-28"),
        ("crm_pipeline:MV1LWRNH", None, "Engaging", False, False, None, "Moses Frase",
         "2026-02-01"),
        # a prospect without any date: in the mart, dated nowhere
        ("crm_pipeline:PE84CX4O", None, "Prospecting", False, False, None, "Zane Levy", "None"),
        ("crm_pipeline:Z063OYW0", None, "Won", True, False, 4514.0, "Darcel Schlecht",
         "2026-01-25"),
    ]  # fmt: skip


def test_a_marketing_automation_export_with_select_and_trailing_commas(
    con: duckdb.DuckDBPyConnection,
) -> None:
    records = con.execute(
        """
        select source_record_id, country_code, industry, email_opt_out, channel, score
        from intermediate.int_person_records
        where source_system = 'marketing_automation'
        order by source_record_id
        """
    ).fetchall()
    assert records == [
        # `Select` (not answered) is empty
        ("0cc2df48-7cf4-4e39-9de9-19797f9b38cc", None, None, False, "paid_search", 18.0),
        ("2a272436-5132-4136-86fa-dcc88c88f482", "FR", "Business Administration", False,
         "organic", 71.0),
        ("7927b2df-8bba-4d29-b9a2-b6e0beafe620", "FR", None, False, None, 42.0),
        ("8cc8c611-a219-4f35-ad23-fdfd2656bd8a", "BE", "Media and Advertising", True,
         "organic", None),
    ]  # fmt: skip
    funnel = _funnel(con, "marketing_automation")
    # leads with a created time and no other: created, and nothing else
    assert funnel["marketing_automation:lead:7927b2df-8bba-4d29-b9a2-b6e0beafe620"] == {
        "created": "2026-01-07 10:12",
        "mql": None,
        "handoff": None,
        "opportunity": None,
        "won": None,
        "lost": None,
        "stage": "created",
        "channel": None,
        "owner": None,
    }
    # a lead without any time is a person (dim_leads), in no month of the funnel
    assert "marketing_automation:lead:0cc2df48-7cf4-4e39-9de9-19797f9b38cc" not in funnel
    audit = con.execute(
        """
        select source_file, status, rows_read, rows_loaded, rows_rejected
        from audit.load_audit where source_file like '%ma_leads%' order by source_file
        """
    ).fetchall()
    assert audit == [
        ("shapes/ma_leads.csv", "loaded", 4, 4, 0),
        # a header without the trailing comma its rows have: each row rejected on its own
        ("shapes/ma_leads_header_without_trailing_comma.csv", "loaded_with_rejects", 2, 0, 2),
    ]
    reasons = con.execute(
        "select row_number, reason from audit.rejected_rows "
        "where source_file = 'shapes/ma_leads_header_without_trailing_comma.csv' order by 1"
    ).fetchall()
    assert reasons == [(1, "expected 13 fields, found 14"), (2, "expected 13 fields, found 14")]
