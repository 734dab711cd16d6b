{#- Every sales activity (call, e-mail, meeting) of the mapped exports.
    One select per mapping (var `mappings`, macros/mapped_staging.sql): the raw table read as
    the canonical fields (mappings/README.md), the latest delivery of each record id. -#}
-- depends_on: {{ source('ingest_audit', 'load_audit') }}

with

mapped as (

    {{ mapped_staging(
        ['activity'],
        [
            ('record_id', 'id'),
            ('person_record_id', 'id'),
            ('type', 'text'),
            ('occurred_at', 'timestamp'),
            ('subject', 'text'),
            ('is_done', 'boolean'),
            ('owner', 'text'),
            ('created_at', 'timestamp'),
            ('updated_at', 'timestamp'),
            ('is_deleted', 'boolean')
        ],
        derived={'touch_type': ('type', ['call', 'email', 'meeting', 'other'])}
    ) }}

)

select * from mapped
