{#
    A number from English or French notation, cast to `type` (a SQL type such as `double`,
    `bigint` or `decimal(18, 2)`); NULL when the text is not a number, is empty or is a null
    spelling (`null`, `N/A`, `n.a.`, `-`, `--`: see clean_text).

    Dropped before reading: spaces (also no-break and narrow no-break spaces, trailing ones as
    in `$923.00 `), `%`, apostrophes (Swiss thousands: `CHF 1'234.50`), currency signs
    (`$ € £ ¥ ₹`, also `US$`) and a 3-letter currency code before or after the number
    (`USD 1,234.50`, `1 234,56 EUR`): the currency of an amount lives in its own column
    (currency_iso_code). Negatives: `-1 234,56`, `−1234` (Unicode minus) and accounting
    parentheses `(1,234.00)` are -1234.
    Separators:
      `1,234.5` -> 1234.5   (comma before the point: thousands comma)
      `1.234,5` -> 1234.5   (point before the comma: decimal comma)
      `1,234,567` / `1.234.567` -> 1234567 (a repeated separator groups thousands)
      `$1,77,000.00` -> 177000 (Indian grouping: commas before the point)
      `12,5`    -> 12.5     (a single comma is a decimal comma: French exports)
    So a lone comma is read as decimal: `1,234` is 1.234, as a French file means it, unless
    the amount is in dollars or pounds (`$`, `£`, `USD`, `GBP`, `CAD`, `AUD`): those are
    written in English notation, where every comma groups thousands (`$1,234` is 1234).

    The default__ implementation (other adapters, no regular expressions) drops spaces, `%`,
    apostrophes and the signs `$ € £`, reads parentheses as negative, but not currency codes.
#}
{% macro parse_number(column, type='double') -%}
    {{ return(adapter.dispatch('parse_number', 'smarketing')(column, type)) }}
{%- endmacro %}

{% macro default__parse_number(column, type) -%}
    {%- set text -%}
        replace(replace(replace(replace(replace(replace(replace(
            {{ smarketing.clean_text(column) }},
            ' ', ''), '%', ''), '''', ''), '’', ''), '$', ''), '€', ''), '£', '')
    {%- endset -%}
    {%- set signed -%}
        case
            when {{ text }} like '(%)' then '-' || substring({{ text }}, 2, length({{ text }}) - 2)
            else {{ text }}
        end
    {%- endset -%}
    {{ dbt.safe_cast(smarketing._decimal_point_text(signed), type) }}
{%- endmacro %}

{% macro duckdb__parse_number(column, type) -%}
    {#- spaces, %, apostrophes and currency signs; then a currency code at either end (after a
        sign or an opening parenthesis); then accounting parentheses as a minus sign -#}
    {%- set text -%}
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    replace({{ smarketing.clean_text(column) }}, '−', '-'),
                    '[\s\x{00A0}\x{202F}%''’]|[A-Za-z]{0,2}[$€£¥₹]', '', 'g'
                ),
                '^([-(]?)[A-Za-z]{3}|[A-Za-z]{3}(\)?)$', '\1\2', 'g'
            ),
            '^\((.*)\)$', '-\1'
        )
    {%- endset -%}
    {%- set english -%}
        regexp_matches(
            {{ smarketing.clean_text(column) }}, '[$£]|(^|[^A-Za-z])(USD|GBP|CAD|AUD)([^A-Za-z]|$)'
        )
    {%- endset -%}
    try_cast({{ smarketing._decimal_point_text(text, english) }} as {{ type }})
{%- endmacro %}

{% macro spark__parse_number(column, type) -%}
    {#- as duckdb__parse_number, in Java's regular expressions ($1 for a group) -#}
    {%- set text -%}
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    replace({{ smarketing.clean_text(column) }}, '−', '-'),
                    r"[\s\x{00A0}\x{202F}%'’]|[A-Za-z]{0,2}[$€£¥₹]", ''
                ),
                r'^([-(]?)[A-Za-z]{3}|[A-Za-z]{3}(\)?)$', '$1$2'
            ),
            r'^\((.*)\)$', '-$1'
        )
    {%- endset -%}
    {%- set english -%}
        {{ smarketing.clean_text(column) }} rlike r'[$£]|(^|[^A-Za-z])(USD|GBP|CAD|AUD)([^A-Za-z]|$)'
    {%- endset -%}
    {%- set number = smarketing._decimal_point_text(text, english) -%}
    {%- if type | lower in ('bigint', 'int', 'integer', 'smallint', 'tinyint') -%}
        {#- DuckDB rounds a decimal text cast to an integer (12.7 is 13); Spark's cast gives NULL -#}
        try_cast(round(try_cast({{ number }} as double)) as {{ type }})
    {%- else -%}
        try_cast({{ number }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{# `text` rewritten with a decimal point and no thousands separator (rules above);
   `english`: a boolean SQL expression, true when commas can only group thousands. #}
{% macro _decimal_point_text(text, english=none) -%}
    case
        {%- if english is not none %}
        when {{ english }} then replace({{ text }}, ',', '')
        {%- endif %}
        when {{ text }} like '%,%.%' then replace({{ text }}, ',', '')
        when {{ text }} like '%.%,%' then replace(replace({{ text }}, '.', ''), ',', '.')
        when {{ text }} like '%,%,%' then replace({{ text }}, ',', '')
        when {{ text }} like '%.%.%' then replace({{ text }}, '.', '')
        else replace({{ text }}, ',', '.')
    end
{%- endmacro %}
