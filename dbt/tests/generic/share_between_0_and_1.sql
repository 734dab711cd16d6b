{#
    The column is a share: between 0 and 1 inclusive (NULLs pass: nothing to divide). Fails
    with the rows where it is not.
#}
{% test share_between_0_and_1(model, column_name) %}

    select *
    from {{ model }}
    where {{ column_name }} < 0 or {{ column_name }} > 1

{% endtest %}
