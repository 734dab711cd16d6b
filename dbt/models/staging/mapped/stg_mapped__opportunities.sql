{#- Every opportunity (deal) of the mapped exports.
    One select per mapping (var `mappings`, macros/mapped_staging.sql): the raw table read as
    the canonical fields (mappings/README.md), the latest delivery of each record id. -#}
-- depends_on: {{ source('ingest_audit', 'load_audit') }}

with

mapped as (

    {{ mapped_staging(
        ['opportunity'],
        [
            ('record_id', 'id'),
            ('person_record_id', 'id'),
            ('account_record_id', 'id'),
            ('name', 'text'),
            ('stage', 'text'),
            ('is_won', 'boolean'),
            ('is_closed', 'boolean'),
            ('amount', 'number'),
            ('currency', 'text'),
            ('closed_at', 'timestamp'),
            ('lead_source', 'text'),
            ('offer', 'text'),
            ('loss_reason', 'text'),
            ('owner', 'text'),
            ('created_at', 'timestamp'),
            ('updated_at', 'timestamp'),
            ('is_deleted', 'boolean')
        ],
        derived={
            'outcome': ('stage', ['open', 'won', 'lost']),
            'channel': ('lead_source', none)
        }
    ) }}

)

select * from mapped
