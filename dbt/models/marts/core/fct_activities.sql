with

activities as (

    select * from {{ ref('int_activities') }}

),

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

users as (

    select * from {{ ref('int_users') }}

),

first_touches as (

    select * from {{ ref('int_first_sales_touches') }}

),

-- the person of the record an activity is logged on (a record id names one record of its
-- tool: the first by entity when a lead and a contact share it)

person_activities as (

    select
        bridge.unified_lead_id,
        activities.*,
        row_number() over (
            partition by activities.activity_id
            order by bridge.source_entity desc, bridge.record_key
        ) as record_rank
    from activities
    inner join bridge
        on activities.source_system = bridge.source_system
        and activities.person_record_id = bridge.source_record_id

),

final as (

    select
        person_activities.unified_lead_id,
        person_activities.activity_id,
        person_activities.source_system,
        person_activities.person_record_id,
        person_activities.occurred_at,
        person_activities.activity_type,
        person_activities.tool_type,
        person_activities.subject,
        person_activities.is_done,
        person_activities.is_sales_touch,
        person_activities.owner_id,
        users.full_name as owner_name,
        first_touches.cycle as first_touch_of_cycle
    from person_activities
    left join users
        on person_activities.owner_id = users.user_id
    left join first_touches
        on person_activities.unified_lead_id = first_touches.unified_lead_id
        and person_activities.activity_id = first_touches.first_touch_task_id
    where person_activities.record_rank = 1

)

select * from final
