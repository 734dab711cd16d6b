{%- set won_cents = sum_cents('case when is_won then amount end') -%}
with

opportunities as (

    select * from {{ ref('fct_opportunities') }}

),

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

-- closed opportunities with the segment and industry of their lead

closed as (

    select
        coalesce(opportunities.segment, '(unknown)') as segment,
        coalesce(dim_leads.industry, '(unknown)') as industry,
        opportunities.is_won,
        -- in the corporate currency: an amount without a known rate is in no total
        opportunities.amount_corporate as amount,
        opportunities.cycle_days,
        coalesce(
            opportunities.closed_at,
            {{ local_day_start('opportunities.close_date') }}
        ) as closed_at
    from opportunities
    left join dim_leads
        on opportunities.unified_lead_id = dim_leads.unified_lead_id
    where opportunities.is_closed

),

-- all time, and the twelve months before the as-of date

windowed as (

    select 'all_time' as period_window, closed.* from closed

    union all

    select 'last_12_months' as period_window, closed.*
    from closed
    where closed.closed_at >= {{ dbt.dateadd('month', -12, as_of()) }}

),

-- a segment alone, and a segment within an industry (the finer ICP cell)

performance as (

    select
        period_window,
        case when grouping(industry) = 1 then 'segment' else 'segment_industry' end
            as ranking_level,
        segment,
        coalesce(industry, '(all)') as industry,
        count(*) as closed_count,
        count(case when is_won then 1 end) as won_count,
        count(case when not is_won then 1 end) as lost_count,
        coalesce({{ won_cents }}, 0) as won_revenue,
        {{ round_half(won_cents ~ ' / nullif(count(case when is_won then 1 end), 0)', 2) }}
            as average_won_amount,
        {{ round_half('avg(case when is_won then cycle_days end)', 2) }} as average_won_cycle_days
    from windowed
    group by grouping sets (
        (period_window, segment),
        (period_window, segment, industry)
    )

),

final as (

    select
        performance.*,
        {{ share('won_count', 'closed_count') }} as win_rate,
        rank() over (
            partition by period_window, ranking_level
            order by won_revenue desc
        ) as revenue_rank,
        rank() over (
            partition by period_window, ranking_level
            order by {{ share('won_count', 'closed_count') }} desc
        ) as win_rate_rank,
        -- the ICP question: the three cells that brought the most revenue
        rank() over (
            partition by period_window, ranking_level
            order by won_revenue desc
        ) <= 3 and won_revenue > 0 as is_top_three
    from performance

)

select * from final
