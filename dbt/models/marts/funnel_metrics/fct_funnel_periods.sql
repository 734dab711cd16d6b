{%- set stages = ['created', 'mql', 'handoff', 'sal', 'sql', 'opportunity', 'won', 'lost',
    'disqualified'] -%}

with

stage_events as (

    select * from {{ ref('fct_lead_stage_events') }}

),

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

opportunities as (

    select * from {{ ref('fct_opportunities') }}

),

-- the amount won by each cycle (a cycle converts into one opportunity)

won_amounts as (

    select unified_lead_id, cycle, {{ sum_cents('amount_corporate') }} as won_amount
    from opportunities
    where is_won
        and unified_lead_id is not null
    group by unified_lead_id, cycle

),

-- one row per stage entered, in the calendar month it was entered

entries as (

    select
        cast({{ dbt.date_trunc('month', local_time('stage_events.entered_at')) }} as date)
            as period_month,
        {{ breakdown_values('funnel.') }},
        {%- for stage in stages %}
        case when stage_events.stage = '{{ stage }}' then 1 else 0 end as {{ stage }}_flag,
        {%- endfor %}
        case when stage_events.stage = 'won' then won_amounts.won_amount end as won_amount
    from stage_events
    inner join funnel
        on stage_events.unified_lead_id = funnel.unified_lead_id
        and stage_events.cycle = funnel.cycle
    left join won_amounts
        on stage_events.unified_lead_id = won_amounts.unified_lead_id
        and stage_events.cycle = won_amounts.cycle

),

periods as (

    select
        period_month,
        {{ breakdown_labels() }},
        {%- for stage in stages %}
        {{ count_flag(stage ~ '_flag') }} as {{ stage }}_count,
        {%- endfor %}
        coalesce({{ sum_cents('won_amount') }}, 0) as won_amount
    from entries
    group by period_month, {{ breakdown_cube() }}

),

final as (

    select
        periods.*,
        -- period conversion: entries into a stage over entries into the stage before it in
        -- the same month (not the same leads: see fct_funnel_cohorts for that)
        {{ share('mql_count', 'created_count') }} as created_to_mql_rate,
        {{ share('sal_count', 'handoff_count') }} as handoff_to_sal_rate,
        {{ share('sql_count', 'mql_count') }} as mql_to_sql_rate,
        {{ share('opportunity_count', 'sql_count') }} as sql_to_opportunity_rate,
        {{ share('won_count', 'opportunity_count') }} as opportunity_to_won_rate,
        {{ share('won_count', 'won_count + lost_count') }} as win_rate
    from periods

)

select * from final
