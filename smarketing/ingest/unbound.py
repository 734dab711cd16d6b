"""The org's fields (``smarketing.yml`` ``fields:``) bound to columns no delivered file has."""

from __future__ import annotations

import duckdb

from smarketing.config import SmarketingConfig
from smarketing.config.fields import raw_table_of
from smarketing.ingest.registry import snake_case
from smarketing.ingest.schema import RAW_SCHEMA


def unbound_fields(con: duckdb.DuckDBPyConnection, config: SmarketingConfig) -> list[str]:
    """One warning per bound field whose export was delivered without any of its columns: the
    field is empty (NULL) in the warehouse. Exports never delivered are not warned about."""
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ?",
        [RAW_SCHEMA],
    ).fetchall():
        columns.setdefault(table, set()).add(column)
    warnings = []
    for export, fields in config.fields.exports().items():
        table = raw_table_of(export)
        if table not in columns:
            continue
        delivered = con.execute(f'select count(*) from {RAW_SCHEMA}."{table}"').fetchone()
        if not delivered or not delivered[0]:
            continue
        for field, headers in fields.items():
            if not any(snake_case(header) in columns[table] for header in headers):
                warnings.append(
                    f"fields.{export}.{field}: no delivered {table} file has a column "
                    f"{' or '.join(repr(h) for h in headers)}; {field} is empty (NULL). Bind it "
                    "to the column your export uses in smarketing.yml."
                )
    return warnings
