"""The erasure register: one JSON line per request, beside the working warehouse.

``smarketing erase`` appends a *pending* request (the e-mail or record id in clear: the next
run needs it to find the person). The run that applies it rewrites it as a *tombstone*: the
request id, its dates, and only keyed hashes (smarketing/privacy/pseudonym.py) of every e-mail,
phone and record id of the person, so later deliveries of the same person are recognised and
dropped without the warehouse keeping who they were. The file is rewritten whole (a new file
renamed over it) under a lock, so the command and a run never lose each other's lines.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

RequestKind = Literal["email", "record_id"]
REGISTER_FILE = "erasure_requests.jsonl"


class RequestError(ValueError):
    """An erasure request that names no one."""


@dataclass(frozen=True)
class ErasureRequest:
    request_id: str
    requested_at: str
    kind: RequestKind
    requested: str
    """Keyed hash of the e-mail or record id asked for (what `erase --status` matches)."""
    status: Literal["pending", "applied"] = "pending"
    value: str | None = None
    """The e-mail or record id in clear, while pending only."""
    applied_at: str | None = None
    run_id: str | None = None
    identifiers: list[str] = field(default_factory=list)
    """Keyed hashes of every e-mail, phone and record id erased with the person."""
    rows_removed: int = 0

    def applied(self, run_id: str, identifiers: list[str], rows_removed: int) -> ErasureRequest:
        return replace(
            self,
            status="applied",
            value=None,
            applied_at=datetime.now(UTC).isoformat(),
            run_id=run_id,
            identifiers=sorted(set(identifiers) | {self.requested}),
            rows_removed=rows_removed,
        )


def register_path(privacy_dir: Path) -> Path:
    return privacy_dir / REGISTER_FILE


@contextlib.contextmanager
def locked(privacy_dir: Path) -> Iterator[Path]:
    """The register's path, with the register locked against other writers meanwhile."""
    privacy_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(privacy_dir, 0o700)
    with (privacy_dir / ".register.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield register_path(privacy_dir)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read(path: Path) -> list[ErasureRequest]:
    if not path.is_file():
        return []
    requests = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            requests.append(ErasureRequest(**json.loads(line)))
        except (TypeError, ValueError) as exc:
            raise RequestError(f"{path} line {number}: not an erasure request ({exc})") from exc
    return requests


def write(path: Path, requests: list[ErasureRequest]) -> None:
    fresh = path.with_name(path.name + ".new")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for request in requests:
            handle.write(json.dumps(asdict(request), ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(fresh, path)


def new_request(kind: RequestKind, value: str, requested: str) -> ErasureRequest:
    text = value.strip()
    if not text:
        raise RequestError(f"the {kind.replace('_', ' ')} to erase is empty")
    if kind == "email" and "@" not in text:
        raise RequestError("not an e-mail address: it has no @")
    return ErasureRequest(
        request_id=f"er_{uuid.uuid4().hex[:12]}",
        requested_at=datetime.now(UTC).isoformat(),
        kind=kind,
        requested=requested,
        value=text,
    )
