{{ config(unique_key='lead_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__lead') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each lead
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as lead_id,
        {{ clean_id('master_record_id') }} as master_record_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('converted_account_id') }} as converted_account_id,
        {{ clean_id('converted_contact_id') }} as converted_contact_id,
        {{ clean_id('converted_opportunity_id') }} as converted_opportunity_id,
        {{ bound_field(source('raw', 'salesforce__lead'), 'salesforce_lead', 'hubspot_contact_id') }}
            as hubspot_contact_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('salutation') }} as salutation,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('name') }} as full_name,
        {{ clean_text('title') }} as title,
        {{ clean_text('company') }} as company,
        {{ clean_text('email') }} as email,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('mobile_phone') }} as mobile_phone,
        {{ clean_text('website') }} as website,
        {{ clean_text('street') }} as street,
        {{ clean_text('city') }} as city,
        {{ clean_text('state') }} as state,
        {{ clean_text('postal_code') }} as postal_code,
        {{ clean_text('country') }} as country,
        {{ clean_text('industry') }} as industry,
        {{ clean_text('rating') }} as rating,
        {{ clean_text('lead_source') }} as lead_source,
        {{ clean_text('status') }} as status,
        {{ bound_field(source('raw', 'salesforce__lead'), 'salesforce_lead', 'rejection_reason') }}
            as rejection_reason,
        {{ bound_field(source('raw', 'salesforce__lead'), 'salesforce_lead', 'offer') }} as offer,
        {{ clean_text('currency_iso_code') }} as currency_iso_code,
        {{ clean_text('description') }} as description,
        {{ clean_text('email_bounced_reason') }} as email_bounced_reason,

        ----------  numerics
        {{ parse_number('annual_revenue', 'decimal(18, 2)') }} as annual_revenue,
        {{ parse_number('number_of_employees', 'bigint') }} as number_of_employees,
        {{ parse_number(bound_field(source('raw', 'salesforce__lead'), 'salesforce_lead', 'lead_score')) }}
            as lead_score,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,
        {{ parse_boolean('is_converted', empty_as='false') }} as is_converted,
        {{ parse_boolean('is_unread_by_owner', empty_as='false') }} as is_unread_by_owner,
        {{ parse_boolean('has_opted_out_of_email', empty_as='false') }} as has_opted_out_of_email,
        {{ parse_boolean('do_not_call', empty_as='false') }} as do_not_call,

        ----------  dates
        {{ parse_date('converted_date') }} as converted_date,
        {{ parse_date('last_activity_date') }} as last_activity_date,

        ----------  timestamps
        {{ parse_timestamp('created_date') }} as created_date,
        {{ parse_timestamp('last_modified_date') }} as last_modified_date,
        {{ parse_timestamp('system_modstamp') }} as system_modstamp,
        {{ parse_timestamp('email_bounced_date') }} as email_bounced_date,

        ----------  custom fields (var custom_fields, from smarketing.yml): cleaned text
        {{ custom_field_staging_columns(source('raw', 'salesforce__lead'), 'salesforce_lead') }}

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
