{{ config(tags=['engine']) }}
{#- tidy_case: spaces collapsed, each word and each part of a hyphenated word capitalised -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'text')], [
        ["  jean-pierre LE ROUX", "Jean-Pierre Le Roux"],
        ["ÉLODIE", "Élodie"],
        ["de la  fontaine", "De La Fontaine"],
        ["", none],
        [none, none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.tidy_case('given') }} is distinct from expected
