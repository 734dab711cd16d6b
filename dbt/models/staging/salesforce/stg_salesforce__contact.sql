{{ config(unique_key='contact_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__contact') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each contact
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as contact_id,
        {{ clean_id('master_record_id') }} as master_record_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('reports_to_id') }} as reports_to_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('salutation') }} as salutation,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('name') }} as full_name,
        {{ clean_text('title') }} as title,
        {{ clean_text('department') }} as department,
        {{ clean_text('email') }} as email,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('mobile_phone') }} as mobile_phone,
        {{ clean_text('mailing_street') }} as mailing_street,
        {{ clean_text('mailing_city') }} as mailing_city,
        {{ clean_text('mailing_state') }} as mailing_state,
        {{ clean_text('mailing_postal_code') }} as mailing_postal_code,
        {{ clean_text('mailing_country') }} as mailing_country,
        {{ clean_text('lead_source') }} as lead_source,
        {{ clean_text('email_bounced_reason') }} as email_bounced_reason,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,
        {{ parse_boolean('has_opted_out_of_email', empty_as='false') }} as has_opted_out_of_email,
        {{ parse_boolean('do_not_call', empty_as='false') }} as do_not_call,
        {{ parse_boolean('is_email_bounced', empty_as='false') }} as is_email_bounced,

        ----------  dates
        {{ parse_date('last_activity_date') }} as last_activity_date,

        ----------  timestamps
        {{ parse_timestamp('created_date') }} as created_date,
        {{ parse_timestamp('last_modified_date') }} as last_modified_date,
        {{ parse_timestamp('system_modstamp') }} as system_modstamp,
        {{ parse_timestamp('email_bounced_date') }} as email_bounced_date,

        ----------  custom fields (var custom_fields, from smarketing.yml): cleaned text
        {{ custom_field_staging_columns(
            source('raw', 'salesforce__contact'), 'salesforce_contact'
        ) }}

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
