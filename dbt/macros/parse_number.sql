{#
    A number from English or French notation, cast to `type` (a SQL type such as `double`,
    `bigint` or `decimal(18, 2)`); NULL when the text is not a number.

    Spaces (also no-break spaces), currency signs and `%` are dropped. Separators:
      `1,234.5` -> 1234.5   (comma before the point: thousands comma)
      `1.234,5` -> 1234.5   (point before the comma: decimal comma)
      `1,234,567` / `1.234.567` -> 1234567 (a repeated separator groups thousands)
      `12,5`    -> 12.5     (a single comma is a decimal comma: French exports)
    So a lone comma is always read as decimal: `1,234` is 1.234, as a French file means it.
#}
{% macro parse_number(column, type='double') -%}
    {{ return(adapter.dispatch('parse_number', 'smarketing')(column, type)) }}
{%- endmacro %}

{% macro default__parse_number(column, type) -%}
    {%- set text -%}
        {{ dbt.replace(dbt.replace(smarketing.clean_text(column), "' '", "''"), "'%'", "''") }}
    {%- endset -%}
    {{ smarketing._number_from_text(text, type, dbt.safe_cast) }}
{%- endmacro %}

{% macro duckdb__parse_number(column, type) -%}
    {%- set text -%}
        regexp_replace({{ smarketing.clean_text(column) }}, '[\s\x{00A0}\x{202F}€$£%]', '', 'g')
    {%- endset -%}
    {{ smarketing._number_from_text(text, type, smarketing._duckdb_try_cast) }}
{%- endmacro %}

{% macro _number_from_text(text, type, cast_macro) -%}
    {%- set normalised -%}
        case
            when {{ text }} like '%,%.%' then replace({{ text }}, ',', '')
            when {{ text }} like '%.%,%' then replace(replace({{ text }}, '.', ''), ',', '.')
            when {{ text }} like '%,%,%' then replace({{ text }}, ',', '')
            when {{ text }} like '%.%.%' then replace({{ text }}, '.', '')
            else replace({{ text }}, ',', '.')
        end
    {%- endset -%}
    {{ cast_macro(normalised, type) }}
{%- endmacro %}

{% macro _duckdb_try_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
