{#-
    Each committee KPI's value by month: its metric, by the query MetricFlow wrote for it when
    the run wrote the definition (config.committee_kpi_queries, smarketing/metrics/queries.py).
    A KPI added to smarketing.yml with its metric appears here with no change to this model.
-#}
-- the marts the metric layer reads (models/semantic/): built before this model
-- depends_on: {{ ref('dim_days') }}
-- depends_on: {{ ref('dim_leads') }}
-- depends_on: {{ ref('fct_accepted_leads') }}
-- depends_on: {{ ref('fct_lead_funnel') }}
-- depends_on: {{ ref('fct_lead_stage_events') }}
-- depends_on: {{ ref('fct_mqls') }}
-- depends_on: {{ ref('fct_nurturing_month_ends') }}
-- depends_on: {{ ref('fct_opportunities') }}
-- depends_on: {{ ref('fct_sla_handoffs') }}
-- depends_on: {{ ref('fct_sla_lead_response') }}
-- depends_on: {{ ref('fct_sla_volume') }}
-- depends_on: {{ ref('fct_speed_to_lead') }}
{%- set kpi_queries = [] -%}
{%- set queries_relation = source('config', 'committee_kpi_queries') -%}
{%- if execute -%}
    {%- set kpi_queries = run_query(
        'select kpi, metric, value_sql from ' ~ queries_relation ~ ' order by kpi'
    ).rows -%}
{%- endif %}

with

kpi_values as (

    {%- for kpi, metric, value_sql in kpi_queries %}
    select
        cast(metric_time__month as date) as period_month,
        '{{ kpi }}' as kpi,
        -- 4 decimals, as every share of the marts: the change is the difference shown
        {{ round_half(metric, 4) }} as kpi_value
    from ({{ value_sql }}) as values_{{ kpi }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as date) as period_month,
        cast(null as {{ dbt.type_string() }}) as kpi,
        cast(null as double) as kpi_value
    where 1 = 0
    {%- endfor %}

)

select * from kpi_values
