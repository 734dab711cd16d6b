{#
    A name for display when every spelling delivered is all upper or all lower case: spaces
    collapsed, each word and each part of a hyphenated word capitalised (`  jean-pierre LE ROUX`
    -> `Jean-Pierre Le Roux`). Particles get a capital too (`De La Fontaine`): a mixed-case
    spelling, when one was delivered, is always preferred to this.
#}
{% macro tidy_case(column) -%}
    {{ return(adapter.dispatch('tidy_case', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__tidy_case(column) -%}
    initcap(trim({{ column }}))
{%- endmacro %}

{% macro duckdb__tidy_case(column) -%}
    nullif(array_to_string(
        list_transform(
            string_split(regexp_replace(lower(trim({{ column }})), '\s+', ' ', 'g'), ' '),
            lambda word: array_to_string(
                list_transform(string_split(word, '-'), lambda part: upper(part[1]) || part[2:]),
                '-'
            )
        ),
        ' '
    ), '')
{%- endmacro %}

{% macro spark__tidy_case(column) -%}
    nullif(array_join(
        transform(
            split(regexp_replace(lower(trim({{ column }})), r'\s+', ' '), ' '),
            word -> array_join(
                transform(split(word, '-'), part -> concat(upper(substr(part, 1, 1)), substr(part, 2))),
                '-'
            )
        ),
        ' '
    ), '')
{%- endmacro %}
