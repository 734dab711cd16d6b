"""Whether a warehouse holds a table: what a step that reads an optional table asks first."""

from __future__ import annotations

import duckdb


def has_table(con: duckdb.DuckDBPyConnection, table: str, catalog: str | None = None) -> bool:
    """Whether CATALOG (default: the connection's database) holds TABLE (``schema.name``)."""
    schema, name = table.split(".")
    database = catalog or con.execute("select current_database()").fetchone()[0]
    found = con.execute(
        "select count(*) from duckdb_tables() "
        "where database_name = ? and schema_name = ? and table_name = ?",
        [database, schema, name],
    ).fetchone()
    return bool(found and found[0])
