{{ config(unique_key='task_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__task') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each task
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as task_id,
        {{ clean_id('who_id') }} as who_id,
        {{ clean_id('what_id') }} as what_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('subject') }} as subject,
        {{ clean_text('type') }} as task_type,
        {{ clean_text('task_subtype') }} as task_subtype,
        {{ clean_text('status') }} as status,
        {{ clean_text('priority') }} as priority,
        {{ clean_text('call_type') }} as call_type,
        {{ clean_text('call_disposition') }} as call_disposition,
        {{ clean_text('description') }} as description,

        ----------  numerics
        {{ parse_number('call_duration_in_seconds', 'bigint') }} as call_duration_in_seconds,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,
        {{ parse_boolean('is_closed', empty_as='false') }} as is_closed,
        {{ parse_boolean('is_high_priority', empty_as='false') }} as is_high_priority,

        ----------  dates
        {{ parse_date('activity_date') }} as activity_date,

        ----------  timestamps
        {{ parse_timestamp('created_date') }} as created_date,
        {{ parse_timestamp('completed_date_time') }} as completed_date_time,
        {{ parse_timestamp('last_modified_date') }} as last_modified_date,
        {{ parse_timestamp('system_modstamp') }} as system_modstamp,

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
