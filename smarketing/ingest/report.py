"""What a run says about the files it could not load, and what the user can do about each."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import duckdb

from smarketing.ingest.registry import snake_case
from smarketing.ingest.schema import AUDIT_SCHEMA

NOT_LOADED = ("unknown", "refused", "error", "deferred")


@dataclass(frozen=True)
class FileIssue:
    source_file: str
    status: str
    error: str | None
    closest_kind: str | None
    inbox: Path | None = None
    mappings: Path | None = None

    def map_command(self) -> str:
        """The command that drafts a mapping file for this file."""
        path = (self.inbox / self.source_file) if self.inbox else Path(self.source_file)
        folder = self.mappings or Path("mappings")
        name = snake_case(Path(self.source_file).stem)
        return (
            f"smarketing map {shlex.quote(str(path))} --out {shlex.quote(str(folder / name))}.yml"
        )

    def advice(self) -> str:
        if self.status == "unknown":
            closest = f" (closest known export: {self.closest_kind})" if self.closest_kind else ""
            return (
                f"not recognised{closest}. From another tool: describe it in a mapping file, "
                f"drafted by `{self.map_command()}` (review it, then run again). From "
                "Salesforce or HubSpot: export it again with the tool's own column names "
                "(Data Loader, the weekly Data Export, the HubSpot UI export), or bind a "
                "report's renamed columns in smarketing.yml (`fields:`)."
            )
        if self.status == "deferred":
            return "nothing: the next run loads it once it no longer changes."
        if self.status == "refused" and "required column" in (self.error or ""):
            return (
                "recognised but refused: add the missing column to the export (a report needs "
                "the record's own id column, e.g. `Lead ID`) and deliver it again."
            )
        if self.status == "refused":
            return (
                "not read: fix what the reason says and deliver the file again (a CSV export, "
                "inside the inbox), or remove it."
            )
        return "could not be read: the run is not published until it is fixed or removed."

    def lines(self) -> list[str]:
        reason = (self.error or "").removeprefix(f"{self.source_file}: ")
        return [f"{self.source_file} [{self.status}]: {reason}", f"    what to do: {self.advice()}"]


def run_file_issues(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    inbox: Path | None = None,
    mappings: Path | None = None,
) -> list[FileIssue]:
    """The files of run RUN_ID that loaded nothing (unknown, refused, unreadable, deferred);
    INBOX and MAPPINGS (folders) complete the command proposed for an unknown file."""
    rows = con.execute(
        f"select source_file, status, error, closest_kind from {AUDIT_SCHEMA}.load_audit "
        f"where run_id = ? and status in {NOT_LOADED} order by source_file",
        [run_id],
    ).fetchall()
    return [FileIssue(*row, inbox=inbox, mappings=mappings) for row in rows]


def run_file_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Files of run RUN_ID by status."""
    return dict(
        con.execute(
            f"select status, count(*) from {AUDIT_SCHEMA}.load_audit where run_id = ? "
            "group by status",
            [run_id],
        ).fetchall()
    )
