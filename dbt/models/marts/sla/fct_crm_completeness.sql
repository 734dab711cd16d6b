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

-- every cycle accepted by Sales, with its primary lead (as last delivered), in whichever CRM

accepted as (

    select
        cast({{ dbt.date_trunc('month', local_time('funnel.sal_at')) }} as date) as sal_month,
        coalesce(funnel.team, '(unknown)') as team,
        coalesce(funnel.owner_id, '(unknown)') as owner_id,
        coalesce(funnel.owner_name, '(unknown)') as owner_name,
        leads.last_name,
        leads.email_is_valid,
        leads.email_is_placeholder,
        leads.phone,
        leads.company,
        leads.country_code,
        leads.number_of_employees as employee_count
    from funnel
    inner join primary_leads
        on funnel.unified_lead_id = primary_leads.unified_lead_id
    inner join leads
        on primary_leads.record_key = leads.record_key
    where funnel.sal_at is not null

),

-- which key fields (smarketing.yml `key_fields`) the primary lead holds, as
-- macros/key_fields.sql says

flagged as (

    select
        sal_month,
        team,
        owner_id,
        owner_name,
        {%- for field in key_fields() %}
        case when {{ key_field_filled(field, 'accepted') }} then 1 else 0 end as has_{{ field }},
        {%- endfor %}
        case when {{ key_fields_filled('accepted') }} then 1 else 0 end as has_key_fields
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
