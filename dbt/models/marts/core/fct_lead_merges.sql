-- how many source records the identity resolution merged into the leads, per segment and
-- channel ('(all)': every value; '(unknown)': leads without one), so that the dashboard's
-- filters select a row

with

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

leads as (

    select
        coalesce(segment, '(unknown)') as segment,
        coalesce(channel, '(unknown)') as channel,
        source_record_count
    from dim_leads

),

grouped as (

    select
        coalesce(segment, '(all)') as segment,
        coalesce(channel, '(all)') as channel,
        count(*) as lead_count,
        cast(sum(source_record_count) as {{ dbt.type_bigint() }}) as source_record_count
    from leads
    group by cube(segment, channel)

),

final as (

    select
        segment,
        channel,
        lead_count,
        source_record_count,
        source_record_count - lead_count as merged_record_count
    from grouped

)

select * from final
