-- leads by the number of source records merged into them, per segment and channel ('(all)':
-- every value; '(unknown)': leads without one)

with

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

leads as (

    select
        coalesce(segment, '(unknown)') as segment,
        coalesce(channel, '(unknown)') as channel,
        source_record_count as record_count
    from dim_leads

),

final as (

    select
        coalesce(segment, '(all)') as segment,
        coalesce(channel, '(all)') as channel,
        record_count,
        count(*) as lead_count
    from leads
    group by record_count, cube(segment, channel)

)

select * from final
