"""Where the warehouse reads its exports and writes its database (environment variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

INBOX_ENV = "SMARKETING_INBOX"
WAREHOUSE_ENV = "SMARKETING_WAREHOUSE"
SERVING_ENV = "SMARKETING_SERVING"
RESTRICTED_ENV = "SMARKETING_SERVING_RESTRICTED"
DATA_DOCS_ENV = "SMARKETING_DATA_DOCS"
COMMITTEE_ENV = "SMARKETING_COMMITTEE_DIR"
# The instant time-dependent outcomes are decided at (read by dbt's as_of() macro).
AS_OF_ENV = "SMARKETING_AS_OF"
# Set (to 1) by `smarketing run --full-refresh`: rebuild the incremental models from raw.
FULL_REFRESH_ENV = "SMARKETING_FULL_REFRESH"
DEFAULT_DATA_DIR = Path("data")
SERVING_FILE = "serving.duckdb"
RESTRICTED_SUFFIX = "_restricted"
DATA_DOCS_DIR = "data_docs"
COMMITTEE_DIR = "committee"
PUBLICATION_STATUS_FILE = "publication.json"
QUALITY_HISTORY_FILE = "quality_history.parquet"


@dataclass(frozen=True)
class Settings:
    inbox: Path
    """Folder the exports are dropped into (searched recursively)."""
    warehouse: Path
    """DuckDB file the pipeline builds (the working copy: one writer, no readers)."""
    serving: Path
    """The shared serving copy: read-only, what the committee, the analysts and the SQL page
    read, without direct identifiers (smarketing/privacy); replaced atomically by each
    publication."""
    data_docs: Path
    """Folder of the Great Expectations Data Docs (static HTML) of the last run."""
    full_refresh: bool = False
    """Rebuild the incremental models from raw instead of merging the new deliveries."""

    @classmethod
    def from_env(cls) -> Settings:
        inbox = os.environ.get(INBOX_ENV) or str(DEFAULT_DATA_DIR / "inbox")
        warehouse = Path(
            os.environ.get(WAREHOUSE_ENV) or str(DEFAULT_DATA_DIR / "warehouse.duckdb")
        ).resolve()
        # beside the warehouse unless set: same file system, so os.replace is atomic
        serving = Path(os.environ.get(SERVING_ENV) or warehouse.parent / SERVING_FILE).resolve()
        data_docs = Path(os.environ.get(DATA_DOCS_ENV) or serving.parent / DATA_DOCS_DIR).resolve()
        return cls(
            inbox=Path(inbox).resolve(),
            warehouse=warehouse,
            serving=serving,
            data_docs=data_docs,
            full_refresh=os.environ.get(FULL_REFRESH_ENV, "") not in ("", "0", "false"),
        )

    @property
    def committee_dir(self) -> Path:
        """Folder of the committee packs (one folder per closed month: YYYY-MM/)."""
        return committee_dir(self.warehouse)

    @property
    def serving_restricted(self) -> Path:
        """The restricted serving copy: the same tables with the people's e-mails, phones,
        names and rejected raw rows, for those who work leads (readable by its owner only)."""
        configured = os.environ.get(RESTRICTED_ENV)
        if configured:
            return Path(configured).resolve()
        return self.serving.with_name(
            f"{self.serving.stem}{RESTRICTED_SUFFIX}{self.serving.suffix}"
        )

    @property
    def privacy_dir(self) -> Path:
        return privacy_dir(self.warehouse)

    @property
    def publication_status(self) -> Path:
        """JSON beside the serving copy: the last run, its status and why, the last publication."""
        return self.serving.parent / PUBLICATION_STATUS_FILE

    @property
    def quality_history(self) -> Path:
        """Parquet beside the serving copy: every check result of every run, held back or not."""
        return self.serving.parent / QUALITY_HISTORY_FILE

    def export_env(self) -> None:
        """Make the resolved paths visible to child processes (dbt reads them from the env).

        The serving copy and the Data Docs are left out: no child needs them, and they follow
        the warehouse when not set."""
        from smarketing import duckdb_limits

        os.environ[INBOX_ENV] = str(self.inbox)
        os.environ[WAREHOUSE_ENV] = str(self.warehouse)
        duckdb_limits.export_env(self.warehouse)


def committee_dir(warehouse: Path) -> Path:
    """The committee packs' folder of WAREHOUSE: SMARKETING_COMMITTEE_DIR, else beside it."""
    configured = os.environ.get(COMMITTEE_ENV)
    return Path(configured).resolve() if configured else warehouse.resolve().parent / COMMITTEE_DIR


def privacy_dir(warehouse: Path) -> Path:
    """Beside the working WAREHOUSE, owner-only: the pseudonym key and the erasure register."""
    return warehouse.parent / "privacy"
