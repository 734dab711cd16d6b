-- One row: for each relationship between marts, the rows whose parent is missing.
select
    (
        select count(*) from marts.fct_lead_funnel as funnel
        where not exists (
            select 1 from marts.dim_leads as leads
            where leads.unified_lead_id = funnel.unified_lead_id
        )
    ) as funnel_cycles_without_lead,
    (
        select count(*) from marts.bridge_lead_source_records as bridge
        where not exists (
            select 1 from marts.dim_leads as leads
            where leads.unified_lead_id = bridge.unified_lead_id
        )
    ) as source_records_without_lead,
    (
        select count(*) from marts.dim_leads as leads
        where not exists (
            select 1 from marts.bridge_lead_source_records as bridge
            where bridge.unified_lead_id = leads.unified_lead_id
        )
    ) as leads_without_source_record,
    (
        select count(*) from marts.fct_lead_stage_events as events
        where not exists (
            select 1 from marts.fct_lead_funnel as funnel
            where funnel.unified_lead_id = events.unified_lead_id
                and funnel.cycle = events.cycle
        )
    ) as stage_events_without_cycle,
    (
        select count(*) from marts.fct_sla_lead_response as response
        where not exists (
            select 1 from marts.fct_lead_funnel as funnel
            where funnel.unified_lead_id = response.unified_lead_id
                and funnel.cycle = response.cycle
        )
    ) as sla_responses_without_cycle,
    (
        select count(*) from marts.fct_sla_feedback as feedback
        where not exists (
            select 1 from marts.fct_lead_funnel as funnel
            where funnel.unified_lead_id = feedback.unified_lead_id
                and funnel.cycle = feedback.cycle
        )
    ) as sla_feedback_without_cycle,
    (
        select count(*) from marts.fct_opportunities as opportunities
        where opportunities.unified_lead_id is not null
            and not exists (
                select 1 from marts.fct_lead_funnel as funnel
                where funnel.unified_lead_id = opportunities.unified_lead_id
                    and funnel.cycle = opportunities.cycle
            )
            -- a lead whose export gave no creation time has no cycle to point to
            and exists (
                select 1 from marts.fct_lead_funnel as funnel
                where funnel.unified_lead_id = opportunities.unified_lead_id
            )
    ) as opportunities_without_cycle
