{#
    The web domain of a URL as typed in a CRM: lower case, without scheme, `www.`, port, path,
    query or fragment (`https://www.Riou.fr/contact?x=1` and `www.riou.fr` -> `riou.fr`). NULL
    when what is left has no dot. Portable: dbt's cross-database `split_part` and `replace`.
#}
{% macro url_host(column) -%}
    {%- set text = "lower(trim(" ~ column ~ "))" -%}
    {%- set no_scheme = dbt.replace(dbt.replace(text, "'https://'", "''"), "'http://'", "''") -%}
    {%- set host -%}
        {{ dbt.split_part(dbt.split_part(dbt.split_part(dbt.split_part(no_scheme, "'/'", 1), "'?'", 1), "'#'", 1), "':'", 1) }}
    {%- endset -%}
    case
        when {{ host }} like 'www.%.%' then substr({{ host }}, 5)
        when {{ host }} like '%_._%' then {{ host }}
    end
{%- endmacro %}
