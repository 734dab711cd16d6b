"""The lines of a held-back run's reason (``publication.json`` ``reason``,
``audit.publications.reason``): written here by whoever holds a run back, read back here by
the dashboard, which says them in its language."""

from __future__ import annotations

import re
from dataclasses import dataclass

CHECK_FAILED = "blocking check failed"
CHECK_ERROR = "check engine error"

_CHECK = re.compile(
    rf"^(?P<kind>{CHECK_FAILED}|{CHECK_ERROR}): [\w.]+/(?P<check>\w+) on \S+"
    r"(?: \([^)]*\))?: (?P<details>.*)$"
)
_DBT_TEST = re.compile(rf"^{CHECK_FAILED}: dbt test (?P<test>\S+) on (?P<table>\S+)$")
_DELIVERY = re.compile(r"^delivery not loaded: (?P<detail>.*)$")
_STEP = re.compile(r"^step (?P<step>\S+) failed(?:: (?P<message>.*))?$")


def check(
    kind: str, validation: str, check_name: str, asset: str, column: str | None, details: str
) -> str:
    """A Great Expectations check's line; KIND: CHECK_FAILED or CHECK_ERROR."""
    where = f" ({column})" if column else ""
    return f"{kind}: {validation}/{check_name} on {asset}{where}: {details}"


def dbt_test(test: str, asset: str) -> str:
    return f"{CHECK_FAILED}: dbt test {test} on {asset}"


def delivery(detail: str) -> str:
    """A delivery that could not be loaded: its file and why."""
    return f"delivery not loaded: {detail}"


def step(step_key: str, message: str) -> str:
    return f"step {step_key} failed: {message}".rstrip(": ")


@dataclass(frozen=True)
class Reason:
    kind: str
    """``check_failed``, ``check_error``, ``dbt_test``, ``delivery``, ``step``, or ``other``
    (a line as it was written)."""
    fields: dict[str, str]


def read(reason: str) -> list[Reason]:
    """REASON's lines, each as what it says."""
    read_back = []
    for line in filter(None, (line.strip() for line in reason.splitlines())):
        if found := _CHECK.match(line):
            kind = "check_failed" if found["kind"] == CHECK_FAILED else "check_error"
            read_back.append(Reason(kind, {"check": found["check"], "details": found["details"]}))
        elif found := _DBT_TEST.match(line):
            read_back.append(Reason("dbt_test", found.groupdict()))
        elif found := _DELIVERY.match(line):
            read_back.append(Reason("delivery", found.groupdict()))
        elif found := _STEP.match(line):
            read_back.append(
                Reason("step", {"step": found["step"], "message": found["message"] or ""})
            )
        else:
            read_back.append(Reason("other", {"line": line}))
    return read_back
