-- One row for {raw_table}: its rows, and what the load audit says was loaded into it.
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

audited as (

    select coalesce(sum(rows_loaded), 0) as audited_rows
    from audit.load_audit
    where raw_table = '{table}'

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
