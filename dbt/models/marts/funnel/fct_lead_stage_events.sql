with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

status_changes as (

    select * from {{ ref('int_lead_status_changes') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

opportunity_stages as (

    select * from {{ ref('lead_status_stages') }}
    where salesforce_object = 'opportunity'

),

-- the stages every cycle opens with

opening_events as (

    select unified_lead_id, cycle, 'created' as stage, created_at as entered_at,
        created_evidence as evidence
    from cycles

    union all

    select unified_lead_id, cycle, 'mql' as stage, mql_at as entered_at,
        mql_evidence as evidence
    from cycles
    where mql_at is not null

    union all

    select unified_lead_id, cycle, 'handoff' as stage, handoff_at as entered_at,
        handoff_evidence as evidence
    from cycles
    where handoff_at is not null

),

-- Sales' decisions: the first change of the cycle to a status of each stage (conversion is
-- dated by the opportunity it creates)

status_events as (

    select
        cycles.unified_lead_id,
        cycles.cycle,
        status_changes.stage,
        status_changes.changed_at as entered_at,
        'LeadHistory Status change' as evidence,
        status_changes.new_status as status,
        status_changes.disqualification_reason,
        row_number() over (
            partition by cycles.unified_lead_id, cycles.cycle, status_changes.stage
            order by status_changes.changed_at, status_changes.lead_history_id
        ) as change_rank
    from status_changes
    inner join cycles
        on status_changes.unified_lead_id = cycles.unified_lead_id
        and status_changes.changed_at >= cycles.cycle_start_at
        and (
            cycles.next_cycle_start_at is null
            or status_changes.changed_at < cycles.next_cycle_start_at
        )
    where status_changes.stage in ('sal', 'sql', 'disqualified')

),

-- the opportunity the primary lead was converted into, and how it closed

converted_opportunities as (

    select
        primary_leads.unified_lead_id,
        opportunities.opportunity_id,
        opportunities.created_date,
        opportunities.stage_name,
        opportunities.is_closed,
        opportunities.is_won
    from primary_leads
    inner join opportunities
        on primary_leads.converted_opportunity_id = opportunities.opportunity_id

),

opportunity_events as (

    select
        cycles.unified_lead_id,
        cycles.cycle,
        converted_opportunities.opportunity_id,
        converted_opportunities.created_date,
        converted_opportunities.stage_name,
        converted_opportunities.is_closed,
        converted_opportunities.is_won
    from converted_opportunities
    inner join cycles
        on converted_opportunities.unified_lead_id = cycles.unified_lead_id
        and converted_opportunities.created_date >= cycles.cycle_start_at
        and (
            cycles.next_cycle_start_at is null
            or converted_opportunities.created_date < cycles.next_cycle_start_at
        )

),

closing_rows as (

    -- won: the first history row at a customer stage; lost: the first row at the stage the
    -- opportunity was closed lost at
    select
        opportunity_events.unified_lead_id,
        opportunity_events.cycle,
        case when opportunity_stages.stage is not null then 'won' else 'lost' end as stage,
        opportunity_history.created_date as entered_at,
        opportunity_history.stage_name,
        row_number() over (
            partition by opportunity_events.opportunity_id
            order by opportunity_history.created_date, opportunity_history.opportunity_history_id
        ) as closing_rank
    from opportunity_events
    inner join opportunity_history
        on opportunity_events.opportunity_id = opportunity_history.opportunity_id
    left join opportunity_stages
        on opportunity_history.stage_name = opportunity_stages.status
    where not opportunity_history.is_deleted
        and (
            opportunity_stages.stage is not null
            or (
                opportunity_events.is_closed
                and not opportunity_events.is_won
                and opportunity_history.stage_name = opportunity_events.stage_name
            )
        )

),

events as (

    select unified_lead_id, cycle, stage, entered_at, evidence,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as disqualification_reason
    from opening_events

    union all

    select unified_lead_id, cycle, stage, entered_at, evidence, status,
        disqualification_reason
    from status_events
    where change_rank = 1

    union all

    select unified_lead_id, cycle, 'opportunity' as stage, created_date as entered_at,
        'Opportunity CreatedDate (converted opportunity)' as evidence,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as disqualification_reason
    from opportunity_events

    union all

    select unified_lead_id, cycle, stage, entered_at,
        'OpportunityHistory closing row' as evidence,
        stage_name as status,
        cast(null as {{ dbt.type_string() }}) as disqualification_reason
    from closing_rows
    where closing_rank = 1

),

final as (

    select
        unified_lead_id,
        cycle,
        stage,
        entered_at,
        evidence,
        status,
        disqualification_reason
    from events

)

select * from final
