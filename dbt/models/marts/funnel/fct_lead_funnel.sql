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

marketing_events as (

    select * from {{ ref('int_marketing_events') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

users as (

    select * from {{ ref('int_users') }}

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
        max(disqualification_reason) as disqualification_reason,
        max(case when stage = 'disqualified' then status end) as disqualified_status,
        coalesce(max(case when stage = 'disqualified' and is_nurturing then 1 end) = 1, false)
            as is_nurtured
    from stage_events
    group by unified_lead_id, cycle

),

stage_durations as (

    -- days spent in a stage: from entering it to entering the next stage of the cycle
    -- (elapsed minutes / 1440, 2 decimals); none while the stage is the current one
    select
        unified_lead_id,
        cycle,
        {%- for stage in ['created', 'mql', 'handoff', 'sal', 'sql', 'opportunity'] %}
        max(case when stage = '{{ stage }}' then days_in_stage end) as days_in_{{ stage }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            unified_lead_id,
            cycle,
            stage,
            {{ days_from_minutes(minutes_between('entered_at', 'next_entered_at')) }}
                as days_in_stage
        from (
            select
                unified_lead_id,
                cycle,
                stage,
                entered_at,
                lead(entered_at) over (
                    partition by unified_lead_id, cycle
                    order by entered_at,
                        case stage
                            when 'created' then 1
                            when 'mql' then 2
                            when 'handoff' then 3
                            when 'sal' then 4
                            when 'sql' then 5
                            when 'opportunity' then 6
                            else 7
                        end
                ) as next_entered_at
            from stage_events
        ) as sequenced
    ) as durations
    group by unified_lead_id, cycle

),

-- the person's campaign: the one of the record that opened their history (dim_leads'
-- origin): a HubSpot contact's form submission at its Create Date (events name the
-- Salesforce campaign), or the earliest campaign of a Salesforce lead (its membership) or of a
-- mapped record (its marketing events)

-- one row per person, computed before the events are joined to it (else the events are joined
-- to every record first: 14 million rows at 1 million people)
opening_records as {{ materialized_cte() }} (

    select
        dim_leads.unified_lead_id,
        bridge.source_system,
        bridge.source_entity,
        bridge.source_record_id,
        person_records.created_at
    from dim_leads
    inner join bridge
        on dim_leads.origin_source = bridge.record_key
    inner join person_records
        on bridge.record_key = person_records.record_key

),

opening_campaigns as (

    select
        opening_records.unified_lead_id,
        marketing_events.campaign_id,
        marketing_events.campaign_name,
        marketing_events.offer,
        row_number() over (
            partition by opening_records.unified_lead_id
            order by marketing_events.occurred_at, marketing_events.event_id
        ) as campaign_rank
    from opening_records
    inner join marketing_events
        on opening_records.source_system = marketing_events.source_system
        and opening_records.source_record_id = marketing_events.person_record_id
        and (
            marketing_events.person_entity is null
            or opening_records.source_entity = marketing_events.person_entity
        )
    where (
            opening_records.source_system = 'hubspot'
            and marketing_events.campaign_id is not null
            and marketing_events.occurred_at = opening_records.created_at
            or opening_records.source_system = 'salesforce'
            and opening_records.source_entity = 'lead'
            or opening_records.source_system not in ('salesforce', 'hubspot')
            and marketing_events.campaign_name is not null
        )

),

person_campaigns as (

    select unified_lead_id, campaign_id, campaign_name, offer
    from opening_campaigns
    where campaign_rank = 1
        and campaign_name is not null

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
        stage_times.disqualified_status,
        stage_times.is_nurtured,
        stage_durations.days_in_created,
        stage_durations.days_in_mql,
        stage_durations.days_in_handoff,
        stage_durations.days_in_sal,
        stage_durations.days_in_sql,
        stage_durations.days_in_opportunity,
        cycles.handoff_owner_id,
        -- the cycle's owner: at hand-off, else (a lead a rep created) the lead's owner
        owners.user_id as owner_id,
        owners.full_name as owner_name,
        owners.team,
        current_stages.current_stage,
        cycles.next_cycle_start_at is not null as is_recycled,
        cycles.next_cycle_start_at as cycle_end_at,
        dim_leads.channel,
        dim_leads.is_inbound,
        dim_leads.segment,
        person_campaigns.campaign_id,
        person_campaigns.campaign_name,
        person_campaigns.offer
        ----------  custom fields (var custom_fields, from smarketing.yml): the person's (dim_leads)
        {{ custom_field_columns('dim_leads', comma='before') }}
    from cycles
    inner join stage_times
        on cycles.unified_lead_id = stage_times.unified_lead_id
        and cycles.cycle = stage_times.cycle
    inner join current_stages
        on cycles.unified_lead_id = current_stages.unified_lead_id
        and cycles.cycle = current_stages.cycle
    inner join stage_durations
        on cycles.unified_lead_id = stage_durations.unified_lead_id
        and cycles.cycle = stage_durations.cycle
    inner join dim_leads
        on cycles.unified_lead_id = dim_leads.unified_lead_id
    left join person_campaigns
        on cycles.unified_lead_id = person_campaigns.unified_lead_id
    left join primary_leads
        on cycles.unified_lead_id = primary_leads.unified_lead_id
    left join users as owners
        on coalesce(cycles.handoff_owner_id, primary_leads.owner_id) = owners.user_id

)

select * from final
