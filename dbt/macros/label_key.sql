{#
    Compare-key of a coded value's label: case, accents, surrounding spaces and the typographic
    apostrophe do not matter (`Lead qualifié marketing`, `LEAD QUALIFIE MARKETING` and
    `marketingqualifiedlead` are looked up the same way against the value-label seed).
#}
{% macro label_key(column) -%}
    {{ return(adapter.dispatch('label_key', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__label_key(column) -%}
    lower(replace({{ smarketing.clean_text(column) }}, '’', ''''))
{%- endmacro %}

{% macro duckdb__label_key(column) -%}
    lower(strip_accents(replace({{ smarketing.clean_text(column) }}, '’', '''')))
{%- endmacro %}

{% macro spark__label_key(column) -%}
    {{ smarketing.spark_strip_accents("lower(replace(" ~ smarketing.clean_text(column) ~ ", '’', ''''))") }}
{%- endmacro %}
