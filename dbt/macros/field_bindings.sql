{#
    The org's own fields: the columns the models read that every org names its own way (lead
    score, rejection reason, offer, team…). smarketing.yml binds each to the export headers that
    may hold it (key `fields`); the pipeline hands the bindings to dbt as the var
    `field_bindings`:

        {export: {field: {columns: [raw column, ...], headers: [header as exported, ...]}}}

    where `export` is a raw table without its double underscore (`salesforce_lead`). No staging
    model names an org's field: they read it through these macros.
#}

{#- The bound columns of EXPORT.FIELD (raw names, in the binding's order). -#}
{% macro _field_binding(export, field) -%}
    {%- set bindings = var('field_bindings', {}) or {} -%}
    {%- if bindings is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var field_bindings: expected a mapping of export -> field -> {columns, headers}, got "
            ~ bindings
        ) }}
    {%- endif -%}
    {{ return((bindings.get(export) or {}).get(field) or {'columns': [], 'headers': []}) }}
{%- endmacro %}

{#- Text of EXPORT.FIELD read from RELATION (the raw table), cleaned as any text (clean_text):
    the first bound column present in the row's delivery. `prefix`: the alias the model reads the
    raw columns through. Bound to no column the raw table has (no delivered file had it): NULL,
    and the build log says so. -#}
{% macro bound_field(relation, export, field, prefix=none) -%}
    {%- set binding = smarketing._field_binding(export, field) -%}
    {%- set available = smarketing.relation_columns(relation) -%}
    {%- set present = [] -%}
    {%- for column in binding['columns'] if column in available -%}
        {%- do present.append(
            smarketing.clean_text((prefix ~ '.' if prefix else '') ~ adapter.quote(column))
        ) -%}
    {%- endfor -%}
    {%- if present | length == 0 -%}
        {%- if execute and model is mapping and model.get('resource_type') == 'model' -%}
            {%- do log(
                "Warning: " ~ model.name ~ "." ~ field ~ " is NULL: no delivered " ~ export
                ~ " file has a column bound to it (smarketing.yml fields." ~ export ~ "." ~ field
                ~ ": " ~ (binding['headers'] | join(', ') or 'nothing') ~ ")"
            ) -%}
        {%- endif -%}
        cast(null as {{ dbt.type_string() }})
    {%- elif present | length == 1 -%}
        {{ present[0] }}
    {%- else -%}
        coalesce({{ present | join(', ') }})
    {%- endif -%}
{%- endmacro %}

{#- The headers EXPORT.FIELD is bound to, as a SQL list of strings: history exports name the
    field that changed by its API name or label (LeadHistory.Field). -#}
{% macro bound_field_headers(export, field) -%}
    {%- set headers = smarketing._field_binding(export, field)['headers'] -%}
    {%- if headers | length == 0 -%}
        (cast(null as {{ dbt.type_string() }}))
    {%- else -%}
        ({%- for header in headers -%}
            '{{ header | replace("'", "''") }}'{{ ', ' if not loop.last }}
        {%- endfor -%})
    {%- endif -%}
{%- endmacro %}
