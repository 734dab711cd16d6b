{{ config(tags=['engine']) }}
{#- clean_id: Salesforce's empty id is NULL, case kept -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'text')], [
        ["000000000000000AAA", none],
        ["000000000000000", none],
        [" 00Q5g00000AbCdE ", "00Q5g00000AbCdE"],
        ["N/A", none],
        ["0000000000000001", "0000000000000001"],
        [none, none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.clean_id('given') }} is distinct from expected
