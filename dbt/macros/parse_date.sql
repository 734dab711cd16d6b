{#
    A calendar DATE from the same spellings as parse_timestamp (a date alone, or a datetime).
    A datetime with an offset is converted to its date in `time_zone` (default var
    `source_time_zone`): `2024-01-22T23:30:00.000+0000` is 2024-01-23 in Paris.
#}
{% macro parse_date(column, time_zone=none) -%}
    {%- set tz = time_zone if time_zone is not none else var('source_time_zone') -%}
    {{ return(adapter.dispatch('parse_date', 'smarketing')(column, tz)) }}
{%- endmacro %}

{% macro default__parse_date(column, time_zone) -%}
    {{ exceptions.raise_compiler_error(
        "parse_date has no implementation for the " ~ adapter.type() ~ " adapter: add a "
        ~ adapter.type() ~ "__parse_date macro (see macros/parse_date.sql)."
    ) }}
{%- endmacro %}

{% macro duckdb__parse_date(column, time_zone) -%}
    cast(timezone('{{ time_zone }}', {{ smarketing.duckdb__parse_timestamp(column, time_zone) }}) as date)
{%- endmacro %}
