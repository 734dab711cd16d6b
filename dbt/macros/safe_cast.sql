{#- dbt's safe_cast as dbt describes it, NULL for a value the type cannot hold (dbt-spark's and
    dbt-duckdb's are plain casts: an error, in Spark's ANSI mode as in DuckDB) -#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
