{#
    The column is never below zero (NULLs pass). Fails with the rows where it is.
#}
{% test not_negative(model, column_name) %}

    select *
    from {{ model }}
    where {{ column_name }} < 0

{% endtest %}
