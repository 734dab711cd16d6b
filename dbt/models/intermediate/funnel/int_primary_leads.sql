{#- The tools whose records Sales works: Salesforce, and every mapped tool that also delivers
    opportunities, activities or stage changes (a CRM); a marketing tool's leads are not
    worked by Sales -#}
{%- set crm_tools = [] -%}
{%- for mapping in (var('mappings', []) or []) -%}
    {%- if mapping['entity'] in ('opportunity', 'activity', 'stage_change')
        and mapping['source_system'] not in crm_tools -%}
        {%- do crm_tools.append(mapping['source_system']) -%}
    {%- endif -%}
{%- endfor %}

with

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

mapped_persons as (

    select * from {{ ref('stg_mapped__persons') }}

),

users as (

    select * from {{ ref('int_users') }}

),

-- a Salesforce lead is a hand-off when a user outside the sales departments (the
-- marketing-automation sync) created it; a mapped record when it says it was handed over
-- (`handed_over`), or has a hand-off time

crm_records as (

    select
        bridge.unified_lead_id,
        bridge.record_key,
        'salesforce' as source_system,
        leads.lead_id,
        leads.created_date,
        leads.created_by_id,
        coalesce(not users.is_sales_user, true) as is_handoff,
        leads.created_date as handed_over_at,
        'Lead CreatedDate' as handoff_evidence,
        leads.owner_id,
        leads.converted_contact_id,
        leads.converted_opportunity_id
    from bridge
    inner join leads
        on bridge.source_record_id = leads.lead_id
    left join users
        on leads.created_by_id = users.user_id
    where bridge.source_system = 'salesforce'
        and bridge.source_entity = 'lead'
    {%- if crm_tools %}

    union all

    select
        bridge.unified_lead_id,
        bridge.record_key,
        mapped_persons.source_system,
        mapped_persons.record_id as lead_id,
        mapped_persons.created_at as created_date,
        cast(null as {{ dbt.type_string() }}) as created_by_id,
        coalesce(
            mapped_persons.handed_over,
            mapped_persons.handoff_at is not null
        ) as is_handoff,
        coalesce(mapped_persons.handoff_at, mapped_persons.created_at) as handed_over_at,
        case
            when mapped_persons.handoff_at is not null
                then {{ dbt.concat(['mapped_persons.source_system', "' handoff_at'"]) }}
            else {{ dbt.concat(['mapped_persons.source_system', "' created_at'"]) }}
        end as handoff_evidence,
        mapped_persons.owner as owner_id,
        cast(null as {{ dbt.type_string() }}) as converted_contact_id,
        cast(null as {{ dbt.type_string() }}) as converted_opportunity_id
    from bridge
    inner join mapped_persons
        on bridge.source_system = mapped_persons.source_system
        and bridge.source_entity = mapped_persons.source_entity
        and bridge.source_record_id = mapped_persons.record_id
    where mapped_persons.source_system in (
        {%- for tool in crm_tools %}'{{ tool }}'{{ ', ' if not loop.last }}{% endfor -%}
    )
    {%- endif %}

),

ranked as (

    select
        crm_records.*,
        row_number() over (
            partition by unified_lead_id
            order by created_date, record_key
        ) as lead_rank
    from crm_records

),

final as (

    select
        unified_lead_id,
        record_key,
        source_system,
        lead_id,
        created_date,
        created_by_id,
        is_handoff,
        case when is_handoff then handed_over_at end as handoff_at,
        case when is_handoff then handoff_evidence end as handoff_evidence,
        owner_id,
        converted_contact_id,
        converted_opportunity_id
    from ranked
    where lead_rank = 1

)

select * from final
