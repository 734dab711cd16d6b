"""Write-audit-publish: the pipeline builds and checks the working warehouse, then publishes
it to the read-only serving copy, or holds the publication back and says why.

Every outcome is recorded three ways: a row of ``audit.publications`` (working warehouse, and
the serving copy for published runs), the status file ``publication.json`` beside the serving
copy, and the quality history exported beside it (``quality_history.parquet``), so readers
learn why a run was held back without opening the working warehouse.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime

import duckdb

from smarketing import duckdb_limits
from smarketing.privacy import pseudonym
from smarketing.publish import records
from smarketing.publish.records import CheckCounts, PublicationRecord
from smarketing.publish.serving import (
    PublishError,
    ServedCopy,
    last_publication,
    replace_serving_copies,
)
from smarketing.publish.status import PublicationStatus, RunStatus, read_status, write_status
from smarketing.quality import history
from smarketing.settings import Settings

__all__ = [
    "CheckCounts",
    "PublicationRecord",
    "PublishError",
    "begin_run",
    "finish_if_running",
    "hold_back",
    "publish",
    "read_status",
]

INTERRUPTED = (
    "interrupted: run {run_id} started at {started_at} stopped before it finished (killed or "
    "crashed); the serving copy was left unchanged"
)


def _now() -> datetime:
    return datetime.now(UTC)


def begin_run(settings: Settings, run_id: str) -> None:
    """Say the run started (status ``running``). A previous run still ``running`` never
    finished: record it as held back, interrupted."""
    previous = read_status(settings.publication_status)
    if previous and previous.status == "running" and previous.run_id != run_id:
        hold_back(
            settings,
            previous.run_id,
            [INTERRUPTED.format(run_id=previous.run_id, started_at=previous.started_at)],
            started_at=_parse(previous.started_at),
        )
    _write(settings, run_id, "running", _now(), None, None, CheckCounts(), [])


def publish(
    settings: Settings,
    run_id: str,
    started_at: datetime | None,
    counts: CheckCounts,
    problems: Sequence[str] = (),
) -> PublicationRecord:
    """Replace the serving copies (restricted, shared) with the working warehouse, and record
    the publication."""
    record = PublicationRecord(
        run_id=run_id,
        started_at=started_at,
        finished_at=_now(),
        status="published",
        reason=None,
        counts=counts,
        serving_path=str(settings.serving),
    )
    replace_serving_copies(settings.warehouse, served_copies(settings), record)
    con = duckdb_limits.connect(settings.warehouse, warehouse=settings.warehouse)
    try:
        records.write(con, record)
        history.export_parquet(con, settings.quality_history)
    finally:
        con.close()
    _write(settings, run_id, "published", started_at, record.finished_at, None, counts, problems)
    return record


def served_copies(settings: Settings) -> list[ServedCopy]:
    """The restricted copy first: the shared one, renamed last, is what a reader checks."""
    return [
        ServedCopy(settings.serving_restricted),
        ServedCopy(settings.serving, pseudonym.load_key(settings.warehouse)),
    ]


def hold_back(
    settings: Settings,
    run_id: str,
    reasons: Sequence[str],
    started_at: datetime | None = None,
    counts: CheckCounts | None = None,
    problems: Sequence[str] | None = None,
) -> PublicationRecord:
    """Record that RUN_ID is not published, and why (added to what was already recorded: a run
    may fail in several places). The serving copy is not touched."""
    finished_at = _now()
    lines = list(reasons)
    try:
        con = duckdb_limits.connect(settings.warehouse, warehouse=settings.warehouse)
    except duckdb.Error as exc:  # e.g. another process holds it: still tell the readers
        con = None
        lines.append(f"(not recorded in {records.PUBLICATIONS}: {exc})")
    try:
        if con is not None:
            earlier = records.reason_of(con, run_id)
            lines = _merge(earlier.splitlines() if earlier else [], lines)
            quality = history.run_quality(con, run_id)
            if counts is None:
                counts = CheckCounts(
                    passed=quality.passed,
                    failed=quality.warnings_failed + quality.blocking_failed,
                    blocking_failed=quality.blocking_failed,
                    warnings_failed=quality.warnings_failed,
                    errors=quality.errors,
                )
            if problems is None:
                problems = quality.problems
        record = PublicationRecord(
            run_id=run_id,
            started_at=started_at,
            finished_at=finished_at,
            status="held_back",
            reason="\n".join(lines) or "held back",
            counts=counts or CheckCounts(),
            serving_path=str(settings.serving),
        )
        if con is not None:
            records.write(con, record)
            history.export_parquet(con, settings.quality_history)
    finally:
        if con is not None:
            con.close()
    _write(
        settings,
        run_id,
        "held_back",
        started_at,
        finished_at,
        record.reason,
        record.counts,
        problems or [],
    )
    return record


def finish_if_running(
    settings: Settings, run_id: str, reasons: Sequence[str]
) -> PublicationRecord | None:
    """Hold RUN_ID back if nothing recorded its end (a failure no step reported)."""
    current = read_status(settings.publication_status)
    if current is None or current.run_id != run_id or current.status != "running":
        return None
    return hold_back(settings, run_id, reasons, started_at=_parse(current.started_at))


def _merge(earlier: Sequence[str], new: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*earlier, *new]))


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _write(
    settings: Settings,
    run_id: str,
    status: RunStatus,
    started_at: datetime | None,
    finished_at: datetime | None,
    reason: str | None,
    counts: CheckCounts,
    problems: Sequence[str],
) -> None:
    published = last_publication(settings.serving)
    write_status(
        settings.publication_status,
        PublicationStatus(
            run_id=run_id,
            status=status,
            started_at=started_at.isoformat() if started_at else None,
            finished_at=finished_at.isoformat() if finished_at else None,
            reason=reason,
            last_published_run_id=published[0] if published else None,
            last_published_at=published[1] if published else None,
            serving=str(settings.serving),
            quality_history=str(settings.quality_history),
            data_docs=str(settings.data_docs / "index.html"),
            checks=asdict(counts),
            problems=list(problems),
            updated_at=_now().isoformat(),
            pid=os.getpid(),
            host=socket.gethostname(),
        ),
    )
