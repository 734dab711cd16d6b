"""The DuckDB warehouse as a Dagster resource."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from smarketing import duckdb_limits
from smarketing.settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """Paths of the inbox and of the DuckDB file (from SMARKETING_INBOX / SMARKETING_WAREHOUSE)."""

    inbox: str
    warehouse: str

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> WarehouseResource:
        settings = settings or Settings.from_env()
        return cls(inbox=str(settings.inbox), warehouse=str(settings.warehouse))

    @property
    def inbox_path(self) -> Path:
        return Path(self.inbox)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection; closed on exit so dbt can open the file next."""
        path = Path(self.warehouse)
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb_limits.connect(path, warehouse=path)
        try:
            yield con
        finally:
            con.close()
