"""What a run says about the files it could not load, and what the user can do about each."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from smarketing.ingest.schema import AUDIT_SCHEMA

NOT_LOADED = ("unknown", "refused", "error")


@dataclass(frozen=True)
class FileIssue:
    source_file: str
    status: str
    error: str | None
    closest_kind: str | None

    def advice(self) -> str:
        if self.status == "unknown":
            closest = f" (closest known export: {self.closest_kind})" if self.closest_kind else ""
            return (
                f"not recognised{closest}. Export it again with the tool's own column names "
                "(Salesforce: Data Loader or the weekly Data Export; HubSpot: the UI export), "
                "or, for a report with renamed columns, bind the org's field labels in "
                "smarketing.yml (`fields:`). Files from other tools cannot be read yet."
            )
        if self.status == "refused":
            return (
                "recognised but refused: add the missing column to the export (a report needs "
                "the record's own id column, e.g. `Lead ID`) and deliver it again."
            )
        return "could not be read: the run is not published until it is fixed or removed."

    def lines(self) -> list[str]:
        reason = (self.error or "").removeprefix(f"{self.source_file}: ")
        return [f"{self.source_file} [{self.status}]: {reason}", f"    what to do: {self.advice()}"]


def run_file_issues(con: duckdb.DuckDBPyConnection, run_id: str) -> list[FileIssue]:
    """The files of run RUN_ID that loaded nothing (unknown, refused, unreadable)."""
    rows = con.execute(
        f"select source_file, status, error, closest_kind from {AUDIT_SCHEMA}.load_audit "
        f"where run_id = ? and status in {NOT_LOADED} order by source_file",
        [run_id],
    ).fetchall()
    return [FileIssue(*row) for row in rows]


def run_file_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Files of run RUN_ID by status."""
    return dict(
        con.execute(
            f"select status, count(*) from {AUDIT_SCHEMA}.load_audit where run_id = ? "
            "group by status",
            [run_id],
        ).fetchall()
    )
