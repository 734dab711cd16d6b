{#
    Text as an analyst expects it: surrounding white space removed (including the no-break
    spaces of French exports), and an empty cell or the literal `null` (any case) turned into
    NULL. NULL (a column the delivered file did not have) stays NULL.
#}
{% macro clean_text(column) -%}
    {{ return(adapter.dispatch('clean_text', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__clean_text(column) -%}
    case when lower(trim({{ column }})) in ('', 'null') then null else trim({{ column }}) end
{%- endmacro %}

{% macro duckdb__clean_text(column) -%}
    {%- set blank -%} [\s\x{00A0}\x{202F}\x{FEFF}] {%- endset -%}
    nullif(regexp_replace({{ column }}, '^{{ blank }}*(?i:null){{ blank }}*$|^{{ blank }}+|{{ blank }}+$', '', 'g'), '')
{%- endmacro %}
