{{ config(tags=['engine']) }}
{#- parse_timestamp_format: a mapping file's strftime format, wall-clock time in the source
    time zone (the test runs with source_time_zone Europe/Paris) -#}
{%- set cases = [
    ["%d/%m/%Y %H:%M", "05/03/2026 14:22", "2026-03-05 13:22:00+00:00"],
    ["%d/%m/%Y %H:%M", "5/3/2026 14:22", "2026-03-05 13:22:00+00:00"],
    ["%m/%d/%Y %I:%M %p", "3/5/2026 2:22 PM", "2026-03-05 13:22:00+00:00"],
    ["%d.%m.%Y um %H:%M", "05.03.2026 um 14:22", "2026-03-05 13:22:00+00:00"],
    ["%Y%m%d", "20260305", "2026-03-04 23:00:00+00:00"],
    ["%Y-%m-%d %H:%M:%S", "2026-10-25 02:30:00", "2026-10-25 01:30:00+00:00"],
    ["%d/%m/%Y", "N/A", none],
    ["%d/%m/%Y", "2026-03-05", none]
] -%}
with cases as (
    {%- for format, given, expected in cases %}
    {{ 'union all ' if not loop.first }}select
        {{ smarketing._sql_text(format) }} as format,
        {{ smarketing._engine_literal(given, 'text') }} as given,
        {{ smarketing._engine_literal(expected, 'instant') }} as expected,
        {{ smarketing.parse_timestamp_format(smarketing._engine_literal(given, 'text'), format) }} as parsed
    {%- endfor %}
)

select format, given, expected
from cases
where parsed is distinct from expected
