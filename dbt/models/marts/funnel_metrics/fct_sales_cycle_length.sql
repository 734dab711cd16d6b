{#- duration name -> the instant it starts at; each ends at the win -#}
{%- set durations = {
    'lead_created_to_won_days': 'funnel.created_at',
    'mql_to_won_days': 'funnel.mql_at',
    'cycle_days': 'opportunities.created_at',
} -%}

with

opportunities as (

    select * from {{ ref('fct_opportunities') }}

),

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

-- won opportunities, in the month they were won, with the breakdowns of their lead's cycle

won as (

    select
        cast(
            {{ dbt.date_trunc('month', local_time('coalesce(opportunities.closed_at, '
                ~ local_day_start('opportunities.close_date') ~ ')')) }}
            as date
        ) as won_month,
        coalesce(funnel.segment, opportunities.segment, '(unknown)') as segment,
        coalesce(funnel.channel, opportunities.channel, '(unknown)') as channel,
        coalesce(funnel.campaign_name, '(unknown)') as campaign_name,
        coalesce(funnel.offer, opportunities.offer, '(unknown)') as offer,
        coalesce(funnel.team, '(unknown)') as team,
        -- in the corporate currency: an amount without a known rate is in no total
        opportunities.amount_corporate as amount,
        -- whole minutes, so averages and medians do not depend on summation order
        {%- for duration, started_at in durations.items() %}
        {{ minutes_between(started_at, 'opportunities.closed_at') }} as {{ duration }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from opportunities
    left join funnel
        on opportunities.unified_lead_id = funnel.unified_lead_id
        and opportunities.cycle = funnel.cycle
    where opportunities.is_won

),

final as (

    select
        won_month,
        {{ breakdown_labels() }},
        count(*) as won_count,
        {{ sum_cents('amount') }} as won_amount,
        {%- for duration in durations %}
        count({{ duration }}) as {{ duration }}_count,
        {{ days_from_minutes('avg(' ~ duration ~ ')') }} as {{ duration }}_average,
        {{ days_from_minutes('percentile_cont(0.5) within group (order by ' ~ duration ~ ')') }}
            as {{ duration }}_median
        {{- ',' if not loop.last }}
        {%- endfor %}
    from won
    group by won_month, {{ breakdown_cube() }}

)

select * from final
