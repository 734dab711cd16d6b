{{ config(unique_key='account_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__account') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each account
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as account_id,
        {{ clean_id('master_record_id') }} as master_record_id,
        {{ clean_id('parent_id') }} as parent_account_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('name') }} as account_name,
        {{ clean_text('type') }} as account_type,
        {{ clean_text('industry') }} as industry,
        {{ bound_field(source('raw', 'salesforce__account'), 'salesforce_account', 'segment') }}
            as segment,
        {{ clean_text('account_source') }} as account_source,
        {{ clean_text('ownership') }} as ownership,
        {{ clean_text('rating') }} as rating,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('website') }} as website,
        {{ clean_text('billing_street') }} as billing_street,
        {{ clean_text('billing_city') }} as billing_city,
        {{ clean_text('billing_state') }} as billing_state,
        {{ clean_text('billing_postal_code') }} as billing_postal_code,
        {{ clean_text('billing_country') }} as billing_country,
        {{ clean_text('currency_iso_code') }} as currency_iso_code,
        {{ clean_text('description') }} as description,

        ----------  numerics
        {{ parse_number('annual_revenue', 'decimal(18, 2)') }} as annual_revenue,
        {{ parse_number('number_of_employees', 'bigint') }} as number_of_employees,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,

        ----------  dates
        {{ parse_date('last_activity_date') }} as last_activity_date,

        ----------  timestamps
        {{ parse_timestamp('created_date') }} as created_date,
        {{ parse_timestamp('last_modified_date') }} as last_modified_date,
        {{ parse_timestamp('system_modstamp') }} as system_modstamp,

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
