{#- Every status change of a person in the mapped exports.
    One select per mapping (var `mappings`, macros/mapped_staging.sql): the raw table read as
    the canonical fields (mappings/README.md), the latest delivery of each record id. -#}
-- depends_on: {{ source('ingest_audit', 'load_audit') }}

with

mapped as (

    {{ mapped_staging(
        ['stage_change'],
        [
            ('record_id', 'id'),
            ('person_record_id', 'id'),
            ('changed_at', 'timestamp'),
            ('old_status', 'text'),
            ('status', 'text'),
            ('rejection_reason', 'text'),
            ('owner', 'text'),
            ('created_at', 'timestamp'),
            ('updated_at', 'timestamp'),
            ('is_deleted', 'boolean')
        ],
        derived={
            'old_stage': ('old_status', ['open', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'disqualified', 'nurturing']),
            'stage': ('status', ['open', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'disqualified', 'nurturing'])
        }
    ) }}

)

select * from mapped
