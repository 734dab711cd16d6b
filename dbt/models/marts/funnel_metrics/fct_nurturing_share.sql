with

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

-- calendar months (local time) from the first hand-off to the as-of month

bounds as (

    select
        cast({{ dbt.date_trunc('month', 'min(' ~ local_time('handoff_at') ~ ')') }} as date)
            as first_month,
        cast({{ dbt.date_trunc('month', local_time(as_of())) }} as date) as last_month
    from funnel

),

months as (

    {{ month_series('bounds') }}

),

-- at each month's end, every lead handed over in its current cycle (the cycle running at
-- that instant), and whether Sales had sent it back to nurturing by then

month_end_cycles as (

    select
        months.period_month,
        {{ breakdown_values('funnel.') }},
        case
            when funnel.is_nurtured
                and {{ local_time('funnel.disqualified_at') }}
                    < {{ dbt.dateadd('month', 1, 'months.period_month') }}
                then 1
            else 0
        end as nurturing_flag
    from months
    inner join funnel
        on {{ local_time('funnel.handoff_at') }}
            < {{ dbt.dateadd('month', 1, 'months.period_month') }}
        and (
            funnel.cycle_end_at is null
            or {{ local_time('funnel.cycle_end_at') }}
                >= {{ dbt.dateadd('month', 1, 'months.period_month') }}
        )

),

snapshots as (

    select
        period_month,
        {{ breakdown_labels() }},
        count(*) as handed_over_count,
        {{ count_flag('nurturing_flag') }} as nurturing_count
    from month_end_cycles
    group by period_month, {{ breakdown_cube() }}

),

final as (

    select
        snapshots.*,
        {{ share('nurturing_count', 'handed_over_count') }} as nurturing_share,
        -- the as-of month is not over: its figures are as of the as-of date
        period_month = (select last_month from bounds) as is_month_in_progress
    from snapshots

)

select * from final
