{{ config(materialized='table') }}

with

lead_records as (

    select * from {{ ref('int_lead_records') }}

),

-- one row per person: a fingerprint of every column of their records (survivorship reads
-- nothing else), so that the survivor models rebuild only the persons whose records changed

final as (

    select
        unified_lead_id,
        {{ records_fingerprint('lead_records') }} as records_fingerprint
    from lead_records
    group by unified_lead_id

)

select * from final
