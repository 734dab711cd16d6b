{{ config(unique_key='event_id') }}

with

source as (

    select * from {{ source('raw', 'hubspot__marketing_event') }}
    {{ new_deliveries() }}

),

value_labels as (

    -- every spelling of a coded value (English label, French label, internal code) -> its code
    select distinct
        property,
        code,
        {{ label_key('spelling') }} as spelling_key
    from (
        select property, code, label_en as spelling from {{ ref('hubspot_value_labels') }}
        union all
        select property, code, label_fr as spelling from {{ ref('hubspot_value_labels') }}
        union all
        select property, code, code as spelling from {{ ref('hubspot_value_labels') }}
    ) as spellings

),

deduplicated as (

    -- the latest delivery of each event
    select *
    from source
    {{ latest_delivery('event_id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_text('deduplicated.event_id') }} as event_id,
        {{ clean_text('deduplicated.contact_record_id') }} as contact_id,
        {{ clean_text('deduplicated.campaign_id') }} as campaign_id,

        ----------  strings
        {{ clean_text('deduplicated.email') }} as email,
        {{ clean_text('deduplicated.campaign_name') }} as campaign_name,
        {{ clean_text('deduplicated.asset_name') }} as asset_name,
        {{ clean_text('deduplicated.url') }} as url,

        ----------  coded properties: internal code, and the value as delivered
        event_types.code as event_type,
        {{ clean_text('deduplicated.event_type') }} as event_type_label,

        ----------  timestamps
        {{ parse_timestamp('deduplicated.occurred_at') }} as occurred_at,

        ----------  lineage
        deduplicated._source_file,
        deduplicated._row_number,
        deduplicated._loaded_at

    from deduplicated

    left join value_labels as event_types
        on event_types.property = 'event_type'
        and event_types.spelling_key = {{ label_key('deduplicated.event_type') }}

)

select * from renamed
