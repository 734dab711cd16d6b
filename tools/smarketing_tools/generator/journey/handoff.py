"""From hand-off to first touch: the tasks logged when a lead reaches Sales, and when the
first touch comes (what the SLA measures).
"""

from __future__ import annotations

from smarketing_tools.generator import clock
from smarketing_tools.generator.journey.records import LeadSim
from smarketing_tools.generator.journey.state import JourneyState


def handoff_tasks(j: JourneyState, lead: LeadSim, start: int) -> None:
    """What is logged when a lead reaches Sales, before its first touch: a call planned but
    not made, marketing e-mails logged by the integration, a check of the company record."""
    staff = j.ctx.staff
    if j.rnd.random() < 0.45:  # a planned call, never completed
        at = start + j.rnd.randint(1, 25)
        j.task(
            lead,
            at=at,
            owner=lead.owner,
            subject="Appeler le lead",
            subtype="Call",
            kind="Call",
            completed=False,
            created_by=staff.integration,
            due=j.bh(at, 540),
        )
    if j.rnd.random() < 0.3:  # marketing e-mails logged by the integration
        for _ in range(j.rnd.randint(1, 3)):
            at = j.daytime_after(start, j.rnd.randint(0, 6))
            if at > start and at < j.cutoff:
                j.task(
                    lead,
                    at=at,
                    owner=staff.integration,
                    subject="E-mail marketing : Nurturing " + lead.offer,
                    subtype="Email",
                    kind="Email",
                )
    if j.rnd.random() < 0.2:
        at = j.bh(start, j.rnd.randint(5, 120))
        if at < j.cutoff:
            j.task(
                lead,
                at=at,
                owner=lead.owner,
                subject="Vérifier la fiche société",
                subtype="Task",
                kind="Other",
            )


def first_touch(j: JourneyState, lead: LeadSim, start: int, prospecting: bool) -> int | None:
    """When a rep first touches the lead, or None (never, or held by the seminar); a lead a
    rep prospected was created on that very call."""
    r = j.rnd.random()
    if prospecting and r < 0.85:
        return start + j.rnd.randint(0, 30)  # the call that made the rep create it
    if r < 0.05:
        return None
    local = clock.local(start)
    weekday = (local // clock.DAY + 3) % 7  # 1970-01-01 was a Thursday
    if r < 0.065 and weekday in (4, 5):
        # a rep answers on Saturday morning
        days = 5 - weekday
        saturday = (local // clock.DAY + days) * clock.DAY + j.rnd.randint(600, 720)
        at = clock.utc_from_local(saturday)
        if at > start:
            return at
    if r < 0.62:
        minutes = j.rnd.randint(3, 240)
    elif r < 0.80:
        minutes = j.rnd.randint(240, 540)
    elif r < 0.91:
        minutes = j.rnd.randint(540, 2_880)
    else:
        minutes = j.rnd.randint(2_881, 9_000)
    touch = j.bh(start, minutes)
    return None if touch >= j.seminar and not prospecting else touch
