{%- set bounds = var('speed_to_lead_bucket_bounds') -%}
{%- set labels = speed_to_lead_bucket_labels() -%}

with

responses as (

    select * from {{ ref('fct_sla_lead_response') }}

),

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

-- every hand-off with the bucket of its response time (business hours to the first touch)

handoffs as (

    select
        cast({{ dbt.date_trunc('month', local_time('responses.handoff_at')) }} as date)
            as handoff_month,
        case
            when responses.first_touch_at is null then '{{ labels[-1] }}'
            {%- for bound in bounds %}
            when responses.business_hours_to_first_touch < {{ bound }} then '{{ labels[loop.index0] }}'
            {%- endfor %}
            else '{{ labels[-2] }}'
        end as response_bucket,
        case
            when responses.first_touch_at is null then {{ bounds | length + 2 }}
            {%- for bound in bounds %}
            when responses.business_hours_to_first_touch < {{ bound }} then {{ loop.index }}
            {%- endfor %}
            else {{ bounds | length + 1 }}
        end as bucket_order,
        {{ breakdown_values('funnel.') }},
        case when funnel.sql_at is not null then 1 else 0 end as sql_flag,
        case when funnel.won_at is not null then 1 else 0 end as won_flag
    from responses
    inner join funnel
        on responses.unified_lead_id = funnel.unified_lead_id
        and responses.cycle = funnel.cycle

),

grouped as (

    select
        handoff_month,
        response_bucket,
        bucket_order,
        {{ breakdown_labels() }},
        count(*) as handoff_count,
        {{ count_flag('sql_flag') }} as sql_count,
        {{ count_flag('won_flag') }} as won_count
    from handoffs
    group by handoff_month, response_bucket, bucket_order, {{ breakdown_cube() }}

),

final as (

    select
        grouped.*,
        {{ share('sql_count', 'handoff_count') }} as sql_rate,
        {{ share('won_count', 'handoff_count') }} as win_rate
    from grouped

)

select * from final
