{#
    A calendar DATE from the same spellings as parse_timestamp (a date alone, or a datetime).
    A datetime with an offset is converted to its date in `time_zone` (default var
    `source_time_zone`): `2024-01-22T23:30:00.000+0000` is 2024-01-23 in Paris. The day/month
    order follows parse_timestamp's rules: `05/03/2026` is 5 March (day first), `02/24/2026` is
    24 February (day first impossible), `5/3/2026 1:00 PM` is 3 May (AM/PM: month first),
    `05.03.2026` and `05-03-2026` are 5 March; a file the loader found month first
    (`_date_order`) reads `3/5/2026` as 5 March. Empty cells and null spellings (`N/A`, `-`,
    `null`, … see clean_text) are NULL.
#}
{% macro parse_date(column, time_zone=none, date_order='_date_order') -%}
    {%- set tz = time_zone if time_zone is not none else var('source_time_zone') -%}
    {{ return(adapter.dispatch('parse_date', 'smarketing')(column, tz, date_order)) }}
{%- endmacro %}

{% macro default__parse_date(column, time_zone, date_order) -%}
    {{ exceptions.raise_compiler_error(
        "parse_date has no implementation for the " ~ adapter.type() ~ " adapter: add a "
        ~ adapter.type() ~ "__parse_date macro (see macros/parse_date.sql)."
    ) }}
{%- endmacro %}

{% macro duckdb__parse_date(column, time_zone, date_order='_date_order') -%}
    cast(timezone('{{ time_zone }}', {{ smarketing.duckdb__parse_timestamp(column, time_zone, date_order) }}) as date)
{%- endmacro %}

{% macro spark__parse_date(column, time_zone, date_order='_date_order') -%}
    cast(from_utc_timestamp({{ smarketing.spark__parse_timestamp(column, time_zone, date_order) }}, {{ smarketing._sql_text(time_zone) }}) as date)
{%- endmacro %}
