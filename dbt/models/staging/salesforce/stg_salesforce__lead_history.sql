{{ config(unique_key='lead_history_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__lead_history') }}
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
        {{ clean_id('id') }} as lead_history_id,
        {{ clean_id('lead_id') }} as lead_id,
        {{ clean_id('created_by_id') }} as created_by_id,

        ----------  strings
        {{ clean_text('field') }} as field,
        {{ clean_text('data_type') }} as data_type,
        {{ clean_text('old_value') }} as old_value,
        {{ clean_text('new_value') }} as new_value,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,

        ----------  timestamps
        {{ parse_timestamp('created_date') }} as created_date,

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
