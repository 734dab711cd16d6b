{{ config(tags=['engine']) }}
{#- parse_number: English and French notation, currencies, signs; NULL when not a number -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'double')], [
        ["1,234.5", 1234.5],
        ["1.234,5", 1234.5],
        ["1,234,567", 1234567],
        ["1.234.567", 1234567],
        ["$1,77,000.00", 177000],
        ["12,5", 12.5],
        ["$1,234", 1234],
        ["1,234", 1.234],
        ["USD 1,234.50", 1234.5],
        ["1 234,56 EUR", 1234.56],
        ["(1,234.00)", -1234],
        ["−1234", -1234],
        ["-1 234,56", -1234.56],
        ["CHF 1'234.50", 1234.5],
        ["45%", 45],
        ["$923.00\u00a0", 923],
        ["€ 12,5", 12.5],
        ["N/A", none],
        ["abc", none],
        [none, none]
    ]) }}
),

integers as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'bigint')], [
        ["1 200", 1200], ["12.7", 13], ["-3.5", -4], ["1.234.567", 1234567], ["1e3", 1000],
        ["x", none]
    ]) }}
)

select given, cast(expected as {{ dbt.type_string() }}) as expected
from cases
where {{ smarketing.parse_number('given') }} is distinct from expected
union all
select given, cast(expected as {{ dbt.type_string() }})
from integers
where {{ smarketing.parse_number('given', dbt.type_bigint()) }} is distinct from expected
