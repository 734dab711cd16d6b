{{ config(tags=['engine']) }}
{#- is_valid_email: one @, RFC 5322 characters, a domain with a top-level domain -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'boolean')], [
        ["jane.doe@example.com", true],
        ["jane..doe@example.com", false],
        [".jane@example.com", false],
        ["jane.@example.com", false],
        ["jane@example", false],
        ["jane@@example.com", false],
        ["o'brien+tag@sub.example.co.uk", true],
        ["jane doe@example.com", false],
        ["jane@-example.com", false],
        [none, none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.is_valid_email('given') }} is distinct from expected
