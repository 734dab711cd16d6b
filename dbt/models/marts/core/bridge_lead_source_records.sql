with

person_links as (

    select * from {{ source('identity', 'person_links') }}

),

final as (

    select
        unified_lead_id,
        source_system,
        source_entity,
        source_record_id,
        match_rule,
        match_probability,
        record_key,
        matched_record_key
    from person_links

)

select * from final
