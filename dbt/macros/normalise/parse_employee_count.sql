{#
    A number of employees from the ways the tools write it: a number (`250`, `1 200`)
    or a range as HubSpot's picklist writes it (`25-50`, `1000+`), read as its lower bound
    (`25`, `1000`), which keeps the segment of every standard range but `50-100`. `bigint`,
    NULL for anything else.
#}
{% macro parse_employee_count(column) -%}
    {{ return(adapter.dispatch('parse_employee_count', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__parse_employee_count(column) -%}
    {{ smarketing.parse_number(column, 'bigint') }}
{%- endmacro %}

{% macro duckdb__parse_employee_count(column) -%}
    case
        when regexp_full_match(trim({{ column }}), '\d+\s*[-–]\s*\d+|\d+\s*\+')
            then try_cast(regexp_extract(trim({{ column }}), '^\d+') as bigint)
        else {{ smarketing.parse_number(column, 'bigint') }}
    end
{%- endmacro %}

{% macro spark__parse_employee_count(column) -%}
    case
        when trim({{ column }}) rlike r'^(\d+\s*[-–]\s*\d+|\d+\s*\+)$'
            then try_cast(regexp_extract(trim({{ column }}), r'^(\d+)', 1) as bigint)
        else {{ smarketing.parse_number(column, 'bigint') }}
    end
{%- endmacro %}
