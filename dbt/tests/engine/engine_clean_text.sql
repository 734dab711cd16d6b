{{ config(tags=['engine']) }}
{#- clean_text: trimmed (no-break spaces too), empty cells and null spellings NULL -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'text')], [
        ["  Acme ", "Acme"],
        ["\u00a0Acme\u202f", "Acme"],
        ["\ufeffAcme", "Acme"],
        ["N/A", none],
        [" null ", none],
        ["NULL", none],
        ["n.a.", none],
        ["n.a", none],
        ["-", none],
        ["--", none],
        ["", none],
        ["   ", none],
        [none, none],
        ["Null Island", "Null Island"],
        ["a - b", "a - b"]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.clean_text('given') }} is distinct from expected
