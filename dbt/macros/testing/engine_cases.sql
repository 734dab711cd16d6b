{#
    The rows of an engine test (tests/engine/: one per engine macro, run on every engine the
    project supports by tests/test_engine_macros.py), as a union of selects every engine reads.

    columns  [(name, type), ...]; type: text, instant (an ISO 8601 text with its offset),
             timestamp (wall-clock), date, double, bigint or boolean
    rows     [[value, ...], ...]: one value per column, none for NULL
#}
{% macro engine_cases(columns, rows) -%}
    {%- for row in rows %}
    {{ 'union all ' if not loop.first }}select
        {%- for column in columns %}
        {{ smarketing._engine_literal(row[loop.index0], column[1]) }} as {{ column[0] }}{{ ',' if not loop.last }}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{% macro _engine_literal(value, type) -%}
    {%- set types = {
        'text': dbt.type_string(),
        'instant': smarketing.type_instant(),
        'timestamp': 'timestamp' if target.type != 'spark' else 'timestamp_ntz',
        'date': 'date',
        'double': 'double',
        'bigint': dbt.type_bigint(),
        'boolean': 'boolean',
    } -%}
    {%- if type not in types -%}
        {{ exceptions.raise_compiler_error("engine_cases: unknown type " ~ type) }}
    {%- endif -%}
    {%- if value is none -%}
        cast(null as {{ types[type] }})
    {%- elif type == 'boolean' -%}
        {{ 'true' if value else 'false' }}
    {%- elif type in ('double', 'bigint') -%}
        cast({{ value }} as {{ types[type] }})
    {%- else -%}
        cast({{ smarketing._sql_text(value) }} as {{ types[type] }})
    {%- endif -%}
{%- endmacro %}
