{#
    An instant (TIMESTAMP WITH TIME ZONE) from the datetime spellings the exports use.

    With an offset (read as written):
      2024-01-22T20:36:47.000+0000   Salesforce Data Loader / API (also `Z`, `+01:00`)
    Without an offset (wall-clock time in `time_zone`, default var `source_time_zone`):
      2026-03-05 14:22[:ss]          HubSpot English UI, ISO
      05/03/2026 14:22[:ss]          HubSpot French UI, Salesforce report exports: dd/mm/yyyy
      3/5/2026 2:22 PM               Salesforce US report exports: m/d/yyyy h:mm[:ss] AM/PM
      05-03-2026 14:22               Salesforce report exports: dd-mm-yyyy
      05.03.2026 14:22               German / Swiss locales: dd.mm.yyyy
      02/24/26 02:18 AM              Salesforce US locale: mm/dd/yy (a 2-digit year)
      and the same without a time (midnight).

    Which number is the day, after slashes:
      - the delivered file's own order when the loader could tell it (raw column `_date_order`,
        argument `date_order`: `month_first` when a value of the file could only be month first
        or carried AM/PM, `day_first` when one could only be day first): a US report's
        3/5/2026 is then 5 March, as its 3/17/2026 and 3/5/2026 2:22 PM show;
      - an AM/PM marker means month first (m/d/yyyy h:mm AM, mm/dd/yy hh:mm PM): only US-locale
        exports write a 12-hour clock;
      - otherwise a 4-digit year means day first (dd/mm/yyyy, French UI), unless day first is
        impossible (the second number is above 12: 02/24/2026 14:22 is 24 February);
      - a 2-digit year means month first (mm/dd/yy, Salesforce US locale).
    So 05/03/2026 is 5 March, 05/03/26 and 5/3/2026 1:00 PM are 3 May. Dashes and points
    (dd-mm-yyyy, dd.mm.yyyy) are always day first.

    Empty cells and null spellings (`N/A`, `-`, `null`, … see clean_text) are NULL; surrounding
    spaces (also no-break spaces) are ignored.
    Daylight saving time: a wall-clock time that does not exist (the hour skipped in spring) is
    moved forward by the gap; one that occurs twice (the hour repeated in autumn) is read as the
    second occurrence (standard time). Text that is not a date is NULL.
#}
{% macro parse_timestamp(column, time_zone=none, date_order='_date_order') -%}
    {%- set tz = time_zone if time_zone is not none else var('source_time_zone') -%}
    {{ return(adapter.dispatch('parse_timestamp', 'smarketing')(column, tz, date_order)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column, time_zone, date_order) -%}
    {{ exceptions.raise_compiler_error(
        "parse_timestamp has no implementation for the " ~ adapter.type() ~ " adapter: add a "
        ~ adapter.type() ~ "__parse_timestamp macro (see macros/parse_timestamp.sql)."
    ) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(column, time_zone, date_order='_date_order') -%}
    {%- set value = smarketing.clean_text(column) -%}
    coalesce(
        try_strptime(
            regexp_replace({{ value }}, '[zZ]$', '+0000'),
            ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S.%f%z',
             '%Y-%m-%d %H:%M:%S%z']
        ),
        timezone('{{ time_zone }}', {{ smarketing.duckdb__parse_naive_timestamp(value, date_order) }})
    )
{%- endmacro %}

{# A naive TIMESTAMP from the offset-less spellings above; `value` is cleaned text,
   `date_order` the file's day/month order (an expression; NULL: unknown). #}
{% macro duckdb__parse_naive_timestamp(value, date_order='_date_order') -%}
    case
        when regexp_full_match({{ value }}, '\d{4}-\d{1,2}-\d{1,2}([ T].*)?')
            then try_strptime({{ value }}, [
                '%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f',
                '%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
                '%Y-%m-%d %I:%M %p', '%Y-%m-%d %I:%M:%S %p', '%Y-%m-%d'
            ])
        {#- the file's own order says month first #}
        when {{ date_order }} = 'month_first'
            and regexp_full_match({{ value }}, '\d{1,2}/\d{1,2}/\d{4}( .*)?')
            then coalesce(
                try_strptime({{ value }}, [
                    '%m/%d/%Y %I:%M %p', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %H:%M',
                    '%m/%d/%Y %H:%M:%S', '%m/%d/%Y'
                ]),
                try_strptime({{ value }}, ['%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S', '%d/%m/%Y'])
            )
        {#- an AM/PM marker: US locale, month first #}
        when regexp_full_match({{ value }}, '\d{1,2}/\d{1,2}/\d{4} .*[AaPp][Mm]')
            then try_strptime({{ value }}, ['%m/%d/%Y %I:%M %p', '%m/%d/%Y %I:%M:%S %p'])
        {#- a 4-digit year: day first, month first when day first is impossible #}
        when regexp_full_match({{ value }}, '\d{1,2}/\d{1,2}/\d{4}( .*)?')
            then coalesce(
                try_strptime({{ value }}, ['%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S', '%d/%m/%Y']),
                try_strptime({{ value }}, ['%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y'])
            )
        when regexp_full_match({{ value }}, '\d{1,2}-\d{1,2}-\d{4}( .*)?')
            then try_strptime({{ value }}, [
                '%d-%m-%Y %H:%M', '%d-%m-%Y %H:%M:%S', '%d-%m-%Y'
            ])
        when regexp_full_match({{ value }}, '\d{1,2}\.\d{1,2}\.\d{4}( .*)?')
            then try_strptime({{ value }}, [
                '%d.%m.%Y %H:%M', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y'
            ])
        {#- a 2-digit year: month first (US locale) #}
        when regexp_full_match({{ value }}, '\d{1,2}/\d{1,2}/\d{2}( .*)?')
            then try_strptime({{ value }}, [
                '%m/%d/%y %I:%M %p', '%m/%d/%y %I:%M:%S %p', '%m/%d/%y %H:%M',
                '%m/%d/%y %H:%M:%S', '%m/%d/%y'
            ])
    end
{%- endmacro %}

{% macro spark__parse_timestamp(column, time_zone, date_order='_date_order') -%}
    {%- set value = smarketing.clean_text(column) -%}
    {%- set offsets = [] -%}
    {%- for separator in ["'T'", " "] -%}
        {%- for seconds in [":ss.SSSSSS", ":ss"] -%}
            {%- for zone in ["Z", "XXX"] -%}
                {%- do offsets.append("yyyy-MM-dd" ~ separator ~ "HH:mm" ~ seconds ~ zone) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    coalesce(
        {{ smarketing.spark_parse_formats("regexp_replace(" ~ value ~ ", r'[zZ]$', '+0000')", offsets) }},
        {{ smarketing.spark_instant(smarketing.spark__parse_naive_timestamp(value, date_order), time_zone) }}
    )
{%- endmacro %}

{# Spark's one-letter fields (d, M, H, h) read one or two digits, as DuckDB's %d, %m, %H do. #}
{% macro spark__parse_naive_timestamp(value, date_order='_date_order') -%}
    {%- set day_first = ['d/M/yyyy H:mm', 'd/M/yyyy H:mm:ss', 'd/M/yyyy'] -%}
    {%- set month_first = ['M/d/yyyy H:mm', 'M/d/yyyy H:mm:ss', 'M/d/yyyy'] -%}
    {%- set month_first_12h = ['M/d/yyyy h:mm a', 'M/d/yyyy h:mm:ss a'] -%}
    case
        when {{ value }} rlike r'^\d{4}-\d{1,2}-\d{1,2}([ T].*)?$'
            then {{ smarketing.spark_parse_formats(value, [
                'yyyy-M-d H:mm', 'yyyy-M-d H:mm:ss', 'yyyy-M-d H:mm:ss.SSSSSS',
                "yyyy-M-d'T'H:mm", "yyyy-M-d'T'H:mm:ss", "yyyy-M-d'T'H:mm:ss.SSSSSS",
                'yyyy-M-d h:mm a', 'yyyy-M-d h:mm:ss a', 'yyyy-M-d'
            ]) }}
        {#- the file's own order says month first #}
        when {{ date_order }} = 'month_first'
            and {{ value }} rlike r'^\d{1,2}/\d{1,2}/\d{4}( .*)?$'
            then coalesce(
                {{ smarketing.spark_parse_formats(value, month_first_12h + month_first) }},
                {{ smarketing.spark_parse_formats(value, day_first) }}
            )
        {#- an AM/PM marker: US locale, month first #}
        when {{ value }} rlike r'^\d{1,2}/\d{1,2}/\d{4} .*[AaPp][Mm]$'
            then {{ smarketing.spark_parse_formats(value, month_first_12h) }}
        {#- a 4-digit year: day first, month first when day first is impossible #}
        when {{ value }} rlike r'^\d{1,2}/\d{1,2}/\d{4}( .*)?$'
            then coalesce(
                {{ smarketing.spark_parse_formats(value, day_first) }},
                {{ smarketing.spark_parse_formats(value, month_first) }}
            )
        when {{ value }} rlike r'^\d{1,2}-\d{1,2}-\d{4}( .*)?$'
            then {{ smarketing.spark_parse_formats(value, ['d-M-yyyy H:mm', 'd-M-yyyy H:mm:ss', 'd-M-yyyy']) }}
        when {{ value }} rlike r'^\d{1,2}\.\d{1,2}\.\d{4}( .*)?$'
            then {{ smarketing.spark_parse_formats(value, ['d.M.yyyy H:mm', 'd.M.yyyy H:mm:ss', 'd.M.yyyy']) }}
        {#- a 2-digit year: month first (US locale) #}
        when {{ value }} rlike r'^\d{1,2}/\d{1,2}/\d{2}( .*)?$'
            then {{ smarketing.spark_century(smarketing.spark_parse_formats(value, [
                'M/d/yy h:mm a', 'M/d/yy h:mm:ss a', 'M/d/yy H:mm', 'M/d/yy H:mm:ss', 'M/d/yy'
            ])) }}
    end
{%- endmacro %}
