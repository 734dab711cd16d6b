"""What the inbox holds: the files a run reads, and the entries it must not read.

Every entry ends up in the load audit, the odd ones included: a named pipe (opening it would
block the run), a socket, a link to a file outside the inbox (not followed unless
``SMARKETING_INBOX_SYMLINKS=follow``), a link to nothing, a folder named like a CSV file, a
folder that cannot be listed. A file still being written when the run starts is left for the
next run (``settle``).
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

SYMLINKS_ENV = "SMARKETING_INBOX_SYMLINKS"
SETTLE_ENV = "SMARKETING_SETTLE_SECONDS"
# a file modified less than this long ago is watched that long before it is read
DEFAULT_SETTLE_SECONDS = 3.0
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class Entry:
    """One entry of the inbox: a file to read, or why it is not read (REFUSAL, with the audit
    STATUS it gets: ``refused``, or ``error`` when the OS would not tell what it is)."""

    path: Path
    source_file: str
    refusal: str | None = None
    status: str = "refused"


def entries(inbox: Path) -> list[Entry]:
    """The inbox's entries, hidden ones aside, in a stable order (``x.csv``, then
    ``x (1).csv``)."""
    root = inbox.resolve()
    found: list[Entry] = []

    def unlisted(error: OSError) -> None:
        folder = Path(error.filename or inbox)
        found.append(_error(inbox, folder, f"cannot be listed: {error.strerror or error}"))

    for folder, dirs, files in os.walk(inbox, onerror=unlisted):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in list(dirs):
            path = Path(folder) / name
            if path.is_symlink():
                dirs.remove(name)
                found.append(_refused(inbox, path, "a link to a folder: links are not followed"))
            elif path.suffix.lower() in CSV_SUFFIXES:
                found.append(_refused(inbox, path, "a folder, not a file"))
        for name in files:
            if not name.startswith("."):
                found.append(_entry(inbox, root, Path(folder) / name))
    return sorted(found, key=lambda e: (e.path.parent.as_posix(), e.path.stem, e.path.suffix))


def _entry(inbox: Path, root: Path, path: Path) -> Entry:
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.exists():
                return _error(inbox, path, f"a link to {target}, which does not exist")
            if not target.is_relative_to(root) and os.environ.get(SYMLINKS_ENV) != "follow":
                return _refused(
                    inbox,
                    path,
                    f"a link to {target}, outside the inbox: not followed "
                    f"({SYMLINKS_ENV}=follow reads such links)",
                )
        mode = path.stat().st_mode
    except OSError as exc:
        return _error(inbox, path, f"cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(mode):
        return _refused(inbox, path, f"{KINDS.get(stat.S_IFMT(mode), 'not a file')}, not a file")
    return Entry(path, path.relative_to(inbox).as_posix())


def _refused(inbox: Path, path: Path, reason: str) -> Entry:
    return Entry(path, path.relative_to(inbox).as_posix(), reason, "refused")


def _error(inbox: Path, path: Path, reason: str) -> Entry:
    return Entry(path, path.relative_to(inbox).as_posix(), reason, "error")


def settle_seconds() -> float:
    """How long a file must stay unchanged before it is read (SMARKETING_SETTLE_SECONDS)."""
    value = os.environ.get(SETTLE_ENV)
    try:
        return max(0.0, float(value)) if value else DEFAULT_SETTLE_SECONDS
    except ValueError:
        return DEFAULT_SETTLE_SECONDS


def signature(path: Path) -> tuple[int, int] | None:
    """(size, modification time in ns), None when the file cannot be looked at."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def still_written(files: list[Path], seconds: float) -> set[Path]:
    """The FILES still being written: modified less than SECONDS ago, they are watched until
    that long has passed (one wait for all) and those whose size or time moved meanwhile are
    returned. A file modified in the future (a skewed clock) is watched the whole time."""
    before = {path: signature(path) for path in files}
    now = time.time()
    young = {
        path: sig
        for path, sig in before.items()
        if sig is not None and now - sig[1] / 1e9 < seconds
    }
    if not young:
        return set()
    youngest_age = max(0.0, min(now - sig[1] / 1e9 for sig in young.values()))
    time.sleep(seconds - youngest_age)
    return {path for path, sig in young.items() if signature(path) != sig}
