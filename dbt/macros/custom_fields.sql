{#
    Custom fields: columns of the exports the project does not know (kept in raw as delivered,
    named in snake_case from their header), passed through to int_person_records, dim_leads and
    fct_lead_funnel when smarketing.yml lists them (key `custom_fields`), so teams can segment
    by their own fields. The pipeline hands that list to dbt as the var `custom_fields`:

        dbt build --vars '{"custom_fields": [{"name": "persona", "hubspot_contact": "persona"}]}'

    Each entry: `name`, the column in the models; `hubspot_contact`, `salesforce_lead`,
    `salesforce_contact`, the raw column of that export holding it (at least one). Values are
    text, cleaned as any text (clean_text). A raw column that no delivered file had is not in the
    raw table: the field is then NULL, never an error. No model names a custom field: they all
    come from the var, through these macros.
#}

{#- The var, validated: a list of {name, hubspot_contact, salesforce_lead, salesforce_contact}
    (missing exports as none). Stops with an error naming the entry and the problem. -#}
{% macro custom_fields() -%}
    {%- set exports = ['hubspot_contact', 'salesforce_lead', 'salesforce_contact'] -%}
    {%- set configured = var('custom_fields', []) or [] -%}
    {%- if configured is string or configured is mapping or configured is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "var custom_fields: expected a list of {name, hubspot_contact, salesforce_lead, "
            ~ "salesforce_contact}, got " ~ configured
        ) }}
    {%- endif -%}
    {%- set fields = [] -%}
    {%- set seen = [] -%}
    {%- for entry in configured -%}
        {%- set where = 'var custom_fields[' ~ loop.index0 ~ ']' -%}
        {%- if entry is not mapping -%}
            {{ exceptions.raise_compiler_error(where ~ ": expected a mapping, got " ~ entry) }}
        {%- endif -%}
        {%- for key in entry -%}
            {%- if key != 'name' and key not in exports -%}
                {{ exceptions.raise_compiler_error(
                    where ~ ": unknown key " ~ key ~ " (expected name, " ~ exports | join(', ') ~ ")"
                ) }}
            {%- endif -%}
            {%- if entry[key] is not none
                and not modules.re.match('^[a-z][a-z0-9_]*$', entry[key] | string) -%}
                {{ exceptions.raise_compiler_error(
                    where ~ "." ~ key ~ ": " ~ entry[key] ~ " is not a column name (lower case "
                    ~ "letters, digits and _, starting with a letter)"
                ) }}
            {%- endif -%}
        {%- endfor -%}
        {%- if not entry.get('name') -%}
            {{ exceptions.raise_compiler_error(where ~ ": name is missing") }}
        {%- endif -%}
        {%- if entry['name'] in seen -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": custom field " ~ entry['name'] ~ " is listed twice"
            ) }}
        {%- endif -%}
        {%- set field = {'name': entry['name']} -%}
        {%- for export in exports -%}
            {%- do field.update({export: entry.get(export)}) -%}
        {%- endfor -%}
        {%- if not (field.hubspot_contact or field.salesforce_lead or field.salesforce_contact) -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": custom field " ~ field.name ~ " names no column: give "
                ~ exports | join(', ')
            ) }}
        {%- endif -%}
        {%- do seen.append(field.name) -%}
        {%- do fields.append(field) -%}
    {%- endfor -%}
    {{ return(fields) }}
{%- endmacro %}

{#- Stops when a custom field would take the name of a column the model has already (its
    documented columns): DuckDB would silently rename one of the two. `suffixes`: the model also
    writes `<name><suffix>` columns (dim_leads' `_source`); `export`: only the fields taken from
    that export are added (staging). -#}
{% macro check_custom_field_names(suffixes=[''], export=none) -%}
    {%- if execute and model is mapping and model.get('columns') -%}
        {%- for field in smarketing.custom_fields() if export is none or field[export] -%}
            {%- for suffix in suffixes -%}
                {%- if (field.name ~ suffix) in model.columns -%}
                    {{ exceptions.raise_compiler_error(
                        "custom field " ~ field.name ~ ": " ~ model.name ~ " already has a column "
                        ~ field.name ~ suffix ~ "; give the custom field another name"
                    ) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- Staging: `<clean raw column> as <name>,` for each custom field EXPORT holds (an export:
    hubspot_contact, salesforce_lead, salesforce_contact), read from RELATION (the raw table);
    `prefix`: the alias the model reads the raw columns through. A column the raw table lacks
    gives NULL. Every line ends with a comma. -#}
{% macro custom_field_staging_columns(relation, export, prefix=none) -%}
    {%- do smarketing.check_custom_field_names(export=export) -%}
    {%- set available = smarketing.relation_columns(relation) -%}
    {%- for field in smarketing.custom_fields() if field[export] %}
        {%- if field[export] in available %}
        {{ smarketing.clean_text((prefix ~ '.' if prefix else '') ~ adapter.quote(field[export])) }}
            as {{ adapter.quote(field.name) }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(field.name) }},
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- int_person_records: `<relation>.<name>,` for each custom field, from the staging
    model of EXPORT read as RELATION (NULL when the field is not taken from that export). -#}
{% macro custom_field_record_columns(relation, export) -%}
    {%- do smarketing.check_custom_field_names() -%}
    {%- for field in smarketing.custom_fields() %}
        {%- if field[export] %}
        {{ relation }}.{{ adapter.quote(field.name) }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(field.name) }},
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- `<relation>.<name><suffix>,` for each custom field and suffix: the columns to carry further
    (int_person_records, dim_leads, fct_lead_funnel). `comma`: 'after' each column, or 'before'
    it (to end a select list). -#}
{% macro custom_field_columns(relation, suffixes=[''], comma='after') -%}
    {%- do smarketing.check_custom_field_names(suffixes) -%}
    {%- for field in smarketing.custom_fields() %}
        {%- for suffix in suffixes %}
        {{ ', ' if comma == 'before' }}{{ relation }}.{{ adapter.quote(field.name ~ suffix) }}{{ ',' if comma == 'after' }}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{#- dim_leads: one survivorship CTE per custom field, `custom_field__<name>`: the most recent
    non-empty value among the person's records (survivor()), and the record it came from in
    `<name>_source`. Each CTE is followed by a comma. -#}
{% macro custom_field_survivors(relation='lead_records') -%}
    {%- for field in smarketing.custom_fields() %}

custom_field__{{ field.name }} as (

    -- custom field {{ field.name }}: the most recent non-empty value
    {{ smarketing.survivor(
        {adapter.quote(field.name): adapter.quote(field.name)},
        source=adapter.quote(field.name ~ '_source'),
        order_by='modified_at desc',
        where=adapter.quote(field.name) ~ ' is not null',
        relation=relation
    ) }}

),
    {%- endfor %}
{%- endmacro %}

{#- dim_leads: the columns of the survivorship CTEs, value then source (one list per kind:
    `kind` is 'value' or 'source'), each followed by a comma. -#}
{% macro custom_field_survivor_columns(kind='value') -%}
    {%- do smarketing.check_custom_field_names(['', '_source']) -%}
    {%- for field in smarketing.custom_fields() %}
        {%- set column = field.name ~ ('_source' if kind == 'source' else '') %}
        custom_field__{{ field.name }}.{{ adapter.quote(column) }},
    {%- endfor %}
{%- endmacro %}

{#- dim_leads: the left joins of the survivorship CTEs on LEFT's unified_lead_id. -#}
{% macro custom_field_survivor_joins(left) -%}
    {%- for field in smarketing.custom_fields() %}
    left join custom_field__{{ field.name }}
        on {{ left }}.unified_lead_id = custom_field__{{ field.name }}.unified_lead_id
    {%- endfor %}
{%- endmacro %}
