{#
    Every share of the model is between 0 and 1 inclusive: each column named `…_rate` or
    `…_share` (the marts' naming convention, dbt/models/marts/README.md) but those EXCLUDE
    names (a period's rate can exceed 1: SQLs of a month over the MQLs of that month). NULLs
    pass (nothing to divide). The columns are read from the built table, so a column the
    definition adds or drops (one per key field) is checked with it. Fails with the rows where
    a share is out of range.
#}
{% test shares_between_0_and_1(model, exclude=[]) %}

    {%- set shares = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(model) -%}
            {%- set name = column.name | lower -%}
            {%- if (name.endswith('_rate') or name.endswith('_share')) and name not in exclude -%}
                {%- do shares.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif %}

    select *
    from {{ model }}
    where
    {%- for name in shares %}
        {{ name }} < 0 or {{ name }} > 1{{ ' or' if not loop.last }}
    {%- else %}
        1 = 0
    {%- endfor %}

{% endtest %}
