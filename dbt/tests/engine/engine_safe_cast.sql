{{ config(tags=['engine']) }}
{#- dbt.safe_cast: NULL for a value the type cannot hold, never an error. (A decimal text cast
    to an integer is rounded by DuckDB, NULL on Spark: parse_number settles it, not this.) -#}
with doubles as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'double')], [
        ["12", 12], ["-3.5", -3.5], ["1e3", 1000], ["twelve", none], ["", none], [none, none]
    ]) }}
),

integers as (
    {{ smarketing.engine_cases([('given', 'text'), ('expected', 'bigint')], [
        ["12", 12], ["-40", -40], ["twelve", none], ["", none], [none, none]
    ]) }}
)

select given
from doubles
where {{ dbt.safe_cast('given', 'double') }} is distinct from expected
union all
select given
from integers
where {{ dbt.safe_cast('given', dbt.type_bigint()) }} is distinct from expected
