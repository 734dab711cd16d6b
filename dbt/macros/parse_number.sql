{#
    A number from English or French notation, cast to `type` (a SQL type such as `double`,
    `bigint` or `decimal(18, 2)`); NULL when the text is not a number (empty, `null`, `N/A`, …).

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
    {%- set text = "replace(replace(trim(" ~ column ~ "), ' ', ''), '%', '')" -%}
    {{ dbt.safe_cast(smarketing._decimal_point_text(text), type) }}
{%- endmacro %}

{% macro duckdb__parse_number(column, type) -%}
    {%- set text -%}
        regexp_replace({{ column }}, '[\s\x{00A0}\x{202F}€$£%]', '', 'g')
    {%- endset -%}
    try_cast({{ smarketing._decimal_point_text(text) }} as {{ type }})
{%- endmacro %}

{# `text` rewritten with a decimal point and no thousands separator (rules above). #}
{% macro _decimal_point_text(text) -%}
    case
        when {{ text }} like '%,%.%' then replace({{ text }}, ',', '')
        when {{ text }} like '%.%,%' then replace(replace({{ text }}, '.', ''), ',', '.')
        when {{ text }} like '%,%,%' then replace({{ text }}, ',', '')
        when {{ text }} like '%.%.%' then replace({{ text }}, '.', '')
        else replace({{ text }}, ',', '.')
    end
{%- endmacro %}
