{#- users of these departments are sales users: only their tasks are sales touches -#}
{% set sales_departments = var('sales_departments') %}

with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

tasks as (

    select * from {{ ref('stg_salesforce__task') }}

),

events as (

    select * from {{ ref('stg_salesforce__event') }}

),

users as (

    select * from {{ ref('stg_salesforce__user') }}

),

sales_users as (

    select user_id
    from users
    where department in (
        {%- for department in sales_departments %}
        '{{ department }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )

),

handoffs as (

    select
        unified_lead_id,
        cycle,
        handoff_at,
        cycle_start_at,
        next_cycle_start_at
    from cycles
    where handoff_at is not null

),

-- the records a touch of the lead is logged on: the primary lead, and its contact once it is
-- converted (conversion moves the lead's tasks to the contact); a duplicate lead or a
-- customer's older contact of the same person does not count

lead_records as (

    select unified_lead_id, lead_id as who_id
    from primary_leads

    union all

    select unified_lead_id, converted_contact_id as who_id
    from primary_leads
    where converted_contact_id is not null

),

-- done calls, e-mails and meetings (Salesforce standard values) of a sales user, at the time
-- they were done (CompletedDateTime), however late they were logged; planned tasks, other
-- to-dos and what marketing or the sync logged are not touches. A meeting may also be an
-- Event (calendar entry): it counts once it has started, as of the build's as-of.

sales_touches as (

    select
        tasks.task_id,
        tasks.who_id,
        tasks.owner_id,
        tasks.completed_date_time as touched_at,
        case
            when tasks.task_type = 'Meeting' then 'meeting'
            when tasks.task_subtype = 'Call' then 'call'
            when tasks.task_subtype = 'Email' then 'email'
        end as touch_type
    from tasks
    inner join sales_users
        on tasks.owner_id = sales_users.user_id
    where tasks.status = 'Completed'
        and not tasks.is_deleted
        and tasks.completed_date_time is not null
        and (tasks.task_subtype in ('Call', 'Email') or tasks.task_type = 'Meeting')

    union all

    select
        events.event_id as task_id,
        events.who_id,
        events.owner_id,
        coalesce(events.start_date_time, events.activity_date_time) as touched_at,
        'meeting' as touch_type
    from events
    inner join sales_users
        on events.owner_id = sales_users.user_id
    where not events.is_deleted
        and coalesce(events.start_date_time, events.activity_date_time) <= {{ as_of() }}

),

-- touches within the cycle: at or after its start, before the next cycle's (a courtesy call
-- while the lead was nurtured belongs to the earlier cycle)

cycle_touches as (

    select
        handoffs.unified_lead_id,
        handoffs.cycle,
        handoffs.handoff_at,
        sales_touches.task_id,
        sales_touches.owner_id,
        sales_touches.touched_at,
        sales_touches.touch_type,
        row_number() over (
            partition by handoffs.unified_lead_id, handoffs.cycle
            order by sales_touches.touched_at, sales_touches.task_id
        ) as touch_rank
    from handoffs
    inner join lead_records
        on handoffs.unified_lead_id = lead_records.unified_lead_id
    inner join sales_touches
        on lead_records.who_id = sales_touches.who_id
        and sales_touches.touched_at >= handoffs.cycle_start_at
        and (
            handoffs.next_cycle_start_at is null
            or sales_touches.touched_at < handoffs.next_cycle_start_at
        )

),

final as (

    select
        unified_lead_id,
        cycle,
        handoff_at,
        touched_at as first_touch_at,
        touch_type as first_touch_type,
        task_id as first_touch_task_id,
        owner_id as first_touch_owner_id
    from cycle_touches
    where touch_rank = 1

)

select * from final
