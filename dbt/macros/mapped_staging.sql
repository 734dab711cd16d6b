{#
    Staging of the exports a mapping file describes (mappings/*.yml: Pipedrive, Zoho, a
    spreadsheet…). The pipeline hands the validated mappings to dbt as the var `mappings`:

        [{name, source_system, entity, table, columns: {field: raw column},
          values: {field: {source value: canonical value, '*': any other}},
          formats: {date: strftime or null, null: [cells meaning empty], decimal: '.' or ','}}]

    mapped_staging(entities, fields, derived) selects, for every mapping of one of ENTITIES, its
    raw table (`raw.mapped__<name>`) read as the canonical FIELDS, a list of (field, type) with
    type id | text | timestamp | number | integer | boolean, plus source_system, source_entity,
    mapping_name and the lineage columns; a field the mapping does not bind is NULL. DERIVED
    names a category column per text field (`stage` from `status`): the field keeps the tool's
    text, the category holds its canonical value. The latest delivery of each record id is
    kept. No mapping of those entities: no row.

    mapped_value(mapping, field) is the field's text after the mapping's null cells and its
    `values` (NULL for a field the mapping does not bind): the canonical stage or channel of a
    status or a source reads it.
#}
{% macro _mappings() -%}
    {%- set mappings = var('mappings', []) or [] -%}
    {%- if mappings is string or mappings is mapping -%}
        {{ exceptions.raise_compiler_error("var mappings: expected a list of mappings, got " ~ mappings) }}
    {%- endif -%}
    {{ return(mappings) }}
{%- endmacro %}

{% macro _sql_text(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{#- The cleaned text of FIELD: NULL for the mapping's null cells; no value mapping. -#}
{% macro mapped_text(mapping, field) -%}
    {%- set column = mapping['columns'].get(field) -%}
    {%- if column is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- set cleaned = smarketing.clean_text(adapter.quote(column)) -%}
        {%- set tokens = [] -%}
        {%- for token in mapping['formats']['null'] if token | trim != '' -%}
            {%- do tokens.append(smarketing._sql_text(token | trim)) -%}
        {%- endfor -%}
        {%- if tokens -%}
            case when {{ cleaned }} in ({{ tokens | join(', ') }}) then null else {{ cleaned }} end
        {%- else -%}
            {{ cleaned }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro mapped_value(mapping, field) -%}
    {%- set text = smarketing.mapped_text(mapping, field) -%}
    {%- set values = mapping['values'].get(field) -%}
    {%- if not values -%}
        {{ text }}
    {%- else -%}
        case
            when {{ text }} is null then null
            {%- for source, canonical in values.items() if source != '*' %}
            when {{ text }} = {{ smarketing._sql_text(source) }} then {{ smarketing._sql_text(canonical) }}
            {%- endfor %}
            else {{ smarketing._sql_text(values['*']) if '*' in values else text }}
        end
    {%- endif -%}
{%- endmacro %}

{#- A field mapped to canonical CATEGORIES (a stage; won / lost / open; none: the values the
    mapping maps to, as for a channel): the mapped value when it is one of them, else NULL (a
    status or a source no `values` entry names means no stage, no channel). No `values` for
    the field: NULL. -#}
{% macro mapped_category(mapping, field, categories=none) -%}
    {%- if not mapping['values'].get(field) -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- if categories is none -%}
            {%- set categories = mapping['values'][field].values() | unique | list -%}
        {%- endif -%}
        {%- set value = smarketing.mapped_value(mapping, field) -%}
        case
            when {{ value }} in (
                {%- for category in categories -%}
                    {{ smarketing._sql_text(category) }}{{ ', ' if not loop.last }}
                {%- endfor -%}
            ) then {{ value }}
        end
    {%- endif -%}
{%- endmacro %}

{% macro mapped_typed(mapping, field, type) -%}
    {%- if mapping['columns'].get(field) is none -%}
        {%- set sql_type = {
            'timestamp': smarketing.type_instant(),
            'number': 'double', 'integer': 'bigint', 'boolean': 'boolean',
        }.get(type, dbt.type_string()) -%}
        cast(null as {{ sql_type }})
    {%- else -%}
        {%- set value = smarketing.mapped_value(mapping, field) -%}
        {%- if type == 'timestamp' -%}
            {%- if mapping['formats']['date'] -%}
                {{ smarketing.parse_timestamp_format(value, mapping['formats']['date']) }}
            {%- else -%}
                {{ smarketing.parse_timestamp(value) }}
            {%- endif -%}
        {%- elif type in ('number', 'integer') -%}
            {%- if mapping['formats']['decimal'] == ',' -%}
                {%- set value = "replace(replace(" ~ value ~ ", '.', ''), ',', '.')" -%}
            {%- else -%}
                {%- set value = "replace(" ~ value ~ ", ',', '')" -%}
            {%- endif -%}
            {%- if type == 'integer' -%}
                {{ smarketing.parse_employee_count(value) }}
            {%- else -%}
                {{ smarketing.parse_number(value, 'double') }}
            {%- endif -%}
        {%- elif type == 'boolean' -%}
            {{ smarketing.parse_boolean(value) }}
        {%- else -%}
            {{ value }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A naive timestamp in FORMAT (strftime), as wall-clock time of var source_time_zone. -#}
{% macro parse_timestamp_format(column, format) -%}
    {{ return(adapter.dispatch('parse_timestamp_format', 'smarketing')(column, format)) }}
{%- endmacro %}

{% macro default__parse_timestamp_format(column, format) -%}
    {{ exceptions.raise_compiler_error(
        "parse_timestamp_format has no implementation for the " ~ adapter.type() ~ " adapter"
    ) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp_format(column, format) -%}
    timezone(
        '{{ var("source_time_zone") }}',
        try_strptime({{ smarketing.clean_text(column) }}, {{ smarketing._sql_text(format) }})
    )
{%- endmacro %}

{% macro spark__parse_timestamp_format(column, format) -%}
    {{ smarketing.spark_instant(
        smarketing.spark_parse_formats(smarketing.clean_text(column), [smarketing.spark_datetime_pattern(format)]),
        var("source_time_zone")
    ) }}
{%- endmacro %}

{#- The mappings of ENTITIES whose raw table exists (the loader creates it; a plain
    `dbt build` on a warehouse loaded without mappings has none). -#}
{% macro _mapped_relations(entities) -%}
    {%- set found = [] -%}
    {%- for mapping in smarketing._mappings() if mapping['entity'] in entities -%}
        {%- set relation = adapter.get_relation(
            database=target.database, schema='raw', identifier=mapping['table']
        ) if execute else none -%}
        {%- if relation is not none -%}
            {%- do found.append((mapping, relation)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{% macro mapped_staging(entities, fields, derived={}) -%}
    {%- set relations = smarketing._mapped_relations(entities) -%}
    {%- if relations | length == 0 %}
    select
        cast(null as {{ dbt.type_string() }}) as mapping_name,
        cast(null as {{ dbt.type_string() }}) as source_system,
        cast(null as {{ dbt.type_string() }}) as source_entity,
        {%- for field, type in fields %}
        {{ smarketing.mapped_typed({'columns': {}}, field, type) }} as {{ field }},
        {%- endfor %}
        {%- for name, spec in derived.items() %}
        cast(null as {{ dbt.type_string() }}) as {{ name }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as _source_file,
        cast(null as bigint) as _row_number,
        cast(null as {{ smarketing.type_instant() }}) as _loaded_at
    where 1 = 0
    {%- endif %}
    {#- a field read into a derived category (status -> stage) keeps the tool's own text -#}
    {%- set categorised = [] -%}
    {%- for name, spec in derived.items() -%}
        {%- do categorised.append(spec[0]) -%}
    {%- endfor -%}
    {%- for mapping, relation in relations %}
    select
        {{ smarketing._sql_text(mapping['name']) }} as mapping_name,
        {{ smarketing._sql_text(mapping['source_system']) }} as source_system,
        {{ smarketing._sql_text(mapping['entity']) }} as source_entity,
        {%- for field, type in fields %}
        {%- if field in categorised and type == 'text' %}
        {{ smarketing.mapped_text(mapping, field) }} as {{ field }},
        {%- else %}
        {{ smarketing.mapped_typed(mapping, field, type) }} as {{ field }},
        {%- endif %}
        {%- endfor %}
        {%- for name, spec in derived.items() %}
        {{ smarketing.mapped_category(mapping, spec[0], spec[1]) }} as {{ name }},
        {%- endfor %}
        _source_file,
        _row_number,
        _loaded_at
    from {{ relation }}
    where {{ smarketing.clean_text(adapter.quote(mapping['columns']['record_id'])) }} is not null
    {{ smarketing.latest_delivery(adapter.quote(mapping['columns']['record_id'])) }}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
{%- endmacro %}
