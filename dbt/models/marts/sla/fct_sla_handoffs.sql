{#-
    One row per hand-off with both of Sales' duties: the first touch (fct_sla_lead_response)
    and the feedback (fct_sla_feedback), with the lead cycle's segment and channel. The grain
    fct_sla_compliance groups and the committee's SLA metrics count, lead by lead.
-#}
with

responses as (

    select * from {{ ref('fct_sla_lead_response') }}

),

feedback as (

    select * from {{ ref('fct_sla_feedback') }}

),

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

final as (

    select
        responses.unified_lead_id,
        responses.cycle,
        cast({{ dbt.date_trunc('month', local_time('responses.handoff_at')) }} as date)
            as handoff_month,
        coalesce(funnel.segment, '(unknown)') as segment,
        coalesce(funnel.channel, '(unknown)') as channel,
        coalesce(responses.team, '(unknown)') as team,
        coalesce(responses.owner_id, '(unknown)') as owner_id,
        coalesce(responses.owner_name, '(unknown)') as owner_name,
        responses.outcome,
        responses.is_routed_correctly,
        feedback.feedback_status,
        feedback.is_feedback_complete
    from responses
    inner join funnel
        on responses.unified_lead_id = funnel.unified_lead_id
        and responses.cycle = funnel.cycle
    left join feedback
        on responses.unified_lead_id = feedback.unified_lead_id
        and responses.cycle = feedback.cycle

)

select * from final
