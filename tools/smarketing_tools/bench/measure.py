"""Running a command in a subprocess while measuring its wall time and peak memory.

Peak memory is the largest resident set size of the whole process tree (the command and every
process it starts), sampled with psutil every ``interval`` seconds. On Linux each process's own
high-water mark (``VmHWM``) is read too, so a short spike between two samples is not missed.
(``wait4``'s ``ru_maxrss`` is not used: on Linux it includes the parent's memory copied at fork.)
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import psutil

MIB = 1024 * 1024
TAIL_LINES = 40

LineFilter = Callable[[str], str | None]
"""Given a line of a stage's output, the text to show while it runs, or None."""


@dataclass
class SubRow:
    """One line under a stage: a raw table, a dbt model, a file."""

    name: str
    status: str = ""
    seconds: float | None = None
    rows: int | None = None
    note: str = ""


@dataclass
class StageResult:
    """What one stage of the benchmark did, how long it took and how much memory it used."""

    name: str
    status: str = "ok"
    """ok, failed, reused (the work was already done), or skipped."""
    wall_s: float | None = None
    """Wall seconds of the stage's subprocess, interpreter start-up included."""
    work_s: float | None = None
    """Seconds of the work itself as timed inside the subprocess, when it reports them."""
    peak_rss_bytes: int | None = None
    rows: int | None = None
    sub_rows: list[SubRow] = field(default_factory=list)
    files: list[SubRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def peak_mib(self) -> float | None:
        return None if self.peak_rss_bytes is None else self.peak_rss_bytes / MIB

    @property
    def rows_per_s(self) -> float | None:
        if not self.rows or not self.wall_s:
            return None
        return self.rows / self.wall_s

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StageResult:
        values = dict(data)
        values["sub_rows"] = [SubRow(**row) for row in values.get("sub_rows", [])]
        values["files"] = [SubRow(**row) for row in values.get("files", [])]
        return cls(**values)


@dataclass
class Measurement:
    """A finished subprocess: exit code, wall seconds, peak RSS and the end of its output."""

    returncode: int
    wall_s: float
    peak_rss_bytes: int
    samples: int
    output_tail: list[str]

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _high_water_mark(pid: int) -> int:
    """The kernel's peak RSS of one process since its exec, in bytes (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_memory(process: psutil.Process) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants, and the largest single high-water
    mark among them; (0, 0) once it is gone."""
    try:
        members = [process, *process.children(recursive=True)]
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return 0, 0
    total = high_water = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        high_water = max(high_water, _high_water_mark(member.pid))
    return total, high_water


class _Sampler(threading.Thread):
    def __init__(
        self,
        pid: int,
        interval: float,
        heartbeat: Callable[[float, int], None] | None,
        heartbeat_s: float,
    ) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.interval, self.heartbeat, self.heartbeat_s = interval, heartbeat, heartbeat_s
        self.peak = 0
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        started = last_beat = time.monotonic()
        while not self.stop.is_set():
            rss, high_water = tree_memory(self.process)
            self.peak = max(self.peak, rss, high_water)
            self.samples += 1
            now = time.monotonic()
            if self.heartbeat and now - last_beat >= self.heartbeat_s:
                last_beat = now
                self.heartbeat(now - started, rss)
            self.stop.wait(self.interval)


def _pump(
    stream: TextIO,
    tail: deque[str],
    log: TextIO | None,
    echo: LineFilter | None,
    echo_to: TextIO,
) -> None:
    for line in stream:
        text = line.rstrip("\n")
        tail.append(text)
        if log is not None:
            log.write(line)
        shown = echo(text) if echo is not None else None
        if shown is not None:
            print(f"    {shown}", file=echo_to, flush=True)


def _kill_tree(pid: int) -> None:
    try:
        root = psutil.Process(pid)
        members = [*root.children(recursive=True), root]
    except psutil.NoSuchProcess:
        return
    for member in members:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            continue


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    log_path: Path | None = None,
    echo: LineFilter | None = None,
    echo_to: TextIO = sys.stderr,
    interval: float = 0.1,
    heartbeat: Callable[[float, int], None] | None = None,
    heartbeat_s: float = 30.0,
) -> Measurement:
    """Run ``argv`` to its end; stdout and stderr are merged, kept in ``log_path``.

    What ``echo`` returns for a line is printed (indented) as it comes, and
    ``heartbeat(elapsed_s, current_rss)`` is called every ``heartbeat_s`` seconds.
    """
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    log = log_path.open("w", encoding="utf-8") if log_path is not None else None
    started = time.perf_counter()
    process = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
        start_new_session=True,
    )
    sampler = _Sampler(process.pid, interval, heartbeat, heartbeat_s)
    sampler.start()
    assert process.stdout is not None
    try:
        _pump(process.stdout, tail, log, echo, echo_to)
        returncode = process.wait()
    except BaseException:
        _kill_tree(process.pid)
        process.wait()
        raise
    finally:
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        process.stdout.close()
        if log is not None:
            log.close()
    return Measurement(
        returncode=returncode,
        wall_s=wall,
        peak_rss_bytes=sampler.peak,
        samples=sampler.samples,
        output_tail=list(tail),
    )
