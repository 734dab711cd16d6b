{#- users of these departments are sales users; a lead created by anyone else (the
    marketing-automation sync) is a hand-off from Marketing -#}
{% set sales_departments = var('sales_departments') %}

with

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

users as (

    select * from {{ ref('stg_salesforce__user') }}

),

person_leads as (

    select
        bridge.unified_lead_id,
        leads.lead_id,
        leads.created_date,
        leads.created_by_id,
        leads.owner_id,
        leads.converted_contact_id,
        leads.converted_opportunity_id,
        row_number() over (
            partition by bridge.unified_lead_id
            order by leads.created_date, leads.lead_id
        ) as lead_rank
    from bridge
    inner join leads
        on bridge.source_record_id = leads.lead_id
    where bridge.source_system = 'salesforce'
        and bridge.source_entity = 'lead'

),

final as (

    select
        person_leads.unified_lead_id,
        person_leads.lead_id,
        person_leads.created_date,
        person_leads.created_by_id,
        coalesce(
            users.department not in (
                {%- for department in sales_departments %}
                '{{ department }}'{{ ',' if not loop.last }}
                {%- endfor %}
            ),
            true
        ) as is_handoff,
        person_leads.owner_id,
        person_leads.converted_contact_id,
        person_leads.converted_opportunity_id
    from person_leads
    left join users
        on person_leads.created_by_id = users.user_id
    where person_leads.lead_rank = 1

)

select * from final
