"""What `smarketing run` shows while the job runs: one line per step (what it built, its
checks, how long), a bar on a terminal while a step builds many assets, errors in full. The
whole Dagster log (every dbt line included) goes to a file whose path is printed."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TextIO

from dagster import Field, InitLoggerContext, Permissive, logger

BAR_WIDTH = 24
REDRAW_SECONDS = 0.5
# the loader's progress messages (`a.csv: 100,000 rows read`), shown at most this often
PROGRESS_SECONDS = 5.0
FILE_FORMAT = "%(asctime)s %(levelname)s %(message)s"


class StepLines(logging.Handler):
    """Turns Dagster's events into one line per step; ERROR records are printed in full."""

    def __init__(self, stream: TextIO, totals: dict[str, int]) -> None:
        super().__init__(level=logging.DEBUG)
        self.stream = stream
        self.totals = totals  # step -> the assets and checks it builds
        self.live = stream.isatty()
        self.started: dict[str, float] = {}
        self.built: dict[str, int] = {}
        self.checks: dict[str, list[int]] = {}  # step -> [run, failed]
        self._drawn = 0.0
        self._progressed = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            if record.levelno >= logging.ERROR:
                self._print(record.getMessage())
            elif str(meta.get("orig_message", "")).endswith(" rows read"):
                self._progress(str(meta.get("step_key") or ""), str(meta["orig_message"]))
            return
        step, kind = event.step_key or "", event.event_type_value
        if kind == "STEP_START":
            self.started[step], self.built[step], self.checks[step] = time.monotonic(), 0, [0, 0]
        elif kind == "ASSET_MATERIALIZATION":
            self.built[step] = self.built.get(step, 0) + 1
            self._draw(step)
        elif kind == "ASSET_CHECK_EVALUATION":
            counts = self.checks.setdefault(step, [0, 0])
            counts[0] += 1
            counts[1] += 0 if event.event_specific_data.passed else 1
            self._draw(step)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            self._print(self._line(step, ok=kind == "STEP_SUCCESS"))
            if kind == "STEP_FAILURE":
                self._print(record.getMessage())

    def _counts(self, step: str) -> str:
        built = self.built.get(step, 0)
        run, failed = self.checks.get(step, [0, 0])
        parts = [f"{built} asset(s)"] if built or not run else []
        if run:
            parts.append(f"{run} checks ({failed} failed)")
        return ", ".join(parts)

    def _line(self, step: str, ok: bool) -> str:
        seconds = time.monotonic() - self.started.get(step, time.monotonic())
        return f"{'ok' if ok else 'FAILED':<6} {step:<22} {self._counts(step):<36} {seconds:6.1f} s"

    def _draw(self, step: str) -> None:
        total = self.totals.get(step, 0)
        now = time.monotonic()
        if not self.live or total <= 1 or now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        done = self.built.get(step, 0) + self.checks.get(step, [0, 0])[0]
        line = f"...    {step:<22} {_bar(done, total)} {done:>5}/{total}  {self._counts(step)}"
        self.stream.write("\r" + line)
        self.stream.flush()

    def _progress(self, step: str, message: str) -> None:
        now = time.monotonic()
        if now - self._progressed < PROGRESS_SECONDS:
            return
        self._progressed = now
        line = f"...    {step:<22} {message}"
        if self.live:
            self.stream.write("\r\x1b[K" + line)
            self.stream.flush()
        else:
            self._print(line)

    def _print(self, text: str) -> None:
        prefix = "\r\x1b[K" if self.live else ""
        self.stream.write(f"{prefix}{text}\n")
        self.stream.flush()


def _bar(done: int, total: int) -> str:
    filled = round(BAR_WIDTH * min(done, total) / total) if total else 0
    return "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "]"


@logger(
    {
        "log_file": Field(str, description="Where the whole log goes."),
        "totals": Field(
            Permissive(), default_value={}, description="step -> the assets and checks it builds"
        ),
    },
    description="One line per step on stderr; the whole log in a file.",
)
def step_lines_logger(init_context: InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    path = Path(config["log_file"])
    path.parent.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger(f"smarketing.run.{path.stem}")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.handlers.clear()
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter(FILE_FORMAT))
    log.addHandler(to_file)
    log.addHandler(StepLines(sys.stderr, {k: int(v) for k, v in config["totals"].items()}))
    return log
