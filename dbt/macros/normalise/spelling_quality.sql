{#
    How well a name is written, for survivorship (1 or 0, portable SQL):
    `is_cased`: it has both upper and lower case letters (`Élodie`, not `ÉLODIE` or `elodie`);
    `has_accents`: it keeps accents or ligatures that `fold_text` removes (`Élodie`, not `Elodie`).
#}
{% macro is_cased(column) -%}
    case when {{ column }} <> upper({{ column }}) and {{ column }} <> lower({{ column }}) then 1 else 0 end
{%- endmacro %}

{% macro has_accents(column) -%}
    case when {{ smarketing.fold_text(column) }} <> lower(trim({{ column }})) then 1 else 0 end
{%- endmacro %}
