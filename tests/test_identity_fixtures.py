"""The real Salesforce samples through the whole pipeline: the unified lead table is built
without error, and a converted lead and the contact it became are one person."""

from __future__ import annotations

import duckdb


def test_real_salesforce_samples_resolve(handmade: dict) -> None:
    """The real samples (shared/fixtures), in the run the hand-made deliveries share."""
    run = handmade["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    con = duckdb.connect(str(handmade["root"] / "warehouse.duckdb"), read_only=True)
    try:
        staged = con.execute(
            "select (select count(*) from staging.stg_salesforce__lead) "
            "+ (select count(*) from staging.stg_salesforce__contact) "
            "+ (select count(*) from staging.stg_hubspot__contact)"
            "+ (select count(*) from staging.stg_mapped__persons)"  # the shared run's Pipedrive
        ).fetchall()[0][0]
        bridged = con.execute(
            "select count(*), count(distinct record_key) from marts.bridge_lead_source_records"
        ).fetchall()[0]
        assert bridged == (staged, staged)
        converted = con.execute(
            """
            select lead.lead_id, l.unified_lead_id = c.unified_lead_id
            from staging.stg_salesforce__lead as lead
            inner join staging.stg_salesforce__contact as contact
                on contact.contact_id = lead.converted_contact_id
            inner join marts.bridge_lead_source_records as l
                on l.source_entity = 'lead' and l.source_record_id = lead.lead_id
            inner join marts.bridge_lead_source_records as c
                on c.source_entity = 'contact' and c.source_record_id = contact.contact_id
            """
        ).fetchall()
        leads = con.execute("select count(*) from marts.dim_leads").fetchall()[0][0]
        # exports without an IsDeleted column (the demo org's) hold no deleted record: every
        # opportunity reaches the mart
        opportunities = con.execute(
            """
            select count(*), count(marts.opportunity_id)
            from staging.stg_salesforce__opportunity as staged
            left join marts.fct_opportunities as marts using (opportunity_id)
            where staged._source_file like 'fixtures/%'
            """
        ).fetchone()
    finally:
        con.close()
    assert opportunities == (86, 86)
    assert len(converted) >= 2, "the samples hold converted leads whose contact was exported"
    assert all(same for _, same in converted), converted
    assert 0 < leads < staged
