{{ config(tags=['engine']) }}
{#- round_half: half away from zero by the double's exact binary value (0.075 is stored
    below its spelling: 0.07), a double on every engine; days_from_minutes: minutes as days -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'double'), ('digits', 'bigint'), ('expected', 'double')], [
        [0.075, 2, 0.07], [1.005, 2, 1.0], [1.115, 2, 1.11], [0.125, 2, 0.13], [-0.075, 2, -0.07],
        [-0.125, 2, -0.13], [2.675, 2, 2.67], [0.285, 2, 0.28], [0.0049999, 2, 0.0],
        [1234567.891, 2, 1234567.89], [0.3333333333333333, 4, 0.3333], [0.0049999, 4, 0.005],
        [2.5, 0, 3.0], [-2.5, 0, -3.0], [0.5, 0, 1.0], [none, 2, none]
    ]) }}
),

minutes as (
    {{ smarketing.engine_cases([('given', 'bigint'), ('expected', 'double')], [
        [36, 0.03], [108, 0.07], [180, 0.13], [1440, 1.0], [2159, 1.5], [-108, -0.07],
        [none, none]
    ]) }}
)

select cast(given as {{ dbt.type_string() }}) as given
from cases
where digits = 0 and {{ smarketing.round_half('given', 0) }} is distinct from expected
    or digits = 2 and {{ smarketing.round_half('given', 2) }} is distinct from expected
    or digits = 4 and {{ smarketing.round_half('given', 4) }} is distinct from expected
union all
select cast(given as {{ dbt.type_string() }})
from minutes
where {{ smarketing.days_from_minutes('given') }} is distinct from expected
