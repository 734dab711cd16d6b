{#
    No two rows share the same values in all of `combination_of_columns` (NULLs compare
    equal). Fails with one row per repeated combination.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    {%- set columns = combination_of_columns | join(', ') %}

    select {{ columns }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns }}
    having count(*) > 1

{% endtest %}
