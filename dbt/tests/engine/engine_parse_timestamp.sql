{{ config(tags=['engine']) }}
{#- parse_timestamp: the exports' datetime spellings as instants; without an offset, wall-clock
    time in Europe/Paris (the hour daylight saving time skips moves forward, the hour it repeats
    is its second occurrence); the day/month order by the file's own order, AM/PM, the year's
    digits -#}
with cases as (
    {{ smarketing.engine_cases([('given', 'text'), ('date_order', 'text'), ('expected', 'instant')], [
        ["2024-01-22T20:36:47.000+0000", none, "2024-01-22 20:36:47+00:00"],
        ["2024-01-22T20:36:47Z", none, "2024-01-22 20:36:47+00:00"],
        ["2024-01-22T21:36:47.5+01:00", none, "2024-01-22 20:36:47.5+00:00"],
        ["2024-01-22 21:36:47+0100", none, "2024-01-22 20:36:47+00:00"],
        ["2026-03-05 14:22", none, "2026-03-05 13:22:00+00:00"],
        ["2026-03-05T14:22:05", none, "2026-03-05 13:22:05+00:00"],
        ["2026-07-01 12:00:00.250", none, "2026-07-01 10:00:00.25+00:00"],
        ["2026-3-5 2:22 PM", none, "2026-03-05 13:22:00+00:00"],
        ["2026-03-05", none, "2026-03-04 23:00:00+00:00"],
        ["05/03/2026 14:22", none, "2026-03-05 13:22:00+00:00"],
        ["05/03/2026", none, "2026-03-04 23:00:00+00:00"],
        ["3/5/2026 2:22 PM", none, "2026-03-05 13:22:00+00:00"],
        ["3/5/2026 2:22:09 pm", none, "2026-03-05 13:22:09+00:00"],
        ["02/24/2026 14:22", none, "2026-02-24 13:22:00+00:00"],
        ["3/5/2026", "month_first", "2026-03-04 23:00:00+00:00"],
        ["3/17/2026 09:00", "month_first", "2026-03-17 08:00:00+00:00"],
        ["17/3/2026", "month_first", "2026-03-16 23:00:00+00:00"],
        ["05-03-2026 14:22", none, "2026-03-05 13:22:00+00:00"],
        ["05.03.2026 14:22:30", none, "2026-03-05 13:22:30+00:00"],
        ["02/24/26 02:18 AM", none, "2026-02-24 01:18:00+00:00"],
        ["02/24/70 02:18 AM", none, "1970-02-24 01:18:00+00:00"],
        ["2026-10-25 02:30", none, "2026-10-25 01:30:00+00:00"],
        ["2026-03-29 02:30", none, "2026-03-29 01:30:00+00:00"],
        ["2026-03-29 03:30", none, "2026-03-29 01:30:00+00:00"],
        ["\u00a02026-03-05 14:22 ", none, "2026-03-05 13:22:00+00:00"],
        ["31/02/2026", none, none],
        ["not a date", none, none],
        ["N/A", none, none],
        [none, none, none]
    ]) }}
)

select given, date_order, expected
from cases
where {{ smarketing.parse_timestamp('given', 'Europe/Paris', 'date_order') }} is distinct from expected
