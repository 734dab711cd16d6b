{#
    Whether a normalised (trimmed, lower-case, folded) e-mail address is well formed: one `@`,
    a local part of the characters RFC 5322 allows without quotes (dots not first, last or
    doubled), and a domain of dot-separated labels ending with a top-level domain of at least
    two letters. It says nothing of whether the mailbox exists. NULL for NULL.
#}
{% macro is_valid_email(column) -%}
    {{ return(adapter.dispatch('is_valid_email', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__is_valid_email(column) -%}
    (
        {{ column }} like '%_@_%._%'
        and {{ column }} not like '%@%@%'
        and {{ column }} not like '% %'
        and {{ column }} not like '%..%'
        and {{ column }} not like '.%'
        and {{ column }} not like '%.@%'
        and {{ column }} not like '%@.%'
    )
{%- endmacro %}

{% macro duckdb__is_valid_email(column) -%}
    regexp_full_match(
        {{ column }},
        '[a-z0-9!#$%&''*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&''*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}'
    )
{%- endmacro %}

{% macro spark__is_valid_email(column) -%}
    ({{ column }} rlike r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
{%- endmacro %}
