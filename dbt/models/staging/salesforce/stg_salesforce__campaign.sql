{{ config(unique_key='campaign_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__campaign') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each campaign
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as campaign_id,
        {{ clean_id('parent_id') }} as parent_campaign_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('name') }} as campaign_name,
        {{ clean_text('type') }} as campaign_type,
        {{ clean_text('status') }} as status,
        {{ bound_field(source('raw', 'salesforce__campaign'), 'salesforce_campaign', 'channel') }}
            as channel,
        {{ bound_field(source('raw', 'salesforce__campaign'), 'salesforce_campaign', 'offer') }}
            as offer,
        {{ clean_text('description') }} as description,

        ----------  numerics
        {{ parse_number('budgeted_cost', 'decimal(18, 2)') }} as budgeted_cost,
        {{ parse_number('actual_cost', 'decimal(18, 2)') }} as actual_cost,
        {{ parse_number('expected_revenue', 'decimal(18, 2)') }} as expected_revenue,
        {{ parse_number('expected_response') }} as expected_response,
        {{ parse_number('number_sent', 'bigint') }} as number_sent,
        {{ parse_number('number_of_leads', 'bigint') }} as number_of_leads,
        {{ parse_number('number_of_converted_leads', 'bigint') }} as number_of_converted_leads,
        {{ parse_number('number_of_contacts', 'bigint') }} as number_of_contacts,
        {{ parse_number('number_of_responses', 'bigint') }} as number_of_responses,
        {{ parse_number('number_of_opportunities', 'bigint') }} as number_of_opportunities,
        {{ parse_number('number_of_won_opportunities', 'bigint') }} as number_of_won_opportunities,
        {{ parse_number('amount_all_opportunities', 'decimal(18, 2)') }} as amount_all_opportunities,
        {{ parse_number('amount_won_opportunities', 'decimal(18, 2)') }} as amount_won_opportunities,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,
        {{ parse_boolean('is_active', empty_as='false') }} as is_active,

        ----------  dates
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('end_date') }} as end_date,

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
