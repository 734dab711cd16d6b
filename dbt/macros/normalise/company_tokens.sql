{#
    A company name as words to compare, before its legal form is removed: `fold_text`, dots
    dropped (`S.A.S.` -> `sas`), every other run of punctuation or spaces made one space
    (`Turpin & Le Roux` -> `turpin le roux`). NULL when nothing is left. The legal suffixes of
    the seed `company_legal_suffixes` go through the same macro, so both compare as words.
#}
{% macro company_tokens(column) -%}
    {{ return(adapter.dispatch('company_tokens', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__company_tokens(column) -%}
    {{ exceptions.raise_compiler_error(
        "company_tokens has no implementation for the " ~ adapter.type() ~ " adapter: add a "
        ~ adapter.type() ~ "__company_tokens macro (see macros/normalise/company_tokens.sql)."
    ) }}
{%- endmacro %}

{% macro duckdb__company_tokens(column) -%}
    nullif(trim(regexp_replace(
        replace({{ smarketing.fold_text(column) }}, '.', ''), '[^a-z0-9]+', ' ', 'g'
    )), '')
{%- endmacro %}

{% macro spark__company_tokens(column) -%}
    nullif(trim(regexp_replace(
        replace({{ smarketing.fold_text(column) }}, '.', ''), r'[^a-z0-9]+', ' '
    )), '')
{%- endmacro %}
