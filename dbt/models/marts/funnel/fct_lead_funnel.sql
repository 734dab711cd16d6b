with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

stage_events as (

    select * from {{ ref('fct_lead_stage_events') }}

),

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

stage_times as (

    select
        unified_lead_id,
        cycle,
        max(case when stage = 'created' then entered_at end) as created_at,
        max(case when stage = 'mql' then entered_at end) as mql_at,
        max(case when stage = 'handoff' then entered_at end) as handoff_at,
        max(case when stage = 'sal' then entered_at end) as sal_at,
        max(case when stage = 'sql' then entered_at end) as sql_at,
        max(case when stage = 'opportunity' then entered_at end) as opportunity_at,
        max(case when stage = 'won' then entered_at end) as won_at,
        max(case when stage = 'lost' then entered_at end) as lost_at,
        max(case when stage = 'disqualified' then entered_at end) as disqualified_at,
        max(disqualification_reason) as disqualification_reason
    from stage_events
    group by unified_lead_id, cycle

),

current_stages as (

    -- the stage entered last (on the same instant, the one further down the funnel)
    select unified_lead_id, cycle, stage as current_stage
    from (
        select
            unified_lead_id,
            cycle,
            stage,
            row_number() over (
                partition by unified_lead_id, cycle
                order by entered_at desc,
                    case stage
                        when 'created' then 1
                        when 'mql' then 2
                        when 'handoff' then 3
                        when 'sal' then 4
                        when 'sql' then 5
                        when 'opportunity' then 6
                        else 7
                    end desc
            ) as stage_rank
        from stage_events
    ) as ranked
    where stage_rank = 1

),

final as (

    select
        cycles.unified_lead_id,
        cycles.cycle,
        stage_times.created_at,
        stage_times.mql_at,
        stage_times.handoff_at,
        stage_times.sal_at,
        stage_times.sql_at,
        stage_times.opportunity_at,
        stage_times.won_at,
        stage_times.lost_at,
        stage_times.disqualified_at,
        stage_times.disqualification_reason,
        cycles.handoff_owner_id,
        current_stages.current_stage,
        cycles.next_cycle_start_at is not null as is_recycled,
        dim_leads.channel,
        dim_leads.segment
    from cycles
    inner join stage_times
        on cycles.unified_lead_id = stage_times.unified_lead_id
        and cycles.cycle = stage_times.cycle
    inner join current_stages
        on cycles.unified_lead_id = current_stages.unified_lead_id
        and cycles.cycle = current_stages.cycle
    inner join dim_leads
        on cycles.unified_lead_id = dim_leads.unified_lead_id

)

select * from final
