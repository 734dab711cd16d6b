{{ config(unique_key='campaign_member_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__campaign_member') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each campaign member
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as campaign_member_id,
        {{ clean_id('campaign_id') }} as campaign_id,
        {{ clean_id('lead_id') }} as lead_id,
        {{ clean_id('contact_id') }} as contact_id,
        {{ clean_id('lead_or_contact_id') }} as lead_or_contact_id,
        {{ clean_id('lead_or_contact_owner_id') }} as lead_or_contact_owner_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('type') }} as member_type,
        {{ clean_text('status') }} as status,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,
        {{ parse_boolean('has_responded', empty_as='false') }} as has_responded,

        ----------  dates
        {{ parse_date('first_responded_date') }} as first_responded_date,

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
