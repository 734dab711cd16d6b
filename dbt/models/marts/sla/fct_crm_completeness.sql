with

accepted as (

    select * from {{ ref('fct_accepted_leads') }}

),

-- which key fields each accepted lead holds, as 0/1 to be counted

flagged as (

    select
        sal_month,
        team,
        owner_id,
        owner_name,
        {%- for field in key_fields() %}
        case when has_{{ field }} then 1 else 0 end as has_{{ field }},
        {%- endfor %}
        case when has_key_fields then 1 else 0 end as has_key_fields
    from accepted

),

-- per owner, per team and for all of Sales

grouped as (

    select
        sal_month,
        coalesce(team, '(all)') as team,
        coalesce(owner_id, '(all)') as owner_id,
        coalesce(owner_name, '(all)') as owner_name,
        count(*) as accepted_count,
        {%- for field in key_fields() %}
        {{ count_flag('has_' ~ field) }} as with_{{ field }}_count,
        {%- endfor %}
        {{ count_flag('has_key_fields') }} as complete_count
    from flagged
    group by grouping sets (
        (sal_month, team, owner_id, owner_name),
        (sal_month, team),
        (sal_month)
    )

),

final as (

    select
        grouped.*,
        {%- for field in key_fields() %}
        {{ share('with_' ~ field ~ '_count', 'accepted_count') }} as {{ field }}_completeness_rate,
        {%- endfor %}
        {{ share('complete_count', 'accepted_count') }} as key_field_completeness_rate
    from grouped

)

select * from final
