{{ config(unique_key='dated_conversion_rate_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__dated_conversion_rate') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each dated rate
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as dated_conversion_rate_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('iso_code') }} as iso_code,

        ----------  numerics
        {{ parse_number('conversion_rate') }} as conversion_rate,

        ----------  dates
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('next_start_date') }} as next_start_date,

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
