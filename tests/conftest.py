"""Shared test settings."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Real export samples live in shared/fixtures beside the checkout (CI lays a copy there too).
FIXTURES = Path(os.environ.get("SMARKETING_FIXTURES", REPO.parent / "shared" / "fixtures"))

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")


def pytest_sessionstart(session) -> None:
    if not FIXTURES.is_dir():
        raise RuntimeError(
            f"real export samples not found at {FIXTURES}: set SMARKETING_FIXTURES to the "
            "shared/fixtures folder"
        )
