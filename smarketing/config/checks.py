"""The data checks' severities the team decides (``checks:`` in smarketing.yml)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

CheckKey = Annotated[str, StringConstraints(pattern=r"^([a-z][a-z0-9_]*\.)?[a-z][a-z0-9_]*$")]


class Checks(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    severities: dict[CheckKey, Literal["blocking", "warning"]] = Field(
        default_factory=dict,
        description="Check name (the expectation's meta.name in expectations/, every suite that "
        "has it) or suite.name (one suite's) -> blocking (a failure holds the publication "
        "back) or warning (reported). Overrides the suite's own severity.",
    )
