{#-
    The instant the warehouse describes: outcomes that depend on "now" (an SLA still pending,
    a cohort old enough to be read) are decided as of this instant, a TIMESTAMP WITH TIME ZONE.

    `smarketing run --as-of` sets it through the SMARKETING_AS_OF environment variable (an ISO
    8601 timestamp with its offset, e.g. 2026-11-20T00:00:00+01:00); without it, the time the
    exports were taken: the latest record change in the deliveries (model fct_data_as_of,
    which says which of the two it is).
-#}
{% macro as_of() -%}
    {#- the dependency is declared whatever the environment says at parse time -#}
    {%- set data_as_of = ref('fct_data_as_of') -%}
    {%- set value = env_var('SMARKETING_AS_OF', '') | trim -%}
    {%- if value -%}
        cast('{{ value }}' as {{ smarketing.type_instant() }})
    {%- else -%}
        (select as_of from {{ data_as_of }})
    {%- endif -%}
{%- endmacro %}

{#- TS (an instant) as wall-clock time in the reporting time zone (var reporting_time_zone),
    for calendar months and days as the committee reads them. -#}
{% macro local_time(ts) -%}
    {{ return(adapter.dispatch('local_time', 'smarketing')(ts)) }}
{%- endmacro %}

{#- SQL's `at time zone`: an instant to the zone's wall-clock time (DuckDB, Postgres) -#}
{% macro default__local_time(ts) -%}
    ({{ ts }} at time zone '{{ var("reporting_time_zone") }}')
{%- endmacro %}

{#- Spark: the instant's wall-clock time there (the session reads instants in UTC) -#}
{% macro spark__local_time(ts) -%}
    cast(from_utc_timestamp({{ ts }}, '{{ var("reporting_time_zone") }}') as timestamp_ntz)
{%- endmacro %}

{#- DAY (a calendar date, as a tool's user wrote it) as the instant it starts in the reporting
    time zone: a date alone is the org's wall-clock day, never the database session's -#}
{% macro local_day_start(day) -%}
    {{ return(adapter.dispatch('local_day_start', 'smarketing')(day)) }}
{%- endmacro %}

{#- a wall-clock time `at time zone` is the instant it is there (DuckDB, Postgres) -#}
{% macro default__local_day_start(day) -%}
    (cast({{ day }} as timestamp) at time zone '{{ var("reporting_time_zone") }}')
{%- endmacro %}

{% macro spark__local_day_start(day) -%}
    {{ smarketing.spark_instant("cast(" ~ day ~ " as timestamp)", var("reporting_time_zone")) }}
{%- endmacro %}

{#- the type of an instant (an absolute point in time, shown in the session's time zone) -#}
{% macro type_instant() -%}
    {{ return(adapter.dispatch('type_instant', 'smarketing')()) }}
{%- endmacro %}

{% macro default__type_instant() -%}
    timestamp with time zone
{%- endmacro %}

{#- Spark's TIMESTAMP is an instant (shown in the session's time zone) -#}
{% macro spark__type_instant() -%}
    timestamp
{%- endmacro %}
