{{ config(unique_key='opportunity_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__opportunity') }}
    {{ new_deliveries() }}

),

won_stages as (

    -- the stages the shared definition calls won (smarketing.yml stages.customer)
    select status as stage_name
    from {{ source('config', 'lead_status_stages') }}
    where salesforce_object = 'opportunity'
        and stage = 'customer'

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
        {{ clean_id('id') }} as opportunity_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('contact_id') }} as contact_id,
        {{ clean_id('campaign_id') }} as campaign_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('created_by_id') }} as created_by_id,
        {{ clean_id('last_modified_by_id') }} as last_modified_by_id,

        ----------  strings
        {{ clean_text('name') }} as opportunity_name,
        {{ clean_text('type') }} as opportunity_type,
        {{ clean_text('stage_name') }} as stage_name,
        {{ clean_text('forecast_category') }} as forecast_category,
        {{ clean_text('forecast_category_name') }} as forecast_category_name,
        {{ clean_text('lead_source') }} as lead_source,
        {{ bound_field(source('raw', 'salesforce__opportunity'), 'salesforce_opportunity', 'offer') }}
            as offer,
        {{ bound_field(source('raw', 'salesforce__opportunity'), 'salesforce_opportunity', 'loss_reason') }}
            as loss_reason,
        {{ clean_text('next_step') }} as next_step,
        {{ clean_text('currency_iso_code') }} as currency_iso_code,
        {{ clean_text('description') }} as description,

        ----------  numerics
        {{ parse_number('amount', 'decimal(18, 2)') }} as amount,
        {{ parse_number('probability') }} as probability,
        {{ parse_number('expected_revenue', 'decimal(18, 2)') }} as expected_revenue,
        {{ parse_number('fiscal_year', 'integer') }} as fiscal_year,
        {{ parse_number('fiscal_quarter', 'integer') }} as fiscal_quarter,

        ----------  booleans
        -- an export without IsDeleted (a report) holds no deleted record
        coalesce({{ parse_boolean('is_deleted', empty_as='false') }}, false) as is_deleted,
        -- an export without Won / Closed (an opportunity report): from the stage, as
        -- Salesforce sets them (a won stage of the shared definition; a `Closed …` stage)
        coalesce(
            {{ parse_boolean('is_closed', empty_as='false') }},
            {{ clean_text('stage_name') }} in (select stage_name from won_stages)
            or lower({{ clean_text('stage_name') }}) like 'closed%'
            or {{ clean_text('forecast_category') }} in ('Closed', 'Omitted')
        ) as is_closed,
        coalesce(
            {{ parse_boolean('is_won', empty_as='false') }},
            {{ clean_text('stage_name') }} in (select stage_name from won_stages)
        ) as is_won,

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
