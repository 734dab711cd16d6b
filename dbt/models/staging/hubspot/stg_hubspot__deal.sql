{{ config(unique_key='deal_id') }}

with

source as (

    select * from {{ source('raw', 'hubspot__deal') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each deal
    select *
    from source
    {{ latest_delivery('record_id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_text('record_id') }} as deal_id,
        {{ clean_text('associated_contact_ids') }} as associated_contact_ids,
        {{ clean_text('associated_company_ids') }} as associated_company_ids,

        ----------  strings
        {{ clean_text('deal_name') }} as deal_name,
        {{ clean_text('pipeline') }} as pipeline,
        {{ clean_text('deal_stage') }} as deal_stage,
        {{ clean_text('deal_type') }} as deal_type,
        {{ clean_text('deal_owner') }} as deal_owner,
        {{ clean_text('currency') }} as currency,
        {{ clean_text('closed_lost_reason') }} as closed_lost_reason,
        {{ clean_text('closed_won_reason') }} as closed_won_reason,

        ----------  numerics
        {{ parse_number('amount', 'decimal(18, 2)') }} as amount,
        {{ parse_number('amount_in_company_currency', 'decimal(18, 2)') }} as amount_in_company_currency,

        ----------  timestamps
        {{ parse_timestamp('close_date') }} as close_date,
        {{ parse_timestamp('create_date') }} as create_date,
        {{ parse_timestamp('last_modified_date') }} as last_modified_date,

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
