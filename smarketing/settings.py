"""Where the warehouse reads its exports and writes its database (environment variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

INBOX_ENV = "SMARKETING_INBOX"
WAREHOUSE_ENV = "SMARKETING_WAREHOUSE"
# The instant time-dependent outcomes are decided at (read by dbt's as_of() macro).
AS_OF_ENV = "SMARKETING_AS_OF"
DEFAULT_DATA_DIR = Path("data")


@dataclass(frozen=True)
class Settings:
    inbox: Path
    """Folder the exports are dropped into (searched recursively)."""
    warehouse: Path
    """DuckDB file the pipeline builds."""

    @classmethod
    def from_env(cls) -> Settings:
        inbox = os.environ.get(INBOX_ENV) or str(DEFAULT_DATA_DIR / "inbox")
        warehouse = os.environ.get(WAREHOUSE_ENV) or str(DEFAULT_DATA_DIR / "warehouse.duckdb")
        return cls(inbox=Path(inbox).resolve(), warehouse=Path(warehouse).resolve())

    def export_env(self) -> None:
        """Make the resolved paths visible to child processes (dbt reads them from the env)."""
        os.environ[INBOX_ENV] = str(self.inbox)
        os.environ[WAREHOUSE_ENV] = str(self.warehouse)
