{{ config(unique_key='event_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__event') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each event
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as event_id,
        {{ clean_id('who_id') }} as who_id,
        {{ clean_id('what_id') }} as what_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('subject') }} as subject,
        {{ clean_text('type') }} as event_type,
        {{ clean_text('event_subtype') }} as event_subtype,
        {{ clean_text('location') }} as location,
        {{ clean_text('show_as') }} as show_as,
        {{ clean_text('description') }} as description,

        ----------  numerics
        {{ parse_number('duration_in_minutes', 'bigint') }} as duration_in_minutes,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,
        {{ parse_boolean('is_all_day_event', empty_as='false') }} as is_all_day_event,
        {{ parse_boolean('is_private', empty_as='false') }} as is_private,

        ----------  dates
        {{ parse_date('activity_date') }} as activity_date,

        ----------  timestamps
        {{ parse_timestamp('activity_date_time') }} as activity_date_time,
        {{ parse_timestamp('start_date_time') }} as start_date_time,
        {{ parse_timestamp('end_date_time') }} as end_date_time,
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
