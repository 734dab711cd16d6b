{#
    VALUE rounded to DIGITS decimals (a double), half away from zero, as DuckDB's round()
    does: by the exact binary value of the double, so 0.075 (stored as 0.07499999...) is 0.07
    and 0.125 (stored exactly) is 0.13. Spark's round() reads the double's shortest decimal
    spelling instead (0.075 is 0.08) and keeps decimals decimal: on Spark the exact value is
    found from the product's rounding error (Dekker's product, plain double arithmetic).
#}
{% macro round_half(value, digits) -%}
    {{ return(adapter.dispatch('round_half', 'smarketing')(value, digits)) }}
{%- endmacro %}

{% macro default__round_half(value, digits) -%}
    round(cast({{ value }} as double), {{ digits }})
{%- endmacro %}

{% macro spark__round_half(value, digits) -%}
    {%- set scale = (10 ** digits) ~ 'D' -%}
    {#- y: x * scale rounded to a double; high: x's upper 26 bits, so that high * scale and
        (x - high) * scale are exact (scale below 2^26) and error = x * scale - y exactly -#}
    {%- set rounded -%}
        (case
            when y - floor(y) > 0.5D then floor(y) + 1
            when y - floor(y) < 0.5D then floor(y)
            when error > 0 then floor(y) + 1
            when error < 0 then floor(y)
            when y > 0 then floor(y) + 1
            else floor(y)
        end) / {{ scale }}
    {%- endset -%}
    {%- set with_error = smarketing.spark_let(
        '(high * ' ~ scale ~ ' - y) + (x - high) * ' ~ scale, 'error', rounded
    ) -%}
    {%- set with_high = smarketing.spark_let(
        '134217729D * x - (134217729D * x - x)', 'high', with_error
    ) -%}
    {{ smarketing.spark_let(
        'cast(' ~ value ~ ' as double)', 'x',
        smarketing.spark_let('x * ' ~ scale, 'y', with_high)
    ) }}
{%- endmacro %}

{#- Elapsed MINUTES as days, 2 decimals (a double on every engine) -#}
{% macro days_from_minutes(minutes) -%}
    {{ smarketing.round_half('cast(' ~ minutes ~ ' as double) / 1440', 2) }}
{%- endmacro %}

{#
    The sum of AMOUNT (money already rounded to cents), exactly, as a double: a sum of
    doubles depends on the order of its terms, which no engine promises (DuckDB and Spark
    differ by a fraction of a cent on the same rows); summed as decimals it does not.
#}
{% macro sum_cents(amount) -%}
    cast(sum(cast({{ amount }} as decimal(18, 2))) as double)
{%- endmacro %}
