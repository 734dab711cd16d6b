{{ config(unique_key='currency_type_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__currency_type') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each currency
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as currency_type_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('iso_code') }} as iso_code,

        ----------  numerics
        {{ parse_number('conversion_rate') }} as conversion_rate,
        {{ parse_number('decimal_places', 'integer') }} as decimal_places,

        ----------  booleans
        {{ parse_boolean('is_active', empty_as='false') }} as is_active,
        {{ parse_boolean('is_corporate', empty_as='false') }} as is_corporate,

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
