"""What a check run found, expectation by expectation (independent of GX, so the history, the
Dagster checks and the publication read it without importing GX)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from smarketing.quality.suites import ExpectationDef, SuiteUnit

Status = Literal["passed", "failed", "error"]


@dataclass(frozen=True)
class Outcome:
    """One expectation on one dataset: passed, failed (bad data) or error (broken engine)."""

    unit: SuiteUnit
    expectation: ExpectationDef
    status: Status
    kwargs: dict[str, Any] = field(default_factory=dict)
    """The expectation's arguments as evaluated (``$PARAMETER`` replaced)."""
    observed_value: Any = None
    element_count: int | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    partial_unexpected: list[Any] = field(default_factory=list)
    unexpected_rows: list[tuple[str, int]] = field(default_factory=list)
    """(file, row of the file) of the first unexpected values, when the dataset has them"""
    error: str | None = None

    @property
    def is_blocking_failure(self) -> bool:
        return self.status == "failed" and self.expectation.severity == "blocking"

    @property
    def column(self) -> str | None:
        return ", ".join(self.expectation.columns) or None

    def observed_json(self) -> str | None:
        if self.observed_value is None:
            return None
        return json.dumps(self.observed_value, default=str, ensure_ascii=False)

    @property
    def reads_as_filled(self) -> bool:
        """A completeness check: a column not null, or a flag (``has_<field>``) true."""
        kind = self.expectation.type
        return kind == "expect_column_values_to_not_be_null" or (
            kind == "expect_column_values_to_be_in_set"
            and list(self.kwargs.get("value_set") or []) == [True]
        )

    def details(self) -> str:
        """One line a RevOps reader understands: what was expected and what was found."""
        if self.status == "error":
            return f"check engine error: {self.error}"
        parts: list[str] = []
        counted = self.unexpected_count is not None and self.element_count is not None
        if counted and self.reads_as_filled:
            filled = 100 - (self.unexpected_percent or 0.0)
            parts.append(
                f"{filled:.2f} % filled ({self.unexpected_count:,} of {self.element_count:,} "
                "not filled)"
            )
        elif counted:
            share = f" ({self.unexpected_percent:.2f} %)" if self.unexpected_percent else ""
            parts.append(
                f"{self.unexpected_count:,} of {self.element_count:,} rows unexpected{share}"
            )
        if self.observed_value is not None:
            parts.append(f"observed {self.observed_json()}")
        mostly = self.kwargs.get("mostly")
        if isinstance(mostly, int | float):
            parts.append(f"required: at least {mostly * 100:g} % of rows")
        # a flag's unexpected values (false) say nothing the share does not
        sample = [v for v in self.partial_unexpected if v is not None and not isinstance(v, bool)]
        sample = sample[:5]
        if sample and self.status == "failed":
            parts.append(f"e.g. {json.dumps(sample, default=str, ensure_ascii=False)}")
        if self.unexpected_rows and self.status == "failed":
            rows = ", ".join(f"{file} row {row}" for file, row in self.unexpected_rows[:5])
            parts.append(f"in {rows}")
        return "; ".join(parts) or self.status

    def headline(self) -> str:
        """``suite/check on asset (column): details``, for logs and publication reasons."""
        column = f" ({self.column})" if self.column else ""
        return (
            f"{self.unit.label}/{self.expectation.check_name} on {self.unit.asset}{column}: "
            f"{self.details()}"
        )


@dataclass(frozen=True)
class UnitResult:
    """A validation of one suite unit: every expectation's outcome, and GX's own result (for
    the Data Docs) when GX got that far."""

    unit: SuiteUnit
    outcomes: list[Outcome]
    checked_at: datetime
    validation: dict[str, Any] | None = None

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "error"]
