"""The status file beside the serving copy (``publication.json``): what the last run did.

The serving copy only knows the runs that were published; this file also tells readers about
the run that was held back or is still running, without opening the working warehouse. It is
replaced atomically (written beside, then ``os.replace``), so a reader sees the old or the
new file, never half of one.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import psutil

RunStatus = Literal["running", "published", "held_back"]


@dataclass(frozen=True)
class PublicationStatus:
    run_id: str
    """The last pipeline run (Dagster run id)."""
    status: RunStatus
    """``running`` (or killed before it finished), ``published`` or ``held_back``."""
    started_at: str | None
    finished_at: str | None
    reason: str | None
    """Why the run was held back: one cause per line."""
    last_published_run_id: str | None
    last_published_at: str | None
    """The run and time of the publication readers see in the serving copy now."""
    serving: str
    quality_history: str
    data_docs: str
    checks: dict[str, int] = field(default_factory=dict)
    """passed, failed, blocking_failed, warnings_failed, errors (dbt tests and GX)."""
    problems: list[str] = field(default_factory=list)
    """Every GX expectation that failed or errored in the run, one line each."""
    updated_at: str | None = None
    pid: int | None = None
    host: str | None = None
    """The process (and machine) that wrote the file: a ``running`` run whose process is gone
    was killed."""

    def process_alive(self) -> bool:
        """Whether the process that wrote this file still runs (on this machine, started before
        the run: a reused pid is another process)."""
        if self.pid is None or self.host != socket.gethostname():
            return False
        try:
            created = psutil.Process(self.pid).create_time()
        except psutil.Error:
            return False
        started = datetime.fromisoformat(self.started_at).timestamp() if self.started_at else 0
        return created <= started + 1


def read_status(path: Path) -> PublicationStatus | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        return PublicationStatus(**data)
    except TypeError:  # written by another version: start afresh
        return None


def write_status(path: Path, status: PublicationStatus) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(asdict(status), handle, indent=2, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
