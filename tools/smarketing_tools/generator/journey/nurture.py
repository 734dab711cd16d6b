"""Recycling: a lead sent back to nurturing may qualify again later, as a new cycle."""

from __future__ import annotations

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.journey.records import Cycle, LeadSim
from smarketing_tools.generator.journey.state import JourneyState


def requalify(j: JourneyState, lead: LeadSim, c: Cycle, nurtured: int) -> int | None:
    """Back to marketing; the person may qualify again later (a new cycle)."""
    ctx = j.ctx
    p = lead.person
    again: int | None = None
    if j.plan.main_of_person[p] >= 0 and c.cycle < 3 and j.rnd.random() < 0.45:
        again = j.daytime_after(nurtured, j.rnd.randint(40, 300))
        if again >= j.cutoff:
            again = None
    if j.rnd.random() < 0.3:  # a courtesy call while nurtured: not a first touch
        at = j.bh(nurtured, j.rnd.randint(2_000, 20_000))
        if at < (again if again is not None else j.cutoff):
            j.ensure_owner(lead, at)
            j.task(
                lead,
                at=at,
                owner=lead.owner,
                subject="Appel de courtoisie",
                subtype="Call",
                kind="Call",
            )
    if again is None:
        return None
    j.ensure_owner(lead, again)
    again = max(again, lead.last_status + 1, lead.last)
    integration = ctx.staff.integration
    j.set_status(lead, again, rules.ST_OPEN, integration)
    j.set_reason(lead, again, "", integration)
    if j.rnd.random() < 0.4:
        j.set_owner(lead, again, j.route(lead, again), integration)
    offer = lead.offer
    j.member(
        lead,
        ctx.book.period_campaign("content_download", offer, clock.local_date(again)),
        again,
    )
    return again
