"""Progress lines for long work, at most one per stage every couple of seconds."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressPrinter:
    def __init__(
        self, prefix: str, stream: TextIO = sys.stderr, every_seconds: float = 2.0
    ) -> None:
        self.prefix, self.stream, self.every = prefix, stream, every_seconds
        self._stage: str | None = None
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if stage == self._stage and not finished and now - self._last < self.every:
            return
        self._stage, self._last = stage, now
        amount = f"{done:,}/{total:,}" if total else f"{done:,}"
        elapsed = now - self._started
        print(f"[{self.prefix} {elapsed:6.1f}s] {stage}: {amount}", file=self.stream, flush=True)
