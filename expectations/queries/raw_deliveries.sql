-- One row for {raw_table}: its rows, and what the load audit says was loaded into it (less
-- what was removed since: audit.removed_rows).
-- Placeholders ({raw_table}, {table}, {key}) are filled for each export kind.
with delivered as (

    select
        count(*) as raw_rows,
        count(*) filter (where nullif(trim({key}), '') is null) as rows_without_key,
        count(*) filter (
            where _source_file is null
                or _file_sha256 is null
                or _row_number is null
                or _loaded_at is null
        ) as rows_without_lineage,
        count(*) - count(distinct (_source_file, _row_number)) as repeated_rows
    from {raw_table}

),

loaded as (

    select coalesce(sum(rows_loaded), 0) as loaded_rows
    from audit.load_audit
    where raw_table = '{table}'

),

-- rows an erasure or the retention took out since
removed as (

    select coalesce(sum(rows_removed), 0) as removed_rows
    from audit.removed_rows
    where raw_table = '{table}'

),

audited as (

    select loaded.loaded_rows - removed.removed_rows as audited_rows
    from loaded
    cross join removed

)

select
    '{table}' as raw_table,
    delivered.raw_rows,
    audited.audited_rows,
    delivered.rows_without_key,
    delivered.rows_without_lineage,
    delivered.repeated_rows
from delivered
cross join audited
