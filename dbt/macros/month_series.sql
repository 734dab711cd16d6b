{#-
    The calendar months from `first_month` to `last_month` (columns of the one-row relation
    `bounds`, first days of months), one row each, as `period_month`: the body of a CTE.
    Up to 100 years of months.
-#}
{% macro month_series(bounds='bounds') -%}
    select
        cast({{ dbt.dateadd('month', 'series.generated_number - 1', bounds ~ '.first_month') }}
            as date) as period_month
    from ({{ dbt.generate_series(1200) }}) as series
    cross join {{ bounds }}
    where {{ dbt.dateadd('month', 'series.generated_number - 1', bounds ~ '.first_month') }}
        <= {{ bounds }}.last_month
{%- endmacro %}
