-- every calendar day from 2000 to 2049: the time spine of the metric layer (MetricFlow fills
-- the days of a period without an event from it)

with

days as (

    {{ dbt.date_spine(
        'day',
        "cast('2000-01-01' as date)",
        "cast('2050-01-01' as date)"
    ) }}

),

final as (

    select cast(date_day as date) as day
    from days

)

select * from final
