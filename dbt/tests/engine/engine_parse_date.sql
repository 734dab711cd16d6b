{{ config(tags=['engine']) }}
{#- parse_date: the date of a datetime in Europe/Paris; the day/month order as parse_timestamp -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('date_order', 'text'), ('expected', 'date')], [
        ["2024-01-22T23:30:00.000+0000", none, "2024-01-23"],
        ["2024-01-22T22:30:00Z", none, "2024-01-22"],
        ["2026-10-25 02:30", none, "2026-10-25"],
        ["05/03/2026", none, "2026-03-05"],
        ["5/3/2026 1:00 PM", none, "2026-05-03"],
        ["05/03/26", none, "2026-05-03"],
        ["3/5/2026", "month_first", "2026-03-05"],
        ["05.03.2026", none, "2026-03-05"],
        ["", none, none],
        [none, none, none]
    ]) }}
)

select given, date_order, expected
from cases
where {{ smarketing.parse_date('given', 'Europe/Paris', 'date_order') }} is distinct from expected
