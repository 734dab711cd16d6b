{#
    Every row of the model satisfies `expression` (a SQL boolean expression on its columns).
    Fails with the rows that do not (NULL counts as not satisfied).
#}
{% test expression_is_true(model, expression) %}

    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)

{% endtest %}
