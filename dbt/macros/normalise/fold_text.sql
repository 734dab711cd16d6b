{#
    Text folded for comparison: trimmed, lower case, accents removed and the ligatures œ, æ, ß
    spelled out (`  Élodie ` -> `elodie`, `Cœur` -> `coeur`). Punctuation and inner spaces are
    kept. NULL stays NULL.
#}
{% macro fold_text(column) -%}
    {{ return(adapter.dispatch('fold_text', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__fold_text(column) -%}
    translate(
        replace(replace(replace(lower(trim({{ column }})), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss'),
        'àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ',
        'aaaaaaceeeeiiiinoooooouuuuyy'
    )
{%- endmacro %}

{% macro duckdb__fold_text(column) -%}
    strip_accents(replace(replace(replace(lower(trim({{ column }})), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss'))
{%- endmacro %}

{% macro spark__fold_text(column) -%}
    {{ smarketing.spark_strip_accents("replace(replace(replace(lower(trim(" ~ column ~ ")), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss')") }}
{%- endmacro %}
