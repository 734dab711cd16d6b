{#
    An instant (TIMESTAMP WITH TIME ZONE) from the datetime spellings the exports use.

    With an offset (read as written):
      2024-01-22T20:36:47.000+0000   Salesforce Data Loader / API (also `Z`, `+01:00`)
    Without an offset (wall-clock time in `time_zone`, default var `source_time_zone`):
      2026-03-05 14:22[:ss]          HubSpot English UI, ISO
      05/03/2026 14:22[:ss]          HubSpot French UI: dd/mm/yyyy (a 4-digit year)
      05-03-2026 14:22               Salesforce report exports: dd-mm-yyyy
      02/24/26 02:18 AM              Salesforce US locale: mm/dd/yy (a 2-digit year)
      and the same without a time (midnight).
    A 4-digit year after slashes means day first, a 2-digit year means month first: that is how
    the tools write them, and it keeps 05/03/2026 (5 March) and 05/03/26 (3 May) apart.

    Daylight saving time: a wall-clock time that does not exist (the hour skipped in spring) is
    moved forward by the gap; one that occurs twice (the hour repeated in autumn) is read as the
    second occurrence (standard time). Text that is not a date is NULL.
#}
{% macro parse_timestamp(column, time_zone=none) -%}
    {%- set tz = time_zone if time_zone is not none else var('source_time_zone') -%}
    {{ return(adapter.dispatch('parse_timestamp', 'smarketing')(column, tz)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column, time_zone) -%}
    {{ exceptions.raise_compiler_error(
        "parse_timestamp has no implementation for the " ~ adapter.type() ~ " adapter: add a "
        ~ adapter.type() ~ "__parse_timestamp macro (see macros/parse_timestamp.sql)."
    ) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(column, time_zone) -%}
    {%- set value = 'trim(' ~ column ~ ')' -%}
    coalesce(
        try_strptime(
            regexp_replace({{ value }}, '[zZ]$', '+0000'),
            ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S.%f%z',
             '%Y-%m-%d %H:%M:%S%z']
        ),
        timezone('{{ time_zone }}', {{ smarketing.duckdb__parse_naive_timestamp(value) }})
    )
{%- endmacro %}

{# A naive TIMESTAMP from the offset-less spellings above; `value` is trimmed text. #}
{% macro duckdb__parse_naive_timestamp(value) -%}
    case
        when regexp_full_match({{ value }}, '\d{4}-\d{1,2}-\d{1,2}([ T].*)?')
            then try_strptime({{ value }}, [
                '%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f',
                '%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
                '%Y-%m-%d %I:%M %p', '%Y-%m-%d %I:%M:%S %p', '%Y-%m-%d'
            ])
        when regexp_full_match({{ value }}, '\d{1,2}/\d{1,2}/\d{4}( .*)?')
            then try_strptime({{ value }}, [
                '%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S', '%d/%m/%Y'
            ])
        when regexp_full_match({{ value }}, '\d{1,2}-\d{1,2}-\d{4}( .*)?')
            then try_strptime({{ value }}, [
                '%d-%m-%Y %H:%M', '%d-%m-%Y %H:%M:%S', '%d-%m-%Y'
            ])
        when regexp_full_match({{ value }}, '\d{1,2}/\d{1,2}/\d{2}( .*)?')
            then try_strptime({{ value }}, [
                '%m/%d/%y %I:%M %p', '%m/%d/%y %I:%M:%S %p', '%m/%d/%y %H:%M',
                '%m/%d/%y %H:%M:%S', '%m/%d/%y'
            ])
    end
{%- endmacro %}
