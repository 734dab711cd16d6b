{{ config(tags=['engine']) }}
{#- company_tokens: folded words, dots dropped, other punctuation a space -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'text')], [
        ["S.A.S. Turpin & Le Roux", "sas turpin le roux"],
        ["Société Générale", "societe generale"],
        ["  ...  ", none],
        ["Müller-Lüdenscheidt GmbH", "muller ludenscheidt gmbh"],
        [none, none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.company_tokens('given') }} is distinct from expected
