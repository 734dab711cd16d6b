{#- Every sales touch (a call, e-mail or meeting a rep did) of every tool, on the person record
    it was logged on: the activities of int_activities that are sales touches. -#}

with

activities as (

    select * from {{ ref('int_activities') }}

),

final as (

    select
        source_system,
        activity_id as touch_id,
        person_record_id,
        owner_id,
        occurred_at as touched_at,
        activity_type as touch_type
    from activities
    where is_sales_touch

)

select * from final
