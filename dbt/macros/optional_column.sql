{#
    A raw column that only some deliveries bring: the loader adds a column to a raw table when
    a file first has it (the cells of an associated record in a HubSpot export with
    associations, `company__record_id`; custom fields), so before such a file the column is not
    there and naming it would fail the build.

    optional_column(relation, column, prefix=none): the quoted COLUMN of RELATION (the raw
    table, `source(...)`), read through the alias PREFIX when given (`deduplicated.<column>`),
    when the table has it; otherwise a text NULL. Clean or parse the result as any raw column:

        {{ clean_text(optional_column(source('raw', 'hubspot__contact'), 'company__record_id',
            prefix='deduplicated')) }}

    Columns the registry lists (export_kinds.yml) always exist: name them directly.
#}
{% macro optional_column(relation, column, prefix=none) -%}
    {%- set available = smarketing.relation_columns(relation) -%}
    {%- if column | lower in available -%}
        {{ (prefix ~ '.' if prefix else '') ~ adapter.quote(column) }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- The lower-case column names RELATION has now (none while dbt only parses). -#}
{% macro relation_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}
