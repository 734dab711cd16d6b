{#-
    The committee's scorecard, from the registry (config.committee_kpis) and the metric layer:
    each KPI's value is its metric by month, the query MetricFlow wrote for it when the run
    wrote the definition (config.committee_kpi_queries, smarketing/metrics/queries.py). A KPI
    added to smarketing.yml with its metric appears here with no change to this model.
-#}
-- the marts the metric layer reads (models/semantic/): built before this model
-- depends_on: {{ ref('dim_days') }}
-- depends_on: {{ ref('dim_leads') }}
-- depends_on: {{ ref('fct_crm_completeness') }}
-- depends_on: {{ ref('fct_lead_funnel') }}
-- depends_on: {{ ref('fct_lead_stage_events') }}
-- depends_on: {{ ref('fct_nurturing_share') }}
-- depends_on: {{ ref('fct_opportunities') }}
-- depends_on: {{ ref('fct_sla_compliance') }}
-- depends_on: {{ ref('fct_sla_volume') }}
{%- set kpi_queries = [] -%}
{%- set queries_relation = source('config', 'committee_kpi_queries') -%}
{%- if execute -%}
    {%- set kpi_queries = run_query(
        'select kpi, metric, value_sql from ' ~ queries_relation ~ ' order by kpi'
    ).rows -%}
{%- endif %}

with

kpis as (

    select * from {{ source('config', 'committee_kpis') }}

),

volume as (

    select * from {{ ref('fct_sla_volume') }}

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

-- each KPI's value per month: its metric, by the query MetricFlow wrote

kpi_values as (

    {%- for kpi, metric, value_sql in kpi_queries %}
    select
        cast(metric_time__month as date) as period_month,
        '{{ kpi }}' as kpi,
        -- 4 decimals, as every share of the marts: the change is the difference shown
        round(cast({{ metric }} as double precision), 4) as kpi_value
    from ({{ value_sql }}) as values_{{ kpi }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as date) as period_month,
        cast(null as {{ dbt.type_string() }}) as kpi,
        cast(null as double precision) as kpi_value
    where 1 = 0
    {%- endfor %}

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
