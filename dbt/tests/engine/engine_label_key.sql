{{ config(tags=['engine']) }}
{#- label_key: case, accents, spaces and the typographic apostrophe do not matter -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'text')], [
        ["Lead qualifié marketing", "lead qualifie marketing"],
        ["LEAD QUALIFIÉ MARKETING", "lead qualifie marketing"],
        ["Centre d’intérêt", "centre d'interet"],
        ["  Ångström ", "angstrom"],
        ["Œuvre", "œuvre"],
        [none, none],
        ["N/A", none]
    ]) }}
)

select given, expected
from cases
where {{ smarketing.label_key('given') }} is distinct from expected
