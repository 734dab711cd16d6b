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

    select * from {{ ref('int_opportunities') }}

),

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

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

-- Sales' decisions: the first change of the cycle to a status of each stage (a Salesforce
-- conversion is dated by the opportunity it creates; a mapped tool's status may say it
-- became an opportunity or a customer)

status_events as (

    select
        cycles.unified_lead_id,
        cycles.cycle,
        case when status_changes.stage = 'customer' then 'won' else status_changes.stage end
            as stage,
        status_changes.changed_at as entered_at,
        status_changes.evidence,
        status_changes.new_status as status,
        status_changes.disqualification_reason,
        status_changes.is_nurturing,
        row_number() over (
            partition by cycles.unified_lead_id, cycles.cycle, status_changes.stage
            order by status_changes.changed_at, status_changes.status_change_id
        ) as change_rank
    from status_changes
    inner join cycles
        on status_changes.unified_lead_id = cycles.unified_lead_id
        and {{ within_cycle('status_changes.changed_at', 'cycles') }}
    where status_changes.stage in ('sal', 'sql', 'disqualified')
        or (
            status_changes.source_system <> 'salesforce'
            and status_changes.stage in ('opportunity', 'customer')
        )

),

-- the opportunity of the cycle: the one the primary Salesforce lead was converted into, or a
-- mapped tool's first deal of the person in the cycle; and how it closed

person_opportunities as (

    select
        primary_leads.unified_lead_id,
        opportunities.opportunity_id,
        opportunities.source_system,
        opportunities.created_at,
        opportunities.won_at,
        opportunities.won_stage_name,
        opportunities.lost_at,
        opportunities.stage_name
    from primary_leads
    inner join opportunities
        on primary_leads.converted_opportunity_id = opportunities.opportunity_id
        and opportunities.source_system = 'salesforce'

    union all

    select distinct
        bridge.unified_lead_id,
        opportunities.opportunity_id,
        opportunities.source_system,
        opportunities.created_at,
        opportunities.won_at,
        opportunities.won_stage_name,
        opportunities.lost_at,
        opportunities.stage_name
    from opportunities
    inner join bridge
        on opportunities.source_system = bridge.source_system
        and opportunities.person_record_id = bridge.source_record_id
    where opportunities.source_system <> 'salesforce'
        and not opportunities.is_deleted

),

opportunity_events as (

    select
        cycles.unified_lead_id,
        cycles.cycle,
        person_opportunities.opportunity_id,
        person_opportunities.source_system,
        person_opportunities.created_at,
        person_opportunities.won_at,
        person_opportunities.won_stage_name,
        person_opportunities.lost_at,
        person_opportunities.stage_name,
        row_number() over (
            partition by cycles.unified_lead_id, cycles.cycle
            order by person_opportunities.created_at, person_opportunities.opportunity_id
        ) as opportunity_rank
    from person_opportunities
    inner join cycles
        on person_opportunities.unified_lead_id = cycles.unified_lead_id
        and {{ within_cycle('person_opportunities.created_at', 'cycles') }}

),

-- won at the first time it reached a stage of customers, lost at the first time it reached
-- the closed-lost stage it stands at (int_opportunities): whichever came first

closing_events as (

    select
        unified_lead_id,
        cycle,
        case when is_won_first then 'won' else 'lost' end as stage,
        case when is_won_first then won_at else lost_at end as entered_at,
        case
            when source_system = 'salesforce' then 'OpportunityHistory closing row'
            else {{ dbt.concat(['source_system', "' deal closed_at'"]) }}
        end as evidence,
        case when is_won_first then won_stage_name else stage_name end as status
    from (
        select
            opportunity_events.*,
            coalesce(won_at <= lost_at, won_at is not null) as is_won_first
        from opportunity_events
        where opportunity_rank = 1
            and (won_at is not null or lost_at is not null)
    ) as closed

),

events as (

    select unified_lead_id, cycle, stage, entered_at, evidence,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as disqualification_reason,
        false as is_nurturing
    from opening_events

    union all

    select unified_lead_id, cycle, stage, entered_at, evidence, status,
        disqualification_reason, is_nurturing
    from status_events
    where change_rank = 1

    union all

    select unified_lead_id, cycle, 'opportunity' as stage, created_at as entered_at,
        case
            when source_system = 'salesforce'
                then 'Opportunity CreatedDate (converted opportunity)'
            else {{ dbt.concat(['source_system', "' deal created_at'"]) }}
        end as evidence,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as disqualification_reason,
        false as is_nurturing
    from opportunity_events
    where opportunity_rank = 1

    union all

    select unified_lead_id, cycle, stage, entered_at, evidence, status,
        cast(null as {{ dbt.type_string() }}) as disqualification_reason,
        false as is_nurturing
    from closing_events

),

-- one event per stage and cycle: a mapped tool may date a stage twice (a status time and a
-- deal), the first one stands

first_events as (

    select
        events.*,
        row_number() over (
            partition by unified_lead_id, cycle, stage
            order by entered_at, evidence
        ) as event_rank
    from events

),

-- Marketing's stages open a cycle: an MQL or a hand-off dated after Sales already worked the
-- cycle (accepted, qualified, converted or closed it), or an MQL dated after the hand-off, is
-- no stage of it. A customer who fills in a form months after the deal was won becomes an MQL
-- in HubSpot; the cycle that was won stays created -> sal -> sql -> opportunity -> won.

cycle_events as (

    select
        first_events.*,
        min(
            case when stage in ('sal', 'sql', 'opportunity', 'won', 'lost') then entered_at end
        ) over (partition by unified_lead_id, cycle) as sales_worked_at
    from first_events
    where event_rank = 1

),

opening_checked as (

    select
        cycle_events.*,
        stage in ('mql', 'handoff')
            and coalesce(entered_at > sales_worked_at, false) as is_after_sales,
        min(
            case
                when stage = 'handoff' and not coalesce(entered_at > sales_worked_at, false)
                    then entered_at
            end
        ) over (partition by unified_lead_id, cycle) as kept_handoff_at
    from cycle_events

),

final as (

    select
        unified_lead_id,
        cycle,
        stage,
        entered_at,
        cast({{ local_time('entered_at') }} as date) as entered_date,
        evidence,
        status,
        disqualification_reason,
        is_nurturing
    from opening_checked
    where not is_after_sales
        and not (stage = 'mql' and coalesce(entered_at > kept_handoff_at, false))

)

select * from final
