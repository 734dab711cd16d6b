{#- The model holds exactly one row (a one-row fact: the build's as-of, a setting). -#}
{% test exactly_one_row(model) %}

select count(*) as row_count
from {{ model }}
having count(*) <> 1

{% endtest %}
