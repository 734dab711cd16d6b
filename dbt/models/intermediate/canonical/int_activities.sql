{#- Every activity logged on a person record, of every tool, and whether it is a sales touch
    (a call, e-mail or meeting a sales rep did). Salesforce: the Tasks (a touch when
    Completed, a `Call` or `Email` subtype or a `Meeting` type, owned by a sales user, at its
    CompletedDateTime however late it was logged) and the Events (calendar meetings: a touch of
    a sales user once started, as of the build's as-of). Mapped activities: a touch when done
    (`is_done`, true when not mapped), of type call, email or meeting (`values` of the type,
    else its own name), once past; a CRM's activities are its reps'. Deleted records are left
    out. -#}

with

tasks as (

    select * from {{ ref('stg_salesforce__task') }}

),

events as (

    select * from {{ ref('stg_salesforce__event') }}

),

mapped_activities as (

    select * from {{ ref('stg_mapped__activities') }}

),

users as (

    select * from {{ ref('int_users') }}

),

sales_users as (

    select user_id
    from users
    where source_system = 'salesforce'
        and is_sales_user

),

salesforce_tasks as (

    select
        'salesforce' as source_system,
        tasks.task_id as activity_id,
        tasks.who_id as person_record_id,
        tasks.owner_id,
        case
            when tasks.task_type = 'Meeting' then 'meeting'
            when tasks.task_subtype = 'Call' then 'call'
            when tasks.task_subtype = 'Email' then 'email'
            else 'other'
        end as activity_type,
        coalesce(tasks.task_subtype, tasks.task_type) as tool_type,
        tasks.subject,
        coalesce(tasks.status = 'Completed', false) as is_done,
        coalesce(tasks.completed_date_time, tasks.created_date) as occurred_at,
        coalesce(
            tasks.status = 'Completed'
            and tasks.completed_date_time is not null
            and (tasks.task_subtype in ('Call', 'Email') or tasks.task_type = 'Meeting')
            and sales_users.user_id is not null,
            false
        ) as is_sales_touch
    from tasks
    left join sales_users
        on tasks.owner_id = sales_users.user_id
    where not tasks.is_deleted
        and tasks.who_id is not null

),

salesforce_events as (

    select
        'salesforce' as source_system,
        events.event_id as activity_id,
        events.who_id as person_record_id,
        events.owner_id,
        'meeting' as activity_type,
        coalesce(events.event_subtype, events.event_type, 'Event') as tool_type,
        events.subject,
        coalesce(
            coalesce(events.start_date_time, events.activity_date_time) <= {{ as_of() }}, false
        ) as is_done,
        coalesce(events.start_date_time, events.activity_date_time) as occurred_at,
        coalesce(
            coalesce(events.start_date_time, events.activity_date_time) <= {{ as_of() }}
            and sales_users.user_id is not null,
            false
        ) as is_sales_touch
    from events
    left join sales_users
        on events.owner_id = sales_users.user_id
    where not events.is_deleted
        and events.who_id is not null

),

mapped_typed as (

    select
        mapped_activities.*,
        coalesce(
            touch_type,
            case
                when lower(type) in ('call', 'email', 'meeting') then lower(type)
                when lower(type) = 'e-mail' then 'email'
                else 'other'
            end
        ) as activity_type
    from mapped_activities
    where not coalesce(is_deleted, false)
        and person_record_id is not null

),

mapped as (

    select
        source_system,
        {{ dbt.concat(['source_system', "':'", 'record_id']) }} as activity_id,
        person_record_id,
        owner as owner_id,
        activity_type,
        type as tool_type,
        subject,
        coalesce(is_done, occurred_at <= {{ as_of() }}, false) as is_done,
        coalesce(occurred_at, created_at) as occurred_at,
        coalesce(
            activity_type in ('call', 'email', 'meeting')
            and coalesce(is_done, true)
            and occurred_at <= {{ as_of() }},
            false
        ) as is_sales_touch
    from mapped_typed

),

final as (

    select * from salesforce_tasks
    union all
    select * from salesforce_events
    union all
    select * from mapped

)

select * from final
