{{ config(tags=['engine']) }}
{#- local_time and local_day_start in the reporting time zone (the test runs with Europe/Paris),
    seconds_between across a daylight saving time change -#}
with instants as (
    {{ smarketing.engine_cases([('local_at', 'instant'), ('expected', 'timestamp')], [
        ["2026-07-01 10:00:00+00:00", "2026-07-01 12:00:00"],
        ["2026-01-15 23:30:00+00:00", "2026-01-16 00:30:00"],
        ["2026-10-25 00:30:00+00:00", "2026-10-25 02:30:00"],
        ["2026-10-25 01:30:00+00:00", "2026-10-25 02:30:00"],
        [none, none]
    ]) }}
),

days as (
    {{ smarketing.engine_cases([('day', 'date'), ('expected', 'instant')], [
        ["2026-07-01", "2026-06-30 22:00:00+00:00"],
        ["2026-01-15", "2026-01-14 23:00:00+00:00"],
        ["2026-03-29", "2026-03-28 23:00:00+00:00"],
        ["2026-10-25", "2026-10-24 22:00:00+00:00"],
        [none, none]
    ]) }}
),

spans as (
    {{ smarketing.engine_cases([('start_at', 'instant'), ('end_at', 'instant'), ('expected', 'double')], [
        ["2026-03-29 00:00:00+01:00", "2026-03-29 04:00:00+02:00", 10800],
        ["2026-10-25 02:30:00+02:00", "2026-10-25 02:30:00+01:00", 3600],
        ["2026-01-01 00:00:01.5+00:00", "2026-01-01 00:00:00+00:00", -1.5],
        ["2026-01-01 00:00:00+00:00", none, none]
    ]) }}
),

failures as (
    select 'local_time' as check_name, cast(local_at as {{ dbt.type_string() }}) as given
    from instants
    where {{ smarketing.local_time('local_at') }} is distinct from expected
    union all
    select 'local_day_start', cast(day as {{ dbt.type_string() }})
    from days
    where {{ smarketing.local_day_start('day') }} is distinct from expected
    union all
    select 'seconds_between', cast(start_at as {{ dbt.type_string() }})
    from spans
    where {{ smarketing.seconds_between('start_at', 'end_at') }} is distinct from expected
)

select check_name, given
from failures
