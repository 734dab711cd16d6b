"""What a lead must hold, and which leads Marketing brings in (``smarketing.yml``, keys
``key_fields`` and ``inbound``): written once there, read by dbt (vars), the governance checks
(``expectations/``) and the dashboard (the warehouse's ``config.key_fields``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from smarketing.config.csv_text import csv_text
from smarketing.config.types import Code, Strict

if TYPE_CHECKING:
    from smarketing.config.models import SmarketingConfig

# What "filled" means for each is dbt/macros/key_fields.sql's: the one place that reads columns.
KEY_FIELDS = ("name", "email", "phone", "company", "country", "employee_count")
KeyField = Literal["name", "email", "phone", "company", "country", "employee_count"]


class Inbound(Strict):
    outbound_channels: list[Code] = Field(
        default_factory=list,
        description="Channels Sales prospects itself; a lead of any other channel, or of none, "
        "is inbound: Marketing brought it in.",
    )


def key_fields_csv(config: SmarketingConfig) -> str:
    """field, display_order: the key fields in the file's order, for readers of the warehouse."""
    return csv_text(
        ["field", "display_order"],
        [[field, str(order)] for order, field in enumerate(config.key_fields, start=1)],
    )
