-- how many source records the identity resolution merged into the leads, per segment and
-- channel ('(all)': every value; '(unknown)': leads without one), so that the dashboard's
-- filters select a row: the distribution of fct_lead_record_counts added up

with

record_counts as (

    select * from {{ ref('fct_lead_record_counts') }}

),

grouped as (

    select
        segment,
        channel,
        cast(sum(lead_count) as {{ dbt.type_bigint() }}) as lead_count,
        cast(sum(record_count * lead_count) as {{ dbt.type_bigint() }}) as source_record_count
    from record_counts
    group by segment, channel

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
