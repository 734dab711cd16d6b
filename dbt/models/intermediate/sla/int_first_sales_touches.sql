with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

sales_touches as (

    select * from {{ ref('int_touches') }}

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

    select unified_lead_id, source_system, lead_id as who_id
    from primary_leads

    union all

    select unified_lead_id, source_system, converted_contact_id as who_id
    from primary_leads
    where converted_contact_id is not null

),

-- touches within the cycle: at or after its start, before the next cycle's (a courtesy call
-- while the lead was nurtured belongs to the earlier cycle)

cycle_touches as (

    select
        handoffs.unified_lead_id,
        handoffs.cycle,
        handoffs.handoff_at,
        sales_touches.touch_id as task_id,
        sales_touches.owner_id,
        sales_touches.touched_at,
        sales_touches.touch_type,
        row_number() over (
            partition by handoffs.unified_lead_id, handoffs.cycle
            order by sales_touches.touched_at, sales_touches.touch_id
        ) as touch_rank
    from handoffs
    inner join lead_records
        on handoffs.unified_lead_id = lead_records.unified_lead_id
    inner join sales_touches
        on lead_records.source_system = sales_touches.source_system
        and lead_records.who_id = sales_touches.person_record_id
        and {{ within_cycle('sales_touches.touched_at', 'handoffs') }}

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
