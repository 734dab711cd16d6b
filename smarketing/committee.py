"""Closing a committee month by hand: freeze its KPIs now, before the closing rule would.

The closing rule (``committee.closes_on_working_day`` in smarketing.yml) freezes a month on
every build once it has passed; ``smarketing committee close YYYY-MM`` freezes the month at
once, through the dbt var ``close_months`` of ``fct_committee_kpi_snapshots``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from dagster_project.lib.dbt_project import DBT_DIR, TARGET_DIR, dbt_executable, dbt_vars

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class CloseError(Exception):
    """The month could not be closed (bad month, dbt failure)."""


def close_months(months: list[str], warehouse: Path) -> str:
    """Freeze the KPIs of MONTHS (YYYY-MM) in WAREHOUSE; returns dbt's summary line."""
    for month in months:
        if not MONTH.match(month):
            raise CloseError(f"{month!r} is not a month: expected YYYY-MM, e.g. 2026-10")
    if not warehouse.is_file():
        raise CloseError(f"warehouse {warehouse} does not exist: run `smarketing run` first")
    warehouse = warehouse.resolve()  # dbt starts in its own folder
    env = {**os.environ, "SMARKETING_WAREHOUSE": str(warehouse)}
    result = subprocess.run(
        [
            dbt_executable(),
            "build",
            "--select",
            "fct_committee_kpi_snapshots+",
            "--vars",
            json.dumps({**dbt_vars(), "close_months": months}),
            # its artifacts beside the warehouse, as a run's: the project's own parse (which a
            # run's first dbt step starts from) keeps the run's vars
            "--target-path",
            str(warehouse.parent / TARGET_DIR / "committee"),
            "--log-path",
            str(warehouse.parent / TARGET_DIR / "committee"),
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    done = [line for line in result.stdout.splitlines() if "Done." in line]
    if result.returncode != 0:
        raise CloseError(f"dbt failed to freeze {', '.join(months)}:\n{result.stdout[-3000:]}")
    # dbt's last "Done. PASS=… ERROR=…" line, without its timestamp
    return done[-1][done[-1].index("Done.") :].strip() if done else ""
