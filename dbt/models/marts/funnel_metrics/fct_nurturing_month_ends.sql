{#-
    At the end of each calendar month, one row per lead whose cycle running at that instant was
    handed over to Sales, and whether Sales had sent it back to nurturing by then: the grain
    fct_nurturing_share groups and the committee's nurturing share counts, lead by lead.
-#}
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

final as (

    select
        months.period_month,
        funnel.unified_lead_id,
        funnel.cycle,
        {{ breakdown_values('funnel.') }},
        coalesce(funnel.owner_name, '(unknown)') as owner_name,
        coalesce(
            funnel.is_nurtured
            and {{ local_time('funnel.disqualified_at') }}
                < {{ dbt.dateadd('month', 1, 'months.period_month') }},
            false
        ) as is_nurturing,
        months.period_month = bounds.last_month as is_month_in_progress
    from months
    cross join bounds
    inner join funnel
        on {{ local_time('funnel.handoff_at') }}
            < {{ dbt.dateadd('month', 1, 'months.period_month') }}
        and (
            funnel.cycle_end_at is null
            or {{ local_time('funnel.cycle_end_at') }}
                >= {{ dbt.dateadd('month', 1, 'months.period_month') }}
        )

)

select * from final
