{#
    The compare-key of a name, a country spelling or a company: `fold_text`, then only the
    letters a-z and the digits kept (`Côte d'Ivoire` -> `cotedivoire`, `  LE ROUX ` and
    `Le Roux` -> `leroux`). NULL when nothing is left. The seed `country_spellings` holds its
    keys in this form (smarketing.identity.keys.match_key is the same fold in Python).
#}
{% macro match_key(column) -%}
    {{ return(adapter.dispatch('match_key', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__match_key(column) -%}
    {{ exceptions.raise_compiler_error(
        "match_key has no implementation for the " ~ adapter.type() ~ " adapter: add a "
        ~ adapter.type() ~ "__match_key macro (see macros/normalise/match_key.sql)."
    ) }}
{%- endmacro %}

{% macro duckdb__match_key(column) -%}
    nullif(regexp_replace({{ smarketing.fold_text(column) }}, '[^a-z0-9]', '', 'g'), '')
{%- endmacro %}

{% macro spark__match_key(column) -%}
    nullif(regexp_replace({{ smarketing.fold_text(column) }}, r'[^a-z0-9]', ''), '')
{%- endmacro %}
