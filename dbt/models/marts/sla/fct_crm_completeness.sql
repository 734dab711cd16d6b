{#- the key fields of a lead a rep keeps filled: column -> name in this model -#}
{%- set key_fields = {
    'last_name': 'name',
    'email': 'email',
    'phone': 'phone',
    'company': 'company',
    'country': 'country',
    'number_of_employees': 'employee_count',
} -%}

with

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

leads as (

    select * from {{ ref('int_person_records') }}

),

-- every cycle accepted by Sales, with which key fields its primary lead holds (as last
-- delivered), in whichever CRM

accepted as (

    select
        cast({{ dbt.date_trunc('month', local_time('funnel.sal_at')) }} as date) as sal_month,
        coalesce(funnel.team, '(unknown)') as team,
        coalesce(funnel.owner_id, '(unknown)') as owner_id,
        coalesce(funnel.owner_name, '(unknown)') as owner_name,
        {%- for column, name in key_fields.items() %}
        case when leads.{{ column }} is not null then 1 else 0 end as has_{{ name }},
        {%- endfor %}
        case
            when {% for column in key_fields %}leads.{{ column }} is not null
                {%- if not loop.last %} and {% endif %}{% endfor %}
                then 1
            else 0
        end as has_key_fields
    from funnel
    inner join primary_leads
        on funnel.unified_lead_id = primary_leads.unified_lead_id
    inner join leads
        on primary_leads.record_key = leads.record_key
    where funnel.sal_at is not null

),

-- per owner, per team and for all of Sales

grouped as (

    select
        sal_month,
        coalesce(team, '(all)') as team,
        coalesce(owner_id, '(all)') as owner_id,
        coalesce(owner_name, '(all)') as owner_name,
        count(*) as accepted_leads,
        {%- for name in key_fields.values() %}
        {{ count_flag('has_' ~ name) }} as with_{{ name }},
        {%- endfor %}
        {{ count_flag('has_key_fields') }} as complete_leads
    from accepted
    group by grouping sets (
        (sal_month, team, owner_id, owner_name),
        (sal_month, team),
        (sal_month)
    )

),

final as (

    select
        grouped.*,
        {%- for name in key_fields.values() %}
        {{ share('with_' ~ name, 'accepted_leads') }} as {{ name }}_completeness,
        {%- endfor %}
        {{ share('complete_leads', 'accepted_leads') }} as key_field_completeness
    from grouped

)

select * from final
