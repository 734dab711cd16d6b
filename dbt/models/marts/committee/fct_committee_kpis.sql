{#-
    The committee's scorecard: every KPI of the registry (config.committee_kpis), every month,
    with its value (int_committee_kpi_values: its metric), target, last month and status.
-#}
with

kpis as (

    select * from {{ source('config', 'committee_kpis') }}

),

volume as (

    select * from {{ ref('fct_sla_volume') }}

),

kpi_values as (

    select * from {{ ref('int_committee_kpi_values') }}

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
        {{ round_half('scorecard.kpi_value', 4) }} as kpi_value,
        scorecard.target,
        {{ round_half('scorecard.previous_value', 4) }} as previous_value,
        {{ round_half('scorecard.kpi_value - scorecard.previous_value', 4) }} as change,
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
