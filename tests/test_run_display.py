"""What `smarketing run` prints while it runs: one line per step, errors in full, the whole
log (every dbt line) in a file."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from types import SimpleNamespace

from smarketing.run_display import StepLines


def _record(
    step: str | None, kind: str | None, level: int = logging.INFO, **data
) -> logging.LogRecord:
    record = logging.LogRecord("run", level, __file__, 1, f"{step} - {kind} - message", None, None)
    event = (
        None
        if kind is None
        else SimpleNamespace(
            step_key=step, event_type_value=kind, event_specific_data=SimpleNamespace(**data)
        )
    )
    record.dagster_meta = {"dagster_event": event}
    return record


def test_one_line_per_step_with_what_it_built_and_its_checks() -> None:
    stream = io.StringIO()
    lines = StepLines(stream, {"dbt_marts": 5})
    lines.emit(_record("dbt_marts", "STEP_START"))
    lines.emit(_record("dbt_marts", "ASSET_MATERIALIZATION"))
    lines.emit(_record("dbt_marts", "ASSET_MATERIALIZATION"))
    for passed in (True, True, False):
        lines.emit(_record("dbt_marts", "ASSET_CHECK_EVALUATION", passed=passed))
    lines.emit(_record(None, None, message="dbt says hello"))  # an info line: not shown
    lines.emit(_record("dbt_marts", "STEP_SUCCESS"))
    printed = stream.getvalue().splitlines()
    assert len(printed) == 1
    assert re.fullmatch(
        r"ok +dbt_marts +2 asset\(s\), 3 checks \(1 failed\) +\d+\.\d s", printed[0]
    ), printed


def test_the_loader_s_progress_is_shown_every_few_seconds() -> None:
    stream = io.StringIO()
    lines = StepLines(stream, {})
    for rows in ("100,000", "200,000"):
        record = _record(None, None)
        record.dagster_meta.update(step_key="load_inbox", orig_message=f"a.csv: {rows} rows read")
        lines.emit(record)
    assert stream.getvalue().splitlines() == [
        "...    load_inbox             a.csv: 100,000 rows read"
    ]


def test_a_failed_step_and_an_error_are_shown_in_full() -> None:
    stream = io.StringIO()
    lines = StepLines(stream, {})
    lines.emit(_record("load_inbox", "STEP_START"))
    lines.emit(_record(None, None, level=logging.ERROR))
    lines.emit(_record("load_inbox", "STEP_FAILURE", level=logging.ERROR))
    printed = stream.getvalue().splitlines()
    assert printed[0] == "None - None - message"
    assert printed[1].startswith("FAILED load_inbox")
    assert printed[2] == "load_inbox - STEP_FAILURE - message"


def test_a_run_prints_its_steps_and_logs_every_dbt_line_to_a_file(small: dict) -> None:
    run = small["first"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = (run.stdout + run.stderr).splitlines()
    assert len(out) < 40, out  # a run once printed about 1,300 lines of dbt log
    steps = {line.split()[1] for line in out if line.startswith("ok ")}
    assert {"load_inbox", "dbt_before_identity", "resolve_identities", "dbt_after_identity",
            "serving_copy"} <= steps  # fmt: skip
    log = Path(re.search(r"^Full log: (.+)$", run.stdout, re.MULTILINE).group(1))
    text = log.read_text(encoding="utf-8")
    assert "OK created sql table model marts.fct_lead_funnel" in text  # dbt's own lines
    assert "STEP_SUCCESS" in text  # and Dagster's
