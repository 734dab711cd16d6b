with

month_ends as (

    select * from {{ ref('fct_nurturing_month_ends') }}

),

snapshots as (

    select
        period_month,
        {{ breakdown_labels() }},
        count(*) as handed_over_count,
        {{ count_flag('case when is_nurturing then 1 else 0 end') }} as nurturing_count,
        -- every row of a month holds the same flag: the as-of month, not over yet
        {{ dbt.bool_or('is_month_in_progress') }} as is_month_in_progress
    from month_ends
    group by period_month, {{ breakdown_cube() }}

),

final as (

    select
        period_month,
        {%- for column in funnel_breakdowns() %}
        {{ column }},
        {%- endfor %}
        handed_over_count,
        nurturing_count,
        {{ share('nurturing_count', 'handed_over_count') }} as nurturing_share,
        is_month_in_progress
    from snapshots

)

select * from final
