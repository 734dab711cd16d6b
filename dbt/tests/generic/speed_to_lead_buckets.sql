{#
    The column holds the speed-to-lead buckets of smarketing.yml (macros/speed_to_lead_buckets.sql)
    and nothing else: fails with the rows whose value is not one of them.
#}
{% test speed_to_lead_buckets(model, column_name) %}

    select *
    from {{ model }}
    where {{ column_name }} not in (
        {%- for label in speed_to_lead_bucket_labels() %}
        '{{ label }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )

{% endtest %}
