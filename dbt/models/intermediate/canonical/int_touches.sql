{#- Every sales touch (call, e-mail, meeting a rep did) of every tool, on the person record
    it was logged on. Salesforce: done calls, e-mails and meetings (standard values) of a sales
    user at the time they were done (CompletedDateTime), however late they were logged, and
    Events (calendar meetings) once started, as of the build's as-of; planned tasks, other
    to-dos and what marketing or the sync logged are not touches. Mapped activities: the done
    ones of type call, email or meeting (`values` of the type, else its own name), at their
    time, once it is past; a CRM's activities are its reps'. -#}

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
        tasks.task_id as touch_id,
        tasks.who_id as person_record_id,
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

),

salesforce_events as (

    select
        'salesforce' as source_system,
        events.event_id as touch_id,
        events.who_id as person_record_id,
        events.owner_id,
        coalesce(events.start_date_time, events.activity_date_time) as touched_at,
        'meeting' as touch_type
    from events
    inner join sales_users
        on events.owner_id = sales_users.user_id
    where not events.is_deleted
        and coalesce(events.start_date_time, events.activity_date_time) <= {{ as_of() }}

),

mapped_typed as (

    select
        source_system,
        record_id,
        person_record_id,
        owner,
        occurred_at,
        coalesce(
            touch_type,
            case
                when lower(type) in ('call', 'email', 'meeting') then lower(type)
                when lower(type) = 'e-mail' then 'email'
            end
        ) as touch_type
    from mapped_activities
    where person_record_id is not null
        and coalesce(is_done, true)
        and not coalesce(is_deleted, false)
        and occurred_at <= {{ as_of() }}

),

mapped as (

    select
        source_system,
        {{ dbt.concat(['source_system', "':'", 'record_id']) }} as touch_id,
        person_record_id,
        owner as owner_id,
        occurred_at as touched_at,
        touch_type
    from mapped_typed
    where touch_type in ('call', 'email', 'meeting')

),

final as (

    select * from salesforce_tasks
    union all
    select * from salesforce_events
    union all
    select * from mapped

)

select * from final
