{#-
    The key fields of a lead (smarketing.yml `key_fields`, the var `key_fields`) and what
    "filled" means for each: the one definition dim_leads, the CRM completeness of accepted
    leads and the checks on inbound leads (int_lead_key_fields) read.
-#}
{% macro key_fields() -%}
    {{ return(var('key_fields')) }}
{%- endmacro %}

{#- FIELD is filled in RELATION, a relation with the person columns of int_person_records
    (last_name, email_is_valid, email_is_placeholder, phone, company, country_code) and
    employee_count -#}
{% macro key_field_filled(field, relation) -%}
    {%- set rules = {
        'name': relation ~ '.last_name is not null',
        'email': 'coalesce(' ~ relation ~ '.email_is_valid and not '
            ~ relation ~ '.email_is_placeholder, false)',
        'phone': relation ~ '.phone is not null',
        'company': relation ~ '.company is not null',
        'country': relation ~ '.country_code is not null',
        'employee_count': relation ~ '.employee_count is not null',
    } -%}
    {%- if field not in rules -%}
        {{ exceptions.raise_compiler_error(
            "key field '" ~ field ~ "' is unknown; known: " ~ rules.keys() | join(', ')) }}
    {%- endif -%}
    ({{ rules[field] }})
{%- endmacro %}

{#- every key field of RELATION is filled -#}
{% macro key_fields_filled(relation) -%}
    (
    {%- for field in key_fields() %}
        {{ key_field_filled(field, relation) }}{{ ' and' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}

{#- the column of a Salesforce lead export that holds FIELD: a delivery without it does not
    measure it -#}
{% macro key_field_export_column(field) -%}
    {%- set columns = {'name': 'last_name', 'employee_count': 'number_of_employees'} -%}
    {{- return(columns.get(field, field)) -}}
{%- endmacro %}

{#- CHANNEL (a column) is one Marketing brings in (smarketing.yml `inbound`): any channel but
    the outbound ones, or none -#}
{% macro is_inbound(channel) -%}
    {%- set outbound = var('outbound_channels') -%}
    {%- if outbound -%}
    coalesce({{ channel }} not in (
        {%- for value in outbound %}'{{ value }}'{{ ', ' if not loop.last }}{% endfor -%}
    ), true)
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
