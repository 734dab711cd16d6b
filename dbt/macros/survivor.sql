{#
    Survivorship: for each unified lead, the values of the one record that ranks first.

    columns   {output name: expression over `relation`}
    order_by  the rule, as an order by list (record_key breaks the last ties)
    source    name of the output column naming the record the values came from (none: no column)
    where     which records may survive (their value is known, the source is the right tool…)
#}
{% macro survivor(columns, order_by, source=none, where=none, relation='lead_records') -%}
    select
        unified_lead_id,
        {%- for name in columns %}
        {{ name }}{{ "," if source or not loop.last }}
        {%- endfor %}
        {%- if source %}
        {{ source }}
        {%- endif %}
    from (
        select
            unified_lead_id,
            {%- for name, expression in columns.items() %}
            {{ expression }} as {{ name }},
            {%- endfor %}
            {%- if source %}
            record_key as {{ source }},
            {%- endif %}
            row_number() over (
                partition by unified_lead_id order by {{ order_by }}, record_key
            ) as survivor_rank
        from {{ relation }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
    ) as ranked
    where survivor_rank = 1
{%- endmacro %}
