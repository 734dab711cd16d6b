"""What the simulation of a lead records: its funnel cycles (the truth the warehouse must
rebuild), its primary lead as the HubSpot sync sees it, its opportunity, and the lead
itself while it is played.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smarketing_tools.generator import rules


@dataclass(slots=True)
class Cycle:
    person: int
    cycle: int
    created_at: int
    mql_at: int | None = None
    handoff_at: int | None = None
    owner: int | None = None
    expected_team: str = ""
    first_touch_at: int | None = None
    sal_at: int | None = None
    sql_at: int | None = None
    opportunity_at: int | None = None
    won_at: int | None = None
    lost_at: int | None = None
    disqualified_at: int | None = None
    reason: str = ""
    decision: str = "none"
    decision_at: int | None = None


@dataclass(slots=True)
class Sales:
    """A person's primary lead as the HubSpot sync sees it at as_of."""

    lead_id: str
    status: str
    owner: int
    touch_kind: str = ""
    sql_at: int | None = None
    opportunity_at: int | None = None
    won_at: int | None = None
    contact_id: str = ""
    requalified: list[int] = field(default_factory=list)
    recycled_at: int | None = None


@dataclass(slots=True)
class Opp:
    id: str
    person: int
    cycle: int
    account: str
    contact: str
    owner: int
    created: int
    amount: int
    offer: str
    campaign: int
    lead_source: str
    stage: str
    expected_close: str
    closed_at: int | None = None
    won: bool | None = None
    loss_reason: str = ""
    last_modified: int = 0


@dataclass(slots=True)
class LeadSim:
    id: str
    person: int
    created: int
    creator: int
    owner: int
    inbound: bool
    duplicate: bool
    channel: str
    campaign: int
    offer: str
    status: str = rules.ST_OPEN
    reason: str = ""
    last: int = 0
    last_status: int = 0
    history: list[tuple[int, int, str, str, str, str]] = field(default_factory=list)
    tasks: list[dict[str, str | int]] = field(default_factory=list)
    members: list[tuple[int, int]] = field(default_factory=list)
    converted_at: int | None = None
    contact_id: str = ""
    account_id: str = ""
    opp: Opp | None = None
    touch_kind: str = ""
    expected: str = ""
    employees_missing: bool = False
