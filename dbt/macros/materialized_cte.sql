{#
    `cte_name as {{ materialized_cte() }} (...)`: the CTE is computed once, where the engine
    would otherwise inline it into each of its consumers and compute it again for each (DuckDB
    does for a CTE read by several branches of a query). Engines without the hint get a plain
    CTE.
#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'smarketing')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}
