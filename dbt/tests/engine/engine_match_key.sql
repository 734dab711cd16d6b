{{ config(tags=['engine']) }}
{#- match_key: folded, letters and digits only -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'text')], [
        ["Côte d'Ivoire", "cotedivoire"],
        ["  LE ROUX ", "leroux"],
        ["Le Roux", "leroux"],
        ["---", none],
        ["3M Company", "3mcompany"],
        [none, none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.match_key('given') }} is distinct from expected
