{{ config(unique_key='contact_id') }}

with

source as (

    select * from {{ source('raw', 'hubspot__contact') }}
    {{ new_deliveries() }}

),

value_labels as (

    -- every spelling of a coded value (English label, French label, internal code) -> its code
    select distinct
        property,
        code,
        {{ label_key('spelling') }} as spelling_key
    from (
        select property, code, label_en as spelling from {{ ref('hubspot_value_labels') }}
        union all
        select property, code, label_fr as spelling from {{ ref('hubspot_value_labels') }}
        union all
        select property, code, code as spelling from {{ ref('hubspot_value_labels') }}
    ) as spellings

),

deduplicated as (

    -- the latest delivery of each contact
    select *
    from source
    {{ latest_delivery('record_id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_text('deduplicated.record_id') }} as contact_id,
        {{ clean_text('deduplicated.salesforce_lead_id') }} as salesforce_lead_id,
        {{ clean_text('deduplicated.salesforce_contact_id') }} as salesforce_contact_id,
        -- the first of the associated company ids, else the company of an export with associations
        coalesce(
            {{ clean_text(dbt.split_part(clean_text('deduplicated.associated_company_ids'), "';'", 1)) }},
            {{ clean_text(optional_column(
                source('raw', 'hubspot__contact'), 'company__record_id', prefix='deduplicated'
            )) }}
        ) as associated_company_id,

        ----------  strings
        {{ clean_text('deduplicated.first_name') }} as first_name,
        {{ clean_text('deduplicated.last_name') }} as last_name,
        {{ clean_text('deduplicated.email') }} as email,
        {{ clean_text('deduplicated.phone_number') }} as phone_number,
        {{ clean_text('deduplicated.mobile_phone_number') }} as mobile_phone_number,
        {{ clean_text('deduplicated.job_title') }} as job_title,
        {{ clean_text('deduplicated.company_name') }} as company_name,
        {{ clean_text('deduplicated.website_url') }} as website_url,
        {{ clean_text('deduplicated.industry') }} as industry,
        {{ clean_text('deduplicated.number_of_employees') }} as number_of_employees,
        {{ clean_text('deduplicated.city') }} as city,
        {{ clean_text('deduplicated.country') }} as country,
        {{ clean_text('deduplicated.contact_owner') }} as contact_owner,
        {{ clean_text('deduplicated.original_source_drill_down_1') }} as original_source_drill_down_1,
        {{ clean_text('deduplicated.original_source_drill_down_2') }} as original_source_drill_down_2,
        {{ clean_text('deduplicated.first_conversion') }} as first_conversion,

        ----------  coded properties: internal code, and the value as delivered
        lifecycle_stages.code as lifecycle_stage,
        {{ clean_text('deduplicated.lifecycle_stage') }} as lifecycle_stage_label,
        lead_statuses.code as lead_status,
        {{ clean_text('deduplicated.lead_status') }} as lead_status_label,
        original_sources.code as original_source,
        {{ clean_text('deduplicated.original_source') }} as original_source_label,

        ----------  numerics
        {{ parse_number('deduplicated.hubspot_score') }} as hubspot_score,

        ----------  booleans
        {{ parse_boolean('deduplicated.unsubscribed_from_all_email') }} as unsubscribed_from_all_email,

        ----------  timestamps
        {{ parse_timestamp('deduplicated.create_date') }} as create_date,
        {{ parse_timestamp('deduplicated.last_modified_date') }} as last_modified_date,
        {{ parse_timestamp('deduplicated.became_a_lead_date') }} as became_a_lead_date,
        {{ parse_timestamp('deduplicated.became_a_marketing_qualified_lead_date') }}
            as became_a_marketing_qualified_lead_date,
        {{ parse_timestamp('deduplicated.became_a_sales_qualified_lead_date') }}
            as became_a_sales_qualified_lead_date,
        {{ parse_timestamp('deduplicated.became_an_opportunity_date') }} as became_an_opportunity_date,
        {{ parse_timestamp('deduplicated.became_a_customer_date') }} as became_a_customer_date,

        ----------  custom fields (var custom_fields, from smarketing.yml): cleaned text
        {{ custom_field_staging_columns(
            source('raw', 'hubspot__contact'), 'hubspot_contact', prefix='deduplicated'
        ) }}

        ----------  lineage
        deduplicated._source_file,
        deduplicated._row_number,
        deduplicated._loaded_at

    from deduplicated

    left join value_labels as lifecycle_stages
        on lifecycle_stages.property = 'lifecycle_stage'
        and lifecycle_stages.spelling_key = {{ label_key('deduplicated.lifecycle_stage') }}

    left join value_labels as lead_statuses
        on lead_statuses.property = 'lead_status'
        and lead_statuses.spelling_key = {{ label_key('deduplicated.lead_status') }}

    left join value_labels as original_sources
        on original_sources.property = 'original_source'
        and original_sources.spelling_key = {{ label_key('deduplicated.original_source') }}

)

select * from renamed
