{#-
    The committee's figures, frozen: each month's KPIs are copied here once, when the month is
    closed, and never rewritten, so late data changes the live figures (fct_committee_kpis)
    but not these. A month closes at the end of its Nth working day after the month's end
    (config.committee_settings: closes_on_working_day; business calendar: config.business_days),
    or when `smarketing committee close YYYY-MM` closes it (dbt var close_months).
    full_refresh is off: `dbt build --full-refresh` keeps the frozen figures. Rows are only
    ever added (the months not frozen yet), so the model needs no merge: an append on engines
    without one (Spark without a table format).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append' if target.type == 'spark' else none,
        unique_key=none if target.type == 'spark' else ['period_month', 'kpi'],
        full_refresh=false,
        on_schema_change='append_new_columns',
    )
}}

{%- set close_months = var('close_months', []) -%}

with

kpis as (

    select * from {{ ref('fct_committee_kpis') }}

),

settings as (

    select * from {{ source('config', 'committee_settings') }}

),

business_days as (

    select * from {{ source('config', 'business_days') }}

),

-- when each month closes: the end of its Nth working day after the month's end

month_working_days as (

    select
        months.period_month,
        business_days.closes_at,
        row_number() over (
            partition by months.period_month
            order by business_days.day
        ) as working_day
    from (select distinct period_month from kpis) as months
    inner join business_days
        on business_days.day >= {{ dbt.dateadd('month', 1, 'months.period_month') }}
        and business_days.day < {{ dbt.dateadd('month', 2, 'months.period_month') }}

),

closings as (

    select
        month_working_days.period_month,
        month_working_days.closes_at
    from month_working_days
    inner join settings
        on settings.setting = 'closes_on_working_day'
        and month_working_days.working_day = cast(settings.value as {{ dbt.type_int() }})

),

closed_months as (

    select period_month, 'closing rule' as closed_by
    from closings
    where closes_at <= {{ as_of() }}
    {%- for month in close_months %}

    union all

    select cast('{{ month }}-01' as date) as period_month, 'command' as closed_by
    {%- endfor %}

),

closed as (

    select period_month, min(closed_by) as closed_by
    from closed_months
    group by period_month

),

final as (

    select
        kpis.period_month,
        kpis.kpi,
        kpis.description,
        kpis.kpi_value,
        kpis.target,
        kpis.previous_value,
        kpis.change,
        kpis.status,
        closed.closed_by,
        {{ dbt.current_timestamp() }} as frozen_at
    from kpis
    inner join closed
        on kpis.period_month = closed.period_month
    {%- if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as frozen
        where frozen.period_month = kpis.period_month
            and frozen.kpi = kpis.kpi
    )
    {%- endif %}

)

select * from final
