{#
    A boolean from the spellings the exports use: true/false, TRUE/FALSE, 1/0, yes/no, y/n,
    oui/non, vrai/faux (any case, surrounding spaces ignored). Anything else is NULL.

    `empty_as`: the value of an empty cell (or `null`) in a delivered column. Leave it NULL where
    the source property can be unset (HubSpot); pass `false` for Salesforce checkboxes, which are
    never NULL in Salesforce, so an empty cell there means unchecked. A column the file did not
    have at all (raw NULL) always gives NULL.
#}
{% macro parse_boolean(column, empty_as=none) -%}
    {%- set value = 'lower(trim(' ~ column ~ '))' -%}
    case
        when {{ value }} in ('true', 't', '1', 'yes', 'y', 'oui', 'vrai') then true
        when {{ value }} in ('false', 'f', '0', 'no', 'n', 'non', 'faux') then false
        {%- if empty_as is not none %}
        when {{ value }} in ('', 'null') then {{ empty_as }}
        {%- endif %}
    end
{%- endmacro %}
