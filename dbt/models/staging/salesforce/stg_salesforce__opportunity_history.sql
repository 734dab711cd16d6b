{{ config(unique_key='opportunity_history_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__opportunity_history') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each history row
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as opportunity_history_id,
        {{ clean_id('opportunity_id') }} as opportunity_id,
        {{ clean_id('created_by_id') }} as created_by_id,

        ----------  strings
        {{ clean_text('stage_name') }} as stage_name,
        {{ clean_text('forecast_category') }} as forecast_category,
        {{ clean_text('currency_iso_code') }} as currency_iso_code,

        ----------  numerics
        {{ parse_number('amount', 'decimal(18, 2)') }} as amount,
        {{ parse_number('probability') }} as probability,
        {{ parse_number('expected_revenue', 'decimal(18, 2)') }} as expected_revenue,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,

        ----------  dates
        {{ parse_date('close_date') }} as close_date,

        ----------  timestamps
        {{ parse_timestamp('created_date') }} as created_date,
        {{ parse_timestamp('system_modstamp') }} as system_modstamp,

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
