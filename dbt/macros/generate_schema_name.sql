{#
    Use a model's configured schema name as is (`staging`, `marts`, ...) instead of dbt's
    default `<target schema>_<custom schema>` (`main_staging`), so analysts query the schemas
    the documentation names. Nodes without a configured schema go to the target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
