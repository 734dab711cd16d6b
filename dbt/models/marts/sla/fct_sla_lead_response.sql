-- business hours come from the business calendar, read by the macro business_hours_between
-- depends_on: {{ source('config', 'business_days') }}

with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

first_touches as (

    select * from {{ ref('int_first_sales_touches') }}

),

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

users as (

    select * from {{ ref('int_users') }}

),

first_touch_limits as (

    select * from {{ source('config', 'sla_first_touch_limits') }}

),

routing as (

    select * from {{ ref('int_handoff_routing') }}

),

handoffs as (

    select
        cycles.unified_lead_id,
        cycles.cycle,
        cycles.handoff_at,
        cycles.handoff_owner_id as owner_id,
        first_touches.first_touch_at,
        first_touches.first_touch_type,
        first_touches.first_touch_task_id,
        {{ as_of() }} as outcome_as_of,
        -- the response time runs to the first touch, or while there is none, to the as-of
        coalesce(first_touches.first_touch_at, {{ as_of() }}) as measured_until
    from cycles
    left join first_touches
        on cycles.unified_lead_id = first_touches.unified_lead_id
        and cycles.cycle = first_touches.cycle
    where cycles.handoff_at is not null

),

business_times as (

    {{ business_hours_between(
        'handoffs', ['unified_lead_id', 'cycle'], 'handoff_at', 'measured_until',
        output='business_hours'
    ) }}

),

limits as (

    -- the segment's limit, else the default (the row without a segment)
    select
        handoffs.unified_lead_id,
        handoffs.cycle,
        dim_leads.segment,
        coalesce(
            segment_limits.limit_business_hours, default_limits.limit_business_hours
        ) as limit_business_hours
    from handoffs
    left join dim_leads
        on handoffs.unified_lead_id = dim_leads.unified_lead_id
    left join first_touch_limits as segment_limits
        on dim_leads.segment = segment_limits.segment
    left join first_touch_limits as default_limits
        on default_limits.segment is null

),

responses as (

    select
        handoffs.*,
        limits.segment,
        limits.limit_business_hours,
        case when handoffs.first_touch_at is not null then business_times.business_hours end
            as business_hours_to_first_touch,
        case
            when handoffs.first_touch_at is not null
                then {{ seconds_between('handoffs.handoff_at', 'handoffs.first_touch_at') }}
                    / 3600.0
        end as calendar_hours_to_first_touch,
        case when handoffs.first_touch_at is null then business_times.business_hours end
            as business_hours_elapsed
    from handoffs
    inner join business_times
        on handoffs.unified_lead_id = business_times.unified_lead_id
        and handoffs.cycle = business_times.cycle
    inner join limits
        on handoffs.unified_lead_id = limits.unified_lead_id
        and handoffs.cycle = limits.cycle

),

final as (

    select
        responses.unified_lead_id,
        responses.cycle,
        responses.handoff_at,
        cast({{ dbt.date_trunc('month', local_time('responses.handoff_at')) }} as date)
            as handoff_month,
        responses.owner_id,
        owners.full_name as owner_name,
        owners.team,
        routing.expected_team,
        -- the owner's team is the one the routing rules name (unknown without an expected team)
        case
            when routing.expected_team is not null
                then coalesce(owners.team = routing.expected_team, false)
        end as is_routed_correctly,
        responses.segment,
        responses.first_touch_at,
        responses.first_touch_type,
        responses.first_touch_task_id,
        {{ round_half('responses.business_hours_to_first_touch', 2) }} as business_hours_to_first_touch,
        {{ round_half('responses.calendar_hours_to_first_touch', 2) }} as calendar_hours_to_first_touch,
        responses.limit_business_hours,
        {{ round_half('responses.business_hours_elapsed', 2) }} as business_hours_elapsed,
        -- decided on the unrounded business hours
        case
            when responses.first_touch_at is not null
                and responses.business_hours_to_first_touch <= responses.limit_business_hours
                then 'met'
            when responses.first_touch_at is not null
                then 'breached'
            when responses.business_hours_elapsed > responses.limit_business_hours
                then 'breached_open'
            else 'pending'
        end as outcome,
        responses.outcome_as_of
    from responses
    left join users as owners
        on responses.owner_id = owners.user_id
    left join routing
        on responses.unified_lead_id = routing.unified_lead_id
        and responses.cycle = routing.cycle

)

select * from final
