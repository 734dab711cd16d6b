{{ config(unique_key='company_id') }}

with

source as (

    select * from {{ source('raw', 'hubspot__company') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each company
    select *
    from source
    {{ latest_delivery('record_id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_text('record_id') }} as company_id,
        {{ clean_text('associated_contact_ids') }} as associated_contact_ids,

        ----------  strings
        {{ clean_text('name') }} as name,
        {{ clean_text('company_domain_name') }} as company_domain_name,
        {{ clean_text('website_url') }} as website_url,
        {{ clean_text('phone_number') }} as phone_number,
        {{ clean_text('city') }} as city,
        {{ clean_text('state') }} as state,
        {{ clean_text('country') }} as country,
        {{ clean_text('industry') }} as industry,
        {{ clean_text('number_of_employees') }} as number_of_employees,
        {{ clean_text('lifecycle_stage') }} as lifecycle_stage,
        {{ clean_text('company_owner') }} as company_owner,

        ----------  numerics
        {{ parse_number('annual_revenue', 'decimal(18, 2)') }} as annual_revenue,

        ----------  timestamps
        {{ parse_timestamp('create_date') }} as create_date,
        {{ parse_timestamp('last_modified_date') }} as last_modified_date,

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
