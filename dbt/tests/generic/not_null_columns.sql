{% test not_null_columns(model, columns) %}
{#- The columns of COLUMNS that hold a null, with their count of null rows: one scan of the
    model instead of one query per column (a build runs hundreds of them). -#}
with null_counts as (
    select
        {%- for column in columns %}
        sum(case when {{ adapter.quote(column) }} is null then 1 else 0 end)
            as {{ adapter.quote(column) }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
)

{% for column in columns -%}
select '{{ column }}' as column_name, {{ adapter.quote(column) }} as null_rows
from null_counts
where {{ adapter.quote(column) }} > 0
{{ "union all" if not loop.last }}
{% endfor %}
{% endtest %}
