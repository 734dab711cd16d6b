with

source as (

    select * from {{ source('raw', 'salesforce__opportunity') }}

),

deduplicated as (

    -- the latest delivery of each opportunity
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_text('id') }} as opportunity_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('owner_id') }} as owner_id,
        {{ clean_text('created_by_id') }} as created_by_id,
        {{ clean_text('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('name') }} as opportunity_name,
        {{ clean_text('type') }} as opportunity_type,
        {{ clean_text('stage_name') }} as stage_name,
        {{ clean_text('forecast_category') }} as forecast_category,
        {{ clean_text('forecast_category_name') }} as forecast_category_name,
        {{ clean_text('lead_source') }} as lead_source,
        {{ clean_text('offer__c') }} as offer,
        {{ clean_text('loss_reason__c') }} as loss_reason,
        {{ clean_text('next_step') }} as next_step,
        {{ clean_text('description') }} as description,

        ----------  numerics
        {{ parse_number('amount', 'decimal(18, 2)') }} as amount,
        {{ parse_number('probability') }} as probability,
        {{ parse_number('expected_revenue', 'decimal(18, 2)') }} as expected_revenue,
        {{ parse_number('fiscal_year', 'integer') }} as fiscal_year,
        {{ parse_number('fiscal_quarter', 'integer') }} as fiscal_quarter,

        ----------  booleans
        {{ parse_boolean('is_deleted', empty_as='false') }} as is_deleted,
        {{ parse_boolean('is_closed', empty_as='false') }} as is_closed,
        {{ parse_boolean('is_won', empty_as='false') }} as is_won,

        ----------  dates
        {{ parse_date('close_date') }} as close_date,
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
