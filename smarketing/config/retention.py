"""How long the warehouse keeps what it no longer uses (``retention:`` in smarketing.yml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MIN_DAYS = 30


class Retention(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    raw_deliveries_days: int | None = Field(
        default=None,
        ge=MIN_DAYS,
        description="Days a delivered row is kept in raw once a later delivery superseded its "
        f"record (at least {MIN_DAYS}); the current delivery of every record is always kept. "
        "Omitted: raw keeps every delivery.",
    )
