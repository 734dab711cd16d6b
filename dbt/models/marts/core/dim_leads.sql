-- the survivors come from two intermediate models, each built on its own: as one query, the
-- seventeen survivorship CTEs and their joins held every hash table at once and spilled (at
-- 1 M people: 60 s, against about 20 s in three steps)
{{ config(
    materialized=smarketing.merge_materialization(),
    unique_key='unified_lead_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ drop_vanished_persons() }}"
) }}

with

fingerprints as (

    select * from {{ ref('int_lead_fingerprints') }}

),

-- a daily run rebuilds the persons whose records changed, as their survivors did
-- (macros/person_incremental.sql)
attributes as (

    select * from {{ ref('int_lead_attribute_survivors') }}
    {{ changed_persons_only('fingerprints') }}

),

contacts as (

    select * from {{ ref('int_lead_contact_survivors') }}

),

employee_segments as (

    select * from {{ source('config', 'employee_segments') }}

),

leads as (

    select

        ----------  ids
        attributes.unified_lead_id,

        ----------  person
        contacts.first_name,
        contacts.last_name,
        contacts.email,
        contacts.email_is_valid,
        contacts.email_is_personal,
        contacts.email_is_placeholder,
        contacts.email_is_shared,
        contacts.phone,
        contacts.phone_is_shared,

        ----------  company
        contacts.company,
        attributes.web_domain,
        attributes.country_code,
        attributes.employee_count,
        employee_segments.segment,
        attributes.industry,

        ----------  marketing and sales
        attributes.original_source,
        attributes.original_source_detail,
        attributes.channel,
        attributes.owner_id,
        attributes.owner_name,
        attributes.lead_status,
        attributes.lifecycle_stage,
        attributes.score,
        coalesce(attributes.email_opt_out, false) as email_opt_out,

        ----------  custom fields (var custom_fields, from smarketing.yml)
        {{ custom_field_columns('attributes') }}

        ----------  where each value came from (the record key of the surviving record)
        contacts.first_name_source,
        contacts.last_name_source,
        contacts.email_source,
        contacts.phone_source,
        contacts.company_source,
        attributes.web_domain_source,
        attributes.country_source,
        attributes.employee_count_source,
        attributes.industry_source,
        attributes.origin_source,
        attributes.owner_source,
        attributes.lead_status_source,
        attributes.lifecycle_stage_source,
        attributes.score_source,
        attributes.email_opt_out_source,
        {{ custom_field_columns('attributes', suffixes=['_source']) }}

        ----------  merged records
        attributes.source_record_count,
        attributes.salesforce_lead_count,
        attributes.salesforce_contact_count,
        attributes.hubspot_contact_count,
        attributes.has_probabilistic_match,

        ----------  timestamps
        attributes.first_created_at,
        attributes.last_modified_at,
        attributes.records_fingerprint

    from attributes
    left join contacts on attributes.unified_lead_id = contacts.unified_lead_id
    left join employee_segments
        on attributes.employee_count >= employee_segments.min_employees
        and (
            employee_segments.max_employees is null
            or attributes.employee_count <= employee_segments.max_employees
        )

),

-- whether Marketing brought the lead in (smarketing.yml `inbound`) and its key fields
-- (`key_fields`), each filled or not: both as macros/key_fields.sql says

final as (

    select
        leads.*,
        {{ is_inbound('leads.channel') }} as is_inbound,
        {%- for field in key_fields() %}
        {{ key_field_filled(field, 'leads') }} as has_{{ field }},
        {%- endfor %}
        {{ key_fields_filled('leads') }} as has_key_fields
    from leads

)

select * from final
