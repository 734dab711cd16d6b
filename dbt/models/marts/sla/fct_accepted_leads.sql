{#-
    One row per lead cycle Sales accepted (SAL), with the key fields its primary lead holds:
    the grain fct_crm_completeness groups and the committee's key-field completeness counts,
    lead by lead.
-#}
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
        funnel.unified_lead_id,
        funnel.cycle,
        cast({{ dbt.date_trunc('month', local_time('funnel.sal_at')) }} as date) as sal_month,
        coalesce(funnel.segment, '(unknown)') as segment,
        coalesce(funnel.channel, '(unknown)') as channel,
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

final as (

    select
        unified_lead_id,
        cycle,
        sal_month,
        segment,
        channel,
        team,
        owner_id,
        owner_name,
        {%- for field in key_fields() %}
        {{ key_field_filled(field, 'accepted') }} as has_{{ field }},
        {%- endfor %}
        {{ key_fields_filled('accepted') }} as has_key_fields
    from accepted

)

select * from final
