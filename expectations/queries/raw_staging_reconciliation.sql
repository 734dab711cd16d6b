-- One row for {raw_table} against {staging_model}: every raw row is either the delivery
-- staging shows for its record, or an older delivery of a record staging shows; every staged
-- row comes from the raw table. Rows are matched by lineage (_source_file, _row_number), keys
-- compared trimmed (spaces, no-break spaces), as staging compares them.
with raw_rows as (

    select
        nullif(trim({key}, ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(8239) || chr(65279)), '')
            as record_key,
        _source_file,
        _row_number
    from {raw_table}

),

staged as (

    select _source_file, _row_number
    from {staging_model}

),

matched as (

    select
        raw_rows.record_key,
        staged._source_file is not null as is_staged
    from raw_rows
    left join staged
        on raw_rows._source_file = staged._source_file
        and raw_rows._row_number = staged._row_number

),

classified as (

    select
        is_staged,
        bool_or(is_staged) over (partition by record_key) as record_is_staged
    from matched

),

counts as (

    select
        count(*) as raw_rows,
        count(*) filter (where is_staged) as staged_deliveries,
        count(*) filter (where not is_staged and record_is_staged) as older_deliveries,
        count(*) filter (where not record_is_staged) as unaccounted_rows
    from classified

)

select
    '{table}' as raw_table,
    counts.raw_rows,
    counts.staged_deliveries,
    counts.older_deliveries,
    counts.unaccounted_rows,
    staging.staging_rows,
    staging.staging_rows - counts.staged_deliveries as staging_rows_not_in_raw
from counts
cross join (select count(*) as staging_rows from staged) as staging
