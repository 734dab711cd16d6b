"""Which lines of a stage's output are shown while it runs."""

from __future__ import annotations

import re
import time

from smarketing_tools.bench.measure import LineFilter

ANSI = re.compile(r"\x1b\[[0-9;]*m")
DAGSTER_LINE = re.compile(
    r" - dagster - \w+ - \S+ - [0-9a-f-]{36} - (?:\d+ - )?(?P<step>\S+) - (?P<message>.*)$"
)
DBT_WORDS = (" OK created ", " OK loaded ", "ERROR", " FAIL ", "Finished running", "Done.")


class Throttle:
    """True at most once every ``every`` seconds."""

    def __init__(self, every: float = 2.0) -> None:
        self.every, self.last = every, -every

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self.last < self.every:
            return False
        self.last = now
        return True


def progress_lines(line: str) -> str | None:
    """The progress lines the project's commands print (``[load   3.0s] file: 100,000``)."""
    return line if line.startswith("[") else None


def dbt_lines(line: str) -> str | None:
    """Models and seeds built, errors and failures, and dbt's summary."""
    text = ANSI.sub("", line)
    return text if any(word in text for word in DBT_WORDS) else None


def dagster_lines() -> LineFilter:
    """Steps starting and ending, the loader's progress (every couple of seconds), the summary."""
    throttle = Throttle()

    def echo(line: str) -> str | None:
        if line.startswith(("Pipeline ", "Loading ", "  failed: ", "ok ", "FAILED ")):
            return line
        found = DAGSTER_LINE.search(line)
        if found is None:
            return None
        step, message = found.group("step"), found.group("message")
        if message.startswith(("STEP_START", "STEP_SUCCESS", "STEP_FAILURE")):
            return f"{step}: {message.split(' - ', 1)[-1]}"
        if message.endswith(" rows read") and throttle():
            return f"{step}: {message}"
        return None

    return echo
