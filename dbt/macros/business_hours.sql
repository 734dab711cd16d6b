{#
    Business hours of spans of time, from the business calendar (table `config.business_days`, written
    from `smarketing.yml`'s `sla.business_hours`): for each row of `relation`, the sum over the
    working days of the overlap of [start_at, end_at) with the day's [opens_at, closes_at).
    Time zone, daylight saving time and public holidays are settled by the calendar, so this is
    plain SQL: a range join and a sum.

    relation     a relation or CTE name holding the spans
    key_columns  the columns of `relation` that identify a row; returned as they are
    start_at     column of `relation`: start of the span (an instant)
    end_at       column of `relation`: end of the span (an instant)
    output       name of the result column: business hours (a float, unrounded), 0 when
                 `end_at` is not after `start_at`, NULL when either end is NULL

    Usage, as the body of a CTE:
        response_times as (
            {{ business_hours_between('spans', ['unified_lead_id', 'cycle'], 'handoff_at', 'touched_at') }}
        )
#}
{% macro business_hours_between(relation, key_columns, start_at, end_at, output='business_hours') -%}
    select
        {%- for key in key_columns %}
        spans.{{ key }},
        {%- endfor %}
        case
            when spans.{{ start_at }} is not null and spans.{{ end_at }} is not null
                then coalesce(sum(
                    -- (greatest and least skip NULLs on some engines: a span without a
                    -- working day must not count its own length)
                    case when business_days.opens_at is not null then
                        {{ seconds_between(
                            'greatest(spans.' ~ start_at ~ ', business_days.opens_at)',
                            'least(spans.' ~ end_at ~ ', business_days.closes_at)'
                        ) }}
                    end
                ), 0) / 3600.0
        end as {{ output }}
    from {{ relation }} as spans
    left join {{ source('config', 'business_days') }} as business_days
        on spans.{{ start_at }} < spans.{{ end_at }}
        and business_days.opens_at < spans.{{ end_at }}
        and business_days.closes_at > spans.{{ start_at }}
    group by
        {%- for key in key_columns %}
        spans.{{ key }},
        {%- endfor %}
        spans.{{ start_at }},
        spans.{{ end_at }}
{%- endmacro %}

{#
    Seconds elapsed from instant `start_at` to instant `end_at` (negative when `end_at` is
    earlier), exact across daylight-saving changes whatever the session time zone.
    DuckDB's `dbt.datediff` compares the instants as local timestamps of the session time zone
    (a DST change in between would count), so DuckDB subtracts epochs instead.
#}
{% macro seconds_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('seconds_between', 'smarketing')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__seconds_between(start_at, end_at) -%}
    {{ dbt.datediff(start_at, end_at, 'second') }}
{%- endmacro %}

{% macro duckdb__seconds_between(start_at, end_at) -%}
    (epoch({{ end_at }}) - epoch({{ start_at }}))
{%- endmacro %}

{#- microseconds since the epoch, as DuckDB's epoch() a double -#}
{% macro spark__seconds_between(start_at, end_at) -%}
    (cast(unix_micros({{ end_at }}) - unix_micros({{ start_at }}) as double) / 1000000)
{%- endmacro %}

{#- Whole minutes elapsed from instant `start_at` to instant `end_at` (see seconds_between). -#}
{% macro minutes_between(start_at, end_at) -%}
    cast(round({{ seconds_between(start_at, end_at) }} / 60.0) as {{ dbt.type_bigint() }})
{%- endmacro %}
