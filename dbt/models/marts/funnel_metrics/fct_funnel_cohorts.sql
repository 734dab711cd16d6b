{%- set stages = ['sal', 'sql', 'opportunity', 'won'] -%}
{%- set windows = [30, 90, 180] -%}

with

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

-- one row per cycle that reached MQL: which later stages it reached, and how fast

mql_cycles as (

    select
        cast({{ dbt.date_trunc('month', local_time('mql_at')) }} as date) as mql_month,
        {{ breakdown_values() }},
        {%- for stage in stages %}
        {%- for days in windows %}
        case
            when {{ stage }}_at is not null
                and {{ minutes_between('mql_at', stage ~ '_at') }} <= {{ days * 1440 }}
                then 1
            else 0
        end as {{ stage }}_within_{{ days }}d,
        {%- endfor %}
        case when {{ stage }}_at is not null then 1 else 0 end as {{ stage }}_to_date
        {{- ',' if not loop.last }}
        {%- endfor %}
    from funnel
    where mql_at is not null

),

cohorts as (

    select
        mql_month,
        {{ breakdown_labels() }},
        count(*) as mql_count,
        {%- for stage in stages %}
        {%- for days in windows %}
        {{ count_flag(stage ~ '_within_' ~ days ~ 'd') }} as {{ stage }}_within_{{ days }}d_count,
        {%- endfor %}
        {{ count_flag(stage ~ '_to_date') }} as {{ stage }}_to_date_count
        {{- ',' if not loop.last }}
        {%- endfor %}
    from mql_cycles
    group by mql_month, {{ breakdown_cube() }}

),

final as (

    select
        cohorts.*,
        {%- for stage in stages %}
        {%- for days in windows %}
        {{ share(stage ~ '_within_' ~ days ~ 'd_count', 'mql_count') }}
            as {{ stage }}_within_{{ days }}d_rate,
        {%- endfor %}
        {{ share(stage ~ '_to_date_count', 'mql_count') }} as {{ stage }}_to_date_rate,
        {%- endfor %}
        {{ share('sql_to_date_count', 'mql_count') }} as mql_to_sql_rate,
        {%- for days in windows %}
        -- every MQL of the month has had {{ days }} days by the as-of date
        {{ dbt.dateadd('day', days, dbt.dateadd('month', 1, 'mql_month')) }}
            <= cast({{ local_time(as_of()) }} as date) as is_complete_{{ days }}d
        {{- ',' if not loop.last }}
        {%- endfor %}
    from cohorts

)

select * from final
