{{ config(tags=['engine']) }}
{#- parse_employee_count: a number, or the lower bound of a range -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'bigint')], [
        ["250", 250],
        ["1 200", 1200],
        ["25-50", 25],
        ["1000+", 1000],
        ["10 – 20", 10],
        ["50-100", 50],
        ["many", none],
        [none, none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.parse_employee_count('given') }} is distinct from expected
