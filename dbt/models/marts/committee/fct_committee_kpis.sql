{%- set all_breakdowns = "segment = '(all)' and channel = '(all)' and campaign_name = '(all)'"
    ~ " and offer = '(all)' and team = '(all)'" -%}

with

kpis as (

    select * from {{ source('config', 'committee_kpis') }}

),

periods as (

    select * from {{ ref('fct_funnel_periods') }}

),

nurturing as (

    select * from {{ ref('fct_nurturing_share') }}

),

volume as (

    select * from {{ ref('fct_sla_volume') }}

),

compliance as (

    select * from {{ ref('fct_sla_compliance') }}

),

completeness as (

    select * from {{ ref('fct_crm_completeness') }}

),

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

opportunities as (

    select * from {{ ref('fct_opportunities') }}

),

-- calendar months (reporting time zone) from the first month with an MQL to the as-of month

bounds as (

    select
        min(period_month) as first_month,
        cast({{ dbt.date_trunc('month', local_time(as_of())) }} as date) as last_month
    from volume

),

months as (

    {{ month_series('bounds') }}

),

-- each KPI's value per month, from the marts that define it

values_volume as (

    select
        period_month,
        'mql_volume_attainment' as kpi,
        {{ share('sum(mql_count)', 'sum(mql_target)') }} as kpi_value
    from volume
    where campaign_name = '(all)'
    group by period_month

),

values_conversion as (

    select period_month, 'mql_to_sql_rate' as kpi, mql_to_sql_rate as kpi_value
    from periods
    where {{ all_breakdowns }}

),

values_sla as (

    -- first touch within the limit, over the hand-offs whose outcome is decided
    select handoff_month as period_month, 'sla_compliance' as kpi, sla_compliance as kpi_value
    from compliance
    where segment = '(all)' and channel = '(all)' and team = '(all)'

),

values_feedback as (

    -- decided on time with a reason where owed, over the hand-offs whose deadline passed
    select
        handoff_month as period_month,
        'feedback_coverage' as kpi,
        feedback_coverage as kpi_value
    from compliance
    where segment = '(all)' and channel = '(all)' and team = '(all)'

),

values_completeness as (

    select
        sal_month as period_month,
        'key_field_completeness' as kpi,
        key_field_completeness as kpi_value
    from completeness
    where team = '(all)'

),

values_rejections as (

    -- rejections (not the leads sent back to nurturing) for out of target ("hors cible")
    select
        cast({{ dbt.date_trunc('month', local_time('disqualified_at')) }} as date)
            as period_month,
        'out_of_target_share' as kpi,
        {{ share(
            "count(case when disqualification_reason = 'out_of_target' then 1 end)",
            "count(*)"
        ) }} as kpi_value
    from funnel
    where disqualified_at is not null
        and not is_nurtured
    group by 1

),

values_nurturing as (

    select period_month, 'nurturing_share' as kpi, nurturing_share as kpi_value
    from nurturing
    where {{ all_breakdowns }}

),

values_cycle as (

    -- inbound deals: opportunities of a cycle Marketing handed over
    select
        cast({{ dbt.date_trunc('month', local_time('opportunities.closed_at')) }} as date)
            as period_month,
        'inbound_sales_cycle_days' as kpi,
        round(
            percentile_cont(0.5) within group (
                order by {{ minutes_between('funnel.created_at', 'opportunities.closed_at') }}
            ) / 1440.0,
            2
        ) as kpi_value
    from opportunities
    inner join funnel
        on opportunities.unified_lead_id = funnel.unified_lead_id
        and opportunities.cycle = funnel.cycle
    where opportunities.is_won
        and funnel.handoff_at is not null
        and opportunities.closed_at is not null
    group by 1

),

kpi_values as (

    select * from values_volume
    union all select * from values_conversion
    union all select * from values_sla
    union all select * from values_feedback
    union all select * from values_completeness
    union all select * from values_rejections
    union all select * from values_nurturing
    union all select * from values_cycle

),

-- every KPI the committee follows, every month (a month without data has no value)

scorecard as (

    select
        months.period_month,
        kpis.kpi,
        kpis.label_fr,
        kpis.label_en,
        kpis.description,
        kpis.unit,
        kpis.display_order,
        kpi_values.kpi_value,
        kpis.target,
        kpis.better,
        kpis.at_risk_margin,
        lag(kpi_values.kpi_value) over (
            partition by kpis.kpi
            order by months.period_month
        ) as previous_value
    from months
    cross join kpis
    left join kpi_values
        on months.period_month = kpi_values.period_month
        and kpis.kpi = kpi_values.kpi

),

final as (

    select
        scorecard.period_month,
        scorecard.kpi,
        scorecard.label_fr,
        scorecard.label_en,
        scorecard.description,
        scorecard.unit,
        scorecard.display_order,
        round(scorecard.kpi_value, 4) as kpi_value,
        scorecard.target,
        round(scorecard.previous_value, 4) as previous_value,
        round(scorecard.kpi_value - scorecard.previous_value, 4) as change,
        case
            when scorecard.kpi_value is null then null
            -- how far the value is on the wrong side of the target (0 or less: met)
            when (case when scorecard.better = 'higher'
                    then scorecard.target - scorecard.kpi_value
                    else scorecard.kpi_value - scorecard.target end) <= 0
                then 'on_track'
            when (case when scorecard.better = 'higher'
                    then scorecard.target - scorecard.kpi_value
                    else scorecard.kpi_value - scorecard.target end)
                    <= scorecard.at_risk_margin
                then 'at_risk'
            else 'off_track'
        end as status,
        scorecard.better,
        scorecard.at_risk_margin,
        scorecard.period_month = bounds.last_month as is_month_in_progress
    from scorecard
    cross join bounds

)

select * from final
