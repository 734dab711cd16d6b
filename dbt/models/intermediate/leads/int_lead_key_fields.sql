-- every Salesforce lead with each key field (smarketing.yml `key_fields`) filled or not and
-- whether its delivery had the field's column at all: the checks on inbound leads
-- (expectations/staging/inbound_leads.json) read it, so that the governance and the marts
-- share one definition of a key field and of inbound (macros/key_fields.sql)

with

person_records as (

    select * from {{ ref('int_person_records') }}

),

leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

file_columns as (

    select * from {{ source('ingest_audit', 'file_columns') }}

),

lead_records as (

    select
        person_records.source_record_id as lead_id,
        leads._source_file as source_file,
        leads._row_number as source_row_number,
        person_records.channel,
        person_records.last_name,
        person_records.email_is_valid,
        person_records.email_is_placeholder,
        person_records.phone,
        person_records.company,
        person_records.country_code,
        person_records.number_of_employees as employee_count
    from person_records
    inner join leads
        on person_records.source_record_id = leads.lead_id
    where person_records.source_system = 'salesforce'
        and person_records.source_entity = 'lead'

),

-- which key fields each delivered lead file had a column for: an anonymised or partial export
-- that leaves a column out is not measured on it

delivered as (

    select
        source_file,
        {%- for field in key_fields() %}
        {{ dbt.bool_or("column_name = '" ~ key_field_export_column(field) ~ "'") }}
            as {{ field }}_delivered{{ ',' if not loop.last }}
        {%- endfor %}
    from file_columns
    where raw_table = 'salesforce__lead'
    group by source_file

),

final as (

    select
        lead_records.lead_id,
        lead_records.source_file,
        lead_records.source_row_number,
        {{ is_inbound('lead_records.channel') }} as is_inbound,
        {%- for field in key_fields() %}
        {{ key_field_filled(field, 'lead_records') }} as has_{{ field }},
        coalesce(delivered.{{ field }}_delivered, false) as {{ field }}_delivered,
        {%- endfor %}
        {{ key_fields_filled('lead_records') }} as has_key_fields
    from lead_records
    left join delivered
        on lead_records.source_file = delivered.source_file

)

select * from final
