{#- Every lead and contact of the exports a mapping file describes, as the canonical person.
    One select per mapping (var `mappings`, macros/mapped_staging.sql): the raw table read as
    the canonical fields (mappings/README.md), the latest delivery of each record id. -#}
-- depends_on: {{ source('ingest_audit', 'load_audit') }}

with

mapped as (

    {{ mapped_staging(
        ['lead', 'contact'],
        [
            ('record_id', 'id'),
            ('first_name', 'text'),
            ('last_name', 'text'),
            ('full_name', 'text'),
            ('email', 'text'),
            ('phone', 'text'),
            ('mobile_phone', 'text'),
            ('job_title', 'text'),
            ('company', 'text'),
            ('website', 'text'),
            ('country', 'text'),
            ('employees', 'integer'),
            ('industry', 'text'),
            ('lead_source', 'text'),
            ('status', 'text'),
            ('score', 'number'),
            ('opted_out', 'boolean'),
            ('account_record_id', 'id'),
            ('mql_at', 'timestamp'),
            ('handed_over', 'boolean'),
            ('handoff_at', 'timestamp'),
            ('sal_at', 'timestamp'),
            ('sql_at', 'timestamp'),
            ('opportunity_at', 'timestamp'),
            ('customer_at', 'timestamp'),
            ('disqualified_at', 'timestamp'),
            ('rejection_reason', 'text'),
            ('owner', 'text'),
            ('created_at', 'timestamp'),
            ('updated_at', 'timestamp'),
            ('is_deleted', 'boolean')
        ],
        derived={
            'stage': ('status', ['open', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'disqualified', 'nurturing']),
            'channel': ('lead_source', none)
        }
    ) }}

)

select * from mapped
