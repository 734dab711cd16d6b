"""What the banner says: when the data shown was published, whether the last run passed
its checks, and the version of the definition (smarketing.yml) the figures were built with.

The pipeline records each publication in the serving copy (``audit.publications``) and the
last run, published or held back, in ``publication.json`` beside it. A warehouse built
before the publication step has neither: the latest load (``audit.load_audit``) stands in
for the publication time and the checks are "not recorded yet". ``status()`` is the one
place that reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from dashboards import warehouse
from smarketing.settings import Settings

PUBLICATIONS = "audit.publications"
LOAD_AUDIT = "audit.load_audit"
DATA_AS_OF = "marts.fct_data_as_of"
DEFINITION = "config.definition"


@dataclass(frozen=True)
class Publication:
    published_at: datetime | None
    """When the data shown was published (before the publication step: last loaded)."""
    checks_passed: bool | None
    """Whether the last run passed its blocking checks; None: not recorded."""
    warnings: int = 0
    """Non-blocking checks that failed in the published run."""
    held_back_at: datetime | None = None
    """When the last run finished, if it was held back (the data shown is older)."""
    held_back_reason: str | None = None


def _instant(value: object) -> datetime | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).to_pydatetime()


def last_run() -> dict | None:
    """The pipeline's status file (``publication.json``), when the settings name one."""
    path = getattr(Settings.from_env(), "publication_status", None)
    if path is None or not Path(path).is_file():
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def status() -> Publication:
    if warehouse.has_relation(PUBLICATIONS):
        published = warehouse.query(
            f"""
            select finished_at, blocking_failed, warnings_failed, check_errors
            from {PUBLICATIONS} where status = 'published'
            order by finished_at desc limit 1
            """
        )
        run = last_run() or {}
        held_back = run.get("status") == "held_back"
        if published.empty and not held_back:
            return Publication(None, None)
        row = None if published.empty else published.iloc[0]
        passed = bool(row is not None and row["blocking_failed"] == 0 and row["check_errors"] == 0)
        return Publication(
            published_at=None if row is None else _instant(row["finished_at"]),
            checks_passed=passed and not held_back,
            warnings=0 if row is None else int(row["warnings_failed"] or 0),
            held_back_at=_instant(run.get("finished_at")) if held_back else None,
            held_back_reason=run.get("reason") if held_back else None,
        )
    if not warehouse.has_relation(LOAD_AUDIT):
        return Publication(None, None)
    return Publication(
        _instant(
            warehouse.scalar(
                f"select finished_at from {LOAD_AUDIT} order by finished_at desc nulls last limit 1"
            )
        ),
        None,
    )


def data_as_of() -> datetime | None:
    """The instant the figures describe: when the exports were taken (or ``--as-of``)."""
    if not warehouse.has_relation(DATA_AS_OF):
        return None
    return _instant(warehouse.scalar(f"select as_of from {DATA_AS_OF}"))


def definition_version() -> str | None:
    """The version of smarketing.yml the published figures were built with."""
    if not warehouse.has_relation(DEFINITION):
        return None
    return warehouse.scalar(f"select version from {DEFINITION}")
