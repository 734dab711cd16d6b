"""A read-only connection to a small-scale warehouse with the generator's truth beside it."""

from __future__ import annotations

from pathlib import Path

import duckdb


def truth_connection(root: Path, tables: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """The warehouse of a ``small`` run, in UTC, with temp tables: each of ``tables``
    (name → truth CSV, all text), ``truth_records`` (record_key → person_id) and
    ``person_leads``: each person's unified lead, the one holding the record that opened their
    history (the earliest created HubSpot contact or Salesforce lead); a record identity
    resolution failed to attach makes a unified lead of its own."""
    connection = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    connection.execute("set timezone = 'UTC'").fetchall()
    truth = root / "truth"
    for table, file in tables.items():
        connection.execute(
            f"create temp table {table} as select * from read_csv(?, all_varchar = true)",
            [str(truth / file)],
        ).fetchall()
    connection.execute(
        "create temp table truth_records as select concat_ws(':', source_system, "
        "source_entity, source_record_id) as record_key, person_id "
        "from read_csv(?, all_varchar = true)",
        [str(truth / "source_records.csv")],
    ).fetchall()
    connection.execute(
        """
        create temp table person_leads as
        select person_id, unified_lead_id
        from (
            select
                truth_records.person_id,
                bridge.unified_lead_id,
                row_number() over (
                    partition by truth_records.person_id
                    order by records.created_at, records.record_key
                ) as record_rank
            from truth_records
            join marts.bridge_lead_source_records as bridge using (record_key)
            join intermediate.int_person_records as records using (record_key)
            where not (records.source_system = 'salesforce'
                and records.source_entity = 'contact')
        )
        where record_rank = 1
        """
    ).fetchall()
    return connection
