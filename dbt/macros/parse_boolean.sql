{#
    A boolean from the spellings the exports use: true/false, TRUE/FALSE, 1/0, yes/no, y/n,
    oui/non, vrai/faux (any case, surrounding spaces, also no-break spaces, ignored). Anything
    else is NULL.

    `empty_as`: the value of an empty cell or a null spelling (`null`, `N/A`, `n.a.`, `-`, `--`:
    see clean_text) in a delivered column. Leave it NULL where the source property can be unset
    (HubSpot); pass `false` for Salesforce checkboxes, which are never NULL in Salesforce, so an
    empty cell there (or a report's `N/A`) means unchecked. A column the file did not have at all
    (raw NULL) always gives NULL.

    Portable SQL over clean_text (dispatched), so it needs no adapter.dispatch of its own.
#}
{% macro parse_boolean(column, empty_as=none) -%}
    {%- set value = 'lower(' ~ smarketing.clean_text(column) ~ ')' -%}
    case
        when {{ value }} in ('true', 't', '1', 'yes', 'y', 'oui', 'vrai') then true
        when {{ value }} in ('false', 'f', '0', 'no', 'n', 'non', 'faux') then false
        {%- if empty_as is not none %}
        when {{ column }} is not null and {{ value }} is null then {{ empty_as }}
        {%- endif %}
    end
{%- endmacro %}
