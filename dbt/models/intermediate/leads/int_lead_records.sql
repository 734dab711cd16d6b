{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

person_records as (

    select * from {{ ref('int_person_records') }}

),

person_links as (

    select * from {{ source('identity', 'person_links') }}

),

person_phones as (

    select * from {{ source('identity', 'person_phones') }}

),

lifecycle_stages as (

    select * from {{ ref('hubspot_lifecycle_stages') }}

),

-- every source record with its unified lead, and what survivorship ranks it by

final as (

    select
        person_links.unified_lead_id,
        person_links.match_rule,
        person_records.record_key,
        person_records.source_system,
        person_records.source_entity,
        person_records.first_name,
        person_records.first_name_key,
        person_records.first_name_tidy,
        person_records.last_name,
        person_records.last_name_key,
        person_records.last_name_tidy,
        person_records.email_normalised,
        person_records.email_is_valid,
        person_records.is_personal_email,
        person_records.email_is_placeholder,
        person_records.email_is_shared,
        person_records.company,
        person_records.company_key,
        person_records.web_domain,
        person_records.web_domain_origin,
        person_records.country_code,
        person_records.number_of_employees,
        person_records.industry,
        person_records.original_source,
        person_records.original_source_detail,
        person_records.channel,
        person_records.original_source_is_sync,
        person_records.owner_id,
        person_records.owner_name,
        person_records.lead_status,
        person_records.lifecycle_stage,
        lifecycle_stages.stage_order as lifecycle_stage_order,
        person_records.score,
        person_records.email_opt_out,
        person_records.is_deleted,
        {{ custom_field_columns('person_records') }}
        person_records.created_at,
        person_records.modified_at,
        person_phones.phone_e164,
        person_phones.mobile_phone_e164,
        person_phones.personal_phone_e164
    from person_records
    inner join person_links
        on person_records.record_key = person_links.record_key
    left join person_phones
        on person_records.record_key = person_phones.record_key
    left join lifecycle_stages
        on person_records.lifecycle_stage = lifecycle_stages.lifecycle_stage

)

select * from final
