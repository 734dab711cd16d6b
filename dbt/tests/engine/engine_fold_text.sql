{{ config(tags=['engine']) }}
{#- fold_text: trimmed, lower case, accents removed, ligatures spelled out -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'text')], [
        ["  Élodie ", "elodie"],
        ["Cœur", "coeur"],
        ["Straße", "strasse"],
        ["Ærø", "aerø"],
        ["Łukasz", "łukasz"],
        ["Nguyễn Thị", "nguyen thi"],
        ["Çağla Şahin", "cagla sahin"],
        ["Turpin & Le Roux", "turpin & le roux"],
        [none, none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.fold_text('given') }} is distinct from expected
